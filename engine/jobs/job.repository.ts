import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { JobTable } from './job.table.js';

export async function pendingJobsOf(db: Db, instanceId: string) {
  return db.selectFrom('job').selectAll().where('instance_id', '=', instanceId).where('state', '=', 'pending').execute();
}

export async function closeJobs(db: Db, ids: string[], state: 'done' | 'cancelled') {
  if (ids.length) await closeJobsQuery(db, ids, state).execute();
}

// A command's job writes as queries, joined into its single write (engine/runtime/command.repository.ts); `rows`
// and `ids` must not be empty.
export function insertJobsQuery(db: Db, rows: Insertable<JobTable>[]) {
  return db.insertInto('job').values(rows);
}

export function closeJobsQuery(db: Db, ids: string[], state: 'done' | 'cancelled') {
  return db.updateTable('job').set({ state, closed_at: new Date() }).where('id', 'in', ids);
}

export function rescheduleJobQuery(db: Db, id: string, dueAt: Date) {
  return db.updateTable('job').set({ due_at: dueAt }).where('id', '=', id);
}

/** Claims the oldest due job not in `skip`; other servers skip the locked row instead of waiting for it. */
export async function claimDueJob(db: Db, now: Date, skip: string[] = []) {
  let query = db.selectFrom('job').selectAll().where('state', '=', 'pending').where('due_at', '<=', now);
  if (skip.length) query = query.where('id', 'not in', skip);
  return query
    .orderBy('due_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export const MAX_JOB_ATTEMPTS = 12;

/** Records a failed attempt and backs off exponentially (capped at one hour); gives up after MAX_JOB_ATTEMPTS. */
export async function recordJobFailure(db: Db, id: string, error: string, now: Date) {
  const job = await db.selectFrom('job').select('attempts').where('id', '=', id).executeTakeFirstOrThrow();
  const attempts = job.attempts + 1;
  const delayMs = Math.min(3_600_000, 1000 * 2 ** attempts);
  await db
    .updateTable('job')
    .set({
      attempts,
      last_error: error.slice(0, 2000),
      due_at: new Date(now.getTime() + delayMs),
      ...(attempts >= MAX_JOB_ATTEMPTS ? { state: 'failed' as const, closed_at: now } : {}),
    })
    .where('id', '=', id)
    .execute();
}
