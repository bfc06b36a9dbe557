/** `GET /api/dossiers/:id/liaison` and the task page's `liaison` (server/inter-agency): dates as ISO 8601 strings. */

export type PartnerDecision = 'approved' | 'refused';

/** One request sent to the partner agency: the first, and one per resend after the wait ran out. */
export interface PartnerRequest {
  requestId: string;
  queuedAt: string;
  /** pending: queued or being retried; sent: the partner took it; failed: given up (staff may send it again). */
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  sentAt: string | null;
  /** The partner's result, when it answered this request and the dossier took it. */
  answer: { decision: PartnerDecision; note: string; reference: string | null; at: string } | null;
}

/** Trạng thái liên thông: the dossier's requests to the partner agency, oldest first. */
export interface Liaison {
  requests: PartnerRequest[];
}

/** The dossier's state with the partner, in one word: its result when one was taken, else how its latest request went. */
export type LiaisonSummary = PartnerDecision | PartnerRequest['state'];

export function liaisonSummary(liaison: Liaison): LiaisonSummary {
  const answered = liaison.requests.find((r) => r.answer);
  if (answered?.answer) return answered.answer.decision;
  return liaison.requests.at(-1)?.state ?? 'pending';
}
