import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.js';

/** The counted columns of the agency summary, as the query names them. */
export const COUNT_COLUMNS = [
  'carried_over',
  'received_online',
  'received_counter',
  'received_post',
  'resolved_early',
  'resolved_on_time',
  'resolved_late',
  'pending_reception',
  'in_progress_within',
  'in_progress_overdue',
  'nearly_due',
  'supplement',
  'fee_requested',
  'paused',
  'withdrawn',
  'not_received',
  'received_components',
  'received_components_digitised',
  'results_digitised',
] as const;
export type Counts = Record<(typeof COUNT_COLUMNS)[number], number>;

export interface AgencySummaryRow extends Counts {
  agency_id: string;
  agency_code: string;
  agency_name: string;
}

/**
 * Form 06a-style counts per agency for [from, to): each dossier's status at the period's start and at its end
 * (or now, for a running period) is the one its status events give, so the report for a closed period never
 * changes afterwards. Local dates (Asia/Ho_Chi_Minh) decide early / on time.
 *
 * The dossier row keeps its current status, since when, and the first times it was resolved, withdrawn or
 * refused (migration 0007, from the same events): a status set before the moment asked about is the status at
 * that moment, so the history is read only for dossiers whose status changed since.
 *
 * Digitisation (migration 0015): the components of the dossiers submitted and taken in (not awaiting reception,
 * not refused it) in the period and the results of those resolved in it, counted from each dossier's digitisation
 * counts as they stand now — digitising a period's dossiers later raises its figures, as a backlog is caught up.
 */
export async function agencySummary(db: Db, filter: { agencyIds: string[] | null; from: Date; to: Date; asOf: Date }): Promise<AgencySummaryRow[]> {
  const { from, to, asOf } = filter;
  const agencyFilter = filter.agencyIds ? sql`and d.agency_id = any(${filter.agencyIds}::uuid[])` : sql``;
  const statusAt = (moment: Date) => sql`(case when d.status_changed_at < ${moment} then d.national_status::int else (
    select (h.data->>'to')::int from history_event h
    where h.instance_id = d.instance_id and h.type = 'status.changed' and h.at < ${moment}
    order by h.at desc, h.seq desc limit 1) end)`;
  const localDay = (column: string) => sql`((${sql.ref(column)} at time zone 'Asia/Ho_Chi_Minh')::date)`;
  const count = (condition: ReturnType<typeof sql>) => sql<number>`(count(*) filter (where ${condition}))::int`;
  const toResolve = sql`(s.carried or s.received)`;
  // Submitted in the period and taken in by the agency: what awaits reception, or was turned away, is not its to digitise.
  const receivedByAgency = sql`(s.received and coalesce(s.status_end, 1) not in (1, 3))`;
  const query = sql<AgencySummaryRow>`
    with s as (
      select d.agency_id, d.channel, d.due_at, d.submitted_at,
        d.submitted_at >= ${from} as received,
        case when d.submitted_at < ${from} then coalesce(${statusAt(from)}, 1) not in (3, 7, 8, 9, 10) else false end as carried,
        ${statusAt(asOf)} as status_end,
        d.resolved_at, d.withdrawn_at, d.rejected_at,
        d.input_components, d.input_components_digitised, d.result_components, d.result_components_digitised
      from dossier d
      where d.submitted_at is not null and d.submitted_at < ${to} ${agencyFilter}
    )
    select a.id as agency_id, a.code as agency_code, a.name as agency_name,
      ${count(sql`s.carried`)} as carried_over,
      ${count(sql`s.received and s.channel = 'online'`)} as received_online,
      ${count(sql`s.received and s.channel = 'counter'`)} as received_counter,
      ${count(sql`s.received and s.channel = 'post'`)} as received_post,
      ${count(sql`${toResolve} and s.status_end in (9, 10) and s.resolved_at >= ${from} and ${localDay('s.resolved_at')} < ${localDay('s.due_at')}`)} as resolved_early,
      ${count(sql`${toResolve} and s.status_end in (9, 10) and s.resolved_at >= ${from} and ${localDay('s.resolved_at')} >= ${localDay('s.due_at')} and s.resolved_at <= s.due_at`)} as resolved_on_time,
      ${count(sql`${toResolve} and s.status_end in (9, 10) and s.resolved_at >= ${from} and s.resolved_at > s.due_at`)} as resolved_late,
      ${count(sql`${toResolve} and s.status_end = 1`)} as pending_reception,
      ${count(sql`${toResolve} and s.status_end in (2, 4) and s.due_at >= ${asOf}`)} as in_progress_within,
      ${count(sql`${toResolve} and s.status_end in (2, 4) and s.due_at < ${asOf}`)} as in_progress_overdue,
      ${count(sql`${toResolve} and s.status_end in (1, 2, 4) and s.due_at >= ${asOf} and s.due_at < ${asOf}::timestamptz + interval '24 hours'`)} as nearly_due,
      ${count(sql`${toResolve} and s.status_end = 5`)} as supplement,
      ${count(sql`${toResolve} and s.status_end = 6`)} as fee_requested,
      ${count(sql`${toResolve} and s.status_end in (6, 8)`)} as paused,
      ${count(sql`${toResolve} and s.withdrawn_at >= ${from} and s.withdrawn_at < ${asOf}`)} as withdrawn,
      ${count(sql`${toResolve} and s.rejected_at >= ${from} and s.rejected_at < ${asOf}`)} as not_received,
      (coalesce(sum(s.input_components) filter (where ${receivedByAgency}), 0))::int as received_components,
      (coalesce(sum(s.input_components_digitised) filter (where ${receivedByAgency}), 0))::int as received_components_digitised,
      ${count(sql`${toResolve} and s.status_end in (9, 10) and s.resolved_at >= ${from} and s.result_components > 0 and s.result_components_digitised = s.result_components`)} as results_digitised
    from agency a
    left join s on s.agency_id = a.id
    where ${filter.agencyIds ? sql`a.id = any(${filter.agencyIds}::uuid[])` : sql`true`}
    group by a.id, a.code, a.name
    order by a.code`;
  // Its cost estimate would have PostgreSQL compile it with JIT, which takes seconds longer than running it.
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return (await query.execute(trx)).rows;
  });
}
