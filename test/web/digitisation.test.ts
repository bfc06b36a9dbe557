import { describe, expect, test } from 'vitest';
import type { HistoryEvent, ProcedureDetail } from '../../web/src/lib/api/types.js';
import { digitisationEntry, markOf, reclassifyTargets, type DossierDigitisation } from '../../web/src/lib/digitisation/digitisation.js';
import { historyEntries } from '../../web/src/lib/officer/history.js';
import { eventFacts, eventTypeLabel } from '../../web/src/lib/audit/events.js';

const event = (type: string, data: Record<string, unknown>, seq = 1): HistoryEvent =>
  ({ seq, version: 1, type, elementId: null, actorId: 'u-clerk', actorName: 'Văn thư', at: '2025-03-05T03:00:00.000Z', data, hash: 'h' }) as HistoryEvent;

describe('digitisation on the task page', () => {
  const component = (code: string, kind: 'input' | 'result') => ({ code, name: code, kind, required: false, manyFiles: false, signatureRequired: false, maxSizeMb: 10, allowedTypes: ['application/pdf'] });
  const procedure = { components: [component('TP05', 'input'), component('TP06', 'input'), component('TP99', 'input'), component('KQ01', 'result')] } as unknown as ProcedureDetail;

  test('a file under "other documents" may go to the other input components, never to a result', () => {
    expect(reclassifyTargets(procedure, 'TP99').map((c) => c.code)).toEqual(['TP05', 'TP06']);
  });

  test('a file’s mark: the one in force, null when none, undefined while unknown', () => {
    const mark = { kind: 'scanned-copy' as const, certifiedBy: { id: 'u', name: 'Cán bộ' }, certifiedAt: '2025-03-05T03:00:00.000Z', signer: null, scan: null };
    const state: DossierDigitisation = { canManage: true, otherDocumentsCode: 'TP99', files: [{ fileId: 'f1', componentCode: 'TP05', mark }, { fileId: 'f2', componentCode: 'TP99', mark: null }] };
    expect([markOf(state, 'f1'), markOf(state, 'f2'), markOf(state, 'gone'), markOf(null, 'f1')]).toEqual([mark, null, null, undefined]);
  });

  test('the history’s digitisation events read as the officer’s timeline lines, in both languages', () => {
    const file = { fileId: 'f1', componentCode: 'TP05', fileName: 'de-nghi.pdf' };
    expect(digitisationEntry(event('file.digitised', { ...file, kind: 'scanned-copy' }), 'vi')).toEqual({ title: 'Số hóa tệp “de-nghi.pdf” (Bản sao điện tử chứng thực)' });
    expect(digitisationEntry(event('file.digitised', { ...file, kind: 'electronic-original', bySigning: true }), 'en')).toEqual({
      title: 'Result “de-nghi.pdf” digitised by signing (electronic original)',
    });
    expect(digitisationEntry(event('file.digitisation-revoked', { ...file, kind: 'scanned-copy', reason: 'Nhầm tệp' }), 'vi')).toEqual({ title: 'Hủy số hóa tệp “de-nghi.pdf”', note: 'Nhầm tệp' });
    expect(digitisationEntry(event('file.reclassified', { fileId: 'f1', fileName: 'ho-so.pdf', from: 'TP99', to: 'TP06' }), 'en')).toEqual({ title: 'Reclassified “ho-so.pdf”: TP99 → TP06' });
    expect(digitisationEntry(event('task.claimed', {}), 'vi')).toBeNull();

    const entries = historyEntries([event('file.reclassified', { fileId: 'f1', fileName: 'ho-so.pdf', from: 'TP99', to: 'TP06' })], {
      lang: 'vi',
      applicantName: 'Công dân',
      channel: 'online',
      nameOf: () => undefined,
    });
    expect(entries).toEqual([{ at: '2025-03-05T03:00:00.000Z', kind: 'action', title: 'Phân loại lại tệp “ho-so.pdf”: TP99 → TP06', actor: 'Văn thư' }]);
  });

  test('the auditor reads them by name, with the file, the form of digitisation and the reason', () => {
    const revoked = event('file.digitisation-revoked', { fileId: 'f1', componentCode: 'TP05', fileName: 'de-nghi.pdf', kind: 'electronic-original', reason: 'Ký nhầm' });
    expect(eventTypeLabel(revoked.type, 'vi')).toBe('Hủy số hóa giấy tờ');
    expect(eventFacts(revoked, 'en')).toEqual([
      { term: 'File', value: 'de-nghi.pdf (TP05)' },
      { term: 'Form of digitisation', value: 'Electronic original' },
      { term: 'Reason', value: 'Ký nhầm' },
    ]);
    expect(eventFacts(event('file.reclassified', { fileId: 'f1', fileName: 'ho-so.pdf', from: 'TP99', to: 'TP06' }), 'vi')).toEqual([
      { term: 'Tệp', value: 'ho-so.pdf' },
      { term: 'Thành phần hồ sơ', value: 'TP99 → TP06' },
    ]);
  });
});
