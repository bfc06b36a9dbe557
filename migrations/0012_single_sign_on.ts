import { sql, type Kysely } from 'kysely';

// Single sign-on with the national public-service portal (Cổng DVC quốc gia, VNeID identity; OpenID Connect).
// - sso_identity: a citizen account's link to one subject at one identity provider, made on the first SSO login
//   by the ID number the provider vouches for. One subject per account and provider, one account per subject.
// - sso_login: one login attempt, in the database so that any server can finish what another started: the
//   state, nonce and PKCE verifier sent to the provider, bound to the browser that started it (the hash of its
//   cookie); then, after the callback, the one-time code the web app exchanges (by POST) for the session.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sso_identity')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_login_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('sso_identity_subject_uq', ['issuer', 'subject'])
    .addUniqueConstraint('sso_identity_user_uq', ['user_id', 'issuer'])
    .execute();

  await db.schema
    .createTable('sso_login')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('state', 'text', (c) => c.notNull().unique())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // The provider's answer was taken (whatever its outcome): the state cannot be used twice.
    .addColumn('callback_at', 'timestamptz')
    .addColumn('user_id', 'uuid', (c) => c.references('app_user.id').onDelete('cascade'))
    .addColumn('login_code_hash', 'text', (c) => c.unique())
    .addColumn('login_code_expires_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('sso_login_expires_idx').on('sso_login').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sso_login').execute();
  await db.schema.dropTable('sso_identity').execute();
}
