import type { Db } from '../../engine/db/database.js';

/** Keeps a caught message once per Message-ID (a delivery retried after it arrived is not a second mail). */
export async function storeCaughtMail(
  db: Db,
  mail: { message_id: string; mail_from: string; recipients: string[]; subject: string; text_body: string; html_body: string | null; size: number },
) {
  const inserted = await db
    .insertInto('caught_mail')
    .values({ ...mail, recipients: JSON.stringify(mail.recipients) })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function caughtMailPage(db: Db, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    db.selectFrom('caught_mail').selectAll().orderBy('received_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('caught_mail').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
