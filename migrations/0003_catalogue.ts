import { sql, type Kysely } from 'kysely';

// The procedure catalogue (danh mục thủ tục hành chính): fields, procedures with their dossier template
// (components), fee configuration, eForm schema and the BPMN process that handles them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await db.schema
    .createTable('field')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('procedure')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agency.id'))
    .addColumn('field_id', 'uuid', (c) => c.notNull().references('field.id'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('full', 'partial')`))
    .addColumn('time_limit_days', 'numeric', (c) => c.notNull())
    .addColumn('fee', 'jsonb', (c) => c.notNull())
    .addColumn('process_key', 'text', (c) => c.notNull())
    .addColumn('eform_schema', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('legal_basis', 'text')
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(true))
    // Name and code folded to ASCII lower case, so `cap giay phep` finds `Cấp giấy phép…`.
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index procedure_search_trgm_idx on procedure using gin (search_text gin_trgm_ops)`.execute(db);
  await db.schema.createIndex('procedure_agency_idx').on('procedure').column('agency_id').execute();

  await db.schema
    .createTable('procedure_component')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('procedure_id', 'uuid', (c) => c.notNull().references('procedure.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('input', 'result')`))
    .addColumn('required', 'boolean', (c) => c.notNull())
    .addColumn('many_files', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('signature_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('max_size_mb', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('allowed_types', sql`text[]`, (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('procedure_component_code_uq', ['procedure_id', 'code'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['procedure_component', 'procedure', 'field']) await db.schema.dropTable(table).execute();
}
