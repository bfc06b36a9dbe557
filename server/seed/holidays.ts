import Holidays from 'date-holidays';
import type { Db } from '../../engine/db/database.js';
import { calendarDaysOfYear, upsertCalendarDay } from '../../engine/calendar/calendar.repository.js';

/**
 * Public holidays of Vietnam from date-holidays, for each year that has no calendar entries yet (so an admin's
 * edits are never overwritten). Its list has only the official days: the multi-day Tết break and compensatory
 * working days are the admin's to add each year.
 */
export async function seedPublicHolidays(db: Db, years: number[]): Promise<number> {
  const vietnam = new Holidays('VN');
  let added = 0;
  for (const year of years) {
    if ((await calendarDaysOfYear(db, year)).length) continue;
    for (const holiday of vietnam.getHolidays(year).filter((h) => h.type === 'public')) {
      await upsertCalendarDay(db, { day: holiday.date.slice(0, 10), kind: 'holiday', name: holiday.name });
      added++;
    }
  }
  return added;
}
