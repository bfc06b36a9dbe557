import type { Db } from '../../engine/db/database.js';
import { isUuid } from '../../engine/json.js';
import { onStatusChange, type StatusChange } from '../../engine/process-core.js';
import { appendHistoryOnly, inTransaction } from '../../engine/runtime/command.js';
import { actionCodes } from '../../engine/bpmn/moddle.js';
import { grantsOf, isAuditor } from '../accounts/grants.js';
import type { SessionUser } from '../accounts/account.service.js';
import { HttpProblem } from '../problems.js';
import { dossierNotFound } from '../dossiers/dossier.service.js';
import { notifiesApplicant } from '../mail/mail.templates.js';
import * as repo from './delivery.repository.js';
import { dossierEventOf, type DeliveryEvent, type DeliveryState } from './delivery.table.js';

/**
 * Queues the deliveries a status change owes, in the transaction of the command that made it: the portal's sync
 * message always, and the applicant's email when they gave an address and the status is one they are told about.
 * An undo corrects the portal but writes no email: the applicant was not told of a step nobody took.
 */
async function queueOnStatusChange(trx: Db, change: StatusChange): Promise<void> {
  // Dossiers are instances keyed by the dossier id; other instances (engine tests, tools) owe nothing.
  if (!change.businessKey || !isUuid(change.businessKey) || change.to === null) return;
  const facts = await repo.dossierFacts(trx, change.businessKey);
  if (!facts) return;
  const events = await repo.currentCommandEvents(trx, change.instanceId);
  const undone = events.some((e) => e.type === 'command.undone');
  const event: DeliveryEvent = { status: change.to, from: change.from, at: change.at.toISOString(), reason: reasonOf(events) };
  const email = !undone && facts.applicant_email && notifiesApplicant(change.to);
  await repo.insertDeliveries(trx, [
    { channel: 'portal-sync', dossier_id: facts.id, payload: event, next_attempt_at: change.at },
    ...(email ? [{ channel: 'email' as const, dossier_id: facts.id, payload: { ...event, to: facts.applicant_email! }, next_attempt_at: change.at }] : []),
  ]);
}

/** The note of the action that caused the change, where that action's note is addressed to the applicant. */
function reasonOf(events: { type: string; data: Record<string, unknown> }[]): string | null {
  const completed = events.find((e) => e.type === 'task.completed');
  const note = completed?.data.note;
  return completed && actionCodes.get(completed.data.action as string)?.citizenNote && typeof note === 'string' && note.trim() ? note.trim() : null;
}

/** Installs the deliveries for every command of this process (idempotent). */
export function queueDeliveries(): void {
  onStatusChange(queueOnStatusChange);
}

export interface SyncState {
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  /** The status the latest sync message carries. */
  status: number;
  queuedAt: Date;
  sentAt: Date | null;
}

/**
 * The dossier's national-portal sync: settled (sent, failed) as its latest sync message is; while messages wait,
 * the attempts and error of the oldest waiting one, which the others queue behind. Null before any was queued.
 */
export async function syncState(db: Db, dossierId: string): Promise<SyncState | null> {
  const { latest, head } = await repo.latestAndHead(db, dossierId, 'portal-sync');
  if (!latest) return null;
  const current = latest.state === 'pending' && head ? head : latest;
  return {
    state: latest.state,
    attempts: current.attempts,
    lastError: current.last_error,
    lastAttemptAt: current.last_attempt_at,
    status: dossierEventOf(latest).status,
    queuedAt: latest.created_at,
    sentAt: latest.sent_at,
  };
}

/** A submitted dossier that `user` may see as staff of its agency (or, for reading, as an auditor). */
export async function staffDossier(db: Db, user: SessionUser, dossierId: string, allowAuditor: boolean) {
  const facts = await repo.dossierFacts(db, dossierId);
  const visible = facts && ((allowAuditor && isAuditor(user)) || grantsOf(user).some((g) => g.agencyId === facts.agency_id));
  if (!facts || !visible) throw dossierNotFound();
  return facts;
}

export async function syncStateFor(db: Db, user: SessionUser, dossierId: string): Promise<SyncState | null> {
  await staffDossier(db, user, dossierId, true);
  return syncState(db, dossierId);
}

/**
 * An officer of the dossier's agency asks to send its latest state to the portal again (Đồng bộ lại): a new sync
 * message is queued with the current status, earlier ones waiting out a backoff are made due now, and the request
 * joins the dossier's history.
 */
export async function resync(db: Db, user: SessionUser, dossierId: string, now = new Date()): Promise<SyncState> {
  const facts = await staffDossier(db, user, dossierId, false);
  const { dossier_status: status, instance_id: instanceId } = facts;
  if (!facts.code || status === null || !instanceId) {
    throw new HttpProblem(409, 'dossier-not-submitted', { vi: 'Hồ sơ chưa nộp nên chưa cần đồng bộ', en: 'A draft is not synchronised with the national portal' });
  }
  await inTransaction(db, async (trx) => {
    const deliveryId = await queueLatestState(trx, { dossierId, instanceId, status, resync: true }, now);
    await repo.bringForward(trx, dossierId, 'portal-sync', now);
    await appendHistoryOnly(trx, instanceId, user.id, now, [{ type: 'sync.requested', elementId: null, data: { deliveryId, status } }]);
  });
  return (await syncState(db, dossierId))!;
}

/**
 * Queues a sync message of the dossier's current state, in the caller's transaction: for a resync, or when
 * something the portal shows changed without a status change (an apology's new appointment).
 */
export async function queueLatestState(trx: Db, dossier: { dossierId: string; instanceId: string; status: number; resync: boolean }, now: Date): Promise<string> {
  const changedAt = (await repo.lastStatusChange(trx, dossier.instanceId)) ?? now;
  const event: DeliveryEvent = { status: dossier.status, from: dossier.status, at: changedAt.toISOString(), ...(dossier.resync ? { resync: true } : {}) };
  const [row] = await repo.insertDeliveries(trx, [{ channel: 'portal-sync', dossier_id: dossier.dossierId, payload: event, next_attempt_at: now }]);
  return row!.id;
}
