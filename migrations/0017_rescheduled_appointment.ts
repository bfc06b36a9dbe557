import { sql, type Kysely } from 'kysely';

// The new appointment a late dossier's apology (Circular 01/2018 form 04) gives the applicant. The original due
// date stays in due_at, against which the report still counts the dossier late.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table dossier add column rescheduled_due_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table dossier drop column rescheduled_due_at`.execute(db);
}
