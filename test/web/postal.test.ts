import { describe, expect, test } from 'vitest';
import { postalStateKey, postalText } from '../../web/src/lib/postal.js';
import { eventTypeLabel } from '../../web/src/lib/audit/events.js';

describe('postal states in words', () => {
  test('“delivered” says where the parcel arrived; a history event names the service, the state and the tracking code', () => {
    expect([postalStateKey('collection', 'delivered'), postalStateKey('return', 'delivered'), postalStateKey('return', 'accepted')]).toEqual([
      'postal.state.delivered-collection',
      'postal.state.delivered-return',
      'postal.state.accepted',
    ]);
    const event = { direction: 'return', state: 'delivered', trackingCode: 'EV123456789VN' };
    expect(postalText(event, 'vi')).toBe('Chuyển trả kết quả: Đã phát đến người nhận (EV123456789VN)');
    expect(postalText({ direction: 'collection', state: 'accepted' }, 'en')).toBe('Collection of the paper dossier: Accepted by the post office');
    expect(eventTypeLabel('postal.state', 'vi')).toBe('Bưu chính báo trạng thái bưu gửi');
  });
});
