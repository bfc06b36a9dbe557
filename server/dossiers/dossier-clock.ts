import { onStatusChange, type StatusChange } from '../../engine/process-core.js';
import type { Db } from '../../engine/db/database.js';
import { workingCalendarFor } from '../../engine/calendar/calendar.service.js';
import { addWorkingHours, localDate, workingHoursBetween } from '../../engine/calendar/working-time.js';
import * as repo from './dossier.repository.js';

/** National statuses that wait for the applicant: supplement requested (5), fee requested (6). */
const WAITING_FOR_APPLICANT = new Set([5, 6]);
const waiting = (status: number | null) => status !== null && WAITING_FOR_APPLICANT.has(status);

/**
 * Waiting for the applicant pauses the dossier's clock (domain.md, due dates): on entering a waiting status the
 * clock stops; on leaving it, the appointment (and an apology's new one) moves by the working time spent waiting.
 * Runs in the transaction of whatever command changed the status, so the due date and the status never disagree.
 */
async function keepClock(trx: Db, change: StatusChange): Promise<void> {
  if (!change.businessKey || waiting(change.from) === waiting(change.to)) return;
  if (waiting(change.to)) {
    await repo.pauseClock(trx, change.businessKey, change.at);
    return;
  }
  const clock = await repo.findClock(trx, change.businessKey);
  if (!clock?.clock_paused_at || !clock.due_at) return;
  const calendar = await workingCalendarFor(trx, localDate(clock.clock_paused_at));
  const paused = workingHoursBetween(clock.clock_paused_at, change.at, calendar);
  await repo.resumeClock(trx, change.businessKey, {
    due_at: addWorkingHours(clock.due_at, paused, calendar),
    rescheduled_due_at: clock.rescheduled_due_at && addWorkingHours(clock.rescheduled_due_at, paused, calendar),
  });
}

/** Installs the paused clock for every command of this process (idempotent). */
export function keepDossierClock(): void {
  onStatusChange(keepClock);
}
