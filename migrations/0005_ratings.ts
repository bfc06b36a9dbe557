import { sql, type Kysely } from 'kysely';

// Citizen evaluation (domain.md): nine indices scored 2/1/0 and an overall satisfaction, once per dossier.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dossier_rating')
    .addColumn('dossier_id', 'uuid', (c) => c.primaryKey().references('dossier.id'))
    .addColumn('indices', 'jsonb', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('satisfaction', 'text', (c) => c.notNull().check(sql`satisfaction in ('very-satisfied', 'satisfied', 'not-satisfied')`))
    .addColumn('comment', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dossier_rating').execute();
}
