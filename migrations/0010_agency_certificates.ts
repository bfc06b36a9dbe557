import { sql, type Kysely } from 'kysely';

// Digital signatures (PAdES): each agency signs its results with a PKCS#12 certificate. The file itself is stored
// (it is already encrypted under its password) with the password sealed by AES-256-GCM under the server's signing
// key: every server of a deployment reads the same rows, with no key file to copy between machines. A new upload
// retires the previous certificate, which stays a trust anchor for the results it signed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agency_certificate')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agency.id'))
    .addColumn('p12', 'bytea', (c) => c.notNull())
    .addColumn('password_sealed', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('not_after', 'timestamptz', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('retired_at', 'timestamptz')
    .execute();
  await sql`create unique index agency_certificate_active_idx on agency_certificate (agency_id) where retired_at is null`.execute(db);
  await db.schema.createIndex('agency_certificate_fingerprint_idx').on('agency_certificate').columns(['agency_id', 'fingerprint']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agency_certificate').execute();
}
