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

export async function calendarDaysOfYear(db: Db, year: number) {
  return db
    .selectFrom('calendar_day')
    .select([sql<string>`day::text`.as('day'), 'kind', 'name'])
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .orderBy('day')
    .execute();
}

export async function upsertCalendarDay(db: Db, row: { day: string; kind: 'holiday' | 'workday'; name: string }) {
  await db
    .insertInto('calendar_day')
    .values(row)
    .onConflict((oc) => oc.column('day').doUpdateSet({ kind: row.kind, name: row.name }))
    .execute();
}

export async function deleteCalendarDay(db: Db, day: string): Promise<boolean> {
  const result = await db.deleteFrom('calendar_day').where('day', '=', day).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
