import type { Db } from '../db/database.js';

export async function insertOutboxMessages(db: Db, rows: { instance_id: string; topic: string; payload: Record<string, unknown> }[]) {
  if (!rows.length) return;
  await db
    .insertInto('outbox_message')
    .values(rows.map((r) => ({ ...r, payload: JSON.stringify(r.payload) })))
    .execute();
}

export async function outboxOf(db: Db, instanceId: string) {
  return db.selectFrom('outbox_message').selectAll().where('instance_id', '=', instanceId).orderBy('created_at').execute();
}
