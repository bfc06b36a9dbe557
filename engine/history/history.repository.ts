import type { Db } from '../db/database.js';

export interface NewHistoryEvent {
  instance_id: string;
  seq: number;
  version: number;
  type: string;
  element_id: string | null;
  actor_id: string | null;
  at: Date;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export async function insertHistoryEvents(db: Db, events: NewHistoryEvent[]) {
  if (!events.length) return;
  await db
    .insertInto('history_event')
    .values(events.map((e) => ({ ...e, data: JSON.stringify(e.data) })))
    .execute();
}

export async function historyOf(db: Db, instanceId: string, upToSeq?: number) {
  let query = db.selectFrom('history_event').selectAll().where('instance_id', '=', instanceId).orderBy('seq');
  if (upToSeq !== undefined) query = query.where('seq', '<=', upToSeq);
  return query.execute();
}
