import { sql, type Kysely } from 'kysely';

// Durable deliveries to the outside world: the applicant's email notifications and the national portal's sync.
// - A delivery row commits in the transaction of the change that causes it (a status change, a resync), so a
//   change is never without its notification and a rolled-back change never notifies.
// - Workers on any server claim due rows FOR UPDATE SKIP LOCKED and take a lease (`lease_until`) before sending
//   outside the transaction; a worker that dies mid-send loses only its lease, and the row is sent again.
// - `seq` orders one dossier's deliveries of a channel: the portal learns statuses in the order they happened.
// - caught_mail: the demo's local SMTP catcher stores what it receives, for the admin's mail page.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'portal-sync')`))
    .addColumn('dossier_id', 'uuid', (c) => c.notNull().references('dossier.id'))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .execute();
  // Workers walk the pending rows oldest first and stop at the first due ones: the claim's cost does not grow with a backlog.
  await sql`create index delivery_pending_idx on delivery (seq) where state = 'pending'`.execute(db);
  await sql`create index delivery_dossier_idx on delivery (dossier_id, channel, seq)`.execute(db);

  await db.schema
    .createTable('caught_mail')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The sender's Message-ID: a message sent twice (a retried delivery) is kept once.
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('mail_from', 'text', (c) => c.notNull())
    .addColumn('recipients', 'jsonb', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('caught_mail_received_idx').on('caught_mail').column('received_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('caught_mail').execute();
  await db.schema.dropTable('delivery').execute();
}
