import { sql, type Kysely } from 'kysely';

// Dossier conversations (Trao đổi với công dân): the applicant and the officers holding a dossier exchange messages
// with attachments on the dossier's page.
// - dossier_message: one message, in the order it was written (`seq`, taken under the dossier's process-instance
//   lock, so within a dossier seq order is commit order and a read marker never skips a late commit). Its id is
//   also in the dossier's hash-chained history (event `conversation.posted`, with the body's sha-256).
// - dossier_message_attachment: files of a message, stored once per content hash in file_blob as dossier files are.
// - dossier_message_read: per reader and dossier, the last message seq they have read: unread = the other side's
//   messages after it.
// - dossier_conversation: per dossier, where each side's messages end, with the dossier's agency and instance, so
//   that the officer inbox finds "tasks with unread messages" from the open conversations of the officer's agencies
//   in which the applicant wrote, instead of looking at every open task's messages. `open` follows the dossier's
//   process (kept at each status change): the conversations of finished dossiers leave the index the inbox reads.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dossier_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('seq', 'serial', (c) => c.notNull().unique())
    .addColumn('dossier_id', 'uuid', (c) => c.notNull().references('dossier.id'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('citizen', 'staff')`))
    .addColumn('body', 'text', (c) => c.notNull().check(sql`char_length(body) between 1 and 4000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A dossier's messages in order, and the unread count of one side (index-only, by side) after a read marker.
  await sql`create index dossier_message_dossier_idx on dossier_message (dossier_id, seq) include (side)`.execute(db);

  await db.schema
    .createTable('dossier_message_attachment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('message_id', 'uuid', (c) => c.notNull().references('dossier_message.id'))
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().references('file_blob.sha256'))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addUniqueConstraint('dossier_message_attachment_position_uq', ['message_id', 'position'])
    .execute();

  await db.schema
    .createTable('dossier_message_read')
    .addColumn('dossier_id', 'uuid', (c) => c.notNull().references('dossier.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('last_read_seq', 'integer', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_message_read_pk', ['dossier_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('dossier_conversation')
    .addColumn('dossier_id', 'uuid', (c) => c.primaryKey().references('dossier.id'))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agency.id'))
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('process_instance.id'))
    .addColumn('last_citizen_seq', 'integer')
    .addColumn('last_staff_seq', 'integer')
    .addColumn('last_message_at', 'timestamptz', (c) => c.notNull())
    .addColumn('open', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  // The inbox's "unread messages": the open conversations of the officer's agencies in which the applicant wrote.
  await sql`create index dossier_conversation_agency_idx on dossier_conversation (agency_id) include (dossier_id, instance_id, last_citizen_seq)
    where open and last_citizen_seq is not null`.execute(db);
  await db.schema.createIndex('dossier_conversation_instance_idx').on('dossier_conversation').column('instance_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['dossier_conversation', 'dossier_message_read', 'dossier_message_attachment', 'dossier_message']) await db.schema.dropTable(table).execute();
}
