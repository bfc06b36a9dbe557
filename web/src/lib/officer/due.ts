import { HOURS_PER_WORKING_DAY, localDate, workingCalendar, workingHoursBetween, type WorkingCalendar } from '../../../../engine/calendar/working-time.js';
import type { Lang } from '../i18n/messages.js';
import { translate } from '../i18n/translate.js';
import type { CalendarYear } from './types.js';

/**
 * Time left until a due date counted as the engine counts it (working hours of the working calendar, so a
 * weekend or Tết does not eat into an officer's time), and how it reads.
 */

/** The (Vietnam-local) calendar years between now and the due date: their holidays and working days are needed. */
export function yearsBetween(now: Date, dueAt: Date): number[] {
  const [from, to] = [now, dueAt].map((d) => Number(localDate(d).slice(0, 4))).sort((a, b) => a - b) as [number, number];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export const calendarOf = (years: CalendarYear[]): WorkingCalendar => workingCalendar(years.flatMap((y) => y.days));

export interface Remaining {
  overdue: boolean;
  /** Working hours left (or past the due date when overdue). */
  hours: number;
}

export function remainingWorkingTime(now: Date, dueAt: Date, calendar: WorkingCalendar): Remaining {
  const overdue = dueAt.getTime() < now.getTime();
  return { overdue, hours: overdue ? workingHoursBetween(dueAt, now, calendar) : workingHoursBetween(now, dueAt, calendar) };
}

/** "2 ngày 3 giờ", "45 phút": days of 8 working hours, then whole hours, minutes under an hour. */
export function formatWorkingTime(hours: number, lang: Lang): string {
  const minutes = Math.round(hours * 60);
  if (minutes < 60) return translate(lang, 'officer.due.minutes', { minutes });
  const days = Math.floor(minutes / (HOURS_PER_WORKING_DAY * 60));
  const rest = Math.floor((minutes - days * HOURS_PER_WORKING_DAY * 60) / 60);
  if (!days) return translate(lang, 'officer.due.hours', { hours: rest });
  if (!rest) return translate(lang, 'officer.due.days', { days });
  return translate(lang, 'officer.due.daysHours', { days, hours: rest });
}

/** "Còn 2 ngày 3 giờ làm việc" or "Quá hạn 45 phút làm việc". */
export function describeRemaining(remaining: Remaining, lang: Lang): string {
  return translate(lang, remaining.overdue ? 'officer.due.overdueBy' : 'officer.due.left', { time: formatWorkingTime(remaining.hours, lang) });
}
