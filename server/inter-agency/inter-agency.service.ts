import type { Db } from '../../engine/db/database.js';
import { Conflict } from '../../engine/errors.js';
import { isUuid } from '../../engine/json.js';
import { correlateIn, onOutboxMessage, type OutboxMessage } from '../../engine/process-core.js';
import { appendHistoryOnly, inTransaction } from '../../engine/runtime/command.js';
import { lockInstance } from '../../engine/instances/instance.repository.js';
import { findOutboxMessage, markOutboxSent, outboxOfTopic, reopenOutboxMessage } from '../../engine/outbox/outbox.repository.js';
import type { SessionUser } from '../accounts/account.service.js';
import { HttpProblem } from '../problems.js';
import { deliveriesOf, dossierFacts, insertDeliveries, requeueFailed } from '../deliveries/delivery.repository.js';
import { staffDossier } from '../deliveries/delivery.service.js';
import { PARTNER_REQUEST_KIND, type DeliveryRow, type DeliveryState } from '../deliveries/delivery.table.js';
import * as repo from './inter-agency.repository.js';

/** The send task's message to the partner agency, and the message its result comes back as (inter-agency.bpmn). */
export const PARTNER_REQUEST_TOPIC = 'interagency.request';
export const PARTNER_RESULT_MESSAGE = 'interagency.result';
/** Actor of what the liaison records in the dossier's history: a request taken by the partner, its result. */
export const INTERAGENCY_SYSTEM_ACTOR = 'system:inter-agency';

export type PartnerDecision = 'approved' | 'refused';

export interface PartnerAnswerView {
  decision: PartnerDecision;
  note: string;
  reference: string | null;
  at: Date;
}

/** One request sent to the partner (the first, and one per resend after the wait ran out). */
export interface PartnerRequestView {
  requestId: string;
  queuedAt: Date;
  /** pending: queued or being retried; sent: the partner took it; failed: given up (staff may retry). */
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  /** The partner's result, when it answered this request and the dossier took it. */
  answer: PartnerAnswerView | null;
}

/** Trạng thái liên thông: what was sent to the partner agency, how it went, and what it answered. */
export interface LiaisonView {
  requests: PartnerRequestView[];
}

/** The request a delivery carries (channel 'partner'); undefined for any other delivery. */
export const requestIdOf = (delivery: Pick<DeliveryRow, 'payload'>): string | undefined =>
  'kind' in delivery.payload && delivery.payload.kind === PARTNER_REQUEST_KIND ? delivery.payload.outboxMessageId : undefined;

/**
 * Queues the delivery of each request to the partner, in the transaction of the command whose send task wrote
 * it: a partner that is down delays the request and never loses it. Dossiers are instances keyed by the dossier
 * id; other instances (engine tests, tools) owe nothing.
 */
async function queueRequest(trx: Db, message: OutboxMessage): Promise<void> {
  if (message.topic !== PARTNER_REQUEST_TOPIC || !message.businessKey || !isUuid(message.businessKey)) return;
  const dossier = await dossierFacts(trx, message.businessKey);
  if (!dossier) return;
  await insertDeliveries(trx, [
    {
      channel: 'partner',
      dossier_id: dossier.id,
      payload: { kind: PARTNER_REQUEST_KIND, at: message.at.toISOString(), outboxMessageId: message.outboxMessageId },
      next_attempt_at: message.at,
    },
  ]);
}

/** Installs the liaison's work of every command (idempotent). */
export function installInterAgency(): void {
  onOutboxMessage(queueRequest);
}

/** The partner took the request: recorded once on the outbox message and in the dossier's history. */
export async function recordRequestSent(db: Db, sent: { requestId: string; instanceId: string; attempts: number; at: Date }): Promise<void> {
  await inTransaction(db, async (trx) => {
    // The instance first, as commands lock it.
    await lockInstance(trx, sent.instanceId);
    if (!(await markOutboxSent(trx, sent.requestId, sent.attempts, sent.at))) return;
    await appendHistoryOnly(trx, sent.instanceId, INTERAGENCY_SYSTEM_ACTOR, sent.at, [
      { type: 'interagency.sent', elementId: null, data: { requestId: sent.requestId, attempts: sent.attempts } },
    ]);
  });
}

interface RecordedAnswer extends PartnerAnswerView {
  requestId: string;
}

/** The partner's results the dossier took, from its history (each a correlated `interagency.result`). */
async function answersOf(db: Db, instanceId: string): Promise<RecordedAnswer[]> {
  const answers: RecordedAnswer[] = [];
  for (const event of await repo.correlatedMessages(db, instanceId)) {
    if (event.data.message !== PARTNER_RESULT_MESSAGE) continue;
    const result = ((event.data.payload as Record<string, unknown> | undefined)?.partnerResult ?? {}) as Record<string, unknown>;
    if (typeof result.requestId !== 'string') continue;
    answers.push({
      requestId: result.requestId,
      decision: result.decision === 'refused' ? 'refused' : 'approved',
      note: typeof result.note === 'string' ? result.note : '',
      reference: typeof result.reference === 'string' ? result.reference : null,
      at: event.at,
    });
  }
  return answers;
}

const requestNotFound = () => new HttpProblem(404, 'interagency-request-not-found', { vi: 'Không tìm thấy yêu cầu liên thông', en: 'Inter-agency request not found' });

/**
 * Applies the partner's result to the dossier, once: the message `interagency.result` is correlated with
 * `{ partnerResult: { decision, note, reference, requestId, eventId } }` and the process moves on (to the return
 * step). A dossier resent after the wait ran out has several requests; the first result for ANY of them while the
 * dossier waits is taken, and no other: a replay of the result taken answers `changed: false`, a late result for
 * another request finds nothing waiting (409), as does a result while the dossier does not wait (the wait ran out
 * and it was not resent yet: the partner answers again, to the new request or by a retried callback).
 */
export async function recordPartnerResult(
  db: Db,
  report: { eventId: string; requestId: string; decision: PartnerDecision; note: string; reference?: string },
  now = new Date(),
): Promise<{ changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const message = await findOutboxMessage(trx, report.requestId);
    if (!message?.instance_id || message.topic !== PARTNER_REQUEST_TOPIC) throw requestNotFound();
    await lockInstance(trx, message.instance_id);
    const answers = await answersOf(trx, message.instance_id);
    const taken = answers.find((a) => a.requestId === report.requestId);
    if (taken) {
      if (taken.decision === report.decision) return { changed: false };
      throw new HttpProblem(409, 'interagency-result-conflict', {
        vi: 'Yêu cầu liên thông này đã có kết quả khác; kết quả đã nhận không thay đổi được',
        en: 'This request already has a different result; a result once taken does not change',
      });
    }
    const partnerResult = { requestId: report.requestId, eventId: report.eventId, decision: report.decision, note: report.note, reference: report.reference ?? null };
    try {
      await correlateIn(trx, {
        instanceId: message.instance_id,
        messageName: PARTNER_RESULT_MESSAGE,
        payload: { partnerResult },
        actor: { id: INTERAGENCY_SYSTEM_ACTOR, groups: [] },
        now,
      });
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      throw new HttpProblem(
        409,
        'interagency-not-waiting',
        answers.length
          ? { vi: 'Hồ sơ đã nhận kết quả liên thông của một yêu cầu khác; kết quả này không được áp dụng', en: 'The dossier already took the result of another request; this one is not applied' }
          : {
              vi: 'Hồ sơ hiện không chờ kết quả liên thông (đã quá hạn chờ hoặc đã kết thúc); kết quả được nhận khi hồ sơ được gửi lại',
              en: 'The dossier is not waiting for a partner result now (the wait ran out, or it ended); a result is taken once the dossier is resent',
            },
      );
    }
    return { changed: true };
  });
}

/** The dossier's requests to the partner, oldest first, each with how its delivery went and its answer; null when there are none. */
export async function liaisonOf(db: Db, dossierId: string): Promise<LiaisonView | null> {
  const dossier = await repo.instanceOfDossier(db, dossierId);
  if (!dossier?.instance_id) return null;
  const [messages, deliveries, answers] = await Promise.all([
    outboxOfTopic(db, dossier.instance_id, PARTNER_REQUEST_TOPIC),
    deliveriesOf(db, dossierId),
    answersOf(db, dossier.instance_id),
  ]);
  if (!messages.length) return null;
  const deliveryOf = new Map<string, DeliveryRow>();
  for (const d of deliveries) {
    const requestId = requestIdOf(d);
    if (requestId) deliveryOf.set(requestId, d);
  }
  return {
    requests: messages.map((m) => {
      const delivery = deliveryOf.get(m.id);
      const answer = answers.find((a) => a.requestId === m.id);
      return {
        requestId: m.id,
        queuedAt: m.created_at,
        state: m.state === 'sent' ? 'sent' : m.state === 'failed' || delivery?.state === 'failed' ? 'failed' : 'pending',
        attempts: delivery?.attempts ?? m.attempts,
        lastError: m.state === 'sent' ? null : (delivery?.last_error ?? m.last_error),
        lastAttemptAt: delivery?.last_attempt_at ?? null,
        sentAt: m.sent_at,
        answer: answer ? { decision: answer.decision, note: answer.note, reference: answer.reference, at: answer.at } : null,
      };
    }),
  };
}

/** For staff of the dossier's agency and auditors; anyone else is told the dossier does not exist. */
export async function liaisonFor(db: Db, user: SessionUser, dossierId: string): Promise<LiaisonView | null> {
  await staffDossier(db, user, dossierId, true);
  return liaisonOf(db, dossierId);
}

/**
 * Staff of the dossier's agency send a request the delivery queue gave up on again (Gửi lại): its delivery is due
 * now with a fresh count of attempts, and the request joins the dossier's history. Only while no result was taken.
 */
export async function retryRequest(db: Db, user: SessionUser, dossierId: string, requestId: string, now = new Date()): Promise<LiaisonView> {
  const facts = await staffDossier(db, user, dossierId, false);
  if (!facts.instance_id) throw requestNotFound();
  const instanceId = facts.instance_id;
  await inTransaction(db, async (trx) => {
    await lockInstance(trx, instanceId);
    const message = await findOutboxMessage(trx, requestId);
    const delivery = (await deliveriesOf(trx, dossierId)).find((d) => requestIdOf(d) === requestId);
    if (!message || message.instance_id !== instanceId || message.topic !== PARTNER_REQUEST_TOPIC || !delivery) throw requestNotFound();
    if ((await answersOf(trx, instanceId)).length) {
      throw new HttpProblem(409, 'interagency-answered', { vi: 'Hồ sơ đã nhận kết quả liên thông, không cần gửi lại', en: 'The dossier already has the partner’s result' });
    }
    if (!(await requeueFailed(trx, delivery.id, now))) {
      throw new HttpProblem(409, 'interagency-request-not-failed', {
        vi: 'Yêu cầu này chưa bị ngừng gửi: hệ thống vẫn đang tự gửi lại hoặc cơ quan phối hợp đã nhận',
        en: 'This request was not given up: it is still being retried, or the partner took it',
      });
    }
    await reopenOutboxMessage(trx, requestId);
    await appendHistoryOnly(trx, instanceId, user.id, now, [{ type: 'interagency.retried', elementId: null, data: { requestId } }]);
  });
  return (await liaisonOf(db, dossierId))!;
}
