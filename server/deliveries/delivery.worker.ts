import type { Db } from '../../engine/db/database.js';
import { poll } from '../../engine/process-core.js';
import type { Deliverers } from './channels.js';
import { PermanentDeliveryError } from './permanent-error.js';
import * as repo from './delivery.repository.js';
import type { DeliveryChannel, DeliveryRow } from './delivery.table.js';

export interface DeliveryPolicy {
  /** Attempts before a delivery is given up (state failed, its last error kept). */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubles after each further one. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a claimed delivery is left to its worker before another may take it: longer than any send. */
  leaseMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 8, backoffMs: 30_000, maxBackoffMs: 3_600_000, leaseMs: 120_000 };

/** The wait before the attempt after `attempts` failed ones: backoff · 2^(attempts−1), capped. */
export const backoffAfter = (attempts: number, policy: DeliveryPolicy) => Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempts - 1));

export interface DeliveryRound {
  sent: number;
  /** Failed attempts that will be tried again. */
  retrying: number;
  /** Deliveries given up in this round. */
  failed: number;
}

/**
 * Sends due deliveries until none is due or `limit` were tried, up to `batch` at a time side by side (never two of
 * one dossier's channel). Each batch is claimed in one statement (FOR UPDATE SKIP LOCKED, then a lease) and sent
 * outside any transaction, so that no row lock or connection is held across the network — on PGlite a
 * transaction holds the only connection. A worker that dies mid-send leaves the lease to run out and the
 * delivery is sent again: delivery is at-least-once, and receivers keep a message once by its id (the portal by
 * Idempotency-Key, mail by Message-ID).
 */
export async function runDeliveries(
  db: Db,
  options: { deliverers: Deliverers; now?: Date; limit?: number; batch?: number; policy?: Partial<DeliveryPolicy> },
): Promise<DeliveryRound> {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
  const channels = Object.keys(options.deliverers) as DeliveryChannel[];
  const round: DeliveryRound = { sent: 0, retrying: 0, failed: 0 };
  const limit = options.limit ?? 100;
  for (let tried = 0; tried < limit; ) {
    const now = options.now ?? new Date();
    const claims = await repo.claimDue(db, now, channels, new Date(now.getTime() + policy.leaseMs), Math.min(options.batch ?? 10, limit - tried));
    if (!claims.length) break;
    tried += claims.length;
    const outcomes = await Promise.all(claims.map((claim) => deliverOne(db, claim, options, policy)));
    for (const outcome of outcomes) round[outcome]++;
  }
  return round;
}

async function deliverOne(db: Db, claim: DeliveryRow, options: { deliverers: Deliverers; now?: Date }, policy: DeliveryPolicy): Promise<keyof DeliveryRound> {
  let failure: unknown;
  try {
    await options.deliverers[claim.channel]!.deliver(db, claim);
  } catch (err) {
    failure = err ?? new Error('delivery failed');
  }
  const at = options.now ?? new Date();
  if (failure === undefined) {
    await repo.recordSent(db, claim, at);
    return 'sent';
  }
  if (failure instanceof PermanentDeliveryError || claim.attempts >= policy.maxAttempts) {
    await repo.recordFailed(db, claim, describe(failure), at);
    return 'failed';
  }
  await repo.recordRetry(db, claim, describe(failure), new Date(at.getTime() + backoffAfter(claim.attempts, policy)));
  return 'retrying';
}

/** The error as staff will read it: the message, with the system's code (ECONNREFUSED…) and cause when there are. */
function describe(err: unknown): string {
  const error = err as Error & { code?: unknown; cause?: { code?: unknown; message?: string } };
  const codeOf = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const parts = [error.message || String(err), codeOf(error.code), codeOf(error.cause?.code) ?? error.cause?.message].filter((p): p is string => !!p);
  return [...new Set(parts)].join(' — ').slice(0, 2000);
}

/** Polls for due deliveries until stopped; returns the stop function (awaits the round in progress). */
export function startDeliveryWorker(
  db: Db,
  options: { deliverers: Deliverers; intervalMs?: number; policy?: Partial<DeliveryPolicy>; onError?: (err: unknown) => void },
) {
  return poll(() => runDeliveries(db, { deliverers: options.deliverers, policy: options.policy }), { intervalMs: options.intervalMs ?? 1000, onError: options.onError });
}
