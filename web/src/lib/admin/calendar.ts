import type { Lang, MessageKey } from '../i18n/messages.js';
import type { CalendarDay, CalendarKind } from './api.js';

/** The working calendar page's logic: days are local dates (YYYY-MM-DD), Monday–Friday being working days. */

const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);

export const isWeekend = (day: string): boolean => [0, 6].includes(dateOf(day).getUTCDay());

/** 01/05/2025 */
export const formatDay = (day: string): string => day.split('-').reverse().join('/');

/** "Thứ Năm" / "Thursday" */
export const weekdayName = (day: string, lang: Lang): string =>
  new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(dateOf(day));

/** "Tháng 5" / "May" */
export function monthName(month: number, lang: Lang): string {
  const name = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The year's days by month (1–12), each month's in date order; months without entries are left out. */
export function byMonth(days: CalendarDay[]): { month: number; days: CalendarDay[] }[] {
  const months = new Map<number, CalendarDay[]>();
  for (const d of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    const month = Number(d.day.slice(5, 7));
    months.set(month, [...(months.get(month) ?? []), d]);
  }
  return [...months.entries()].sort(([a], [b]) => a - b).map(([month, list]) => ({ month, days: list }));
}

/**
 * What is wrong with an entry before it is sent: a valid date, and a compensatory working day only on a weekend
 * (a weekday is worked anyway). A holiday on a weekend is allowed: Tết breaks span weekends.
 */
export function dayProblem(day: string, kind: CalendarKind): MessageKey | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(dateOf(day).getTime())) return 'admin.calendar.invalidDay';
  if (kind === 'workday' && !isWeekend(day)) return 'admin.calendar.workdayOnWeekday';
  return null;
}
