import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { workingCalendar, type WorkingCalendar } from './working-time.js';

/** The calendar exceptions from `fromDate` onwards (two years ahead covers any step deadline). */
export async function loadWorkingCalendar(db: Db, fromDate: string): Promise<WorkingCalendar> {
  const rows = await db
    .selectFrom('calendar_day')
    .select([sql<string>`day::text`.as('day'), 'kind'])
    .where('day', '>=', fromDate)
    .where('day', '<', sql<string>`(${fromDate}::date + interval '2 years')::date`)
    .execute();
  return workingCalendar(rows);
}
