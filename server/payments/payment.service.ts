import { randomBytes } from 'node:crypto';
import type { Db } from '../../engine/db/database.js';
import { actIn, onStatusChange, openTasks, type Actor, type StatusChange } from '../../engine/process-core.js';
import { inTransaction } from '../../engine/runtime/command.js';
import { findInstance, findVersion, lockInstance } from '../../engine/instances/instance.repository.js';
import { findTask } from '../../engine/tasks/task.repository.js';
import { HttpProblem, type Bilingual } from '../problems.js';
import type { SessionUser } from '../accounts/account.service.js';
import { actorAt } from '../accounts/grants.js';
import { readableDossier } from '../dossiers/dossier.service.js';
import { onAction, type TakenAction } from '../tasks/action-hooks.js';
import { resultByPost } from '../postal/postal.service.js';
import { chargesFee, computeFee, FEE_CONFIRM_ACTION, FEE_REQUEST_ACTION, FEE_STATUS, mayChangeAmount } from './fee-rules.js';
import { checkoutUrl, type GatewayConfig } from './gateway.js';
import { fromGatewayAmount, IPN, verifyParams, vnpParams, type IpnAnswer } from './vnpay.js';
import * as repo from './payment.repository.js';
import type { PaymentRow } from './payment.repository.js';
import type { FeeLine, PaymentMethod, PaymentState } from './payment.table.js';

/** How the server reaches the payment gateway; `gateway` null: online payment is off (counter only). */
export interface PaymentSettings {
  gateway: GatewayConfig | null;
  /** How long after a checkout the reconciler first asks the gateway about it. */
  reconcileAfterMs: number;
  /** How long a checkout stays payable at the gateway (vnp_ExpireDate). */
  checkoutTtlMs: number;
}

export const DEFAULT_PAYMENT_SETTINGS: PaymentSettings = { gateway: null, reconcileAfterMs: 15 * 60_000, checkoutTtlMs: 15 * 60_000 };

/** Who confirms a payment the gateway reported: recorded as the actor of action 1300. */
export const PAYMENT_SYSTEM_ACTOR = 'system:payments';
const COUNTER_ROLE = 'one-stop-officer';

export interface PaymentView {
  id: string;
  dossierId: string;
  state: PaymentState;
  amount: number;
  /** What the configuration gave; differs from `amount` when the officer set the amount (with `overrideReason`). */
  computedAmount: number;
  lines: FeeLine[];
  overrideReason: string | null;
  requestedAt: Date;
  method: PaymentMethod | null;
  reference: string | null;
  paidAt: Date | null;
  receiptNo: string | null;
  cancelledAt: Date | null;
  /** Pending, and the server has a payment gateway: the applicant may check out online. */
  canPayOnline: boolean;
}

export function paymentView(p: PaymentRow, settings: PaymentSettings): PaymentView {
  return {
    id: p.id,
    dossierId: p.dossier_id,
    state: p.state,
    amount: p.amount,
    computedAmount: p.computed_amount,
    lines: p.lines,
    overrideReason: p.override_reason,
    requestedAt: p.requested_at,
    method: p.method,
    reference: p.reference,
    paidAt: p.paid_at,
    receiptNo: p.receipt_no,
    cancelledAt: p.cancelled_at,
    canPayOnline: p.state === 'pending' && settings.gateway !== null,
  };
}

const problem = (status: number, code: string, message: Bilingual, path?: string) =>
  new HttpProblem(status, code, message, path ? [{ path, message }] : []);
export const paymentNotFound = () => problem(404, 'payment-not-found', { vi: 'Không tìm thấy khoản phí', en: 'Payment not found' });

export const formatVnd = (amount: number) => `${new Intl.NumberFormat('vi-VN').format(amount)} đồng`;

// ---------------------------------------------------------------------------------------------------------------
// The fee request (action 5300) and what follows the national status.

interface FeeOverride {
  amount: number;
  reason: string;
}

/** `input.fee` of the request action: `{ amount, reason }`, an amount the officer sets instead of the computed one. */
function feeOverrideOf(value: unknown): FeeOverride | null {
  if (value === undefined || value === null) return null;
  const v = value as Record<string, unknown>;
  const fields: { path: string; message: Bilingual }[] = [];
  if (typeof value !== 'object' || Array.isArray(value) || Object.keys(v).some((k) => k !== 'amount' && k !== 'reason')) {
    fields.push({ path: '/body/input/fee', message: { vi: 'Cần { amount, reason }', en: 'Expected { amount, reason }' } });
  } else {
    if (!Number.isSafeInteger(v.amount) || (v.amount as number) <= 0 || (v.amount as number) > 1e12) {
      fields.push({ path: '/body/input/fee/amount', message: { vi: 'Số tiền phải là số nguyên dương (đồng)', en: 'The amount must be a positive whole number of đồng' } });
    }
    if (typeof v.reason !== 'string' || v.reason.trim().length < 5 || v.reason.length > 1000) {
      fields.push({ path: '/body/input/fee/reason', message: { vi: 'Nêu lý do thay đổi số tiền (ít nhất 5 ký tự)', en: 'Give the reason for changing the amount (at least 5 characters)' } });
    }
  }
  if (fields.length) throw new HttpProblem(422, 'fee-override-invalid', { vi: 'Số tiền thay đổi chưa hợp lệ', en: 'The changed amount is invalid' }, fields);
  return { amount: v.amount as number, reason: (v.reason as string).trim().normalize('NFC') };
}

/** Action 5300: what the applicant owes, from the procedure's fee configuration or the officer's amount. */
async function requestFee(action: TakenAction): Promise<void> {
  const { trx } = action;
  const dossier = (await repo.dossierForFee(trx, action.dossierId))!;
  const override = feeOverrideOf(action.input.fee);
  if (!chargesFee(dossier.fee)) {
    // Free, or paid outside the system (editable 0/1): the officer confirms by action 1300 as before.
    if (override) {
      throw problem(422, 'fee-not-charged', { vi: 'Thủ tục này không thu phí qua hệ thống', en: 'This procedure’s fee is not charged through the system' }, '/body/input/fee');
    }
    return;
  }
  if (override && !mayChangeAmount(dossier.fee)) {
    throw problem(422, 'fee-not-editable', { vi: 'Cán bộ không được thay đổi số tiền của thủ tục này', en: 'Officers may not change this procedure’s amount' }, '/body/input/fee');
  }
  const { lines, total } = computeFee(dossier.fee, dossier.form_data, dossier.channel === 'post' || (await resultByPost(trx, dossier.id)));
  const amount = override?.amount ?? total;
  if (amount <= 0) {
    throw problem(422, 'fee-amount-missing', { vi: 'Chưa xác định được số tiền phải nộp: nhập số tiền và lý do', en: 'No amount results from the configuration: enter the amount and a reason' }, '/body/input/fee/amount');
  }
  await repo.insertPayment(trx, {
    dossier_id: dossier.id,
    amount,
    computed_amount: total,
    lines,
    override_reason: override?.reason ?? null,
    requested_by: action.actor.id,
    requested_at: action.at,
  });
}

/**
 * Keeps payments in line with the national status, whatever command moved it. Leaving "fee requested" with the
 * fee unpaid: by the confirmation action taken by hand, refused (the payment is recorded through its own path,
 * which marks it paid first); by anything else (an undone request, a withdrawal), the payment is cancelled —
 * refused while a checkout may still bring money. Coming back to it by undoing a payment's confirmation is
 * refused, since the money was received.
 */
async function followFeeStatus(trx: Db, change: StatusChange): Promise<void> {
  if (!change.businessKey) return;
  const leaving = change.from === FEE_STATUS && change.to !== FEE_STATUS;
  const returning = change.to === FEE_STATUS && change.from !== FEE_STATUS;
  if (!leaving && !returning) return;
  const pending = leaving ? await repo.pendingPayment(trx, change.businessKey, true) : undefined;
  if (leaving && !pending) return;
  // The command that moved the status: the version it just wrote.
  const instance = (await findInstance(trx, change.instanceId))!;
  const head = (await findVersion(trx, change.instanceId, instance.version))!;
  if (pending) {
    const action = head.task_id ? (await findTask(trx, head.task_id))?.action_code : null;
    if (head.command === 'act' && action === FEE_CONFIRM_ACTION) {
      throw new HttpProblem(409, 'payment-pending', {
        vi: 'Hồ sơ có khoản phí đang chờ thanh toán: ghi nhận bằng mục "Thu phí, lệ phí tại quầy", hoặc chờ công dân thanh toán trực tuyến',
        en: 'A payment is pending: record it with "Collect the fee at the counter", or wait for the online payment',
      });
    }
    if ((await repo.openAttempts(trx, pending.id)).some((a) => a.expires_at > change.at)) {
      throw new HttpProblem(409, 'payment-in-progress', {
        vi: 'Công dân đang thanh toán trực tuyến khoản phí này; vui lòng thử lại sau khi giao dịch kết thúc',
        en: 'The applicant is paying this fee online; try again once the transaction has ended',
      });
    }
    await repo.cancelPayment(trx, pending.id, change.at);
    await repo.closeOpenAttempts(trx, pending.id, change.at);
    return;
  }
  if (head.command !== 'undo') return;
  const confirmed = await repo.paidByVersion(trx, change.businessKey, instance.version - 1);
  if (confirmed) {
    throw new HttpProblem(409, 'payment-confirmed', {
      vi: `Khoản phí đã được thu (biên lai số ${confirmed.receipt_no}); không thể hoàn tác việc xác nhận đã nộp`,
      en: `The fee was received (receipt ${confirmed.receipt_no}); its confirmation cannot be undone`,
    });
  }
}

/** Installs the fee request's payment and the status follower (idempotent). */
export function installPaymentHooks(): void {
  onAction(FEE_REQUEST_ACTION, requestFee);
  onStatusChange(followFeeStatus);
}
// ---------------------------------------------------------------------------------------------------------------
// Reading, paying online, paying at the counter.

export async function listPayments(db: Db, settings: PaymentSettings, user: SessionUser, dossierId: string): Promise<PaymentView[]> {
  await readableDossier(db, user, dossierId);
  return (await repo.paymentsOfDossier(db, dossierId)).map((p) => paymentView(p, settings));
}

/** A payment the caller may read: of a dossier they may read (applicant, its agency's staff, auditors). */
export async function readablePayment(db: Db, user: SessionUser, dossierId: string, paymentId: string): Promise<PaymentRow> {
  await readableDossier(db, user, dossierId);
  const payment = await repo.findPayment(db, dossierId, paymentId);
  if (!payment) throw paymentNotFound();
  return payment;
}

function requirePending(payment: PaymentRow) {
  if (payment.state === 'paid') throw problem(409, 'payment-paid', { vi: `Khoản phí đã được nộp (biên lai số ${payment.receipt_no})`, en: `Already paid (receipt ${payment.receipt_no})` });
  if (payment.state === 'cancelled') throw problem(409, 'payment-cancelled', { vi: 'Yêu cầu nộp phí này đã bị hủy', en: 'This fee request was cancelled' });
}

/**
 * The applicant starts paying online: a new attempt under its own merchant reference, and the gateway's signed
 * payment page to send the browser to. Nothing is paid until the gateway says so.
 */
export async function checkout(
  db: Db,
  settings: PaymentSettings,
  user: SessionUser,
  dossierId: string,
  paymentId: string,
  request: { returnUrl: string; ipAddr: string; locale: 'vn' | 'en'; now?: Date },
): Promise<{ redirectUrl: string; expiresAt: Date }> {
  const dossier = await repo.dossierForFee(db, dossierId);
  if (!dossier || dossier.applicant_id !== user.id) throw paymentNotFound();
  const payment = await repo.findPayment(db, dossierId, paymentId);
  if (!payment) throw paymentNotFound();
  requirePending(payment);
  if (!settings.gateway) {
    throw problem(503, 'payment-gateway-unavailable', { vi: 'Chưa kết nối cổng thanh toán trực tuyến; vui lòng nộp tại quầy', en: 'Online payment is not available; please pay at the counter' });
  }
  const now = request.now ?? new Date();
  const expiresAt = new Date(now.getTime() + settings.checkoutTtlMs);
  const attempt = await repo.insertAttempt(db, {
    payment_id: payment.id,
    txn_ref: randomBytes(10).toString('hex'),
    amount: payment.amount,
    ip_addr: request.ipAddr,
    created_at: now,
    expires_at: expiresAt,
    reconcile_after: new Date(now.getTime() + settings.reconcileAfterMs),
  });
  const redirectUrl = checkoutUrl(settings.gateway, {
    txnRef: attempt.txn_ref,
    amount: attempt.amount,
    // Gateways take the order description without diacritics.
    orderInfo: `Nop phi le phi ho so ${dossier.code ?? dossier.id}`,
    returnUrl: request.returnUrl,
    ipAddr: request.ipAddr,
    createdAt: now,
    expiresAt,
    locale: request.locale,
  });
  return { redirectUrl, expiresAt };
}

interface Confirmation {
  method: PaymentMethod;
  reference: string | null;
  /** The officer at the counter, or the system for what the gateway reported. */
  actor: Actor | 'system';
  at: Date;
  /** The gateway attempt that paid, recorded even when the payment was already paid (a double payment). */
  attempt?: { id: string; transactionNo: string; bankCode: string | null; responseCode: string };
}

export type ConfirmResult = 'confirmed' | 'already-paid' | 'cancelled';

/**
 * The one confirmation path (gateway callback, return page, reconciliation, counter): in one transaction the
 * payment is marked paid with the next e-receipt number and the dossier's open fee task takes action 1300.
 * Confirming a paid payment changes nothing and says so.
 */
export async function confirmPayment(db: Db, dossierId: string, paymentId: string, c: Confirmation): Promise<{ result: ConfirmResult; payment: PaymentRow }> {
  return inTransaction(db, async (trx) => {
    const dossier = await repo.dossierForFee(trx, dossierId);
    if (!dossier?.instance_id) throw paymentNotFound();
    // Commands lock the instance first and the payment after (the status follower): so must this, or two deadlock.
    await lockInstance(trx, dossier.instance_id);
    const payment = await repo.findPayment(trx, dossierId, paymentId, true);
    if (!payment) throw paymentNotFound();
    if (c.attempt) {
      const { id, transactionNo, bankCode, responseCode } = c.attempt;
      await repo.recordAttemptOutcome(trx, id, { state: 'paid', response_code: responseCode, transaction_no: transactionNo, bank_code: bankCode, at: c.at });
    }
    if (payment.state !== 'pending') return { result: payment.state === 'paid' ? ('already-paid' as const) : ('cancelled' as const), payment };

    const year = Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(c.at));
    const receiptNo = `${dossier.agency_code}-BL${year}-${String(await repo.nextReceiptNumber(trx, dossier.agency_id, year)).padStart(6, '0')}`;
    const task = (await openTasks(trx, dossier.instance_id)).find((t) => t.actions.some((a) => a.code === FEE_CONFIRM_ACTION));
    const actor: Actor = c.actor === 'system' ? { id: PAYMENT_SYSTEM_ACTOR, groups: task?.candidateGroups ?? [] } : c.actor;
    await repo.markPaid(trx, payment.id, { method: c.method, reference: c.reference, paid_at: c.at, confirmed_by: actor.id, receipt_no: receiptNo });
    await repo.closeOpenAttempts(trx, payment.id, c.at);
    if (task) {
      const how = { online: 'trực tuyến', cash: 'tiền mặt tại quầy', transfer: 'chuyển khoản' }[c.method];
      const outcome = await actIn(trx, {
        instanceId: dossier.instance_id,
        taskId: task.id,
        actionCode: FEE_CONFIRM_ACTION,
        actor,
        system: c.actor === 'system',
        now: c.at,
        note: `Đã nộp ${formatVnd(payment.amount)} (${how}${c.reference ? `, mã giao dịch ${c.reference}` : ''}); biên lai số ${receiptNo}`,
        input: { payment: { id: payment.id, amount: payment.amount, method: c.method, reference: c.reference, receiptNo } },
      });
      await repo.setConfirmedVersion(trx, payment.id, outcome.version);
    }
    return { result: 'confirmed' as const, payment: (await repo.findPayment(trx, dossierId, paymentId))! };
  });
}

/** A one-stop officer of the dossier's agency records the fee paid at the desk (cash) or by bank transfer. */
export async function payAtCounter(
  db: Db,
  settings: PaymentSettings,
  user: SessionUser,
  dossierId: string,
  paymentId: string,
  body: { method: 'cash' | 'transfer'; reference?: string },
): Promise<PaymentView> {
  const dossier = await repo.dossierForFee(db, dossierId);
  const actor = dossier ? actorAt(user, dossier.agency_id) : undefined;
  if (!dossier || !actor?.groups.includes(COUNTER_ROLE)) throw paymentNotFound();
  const reference = body.reference?.trim().normalize('NFC') || null;
  if (body.method === 'transfer' && !reference) {
    throw problem(422, 'payment-reference-required', { vi: 'Nhập mã giao dịch chuyển khoản', en: 'Enter the bank transfer’s reference' }, '/body/reference');
  }
  const payment = await repo.findPayment(db, dossierId, paymentId);
  if (!payment) throw paymentNotFound();
  requirePending(payment);
  const { result, payment: after } = await confirmPayment(db, dossierId, paymentId, { method: body.method, reference, actor, at: new Date() });
  if (result !== 'confirmed') requirePending(after);
  return paymentView(after, settings);
}

// ---------------------------------------------------------------------------------------------------------------
// What the gateway reports: the IPN callback (server to server) and the payer's return to the portal.

export type GatewayOutcome = 'paid' | 'already-paid' | 'failed' | 'cancelled' | 'invalid';

export interface GatewayReport {
  /** What the merchant answers the gateway (IPN). */
  answer: IpnAnswer;
  outcome: GatewayOutcome;
  dossierId?: string;
  dossierCode?: string | null;
  paymentId?: string;
  amount?: number;
}

/**
 * Applies a signed report of the gateway: checked for signature, merchant, a known attempt and the amount due,
 * then, if paid, confirmed through `confirmPayment` — so a replayed or duplicated report changes nothing and
 * answers "already confirmed". A failed payment leaves the fee pending, to be paid again.
 */
export async function acceptGatewayReport(db: Db, settings: PaymentSettings, raw: Record<string, unknown>, at = new Date()): Promise<GatewayReport> {
  const gateway = settings.gateway;
  const params = vnpParams(raw);
  if (!gateway || !verifyParams(params, gateway.secret)) return { answer: IPN.invalidSignature, outcome: 'invalid' };
  const attempt = params.vnp_TmnCode === gateway.merchantCode && params.vnp_TxnRef ? await repo.attemptByTxnRef(db, params.vnp_TxnRef) : undefined;
  if (!attempt) return { answer: IPN.notFound, outcome: 'invalid' };
  const payment = (await repo.paymentById(db, attempt.payment_id))!;
  const dossier = (await repo.dossierForFee(db, payment.dossier_id))!;
  const known = { dossierId: dossier.id, dossierCode: dossier.code, paymentId: attempt.payment_id, amount: attempt.amount };
  if (fromGatewayAmount(params.vnp_Amount) !== attempt.amount || attempt.amount !== payment.amount) {
    return { answer: IPN.invalidAmount, outcome: 'invalid', ...known };
  }
  const paid = params.vnp_ResponseCode === '00' && params.vnp_TransactionStatus === '00';
  if (!paid) {
    if (attempt.state === 'started') {
      await repo.recordAttemptOutcome(db, attempt.id, { state: 'failed', response_code: params.vnp_ResponseCode ?? null, transaction_no: params.vnp_TransactionNo ?? null, bank_code: params.vnp_BankCode || null, at });
      return { answer: IPN.confirmed, outcome: 'failed', ...known };
    }
    return { answer: IPN.alreadyConfirmed, outcome: attempt.state === 'paid' ? 'already-paid' : 'failed', ...known };
  }
  if (attempt.state === 'paid') return { answer: IPN.alreadyConfirmed, outcome: 'already-paid', ...known };
  const { result } = await confirmPayment(db, dossier.id, attempt.payment_id, {
    method: 'online',
    reference: params.vnp_TransactionNo ?? null,
    actor: 'system',
    at,
    attempt: { id: attempt.id, transactionNo: params.vnp_TransactionNo ?? '', bankCode: params.vnp_BankCode || null, responseCode: params.vnp_ResponseCode! },
  });
  if (result === 'cancelled') return { answer: IPN.notFound, outcome: 'cancelled', ...known };
  return { answer: result === 'confirmed' ? IPN.confirmed : IPN.alreadyConfirmed, outcome: result === 'confirmed' ? 'paid' : 'already-paid', ...known };
}
