import type { ColumnType, Generated, Selectable } from 'kysely';

export const DELIVERY_CHANNELS = ['email', 'portal-sync', 'postal', 'partner'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export type DeliveryState = 'pending' | 'sent' | 'failed';

/** What happened, as the delivery's message will tell it: composed into an email or a sync message when sent. */
export interface DeliveryEvent {
  /** National status 1–10 the dossier reached. */
  status: number;
  from: number | null;
  /** When the status changed (ISO 8601). */
  at: string;
  /** A reason addressed to the applicant (supplement request, refusal), from the action's note. */
  reason?: string | null;
  /** The applicant's address (email channel only), as it was when the change happened. */
  to?: string;
  /** An officer asked to send the dossier's latest state again (Đồng bộ lại). */
  resync?: boolean;
  /** The postal order to place with the post office (postal channel only). */
  postalOrderId?: string;
}

/**
 * The other kind of message: the answer to a question the recipient asked about a procedure (Hỏi đáp) was
 * published. Email channel only; the delivery names the question (`question_id`) instead of a dossier. It has none
 * of a dossier event's fields, so that code reading them sees them as absent.
 */
export type QuestionAnsweredEvent = { kind: 'question-answered'; to: string; at: string } & { [K in Exclude<keyof DeliveryEvent, 'to' | 'at'>]?: never };
/**
 * A new message from the agency in a dossier's conversation (Trao đổi với công dân): the applicant is told by
 * email to read it on the portal. Email channel only; the delivery names the dossier. Like a question's, it has
 * none of a status event's fields.
 */
export const DOSSIER_MESSAGE_KIND = 'dossier-message';
export type DossierMessageEvent = { kind: typeof DOSSIER_MESSAGE_KIND; to: string; at: string; messageId: string } & {
  [K in Exclude<keyof DeliveryEvent, 'to' | 'at'>]?: never;
};
/**
 * A request to the partner agency of an inter-agency dossier (liên thông): the send task's outbox message to
 * deliver. Channel 'partner' only; the delivery names the dossier, the payload the outbox message.
 */
export const PARTNER_REQUEST_KIND = 'partner-request';
export type PartnerRequestEvent = { kind: typeof PARTNER_REQUEST_KIND; at: string; outboxMessageId: string } & {
  [K in Exclude<keyof DeliveryEvent, 'at'>]?: never;
};
export type DeliveryPayload = DeliveryEvent | QuestionAnsweredEvent | DossierMessageEvent | PartnerRequestEvent;

/** Whether a delivery's payload is a dossier's status event (every channel's) rather than an email of another kind. */
export const isDossierEvent = (payload: DeliveryPayload): payload is DeliveryEvent => !('kind' in payload);

/** The event of a delivery about a dossier; a question's delivery has none (a bug to reach here with one). */
export function dossierEventOf(delivery: { id: string; payload: DeliveryPayload }): DeliveryEvent {
  if (!isDossierEvent(delivery.payload)) throw new Error(`delivery ${delivery.id} is about a question, not a dossier`);
  return delivery.payload;
}

export interface DeliveryTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  channel: DeliveryChannel;
  /** What the message is about: a dossier, or a question (exactly one of the two). */
  dossier_id: ColumnType<string | null, string | undefined, never>;
  question_id: ColumnType<string | null, string | undefined, never>;
  payload: ColumnType<DeliveryPayload, string, string>;
  state: Generated<DeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  lease_until: ColumnType<Date | null, never, Date | null>;
  last_attempt_at: ColumnType<Date | null, never, Date>;
  last_error: ColumnType<string | null, never, string | null>;
  created_at: ColumnType<Date, never, never>;
  sent_at: ColumnType<Date | null, never, Date>;
  failed_at: ColumnType<Date | null, never, Date>;
}
export type DeliveryRow = Selectable<DeliveryTable>;
