import { sql, type Selectable } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import type { FeeLine, PaymentAttemptTable, PaymentMethod, PaymentTable } from './payment.table.js';

export type PaymentRow = Omit<Selectable<PaymentTable>, 'amount' | 'computed_amount'> & { amount: number; computed_amount: number };
export type AttemptRow = Omit<Selectable<PaymentAttemptTable>, 'amount'> & { amount: number };

const payment = (row: Selectable<PaymentTable>): PaymentRow => ({ ...row, amount: Number(row.amount), computed_amount: Number(row.computed_amount) });
const attempt = (row: Selectable<PaymentAttemptTable>): AttemptRow => ({ ...row, amount: Number(row.amount) });

/** The dossier with what a fee computation and the payment pages need: its procedure's fee, eForm, agency. */
export async function dossierForFee(db: Db, dossierId: string) {
  return db
    .selectFrom('dossier')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .innerJoin('agency', 'agency.id', 'dossier.agency_id')
    .select([
      'dossier.id',
      'dossier.code',
      'dossier.applicant_id',
      'dossier.agency_id',
      'dossier.instance_id',
      'dossier.channel',
      'dossier.form_data',
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'procedure.fee',
      'agency.code as agency_code',
      'agency.name as agency_name',
    ])
    .where('dossier.id', '=', dossierId)
    .executeTakeFirst();
}

export async function insertPayment(
  db: Db,
  row: { dossier_id: string; amount: number; computed_amount: number; lines: FeeLine[]; override_reason: string | null; requested_by: string; requested_at: Date },
) {
  return payment(
    await db
      .insertInto('payment')
      .values({ ...row, lines: JSON.stringify(row.lines), method: null, reference: null, paid_at: null, confirmed_by: null, confirmed_version: null, receipt_no: null, cancelled_at: null })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function paymentsOfDossier(db: Db, dossierId: string) {
  return (await db.selectFrom('payment').selectAll().where('dossier_id', '=', dossierId).orderBy('requested_at', 'desc').execute()).map(payment);
}

/** One payment of the dossier; `lock` holds it for the rest of the transaction (after the instance's lock). */
export async function findPayment(db: Db, dossierId: string, paymentId: string, lock = false) {
  let query = db.selectFrom('payment').selectAll().where('id', '=', paymentId).where('dossier_id', '=', dossierId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && payment(row);
}

export async function paymentById(db: Db, id: string) {
  const row = await db.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirst();
  return row && payment(row);
}

export async function pendingPayment(db: Db, dossierId: string, lock = false) {
  let query = db.selectFrom('payment').selectAll().where('dossier_id', '=', dossierId).where('state', '=', 'pending');
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && payment(row);
}

export async function paidByVersion(db: Db, dossierId: string, version: number) {
  const row = await db.selectFrom('payment').selectAll().where('dossier_id', '=', dossierId).where('state', '=', 'paid').where('confirmed_version', '=', version).executeTakeFirst();
  return row && payment(row);
}

export async function markPaid(
  db: Db,
  id: string,
  values: { method: PaymentMethod; reference: string | null; paid_at: Date; confirmed_by: string; receipt_no: string },
) {
  await db.updateTable('payment').set({ ...values, state: 'paid', updated_at: values.paid_at }).where('id', '=', id).where('state', '=', 'pending').execute();
}

export async function setConfirmedVersion(db: Db, id: string, version: number) {
  await db.updateTable('payment').set({ confirmed_version: version }).where('id', '=', id).execute();
}

export async function cancelPayment(db: Db, id: string, at: Date) {
  await db.updateTable('payment').set({ state: 'cancelled', cancelled_at: at, updated_at: at }).where('id', '=', id).where('state', '=', 'pending').execute();
}

/** The next e-receipt number of an agency for a year, without gaps: the row stays locked until commit. */
export async function nextReceiptNumber(db: Db, agencyId: string, year: number): Promise<number> {
  const row = await db
    .insertInto('payment_receipt_sequence')
    .values({ agency_id: agencyId, year, last: 1 })
    .onConflict((oc) => oc.columns(['agency_id', 'year']).doUpdateSet({ last: sql`payment_receipt_sequence.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

export async function insertAttempt(
  db: Db,
  row: { payment_id: string; txn_ref: string; amount: number; ip_addr: string; created_at: Date; expires_at: Date; reconcile_after: Date },
) {
  return attempt(
    await db
      .insertInto('payment_attempt')
      .values({ ...row, response_code: null, transaction_no: null, bank_code: null })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function attemptByTxnRef(db: Db, txnRef: string) {
  const row = await db.selectFrom('payment_attempt').selectAll().where('txn_ref', '=', txnRef).executeTakeFirst();
  return row && attempt(row);
}

/** Attempts of a payment whose outcome the gateway has not told yet. */
export async function openAttempts(db: Db, paymentId: string) {
  return (await db.selectFrom('payment_attempt').selectAll().where('payment_id', '=', paymentId).where('state', '=', 'started').execute()).map(attempt);
}

export async function recordAttemptOutcome(
  db: Db,
  id: string,
  values: { state: 'paid' | 'failed' | 'expired'; response_code: string | null; transaction_no: string | null; bank_code: string | null; at: Date },
) {
  const { at, ...rest } = values;
  await db.updateTable('payment_attempt').set({ ...rest, updated_at: at }).where('id', '=', id).execute();
}

/** Expires attempts of a payment that no longer waits (cancelled or paid another way): nothing to ask about. */
export async function closeOpenAttempts(db: Db, paymentId: string, at: Date) {
  await db.updateTable('payment_attempt').set({ state: 'expired', updated_at: at }).where('payment_id', '=', paymentId).where('state', '=', 'started').execute();
}

/**
 * Claims one started attempt of a pending payment due for a question to the gateway, skipping rows another
 * server holds, and moves its next turn `leaseMs` on (longer each time) — so a server that dies mid-question only
 * delays it, and an unanswered question is asked less and less often.
 */
export async function claimAttemptToReconcile(db: Db, now: Date, leaseMs: (reconcileCount: number) => number) {
  const row = await db
    .selectFrom('payment_attempt')
    .innerJoin('payment', 'payment.id', 'payment_attempt.payment_id')
    .selectAll('payment_attempt')
    .select('payment.dossier_id')
    .where('payment_attempt.state', '=', 'started')
    .where('payment.state', '=', 'pending')
    .where('payment_attempt.reconcile_after', '<=', now)
    .orderBy('payment_attempt.reconcile_after')
    .limit(1)
    .forUpdate('payment_attempt')
    .skipLocked()
    .executeTakeFirst();
  if (!row) return undefined;
  await db
    .updateTable('payment_attempt')
    .set({ reconcile_after: new Date(now.getTime() + leaseMs(row.reconcile_count)), reconcile_count: sql`reconcile_count + 1`, updated_at: now })
    .where('id', '=', row.id)
    .execute();
  return { ...attempt(row), dossier_id: row.dossier_id };
}

