import type { PostalDirection, PostalState } from './api/types.js';
import type { Lang, MessageKey } from './i18n/messages.js';
import { translate } from './i18n/translate.js';

/** A parcel's state in words: "delivered" names where it arrived (the agency, or the recipient). */
export const postalStateKey = (direction: PostalDirection, state: PostalState): MessageKey =>
  state === 'delivered' ? `postal.state.delivered-${direction}` : `postal.state.${state}`;

/** A `postal.state` history event in words: the service, the state and the tracking code. */
export function postalText(data: Record<string, unknown>, lang: Lang): string {
  const direction: PostalDirection = data.direction === 'return' ? 'return' : 'collection';
  const state = translate(lang, postalStateKey(direction, data.state as PostalState));
  const line = translate(lang, 'postal.timeline', { direction: translate(lang, `postal.direction.${direction}`), state });
  return typeof data.trackingCode === 'string' ? `${line} (${data.trackingCode})` : line;
}
