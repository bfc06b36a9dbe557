import type { Db } from '../../engine/db/database.js';
import { inTransaction } from '../../engine/runtime/command.js';
import { poll } from '../../engine/process-core.js';
import { GatewayError, queryTransaction, type GatewayTransaction } from './gateway.js';
import { confirmPayment, type PaymentSettings } from './payment.service.js';
import * as repo from './payment.repository.js';

export interface ReconcileRound {
  asked: number;
  confirmed: number;
  failed: number;
  /** Still unknown at the gateway: asked again later. */
  waiting: number;
  /** The gateway could not be asked (down, or an answer we could not trust): the round stopped there. */
  unreachable: number;
}

/** Wait before asking about the same attempt again: 1, 2, 4… minutes, at most an hour. */
const nextQuestionAfter = (count: number) => Math.min(3_600_000, 60_000 * 2 ** count);

/**
 * Asks the gateway about checkouts it has not reported on (a lost callback, a payer who closed the page) once
 * they are `reconcileAfterMs` old, and applies each answer through the confirmation path. Each attempt is
 * claimed FOR UPDATE SKIP LOCKED in a short transaction that also moves its next turn on, then asked outside
 * any transaction — no lock or connection is held across the network, and servers share the work.
 */
export async function reconcilePayments(db: Db, settings: PaymentSettings, options: { now?: Date; limit?: number; onError?: (err: unknown) => void } = {}): Promise<ReconcileRound> {
  const round: ReconcileRound = { asked: 0, confirmed: 0, failed: 0, waiting: 0, unreachable: 0 };
  const gateway = settings.gateway;
  if (!gateway) return round;
  for (let i = 0; i < (options.limit ?? 50); i++) {
    const now = options.now ?? new Date();
    const claim = await inTransaction(db, (trx) => repo.claimAttemptToReconcile(trx, now, nextQuestionAfter));
    if (!claim) break;
    round.asked++;
    let answer;
    try {
      answer = await queryTransaction(gateway, { txnRef: claim.txn_ref, createdAt: claim.created_at, ipAddr: claim.ip_addr, now });
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      // The claim already moved this attempt's turn on; the others wait for the next round.
      round.unreachable++;
      options.onError?.(err);
      break;
    }
    try {
      round[await applyAnswer(db, claim, answer, now, options.onError)]++;
    } catch (err) {
      // A dossier that could not take the confirmation now (someone else acting on it): asked again next turn.
      options.onError?.(err);
    }
  }
  return round;
}

type Claim = NonNullable<Awaited<ReturnType<typeof repo.claimAttemptToReconcile>>>;

async function applyAnswer(db: Db, claim: Claim, answer: GatewayTransaction, now: Date, onError?: (err: unknown) => void): Promise<'confirmed' | 'failed' | 'waiting'> {
  if (answer.state === 'paid') {
    if (answer.amount !== claim.amount) {
      await repo.recordAttemptOutcome(db, claim.id, { state: 'failed', response_code: '04', transaction_no: answer.transactionNo, bank_code: answer.bankCode, at: now });
      onError?.(new GatewayError(`attempt ${claim.txn_ref}: the gateway reports ${answer.amount} paid, ${claim.amount} was due`));
      return 'failed';
    }
    await confirmPayment(db, claim.dossier_id, claim.payment_id, {
      method: 'online',
      reference: answer.transactionNo,
      actor: 'system',
      at: now,
      attempt: { id: claim.id, transactionNo: answer.transactionNo, bankCode: answer.bankCode, responseCode: '00' },
    });
    return 'confirmed';
  }
  if (answer.state === 'failed' || (answer.state === 'not-found' && claim.expires_at <= now)) {
    await repo.recordAttemptOutcome(db, claim.id, {
      state: answer.state === 'failed' ? 'failed' : 'expired',
      response_code: answer.state === 'failed' ? answer.responseCode : null,
      transaction_no: null,
      bank_code: null,
      at: now,
    });
    return 'failed';
  }
  return 'waiting';
}

/** Runs reconciliation rounds every `intervalMs` until stopped; returns the stop function (awaits the round). */
export function startPaymentReconciler(db: Db, settings: PaymentSettings, options: { intervalMs: number; onError?: (err: unknown) => void }) {
  return poll(() => reconcilePayments(db, settings, { onError: options.onError }), { intervalMs: options.intervalMs, firstDelayMs: options.intervalMs, onError: options.onError });
}
