/**
 * Working time for due dates (ngày hẹn trả): Monday–Friday, 07:30–11:30 and 13:00–17:00 Vietnam time, minus
 * public holidays, plus compensatory working days. One working day is 8 working hours.
 */
export const HOURS_PER_WORKING_DAY = 8;
// Vietnam keeps UTC+7 all year, so local time is a fixed shift.
const LOCAL_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface WorkingCalendar {
  /** Local dates (YYYY-MM-DD) that are not worked although they fall Monday–Friday. */
  holidays: ReadonlySet<string>;
  /** Local dates worked although they fall on a weekend (ngày làm bù). */
  workdays: ReadonlySet<string>;
  /** Working periods of a day, in minutes after local midnight. */
  periods: ReadonlyArray<readonly [number, number]>;
}

export const STANDARD_PERIODS: ReadonlyArray<readonly [number, number]> = [
  [7 * 60 + 30, 11 * 60 + 30],
  [13 * 60, 17 * 60],
];

export function workingCalendar(days: Iterable<{ day: string; kind: 'holiday' | 'workday' }> = []): WorkingCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const d of days) (d.kind === 'holiday' ? holidays : workdays).add(d.day);
  return { holidays, workdays, periods: STANDARD_PERIODS };
}

const DEADLINE = /^(\d+(?:\.\d+)?)([hd])$/;

/** `4h` → 4, `1.5d` → 12 working hours; null when the text is not a deadline. */
export function parseDeadline(text: string): number | null {
  const match = DEADLINE.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  return match[2] === 'd' ? amount * HOURS_PER_WORKING_DAY : amount;
}

export function isWorkingDay(localDate: string, calendar: WorkingCalendar): boolean {
  if (calendar.workdays.has(localDate)) return true;
  if (calendar.holidays.has(localDate)) return false;
  const weekday = new Date(`${localDate}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The instant `hours` working hours after `start`; time outside working periods does not count. */
export function addWorkingHours(start: Date, hours: number, calendar: WorkingCalendar): Date {
  let remaining = Math.round(hours * 60) * MINUTE_MS;
  const cursor = start.getTime() + LOCAL_OFFSET_MS;
  let dayStart = Math.floor(cursor / DAY_MS) * DAY_MS;
  // Ten years of days bounds the walk even for a calendar with no working day at all.
  for (let i = 0; i < 3660; i++, dayStart += DAY_MS) {
    if (!isWorkingDay(localDateOf(dayStart), calendar)) continue;
    for (const [from, to] of calendar.periods) {
      const periodEnd = dayStart + to * MINUTE_MS;
      const begin = Math.max(cursor, dayStart + from * MINUTE_MS);
      if (begin >= periodEnd) continue;
      if (remaining <= periodEnd - begin) return new Date(begin + remaining - LOCAL_OFFSET_MS);
      remaining -= periodEnd - begin;
    }
  }
  throw new Error('the working calendar has no working time in the next ten years');
}

/** Working hours between two instants (a paused interval moves a due date by this much). */
export function workingHoursBetween(from: Date, to: Date, calendar: WorkingCalendar): number {
  let minutes = 0;
  const start = from.getTime() + LOCAL_OFFSET_MS;
  const end = to.getTime() + LOCAL_OFFSET_MS;
  for (let dayStart = Math.floor(start / DAY_MS) * DAY_MS; dayStart < end; dayStart += DAY_MS) {
    if (!isWorkingDay(localDateOf(dayStart), calendar)) continue;
    for (const [p0, p1] of calendar.periods) {
      const overlap = Math.min(end, dayStart + p1 * MINUTE_MS) - Math.max(start, dayStart + p0 * MINUTE_MS);
      if (overlap > 0) minutes += overlap / MINUTE_MS;
    }
  }
  return minutes / 60;
}

/** The Vietnam-local calendar date of an instant, YYYY-MM-DD. */
export function localDate(instant: Date): string {
  return localDateOf(instant.getTime() + LOCAL_OFFSET_MS);
}

function localDateOf(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 10);
}

/** The instant a Vietnam-local calendar date (YYYY-MM-DD) begins. */
export function startOfLocalDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - LOCAL_OFFSET_MS);
}
