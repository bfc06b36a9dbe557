import { sql } from 'kysely';
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
  await insertHistoryEventsQuery(db, events).execute();
}

/** The events' insert as a query: executed here, or joined into a command's single write (runtime/command.repository.ts). */
export function insertHistoryEventsQuery(db: Db, events: NewHistoryEvent[]) {
  return db.insertInto('history_event').values(events.map((e) => ({ ...e, data: JSON.stringify(e.data) })));
}

export async function historyOf(db: Db, instanceId: string, upToSeq?: number) {
  let query = db.selectFrom('history_event').selectAll().where('instance_id', '=', instanceId).orderBy('seq');
  if (upToSeq !== undefined) query = query.where('seq', '<=', upToSeq);
  return query.execute();
}

/**
 * How dossiers of one process version passed its elements: instances and visits per element, the average time
 * from entering to leaving, how many wait there now, and how often each flow was taken. Undone steps stay in
 * the history and are counted: the heatmap shows the work done, not only the work kept.
 */
export async function elementStatistics(db: Db, definitionId: string) {
  const elements = await sql<{ element_id: string; instances: number; visits: number; waiting: number; avg_ms: number | null }>`
    select e.element_id,
      count(distinct e.instance_id)::int as instances,
      count(*)::int as visits,
      (count(*) filter (where l.at is null))::int as waiting,
      (avg(extract(epoch from (l.at - e.at)) * 1000) filter (where l.at is not null))::float8 as avg_ms
    from history_event e
    join process_instance i on i.id = e.instance_id
    left join history_event l on l.instance_id = e.instance_id and l.type = 'element.left' and l.data->>'executionId' = e.data->>'executionId'
    where i.definition_id = ${definitionId} and e.type = 'element.entered'
    group by e.element_id
    order by e.element_id`.execute(db);
  const flows = await sql<{ element_id: string; taken: number }>`
    select h.element_id, count(*)::int as taken
    from history_event h join process_instance i on i.id = h.instance_id
    where i.definition_id = ${definitionId} and h.type = 'flow.taken'
    group by h.element_id
    order by h.element_id`.execute(db);
  return { elements: elements.rows, flows: flows.rows };
}
