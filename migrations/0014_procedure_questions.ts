import { sql, type Kysely } from 'kysely';

// Public questions and answers (Hỏi đáp): anyone asks about a procedure; the staff of its agency answer, and only
// answers they publish are shown (moderation). A question is pending → answered → published, and may be unpublished
// (back to answered) or rejected (hidden, e.g. abusive) and restored.
// - `search_text`: the question and its answer folded to ASCII lower case (server/catalogue/search-text.ts), so the
//   catalogue's search finds them with or without diacritics; trigram-indexed over published rows only.
// - The asker who left an email is told once (`notified_at`) when the answer is first published, through the
//   durable delivery queue: a delivery is now about a dossier or about a question, never both.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('procedure_question')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('procedure_id', 'uuid', (c) => c.notNull().references('procedure.id').onDelete('cascade'))
    .addColumn('asker_name', 'text', (c) => c.notNull())
    .addColumn('asker_email', 'text')
    .addColumn('asker_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'answered', 'published', 'rejected')`))
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('published_at', 'timestamptz')
    .addColumn('published_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('rejected_at', 'timestamptz')
    .addColumn('rejected_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('notified_at', 'timestamptz')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addCheckConstraint('procedure_question_answered_check', sql`status not in ('answered', 'published') or answer is not null`)
    .addCheckConstraint('procedure_question_published_check', sql`(status = 'published') = (published_at is not null)`)
    .execute();
  // The procedure page: its published questions, newest first.
  await sql`create index procedure_question_public_idx on procedure_question (procedure_id, published_at desc) where status = 'published'`.execute(db);
  // The staff's list: an agency's procedures' questions by status, oldest first.
  await sql`create index procedure_question_staff_idx on procedure_question (procedure_id, status, created_at)`.execute(db);
  await sql`create index procedure_question_search_trgm_idx on procedure_question using gin (search_text gin_trgm_ops) where status = 'published'`.execute(db);

  await sql`alter table delivery
    alter column dossier_id drop not null,
    add column question_id uuid references procedure_question (id) on delete cascade,
    add constraint delivery_subject_check check (num_nonnulls(dossier_id, question_id) = 1)`.execute(db);
  await sql`create index delivery_question_idx on delivery (question_id) where question_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from delivery where question_id is not null`.execute(db);
  await sql`alter table delivery drop constraint delivery_subject_check, drop column question_id, alter column dossier_id set not null`.execute(db);
  await db.schema.dropTable('procedure_question').execute();
}
