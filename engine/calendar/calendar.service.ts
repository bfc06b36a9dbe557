import type { Db } from '../db/database.js';
import { loadWorkingCalendar } from './calendar.repository.js';
import type { WorkingCalendar } from './working-time.js';

// Nearly every action opens a task with a deadline; the calendar changes a few times a year. A minute's cache
// per server keeps one query off each action; an admin's edit reaches every server within that minute.
const TTL_MS = 60_000;
const cache = new Map<string, { at: number; calendar: Promise<WorkingCalendar> }>();

/** The working calendar from `fromDate` (Vietnam local date) on. */
export function workingCalendarFor(db: Db, fromDate: string): Promise<WorkingCalendar> {
  const hit = cache.get(fromDate);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.calendar;
  const calendar = loadWorkingCalendar(db, fromDate);
  cache.clear();
  cache.set(fromDate, { at: Date.now(), calendar });
  calendar.catch(() => cache.delete(fromDate));
  return calendar;
}
