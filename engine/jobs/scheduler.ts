import type { Db } from '../db/database.js';
import { appendHistoryOnly, executeCommand, inTransaction, type Actor } from '../runtime/command.js';
import { findTask, markTaskOverdue } from '../tasks/task.repository.js';
import { tryLockInstance } from '../instances/instance.repository.js';
import { claimDueJob, closeJobs, recordJobFailure } from './job.repository.js';
import type { JobRow } from './job.table.js';

const SCHEDULER: Actor = { id: 'system:scheduler', groups: [] };

/**
 * Fires due jobs, each claimed and fired in one transaction (FOR UPDATE SKIP LOCKED: several servers share the
 * work, none waits on another's row). A job fires at most once: firing bumps the instance version and closes the
 * job in the same commit. A failed job is retried later with backoff. Returns how many jobs fired.
 */
export async function runDueJobs(db: Db, options: { now?: Date; limit?: number } = {}): Promise<number> {
  const limit = options.limit ?? 100;
  const skipped: string[] = [];
  let fired = 0;
  for (let i = 0; i < limit; i++) {
    const now = options.now ?? new Date();
    let claimed: JobRow | undefined;
    try {
      const outcome = await inTransaction(db, async (trx) => {
        claimed = await claimDueJob(trx, now, skipped);
        if (!claimed) return 'none' as const;
        // Commands lock the instance before its tasks and jobs; so must the scheduler, or the two deadlock.
        // A busy instance is left for the next round rather than waited for while holding the job.
        if (!(await tryLockInstance(trx, claimed.instance_id))) return 'busy' as const;
        await fire(trx, claimed, now);
        return 'fired' as const;
      });
      if (outcome === 'none') break;
      if (outcome === 'busy') skipped.push(claimed!.id);
      else fired++;
    } catch (err) {
      if (!claimed) throw err;
      if (err instanceof StaleTimer) await inTransaction(db, (trx) => closeJobs(trx, [claimed!.id], 'cancelled'));
      else await recordJobFailure(db, claimed.id, (err as Error).message, now);
    }
  }
  return fired;
}

/** The engine no longer runs the job's timer (its activity ended): the job is closed, nothing is committed. */
class StaleTimer extends Error {}

async function fire(trx: Db, job: JobRow, now: Date) {
  if (job.kind === 'deadline') {
    const task = job.task_id ? await findTask(trx, job.task_id) : undefined;
    if (task?.state === 'open') {
      await markTaskOverdue(trx, task.id);
      await appendHistoryOnly(trx, job.instance_id, SCHEDULER.id, now, [
        { type: 'task.overdue', elementId: task.element_id, data: { taskId: task.id, dueAt: job.due_at.toISOString() } },
      ]);
    }
    await closeJobs(trx, [job.id], 'done');
    return;
  }
  await executeCommand(trx, job.instance_id, { kind: 'timer', actor: SCHEDULER, now }, (ctx) => {
    ctx.firedJobId = job.id;
    ctx.intents.push({ type: 'timer.fired', elementId: job.element_id, data: { jobId: job.id, dueAt: job.due_at.toISOString() } });
    if (!ctx.session.fireTimer(job.element_id)) throw new StaleTimer(job.id);
  });
}

/**
 * Runs `round` again `intervalMs` after each one ends (never two at once), until stopped; returns the stop
 * function, which awaits the round in progress. The first round runs after `firstDelayMs`.
 */
export function poll(round: () => Promise<unknown>, options: { intervalMs: number; firstDelayMs?: number; onError?: (err: unknown) => void }) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = round()
      .then(() => undefined)
      .catch((err) => options.onError?.(err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.firstDelayMs ?? 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

/** Polls for due jobs until stopped; returns the stop function (awaits the round in progress). */
export function startScheduler(db: Db, options: { intervalMs?: number; onError?: (err: unknown) => void } = {}) {
  return poll(() => runDueJobs(db), { intervalMs: options.intervalMs ?? 1000, onError: options.onError });
}
