import { describe, expect, test } from 'vitest';
import { eventFacts, eventTypeLabel } from '../../web/src/lib/audit/events.js';
import type { HistoryEvent } from '../../web/src/lib/api/types.js';
import { liaisonSummary, type PartnerRequest } from '../../web/src/lib/inter-agency/types.js';
import { historyEntries } from '../../web/src/lib/officer/history.js';

const event = (seq: number, type: string, data: Record<string, unknown>, actorId: string | null = 'system:inter-agency'): HistoryEvent => ({
  seq,
  version: seq,
  type,
  elementId: null,
  actorId,
  actorName: null,
  at: `2025-03-0${seq}T02:00:00.000Z`,
  data,
  hash: 'h',
});

const request = (state: PartnerRequest['state'], answer: PartnerRequest['answer'] = null): PartnerRequest => ({
  requestId: `r-${state}`,
  queuedAt: '2025-03-01T02:00:00.000Z',
  state,
  attempts: 1,
  lastError: null,
  lastAttemptAt: null,
  sentAt: null,
  answer,
});

describe('the liaison in the officer’s history', () => {
  const events = [
    event(1, 'interagency.sent', { requestId: 'r1', attempts: 2 }),
    event(2, 'interagency.retried', { requestId: 'r1' }, 'o1'),
    event(3, 'message.correlated', { message: 'interagency.result', payload: { partnerResult: { requestId: 'r1', decision: 'refused', note: 'Sai nơi cư trú', reference: null } } }),
    event(4, 'message.correlated', { message: 'other.message', payload: {} }),
  ];

  test('the request taken, a retry and the partner’s result read as sentences, with who did them', () => {
    const entries = historyEntries(events, { lang: 'vi', applicantName: 'Nguyễn Văn An', channel: 'online', nameOf: (id) => (id === 'o1' ? 'Cán bộ Một' : undefined) });
    expect(entries.map((e) => [e.title, e.actor, e.note])).toEqual([
      ['Cơ quan phối hợp đã nhận hồ sơ liên thông', 'Hệ thống', undefined],
      ['Gửi lại yêu cầu liên thông', 'Cán bộ Một', undefined],
      ['Nhận kết quả liên thông: Từ chối', 'Hệ thống', 'Sai nơi cư trú'],
      ['Nhận thông điệp “other.message”', 'Hệ thống', undefined],
    ]);
    expect(historyEntries(events.slice(2, 3), { lang: 'en', applicantName: '', channel: 'online', nameOf: () => undefined })[0]?.title).toBe('Inter-agency result received: Refused');
  });

  test('the auditor’s replay names the events and their request', () => {
    expect(eventTypeLabel('interagency.sent', 'en')).toBe('Inter-agency request taken by the partner agency');
    expect(eventFacts(events[0]!, 'vi')).toEqual([
      { term: 'Mã yêu cầu', value: 'r1' },
      { term: 'Số lần gửi', value: '2' },
    ]);
  });
});

test('the liaison’s summary: the result when one was taken, else how the latest request went', () => {
  expect(liaisonSummary({ requests: [request('sent')] })).toBe('sent');
  expect(liaisonSummary({ requests: [request('sent'), request('failed')] })).toBe('failed');
  expect(liaisonSummary({ requests: [request('sent', { decision: 'approved', note: '', reference: null, at: '2025-03-02T02:00:00.000Z' }), request('pending')] })).toBe('approved');
});
