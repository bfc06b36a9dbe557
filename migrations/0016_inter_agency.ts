import { sql, type Kysely } from 'kysely';

// Inter-agency liaison (liên thông, e.g. the 3-in-1 birth registration + residence + health insurance).
// - A send task's outbox message (outbox_message, 0001) is delivered to the partner agency through the durable
//   delivery queue, on a channel of its own: 'partner'. The channels are listed anew, all of them.
// - The task page reads a dossier's requests by instance: an index for it (the table had none but its key).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table delivery drop constraint delivery_channel_check`.execute(db);
  await sql`alter table delivery add constraint delivery_channel_check check (channel in ('email', 'portal-sync', 'postal', 'partner'))`.execute(db);
  await sql`create index outbox_message_instance_idx on outbox_message (instance_id, topic, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index outbox_message_instance_idx`.execute(db);
  await sql`delete from delivery where channel = 'partner'`.execute(db);
  await sql`alter table delivery drop constraint delivery_channel_check`.execute(db);
  await sql`alter table delivery add constraint delivery_channel_check check (channel in ('email', 'portal-sync', 'postal'))`.execute(db);
}
