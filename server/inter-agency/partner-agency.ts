import type { Db } from '../../engine/db/database.js';
import { recordOutboxFailure } from '../../engine/outbox/outbox.repository.js';
import { documentList, type Deliverer, type DocumentEntry } from '../deliveries/channels.js';
import { PermanentDeliveryError } from '../deliveries/permanent-error.js';
import { deliverSigned } from '../deliveries/signed-request.js';
import * as repo from './inter-agency.repository.js';
import { PARTNER_REQUEST_TOPIC, recordRequestSent, requestIdOf, type PartnerDecision } from './inter-agency.service.js';

/**
 * The partner agency's side of an inter-agency dossier (liên thông, e.g. the 3-in-1: birth registration at the
 * commune, permanent residence at the police, the child's health-insurance card at social insurance), signed as
 * the portal sync and the post office are:
 * - we send each request: `POST {PARTNER_URL}/requests`, JSON `PartnerRequest`, keyed by the request id (the send
 *   task's outbox message id: Idempotency-Key) and signed (`x-dvc-signature`); any 2xx means it was taken;
 * - it answers: `POST /api/inter-agency/results` on our side, JSON `PartnerResultReport`, keyed by its event id
 *   and signed with the same shared secret.
 */
export interface PartnerRequest {
  /** The request's id: the outbox message, also the Idempotency-Key. A resent dossier is a new request. */
  requestId: string;
  requestedAt: string;
  dossierCode: string;
  procedure: { code: string; name: string };
  agency: { code: string; name: string };
  applicant: { name: string; idNumber: string | null };
  /** The eForm's answers as the applicant gave them (for the 3-in-1: the child, the parents, the residence). */
  form: Record<string, unknown>;
  /** The dossier's documents by component, with their SHA-256 (the partner fetches none of our files by path). */
  documents: DocumentEntry[];
  /** Where the partner answers. */
  callbackUrl: string;
}

export interface PartnerResultReport {
  eventId: string;
  /** The request answered. */
  requestId: string;
  decision: PartnerDecision;
  /** The partner's words (the reason of a refusal). */
  note: string;
  /** The partner's own reference (its dossier number, the card's number). */
  reference?: string;
}

export const INTERAGENCY_RESULTS_PATH = '/api/inter-agency/results';

/**
 * Sends the delivery's request to the partner agency, composed from the dossier as it stands; the partner's 2xx
 * marks the outbox message sent and joins the dossier's history (`interagency.sent`). A failed attempt is kept on
 * the outbox message too, for whoever reads the engine's outbox.
 */
export function partnerDeliverer(options: { url: string; secret: string; callbackUrl: string; timeoutMs?: number }): Deliverer {
  return {
    async deliver(db: Db, delivery) {
      const requestId = requestIdOf(delivery);
      if (!requestId) throw new PermanentDeliveryError(`delivery ${delivery.id} carries no inter-agency request`);
      const facts = await repo.requestFacts(db, requestId);
      if (!facts?.code || facts.topic !== PARTNER_REQUEST_TOPIC) throw new PermanentDeliveryError(`inter-agency request ${requestId} not found`);
      // Retried after the partner took it but before that was recorded: nothing to send.
      if (facts.state === 'sent') return;
      const request: PartnerRequest = {
        requestId,
        requestedAt: facts.requested_at.toISOString(),
        dossierCode: facts.code,
        procedure: { code: facts.procedure_code, name: facts.procedure_name },
        agency: { code: facts.agency_code, name: facts.agency_name },
        applicant: { name: facts.applicant_name, idNumber: facts.applicant_id_number },
        form: facts.form_data,
        documents: await documentList(db, facts.dossier_id),
        callbackUrl: options.callbackUrl,
      };
      try {
        await deliverSigned(`${options.url.replace(/\/$/, '')}/requests`, { secret: options.secret, key: requestId, body: JSON.stringify(request), timeoutMs: options.timeoutMs });
      } catch (err) {
        await recordOutboxFailure(db, requestId, delivery.attempts, (err as Error).message.slice(0, 2000), err instanceof PermanentDeliveryError);
        throw err;
      }
      await recordRequestSent(db, { requestId, instanceId: facts.instance_id!, attempts: delivery.attempts, at: new Date() });
    },
  };
}
