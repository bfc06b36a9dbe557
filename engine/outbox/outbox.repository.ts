import type { Db } from '../db/database.js';

export type NewOutboxMessage = { id: string; instance_id: string; topic: string; payload: Record<string, unknown> };

/** The messages' insert as a query, joined into a command's single write (runtime/command.repository.ts); not empty. */
export function insertOutboxMessagesQuery(db: Db, rows: NewOutboxMessage[]) {
  return db.insertInto('outbox_message').values(rows.map((r) => ({ ...r, payload: JSON.stringify(r.payload) })));
}

export async function outboxOf(db: Db, instanceId: string) {
  return db.selectFrom('outbox_message').selectAll().where('instance_id', '=', instanceId).orderBy('created_at').execute();
}

export async function findOutboxMessage(db: Db, id: string) {
  return db.selectFrom('outbox_message').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An instance's messages of one topic, oldest first. */
export async function outboxOfTopic(db: Db, instanceId: string, topic: string) {
  return db.selectFrom('outbox_message').selectAll().where('instance_id', '=', instanceId).where('topic', '=', topic).orderBy('created_at').orderBy('id').execute();
}

/** The receiver took the message after `attempts` attempts; false when it was already recorded as sent. */
export async function markOutboxSent(db: Db, id: string, attempts: number, at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('outbox_message')
    .set({ state: 'sent', sent_at: at, attempts, last_error: null })
    .where('id', '=', id)
    .where('state', '<>', 'sent')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** An attempt that failed: its count and error; `failed` when no further attempt will be made. */
export async function recordOutboxFailure(db: Db, id: string, attempts: number, error: string, failed: boolean) {
  await db
    .updateTable('outbox_message')
    .set({ attempts, last_error: error, ...(failed ? { state: 'failed' as const } : {}) })
    .where('id', '=', id)
    .where('state', '<>', 'sent')
    .execute();
}

/** The message is to be attempted again (staff asked to retry a failed one). */
export async function reopenOutboxMessage(db: Db, id: string) {
  await db.updateTable('outbox_message').set({ state: 'pending' }).where('id', '=', id).where('state', '=', 'failed').execute();
}
