import type { Db } from '../../engine/db/database.js';
import type { Deliverer } from '../deliveries/channels.js';
import { PermanentDeliveryError } from '../deliveries/permanent-error.js';
import { deliverSigned } from '../deliveries/signed-request.js';
import type { PostalDirection } from './postal.table.js';
import * as repo from './postal.repository.js';
import { recordPostalState } from './postal.service.js';

/**
 * The post office's side of the protocol (modelled on VNPost's order API, signed as the portal sync is):
 * - we place an order: `POST {POSTAL_URL}/orders`, JSON `PostalOrderRequest`, keyed by the order id
 *   (Idempotency-Key) and signed (`x-dvc-signature`); it answers `{ trackingCode }`, the same code for the same key;
 * - it reports each state: `POST /api/postal/events` on our side, JSON `PostalEventReport`, keyed by its event
 *   id and signed with the same shared secret.
 */
export interface PostalOrderRequest {
  orderId: string;
  /** collection: pick the paper dossier up at `party` and bring it to the agency; return: the reverse. */
  direction: PostalDirection;
  dossierCode: string;
  procedureName: string;
  agency: { code: string; name: string };
  party: { name: string; phone: string; address: string };
  /** Where the post reports the order's states. */
  callbackUrl: string;
}

export interface PostalEventReport {
  eventId: string;
  orderId: string;
  trackingCode: string;
  state: 'awaiting-confirmation' | 'accepted' | 'delivered';
  at: string;
}

export const POSTAL_EVENTS_PATH = '/api/postal/events';

/** Places the delivery's postal order; the post's acknowledgement (its tracking code) is recorded as "awaiting confirmation". */
export function postOfficeDeliverer(options: { url: string; secret: string; callbackUrl: string; timeoutMs?: number }): Deliverer {
  return {
    async deliver(db: Db, delivery) {
      const orderId = delivery.payload.postalOrderId;
      const order = orderId ? await repo.orderFacts(db, orderId) : undefined;
      if (!order?.code) throw new PermanentDeliveryError(`postal order ${orderId} not found`);
      // Retried after the post answered but before the answer was recorded: the order is placed, nothing to send.
      if (order.state !== 'requested') return;
      const request: PostalOrderRequest = {
        orderId: order.id,
        direction: order.direction,
        dossierCode: order.code,
        procedureName: order.procedure_name,
        agency: { code: order.agency_code, name: order.agency_name },
        party: { name: order.recipient_name, phone: order.phone, address: order.address },
        callbackUrl: options.callbackUrl,
      };
      const text = await deliverSigned(`${options.url.replace(/\/$/, '')}/orders`, { secret: options.secret, key: order.id, body: JSON.stringify(request), timeoutMs: options.timeoutMs });
      const trackingCode = (JSON.parse(text) as { trackingCode?: unknown }).trackingCode;
      if (typeof trackingCode !== 'string' || !trackingCode) throw new Error(`the post office answered without a tracking code: ${text.slice(0, 300)}`);
      await recordPostalState(db, order.id, { state: 'awaiting-confirmation', trackingCode, at: new Date() });
    },
  };
}
