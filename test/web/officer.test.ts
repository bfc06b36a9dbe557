import { describe, expect, test } from 'vitest';
import type { SessionUser } from '../../web/src/lib/api/client.js';
import { actionBody, actionName, canReassign, colleaguesIn, counterAgencies, missingActionFields, needsAssignee, noteForApplicant, setsFeeAmount } from '../../web/src/lib/officer/actions.js';
import { walkInProblems, walkInRequest } from '../../web/src/lib/officer/counter.js';
import { calendarOf, describeRemaining, formatWorkingTime, remainingWorkingTime, yearsBetween } from '../../web/src/lib/officer/due.js';
import { historyEntries } from '../../web/src/lib/officer/history.js';
import { countOf, describeHolder, holderOf, inboxApiPath, inboxHref, inboxQuery, inboxViewsFor, isDueSoon } from '../../web/src/lib/officer/inbox.js';
import { previewKind } from '../../web/src/lib/officer/files.js';
import { pageCount } from '../../web/src/lib/paging.js';
import type { HistoryEvent } from '../../web/src/lib/api/types.js';

const staff = (...roles: [string, string | null][]): SessionUser => ({
  id: 'u1',
  kind: 'staff',
  fullName: 'Cán bộ',
  roles: roles.map(([role, agencyCode]) => ({ role, agencyCode, agencyId: agencyCode && `id-${agencyCode}` })),
});

describe('task actions', () => {
  const receive = { code: '1100', name: 'Tiếp nhận hồ sơ', assignTo: null };
  const reject = { code: '4200', name: 'Từ chối tiếp nhận', assignTo: null };
  const assign = { code: '2101', name: 'Phân công chuyên viên thụ lý', assignTo: ['handler'] };

  test('refusals and requests to the applicant need a note; flows naming groups need an assignee', () => {
    expect(['4200', '4400', '5200', '5300', '4111'].every((code) => noteForApplicant({ code, name: '', assignTo: null }))).toBe(true);
    expect(['1100', '2000', '2300', '2600', '7400'].some((code) => noteForApplicant({ code, name: '', assignTo: null }))).toBe(false);
    expect([needsAssignee(assign), needsAssignee(receive), needsAssignee({ ...receive, assignTo: [] })]).toEqual([true, false, false]);
    expect(missingActionFields(reject, { note: '  ', assignee: '', components: {}, feeAmount: '', feeReason: '' })).toEqual(['note']);
    expect(missingActionFields(assign, { note: '', assignee: '', components: {}, feeAmount: '', feeReason: '' })).toEqual(['assignee']);
    expect(missingActionFields(receive, { note: '', assignee: '', components: {}, feeAmount: '', feeReason: '' })).toEqual([]);
  });

  test('the request body leaves out an empty note and an assignee nobody asked for', () => {
    expect(actionBody(receive, { note: ' ', assignee: 'x', components: {}, feeAmount: '', feeReason: '' })).toEqual({ actionCode: '1100' });
    expect(actionBody(reject, { note: ' Thiếu đơn ', assignee: '', components: {}, feeAmount: '', feeReason: '' })).toEqual({ actionCode: '4200', note: 'Thiếu đơn' });
    expect(actionBody(assign, { note: '', assignee: 'h1', components: {}, feeAmount: '', feeReason: '' })).toEqual({ actionCode: '2101', assignee: 'h1' });
    // A supplement request names the components ticked; other actions never carry them.
    const supplement = { code: '5200', name: 'Yêu cầu bổ sung hồ sơ', assignTo: null };
    const ticked = { TP05: false, TP06: true, TP99: true };
    expect(actionBody(supplement, { note: 'Thiếu hồ sơ', assignee: '', components: ticked, feeAmount: '', feeReason: '' })).toEqual({ actionCode: '5200', note: 'Thiếu hồ sơ', input: { supplementComponents: ['TP06', 'TP99'] } });
    expect(actionBody(reject, { note: 'Sai thủ tục', assignee: '', components: ticked, feeAmount: '', feeReason: '' })).toEqual({ actionCode: '4200', note: 'Sai thủ tục' });
  });

  test('a fee request carries the officer’s amount and reason only where one was entered and the procedure allows it', () => {
    const request = { code: '5300', name: 'Yêu cầu nộp phí, lệ phí', assignTo: null };
    const form = { note: 'Nộp lệ phí', assignee: '', components: {}, feeAmount: '54.000', feeReason: ' Có thêm bản dịch ' };
    expect(actionBody(request, form)).toEqual({ actionCode: '5300', note: 'Nộp lệ phí', input: { fee: { amount: 54_000, reason: 'Có thêm bản dịch' } } });
    expect(actionBody(request, { ...form, feeAmount: ' ' })).toEqual({ actionCode: '5300', note: 'Nộp lệ phí' });
    expect(actionBody(reject, form)).toEqual({ actionCode: '4200', note: 'Nộp lệ phí' });
    expect([setsFeeAmount(request, { editable: 3 }), setsFeeAmount(request, { editable: 2 }), setsFeeAmount(reject, { editable: 3 })]).toEqual([true, false, false]);
  });

  test('labels: the diagram’s name in Vietnamese, the catalogue’s in English', () => {
    const handOver = { code: '2000', name: 'Bàn giao cho phòng chuyên môn', assignTo: null };
    expect(actionName(handOver, 'vi')).toBe('Bàn giao cho phòng chuyên môn');
    expect(actionName(handOver, 'en')).toBe('Hand over for handling');
    expect(actionName({ code: '9999', name: 'Bước riêng', assignTo: null }, 'en')).toBe('Bước riêng');
  });

  test('pickers offer colleagues of the groups at the dossier’s agency; leaders of the agency reassign; counter agencies by code', () => {
    const colleagues = [
      { id: 'h1', fullName: 'Chuyên viên A', roles: [{ role: 'handler', agencyCode: 'H20.11' }] },
      { id: 'h2', fullName: 'Chuyên viên B', roles: [{ role: 'handler', agencyCode: 'H20.20' }, { role: 'clerk', agencyCode: 'H20.11' }] },
      { id: 'l1', fullName: 'Lãnh đạo', roles: [{ role: 'dept-leader', agencyCode: 'H20.11' }] },
    ];
    expect(colleaguesIn(colleagues, ['handler'], 'H20.11').map((c) => c.id)).toEqual(['h1']);
    expect(colleaguesIn(colleagues, ['handler', 'dept-leader'], 'H20.11').map((c) => c.id)).toEqual(['h1', 'l1']);
    const leader = staff(['dept-leader', 'H20.11'], ['one-stop-officer', 'H20.20']);
    expect([canReassign(leader, 'H20.11'), canReassign(leader, 'H20.20'), canReassign(staff(['handler', 'H20.11']), 'H20.11'), canReassign(null, 'H20.11')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(counterAgencies(staff(['one-stop-officer', 'H20.11'], ['one-stop-officer', 'H20.11'], ['one-stop-officer', 'H20.20'], ['clerk', 'H20.30']))).toEqual(['H20.11', 'H20.20']);
  });
});

describe('inbox', () => {
  test('tab, search and page come from the URL, unknown values fall back, defaults stay out of links', () => {
    expect(inboxQuery(new URLSearchParams('view=overdue&q=%20H20.11%20&page=3'))).toEqual({ view: 'overdue', q: 'H20.11', page: 3 });
    expect(inboxQuery(new URLSearchParams('view=everything&page=-2'))).toEqual({ view: 'group', q: '', page: 1 });
    expect(inboxQuery(new URLSearchParams('view=agency')).view).toBe('agency');
    expect(inboxHref({ view: 'group', q: '', page: 1 })).toBe('/tasks');
    expect(inboxHref({ view: 'due-soon', q: 'Nguyễn An', page: 2 })).toBe('/tasks?view=due-soon&q=Nguy%E1%BB%85n+An&page=2');
    expect(inboxApiPath({ view: 'mine', q: '', page: 1 })).toBe('/api/tasks?view=mine&page=1&pageSize=20');
  });

  test('tab counts, pages and who holds a task', () => {
    const counts = { mine: 1, group: 5, unread: 4, overdue: 2, dueSoon: 3, agency: 9 };
    expect(['mine', 'group', 'unread', 'due-soon', 'overdue', 'agency'].map((v) => countOf(counts, v as 'mine'))).toEqual([1, 5, 4, 3, 2, 9]);
    // Only leaders get the whole-agency tab.
    expect(inboxViewsFor(staff(['handler', 'H20.11']))).toEqual(['mine', 'group', 'unread', 'due-soon', 'overdue']);
    expect(inboxViewsFor(staff(['handler', 'H20.11'], ['dept-leader', 'H20.11']))).toContain('agency');
    expect([pageCount({ total: 0, pageSize: 20 }), pageCount({ total: 41, pageSize: 20 })]).toEqual([1, 3]);
    const now = new Date('2024-08-21T00:00:00Z');
    expect(['2024-08-21T23:59:00Z', '2024-08-22T00:00:00Z', '2024-08-20T23:00:00Z', null].map((d) => isDueSoon(d, now))).toEqual([true, false, false, false]);
    const names = (id: string) => ({ u2: 'Lê Thị Thu' })[id];
    expect(holderOf(null, 'u1', names)).toEqual({ kind: 'none' });
    expect(holderOf('u1', 'u1', names)).toEqual({ kind: 'me' });
    expect(holderOf('u2', 'u1', names)).toEqual({ kind: 'other', name: 'Lê Thị Thu' });
    expect(describeHolder(holderOf('u2', 'u1', names), 'vi')).toBe('Đang xử lý: Lê Thị Thu');
    expect(describeHolder(holderOf('gone', 'u1', names), 'en')).toBe('Held by Another officer');
  });
});

describe('remaining working time', () => {
  // Friday 2024-08-30 16:00 Vietnam time; 2 and 3 September are holidays (National Day).
  const friday = new Date('2024-08-30T09:00:00Z');
  const calendar = calendarOf([{ year: 2024, workingHours: [], days: [{ day: '2024-09-02', kind: 'holiday', name: 'Quốc khánh' }, { day: '2024-09-03', kind: 'holiday', name: 'Quốc khánh' }] }]);

  test('counts working hours only: a long weekend costs nothing', () => {
    // Wednesday 4 September 09:30: 1 h on Friday + 2 h on Wednesday morning.
    const remaining = remainingWorkingTime(friday, new Date('2024-09-04T02:30:00Z'), calendar);
    expect(remaining).toEqual({ overdue: false, hours: 3 });
    expect(describeRemaining(remaining, 'vi')).toBe('Còn 3 giờ làm việc');
  });

  test('overdue by the working time since the due date', () => {
    const remaining = remainingWorkingTime(friday, new Date('2024-08-30T08:15:00Z'), calendar);
    expect(remaining).toEqual({ overdue: true, hours: 0.75 });
    expect(describeRemaining(remaining, 'en')).toBe('Overdue by 45 min of working time');
  });

  test('days of eight hours, then hours; the years a calendar must cover', () => {
    expect(formatWorkingTime(8, 'vi')).toBe('1 ngày');
    expect(formatWorkingTime(19.5, 'vi')).toBe('2 ngày 3 giờ');
    expect(formatWorkingTime(2, 'en')).toBe('2 h');
    expect(describeRemaining({ overdue: false, hours: 240 }, 'en')).toBe('30 d of working time left');
    // 31 December 2024 17:30 UTC is already 1 January 2025 in Vietnam.
    expect(yearsBetween(new Date('2024-12-31T17:30:00Z'), new Date('2025-01-03T00:00:00Z'))).toEqual([2025]);
    expect(yearsBetween(new Date('2025-01-02T00:00:00Z'), new Date('2024-12-30T00:00:00Z'))).toEqual([2024, 2025]);
  });
});

describe('history for officers', () => {
  const event = (seq: number, type: string, data: Record<string, unknown>, actorId: string | null = 'o1'): HistoryEvent => ({
    seq,
    version: seq,
    type,
    elementId: null,
    actorId,
    actorName: null,
    at: `2024-08-21T0${seq}:00:00Z`,
    data,
    hash: '',
  });
  const events = [
    event(1, 'instance.started', {}, 'citizen-1'),
    event(2, 'task.created', { taskId: 't1', name: 'Tiếp nhận hồ sơ', candidateGroups: ['one-stop-officer'] }),
    event(3, 'task.claimed', { taskId: 't1', from: null, to: 'o1' }),
    event(4, 'task.completed', { taskId: 't1', action: '1100', actionName: 'Tiếp nhận hồ sơ', note: 'Đủ giấy tờ' }),
    event(5, 'command.undone', { undoneVersion: 4, reason: 'Nhầm hồ sơ' }),
    event(6, 'status.changed', { from: 1, to: 2 }),
    event(7, 'task.created', { taskId: 't2', name: 'Công dân bổ sung hồ sơ', candidateGroups: ['citizen'] }),
    event(8, 'task.completed', { taskId: 't2', action: '1101', actionName: 'Nộp hồ sơ bổ sung', note: '' }, 'citizen-1'),
    event(9, 'task.reassigned', { taskId: 't1', from: 'o1', to: null, reason: 'Nghỉ phép' }, 'l1'),
    event(10, 'task.overdue', { taskId: 't1' }, 'system:scheduler'),
    event(11, 'element.left', {}),
  ];
  const names = (id: string) => ({ o1: 'Cán bộ Một', l1: 'Lãnh đạo' })[id];

  test('actions with notes, claims, undos and reassignments, each with who did it; bookkeeping left out', () => {
    const entries = historyEntries(events, { lang: 'vi', applicantName: 'Nguyễn Văn An', channel: 'online', nameOf: names });
    expect(entries.map((e) => [e.title ?? e.kind, e.actor, e.note])).toEqual([
      ['submitted', 'Nguyễn Văn An', undefined],
      ['Nhận xử lý bước “Tiếp nhận hồ sơ”', 'Cán bộ Một', undefined],
      ['Tiếp nhận hồ sơ', 'Cán bộ Một', 'Đủ giấy tờ'],
      ['Hoàn tác thao tác', 'Cán bộ Một', 'Nhầm hồ sơ'],
      ['status', undefined, undefined],
      ['Nộp hồ sơ bổ sung', 'Nguyễn Văn An', undefined],
      ['Chuyển người xử lý: Cán bộ Một → nhóm xử lý', 'Lãnh đạo', 'Nghỉ phép'],
      ['Quá hạn bước “Tiếp nhận hồ sơ”', undefined, undefined],
    ]);
    expect(entries[4]).toMatchObject({ kind: 'status', status: 2 });
  });

  test('a counter dossier is started by the officer; unknown actors are named as such', () => {
    const entries = historyEntries([event(1, 'instance.started', {}, 'o1'), event(2, 'command.undone', { reason: 'x' }, 'gone')], {
      lang: 'en',
      applicantName: 'Nguyễn Văn An',
      channel: 'counter',
      nameOf: names,
    });
    expect(entries.map((e) => [e.title, e.actor])).toEqual([
      ['Received in person at the counter', 'Cán bộ Một'],
      ['Action undone', 'Another officer'],
    ]);
  });
});

describe('counter reception form', () => {
  const applicant = { fullName: ' Trần Thị Hoa ', idNumber: '038190001234', phone: '', email: '' };

  test('the API’s rules, checked first, reported at the API’s paths', () => {
    expect(walkInProblems('2.000331', applicant)).toEqual([]);
    expect(walkInProblems('', { fullName: 'X', idNumber: '1234567890', phone: '12345', email: 'hoa@' }).map((p) => p.path)).toEqual([
      '/body/procedureCode',
      '/body/applicant/fullName',
      '/body/applicant/idNumber',
      '/body/applicant/phone',
      '/body/applicant/email',
    ]);
    expect(walkInProblems('2.000331', { ...applicant, idNumber: '123456789', phone: '+84912345678' })).toEqual([]);
  });

  test('the request trims and leaves out empty optional fields', () => {
    expect(walkInRequest('2.000331', applicant)).toEqual({ procedureCode: '2.000331', applicant: { fullName: 'Trần Thị Hoa', idNumber: '038190001234' } });
    expect(walkInRequest('2.000331', { ...applicant, phone: ' 0912345678 ', email: 'hoa@example.vn' }).applicant).toMatchObject({ phone: '0912345678', email: 'hoa@example.vn' });
  });
});

test('files preview inline when the browser can show them', () => {
  expect([previewKind('application/pdf'), previewKind('image/png'), previewKind('application/zip')]).toEqual(['pdf', 'image', null]);
});
