import { sql, type Kysely } from 'kysely';

// Counter reception, downloadable forms, the paused clock and the agency summary's indexes.
// - A walk-in applicant (received at the counter) may have no email and no password: they track the dossier
//   with its code and PIN, and can claim the account later through the national portal's single sign-on.
// - A dossier remembers the officer who received it at the counter, and since when its clock is paused
//   (waiting for the citizen: supplement or fee, statuses 5 and 6).
// - Procedures carry downloadable forms (mẫu đơn, tờ khai), stored once per content hash like uploads.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_user').alterColumn('email', (c) => c.dropNotNull()).execute();
  await db.schema.alterTable('app_user').alterColumn('password_hash', (c) => c.dropNotNull()).execute();

  // An eForm's fields appear in the order the admin wrote them: json keeps the text's key order, jsonb does not.
  await sql`alter table procedure alter column eform_schema type json using eform_schema::json`.execute(db);

  await db.schema
    .alterTable('dossier')
    .addColumn('received_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('clock_paused_at', 'timestamptz')
    .execute();
  await sql`create index dossier_counter_draft_idx on dossier (agency_id, received_by) where state = 'draft' and channel = 'counter'`.execute(db);
  await sql`create index dossier_agency_submitted_idx on dossier (agency_id, submitted_at) where submitted_at is not null`.execute(db);
  // The agency summary reads each dossier's status at a moment from its status events.
  await sql`create index history_status_idx on history_event (instance_id, at) where type = 'status.changed'`.execute(db);
  // The heatmap of a process version reads the instances of that version.
  await db.schema.createIndex('process_instance_definition_idx').on('process_instance').column('definition_id').execute();

  await db.schema
    .createTable('procedure_form')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('procedure_id', 'uuid', (c) => c.notNull().references('procedure.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().references('file_blob.sha256'))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('procedure_form_procedure_idx').on('procedure_form').column('procedure_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('procedure_form').execute();
  await sql`alter table procedure alter column eform_schema type jsonb using eform_schema::jsonb`.execute(db);
  await sql`drop index history_status_idx`.execute(db);
  await db.schema.dropIndex('process_instance_definition_idx').execute();
  await db.schema.alterTable('dossier').dropColumn('received_by').dropColumn('clock_paused_at').execute();
}
