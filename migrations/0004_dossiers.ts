import { sql, type Kysely } from 'kysely';

// Dossiers (hồ sơ): a citizen's draft, its eForm data and files (stored once per content hash), and on
// submission its code, appointment date and process instance.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dossier')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('procedure_id', 'uuid', (c) => c.notNull().references('procedure.id'))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agency.id'))
    .addColumn('applicant_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('online', 'counter', 'post')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'submitted')`))
    .addColumn('form_data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('instance_id', 'uuid', (c) => c.unique().references('process_instance.id'))
    .addColumn('idempotency_key', 'text')
    .addColumn('pin', 'text')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('due_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('dossier_idempotency_uq', ['applicant_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('dossier_applicant_idx').on('dossier').columns(['applicant_id', 'created_at']).execute();

  await db.schema
    .createTable('file_blob')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('dossier_file')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dossier_id', 'uuid', (c) => c.notNull().references('dossier.id'))
    .addColumn('component_code', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().references('file_blob.sha256'))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`create index dossier_file_live_idx on dossier_file (dossier_id) where deleted_at is null`.execute(db);

  // Circular 01/2018 Art. 19: a per-agency, per-day sequence that never repeats or skips. A row, not a
  // PostgreSQL sequence, so that a rolled-back submission gives its number back.
  await db.schema
    .createTable('dossier_code_sequence')
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agency.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_code_sequence_pk', ['agency_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['dossier_code_sequence', 'dossier_file', 'file_blob', 'dossier']) await db.schema.dropTable(table).execute();
}
