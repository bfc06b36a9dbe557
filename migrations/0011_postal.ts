import { sql, type Kysely } from 'kysely';

// Postal delivery (dịch vụ bưu chính công ích, Decision 45/2016/QĐ-TTg).
// - postal_order: the applicant's choice, per dossier, of having the post office collect the paper dossier
//   (collection: from the applicant to the agency) and/or bring the result home (return: from the agency to the
//   applicant), with the address; then the order placed with the post and the state the post reports.
//   'chosen' while the dossier is a draft or the result is not ready; 'requested' once queued for the post;
//   then the post's states: awaiting its confirmation, accepted (picked up), delivered.
// - The order is placed through the durable delivery queue (channel 'postal'), as notifications are.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('postal_order')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dossier_id', 'uuid', (c) => c.notNull().references('dossier.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('collection', 'return')`))
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('chosen').check(sql`state in ('chosen', 'requested', 'awaiting-confirmation', 'accepted', 'delivered')`),
    )
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('tracking_code', 'text', (c) => c.unique())
    .addColumn('requested_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('postal_order_dossier_direction_uq', ['dossier_id', 'direction'])
    .execute();

  await sql`alter table delivery drop constraint delivery_channel_check`.execute(db);
  await sql`alter table delivery add constraint delivery_channel_check check (channel in ('email', 'portal-sync', 'postal'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from delivery where channel = 'postal'`.execute(db);
  await sql`alter table delivery drop constraint delivery_channel_check`.execute(db);
  await sql`alter table delivery add constraint delivery_channel_check check (channel in ('email', 'portal-sync'))`.execute(db);
  await db.schema.dropTable('postal_order').execute();
}
