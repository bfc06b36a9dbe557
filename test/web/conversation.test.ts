import { describe, expect, test } from 'vitest';
import type { HistoryEvent } from '../../web/src/lib/api/types.js';
import { eventFacts, eventTypeLabel } from '../../web/src/lib/audit/events.js';
import { arrivedFromOthers, MAX_BODY_CHARS, mergeMessages, messageProblems, type Message } from '../../web/src/lib/messages/conversation.js';
import { historyEntries } from '../../web/src/lib/officer/history.js';

const message = (seq: number, mine = false): Message => ({
  id: `m${seq}`,
  seq,
  side: mine ? 'citizen' : 'staff',
  authorName: null,
  mine,
  body: `Tin ${seq}`,
  createdAt: `2024-08-21T0${seq}:00:00Z`,
  attachments: [],
});

describe('the conversation panel’s logic', () => {
  test('checks what the API would refuse before sending, with the field at fault', () => {
    const pdf = { name: 'a.pdf', size: 1000, type: 'application/pdf' };
    expect(messageProblems('Xin chào', [pdf])).toEqual([]);
    expect(messageProblems('  \n ', []).map((p) => [p.path, p.message.vi])).toEqual([['/body/body', 'Nhập nội dung trao đổi']]);
    expect(messageProblems('ạ'.repeat(MAX_BODY_CHARS), [])).toEqual([]);
    expect(messageProblems('ạ'.repeat(MAX_BODY_CHARS + 1), []).map((p) => p.path)).toEqual(['/body/body']);
    const problems = messageProblems('Kèm tệp', [pdf, { name: 'rong.pdf', size: 0, type: 'application/pdf' }, { name: 'x.exe', size: 10, type: 'application/x-msdownload' }, pdf]);
    expect(problems.map((p) => [p.path, p.message.en])).toEqual([
      ['/body/file', 'At most 3 attachments'],
      ['/body/file/1', 'The file rong.pdf is empty or larger than 10 MB'],
      ['/body/file/2', 'The file x.exe is not a PDF, JPG, PNG or DOCX'],
    ]);
  });

  test('new messages of the other side are announced; lists merge in order, each message once', () => {
    const shown = [message(1, true), message(2)];
    const read = [message(2), message(3), message(4, true)];
    expect(arrivedFromOthers(shown, read).map((m) => m.seq)).toEqual([3]);
    expect(mergeMessages(shown, read).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(mergeMessages([message(5)], [message(1), message(3)]).map((m) => m.seq)).toEqual([1, 3, 5]);
  });
});

describe('conversation messages in the history', () => {
  const event = (seq: number, side: string, attachments: unknown[], actorId: string): HistoryEvent => ({
    seq,
    version: 1,
    type: 'conversation.posted',
    elementId: null,
    actorId,
    actorName: null,
    at: `2024-08-21T0${seq}:00:00Z`,
    data: { messageId: `m${seq}`, side, bodySha256: 'x', attachments },
    hash: '',
  });

  test('the officer’s history says who wrote and how many files came with it', () => {
    const entries = historyEntries([event(1, 'citizen', [{ sha256: 'a' }], 'citizen-1'), event(2, 'staff', [], 'o1')], {
      lang: 'vi',
      applicantName: 'Nguyễn Văn An',
      channel: 'online',
      nameOf: (id) => ({ o1: 'Cán bộ Một' })[id],
    });
    expect(entries.map((e) => [e.title, e.actor, e.note])).toEqual([
      ['Công dân gửi trao đổi', 'Nguyễn Văn An', 'Kèm 1 tệp'],
      ['Cán bộ gửi trao đổi cho công dân', 'Cán bộ Một', undefined],
    ]);
  });

  test('the auditor’s replay names the event and its sender', () => {
    const posted = event(1, 'citizen', [{ sha256: 'a' }, { sha256: 'b' }], 'citizen-1');
    expect(eventTypeLabel('conversation.posted', 'en')).toBe('Conversation message');
    expect(eventFacts(posted, 'vi')).toEqual([
      { term: 'Bên gửi', value: 'Công dân' },
      { term: 'Tệp đính kèm', value: '2' },
    ]);
  });
});
