import type { ColumnType } from 'kysely';

export interface CalendarDayTable {
  /** ISO date `YYYY-MM-DD` (Vietnam local date). */
  day: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  name: string;
}
