import { sql, type Kysely } from 'kysely';

// Fees and their payment (nghĩa vụ tài chính).
// - A procedure's fee configuration gains rules (per-unit amounts, amounts under a condition of the eForm); rows
//   saved before carry an empty list, so every configuration has the same shape.
// - payment: what one fee request (action 5300) asks the applicant to pay, computed from the configuration (or
//   set by the officer with a reason), and how it was paid. At most one is pending per dossier.
// - payment_attempt: one checkout at the gateway, under its own merchant reference (vnp_TxnRef), since a
//   gateway refuses a reference twice; the reconciler asks the gateway about started ones after a while.
// - payment_receipt_sequence: e-receipt numbers per agency and year, without gaps (taken in the paying
//   transaction, as dossier codes are).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update procedure set fee = fee || '{"rules": []}'::jsonb where not fee ? 'rules'`.execute(db);

  await db.schema
    .createTable('payment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dossier_id', 'uuid', (c) => c.notNull().references('dossier.id'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'paid', 'cancelled')`))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('computed_amount', 'bigint', (c) => c.notNull())
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    .addColumn('override_reason', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.check(sql`method in ('online', 'cash', 'transfer')`))
    .addColumn('reference', 'text')
    .addColumn('paid_at', 'timestamptz')
    .addColumn('confirmed_by', 'text')
    // The instance version the confirming action (1300) wrote: undoing that action is refused.
    .addColumn('confirmed_version', 'integer')
    .addColumn('receipt_no', 'text', (c) => c.unique())
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('payment_paid_ck', sql`(state = 'paid') = (paid_at is not null and method is not null and receipt_no is not null)`)
    .execute();
  await sql`create unique index payment_one_pending_uq on payment (dossier_id) where state = 'pending'`.execute(db);
  await db.schema.createIndex('payment_dossier_idx').on('payment').columns(['dossier_id', 'requested_at']).execute();

  await db.schema
    .createTable('payment_attempt')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('payment_id', 'uuid', (c) => c.notNull().references('payment.id'))
    .addColumn('txn_ref', 'text', (c) => c.notNull().unique())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('started').check(sql`state in ('started', 'paid', 'failed', 'expired')`))
    .addColumn('ip_addr', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reconcile_after', 'timestamptz', (c) => c.notNull())
    .addColumn('reconcile_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_code', 'text')
    .addColumn('transaction_no', 'text')
    .addColumn('bank_code', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('payment_attempt_payment_idx').on('payment_attempt').column('payment_id').execute();
  await sql`create index payment_attempt_reconcile_idx on payment_attempt (reconcile_after) where state = 'started'`.execute(db);

  await db.schema
    .createTable('payment_receipt_sequence')
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agency.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_receipt_sequence_pk', ['agency_id', 'year'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payment_receipt_sequence').execute();
  await db.schema.dropTable('payment_attempt').execute();
  await db.schema.dropTable('payment').execute();
  await sql`update procedure set fee = fee - 'rules'`.execute(db);
}
