import statusCatalogue from '../../schemas/dossier-statuses.json' with { type: 'json' };
import type { Db } from '../../engine/db/database.js';
import { newMessageMail, notificationMail, type MailContent } from '../mail/mail.templates.js';
import { answeredQuestionMail } from '../questions/question.service.js';
import { DEFAULT_PUBLIC_URL } from '../config.js';
import type { MailSender } from '../mail/mail.sender.js';
import { PermanentDeliveryError } from './permanent-error.js';
import { deliverSigned } from './signed-request.js';
import * as repo from './delivery.repository.js';
import { DOSSIER_MESSAGE_KIND, dossierEventOf, isDossierEvent, type DeliveryChannel, type DeliveryRow } from './delivery.table.js';

/**
 * Sends one delivery. Its message is composed when sent, from the event the row records and the dossier as it
 * stands then: a late or retried delivery never carries a stale due date or document list. Throws to have the
 * delivery retried; a PermanentDeliveryError ends it at once.
 */
export interface Deliverer {
  deliver(db: Db, delivery: DeliveryRow): Promise<void>;
}
export type Deliverers = Partial<Record<DeliveryChannel, Deliverer>>;

/** The dossier a delivery is about, as it stands now. */
async function factsOf(db: Db, delivery: DeliveryRow) {
  if (!delivery.dossier_id) throw new PermanentDeliveryError(`delivery ${delivery.id} is about no dossier`);
  const facts = await repo.dossierFacts(db, delivery.dossier_id);
  // The code commits in the status change's transaction; without it the row could not have been written.
  if (!facts?.code) throw new PermanentDeliveryError(`dossier ${delivery.dossier_id} has no code`);
  return { ...facts, code: facts.code };
}

/** Who and what a dossier's mail is about, as every dossier template names them. */
const dossierParticulars = (facts: Awaited<ReturnType<typeof factsOf>>) => ({
  applicantName: facts.applicant_name,
  dossierCode: facts.code,
  procedureName: facts.procedure_name,
  agencyName: facts.agency_name,
});

/** The applicant's notification of a dossier's status change. */
async function dossierMail(db: Db, delivery: DeliveryRow): Promise<MailContent> {
  const event = dossierEventOf(delivery);
  const facts = await factsOf(db, delivery);
  return notificationMail({
    ...dossierParticulars(facts),
    dueAt: facts.due_at,
    status: event.status,
    at: new Date(event.at),
    reason: event.reason ?? null,
  });
}

/** The applicant's notice of a new message from the agency in the dossier's conversation, linking to its page. */
async function newMessageNotice(db: Db, delivery: DeliveryRow, at: string, publicUrl: string): Promise<MailContent> {
  const facts = await factsOf(db, delivery);
  return newMessageMail({
    ...dossierParticulars(facts),
    at: new Date(at),
    url: new URL(`/dossiers/${encodeURIComponent(facts.id)}`, publicUrl).toString(),
  });
}

/**
 * Emails by SMTP: the applicant's notification about a dossier, or the answer to a question someone asked (Hỏi
 * đáp; its link points into `publicUrl`). The Message-ID is the delivery's, so a resent copy is recognisable.
 */
export function emailDeliverer(sender: MailSender, options: { publicUrl?: string } = {}): Deliverer {
  return {
    async deliver(db, delivery) {
      const event = delivery.payload;
      if (!event.to) throw new PermanentDeliveryError('no recipient');
      const mail = await composeMail(db, delivery, options.publicUrl ?? DEFAULT_PUBLIC_URL);
      await sender.send({ to: event.to, ...mail, messageId: `<${delivery.id}@${sender.domain}>` });
    },
  };
}

/** The email a delivery owes, by the kind of its payload. */
async function composeMail(db: Db, delivery: DeliveryRow, publicUrl: string): Promise<MailContent> {
  const event = delivery.payload;
  if (isDossierEvent(event)) return dossierMail(db, delivery);
  switch (event.kind) {
    case 'question-answered':
      return answeredQuestionMail(db, delivery.question_id!, publicUrl);
    case DOSSIER_MESSAGE_KIND:
      return newMessageNotice(db, delivery, event.at, publicUrl);
    default:
      // A kind written by a newer server than this one.
      throw new PermanentDeliveryError(`no email for deliveries of kind ${(event as { kind: string }).kind}`);
  }
}

const statusNames = new Map(statusCatalogue.statuses.map((s) => [s.code, s.vi]));

/** The message the national portal receives for each status change of a dossier (and for each resync). */
export interface PortalSyncMessage {
  /** The delivery's id, also sent as Idempotency-Key. */
  messageId: string;
  dossierCode: string;
  procedureCode: string;
  agencyCode: string;
  channel: 'online' | 'counter' | 'post';
  receivedAt: string | null;
  dueAt: string | null;
  /** The new appointment an apology for lateness gave (form 04), when there is one. */
  rescheduledDueAt: string | null;
  /** National status 1–10 (TrangThaiHoSo) and its name. */
  status: number;
  statusName: string;
  /** When the dossier reached this status. */
  changedAt: string;
  /** Sent again at an officer's request (Đồng bộ lại). */
  resync: boolean;
  documents: DocumentEntry[];
}

export async function portalSyncMessage(db: Db, delivery: DeliveryRow): Promise<PortalSyncMessage> {
  const event = dossierEventOf(delivery);
  const facts = await factsOf(db, delivery);
  return {
    messageId: delivery.id,
    dossierCode: facts.code,
    procedureCode: facts.procedure_code,
    agencyCode: facts.agency_code,
    channel: facts.channel,
    receivedAt: facts.submitted_at?.toISOString() ?? null,
    dueAt: facts.due_at?.toISOString() ?? null,
    rescheduledDueAt: facts.rescheduled_due_at?.toISOString() ?? null,
    status: event.status,
    statusName: statusNames.get(event.status) ?? String(event.status),
    changedAt: event.at,
    resync: event.resync === true,
    documents: await documentList(db, facts.id),
  };
}

/** A dossier's current documents as peers are told of them: by component, with their hashes (not their bytes). */
export interface DocumentEntry {
  componentCode: string;
  componentName: string | null;
  fileName: string;
  sha256: string;
  size: number;
  mediaType: string;
}

export async function documentList(db: Db, dossierId: string): Promise<DocumentEntry[]> {
  return (await repo.documentsOf(db, dossierId)).map((d) => ({
    componentCode: d.component_code,
    componentName: d.component_name,
    fileName: d.original_name,
    sha256: d.sha256,
    size: d.size,
    mediaType: d.media_type,
  }));
}

/**
 * POSTs the sync message as JSON to the portal, signed with HMAC-SHA256 and keyed by the delivery id: the portal
 * keeps a message sent twice once. 2xx is delivered; 408, 429 and 5xx are retried; any other answer is final.
 */
export function portalDeliverer(options: { url: string; secret: string; timeoutMs?: number }): Deliverer {
  return {
    async deliver(db, delivery) {
      const body = JSON.stringify(await portalSyncMessage(db, delivery));
      await deliverSigned(options.url, { secret: options.secret, key: delivery.id, body, timeoutMs: options.timeoutMs });
    },
  };
}
