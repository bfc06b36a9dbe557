import { beforeAll, describe, expect, test, vi } from 'vitest';
import { addWorkingHours, workingCalendar, workingHoursBetween } from '../../engine/calendar/working-time.js';
import { DEMO_CALLERS, actOn as actOnIn, openTaskOf as openTaskOfIn, useApiTest, type ApiTest } from '../support/api.js';

const env = useApiTest({ as: DEMO_CALLERS });
const { tokens, userIds } = env;
let http: ApiTest['http'];
beforeAll(() => {
  http = env.http;
});

const openTaskOf = (who: string, dossierCode: string, view?: string) => openTaskOfIn(env, who, dossierCode, view);
const actOn = (who: string, dossierCode: string, actionCode: string, extra?: Record<string, unknown>) => actOnIn(env, who, dossierCode, actionCode, extra);

describe('officer inbox and task page', () => {
  let dossier: { id: string; code: string; pin: string };

  beforeAll(async () => {
    dossier = await http.submitComplete(tokens.citizen!);
  });

  test('the reception task is in the agency officer’s inbox with counts, and nowhere else', async () => {
    const inbox = (await http.call('GET', '/api/tasks', tokens.officer)).json();
    expect(inbox.items.map((i: { dossier: { code: string } }) => i.dossier.code)).toContain(dossier.code);
    expect(inbox.counts.group).toBeGreaterThanOrEqual(1);
    expect(inbox.items[0]).toMatchObject({ step: { elementId: 'receive', name: 'Tiếp nhận hồ sơ' }, dossier: { applicantName: 'Nguyễn Văn An' } });
    expect(await openTaskOf('officerOther', dossier.code)).toBeUndefined();
    expect(await openTaskOf('leader', dossier.code)).toBeUndefined();
    expect((await http.call('GET', '/api/tasks', tokens.citizen)).statusCode).toBe(403);
    expect((await http.call('GET', '/api/tasks', tokens.auditor)).statusCode).toBe(403);
    expect((await http.call('GET', '/api/tasks?view=everything', tokens.officer)).statusCode).toBe(400);
  });

  test('the task page shows the dossier, its files and the diagram’s actions; other agencies get 404', async () => {
    const task = (await openTaskOf('officer', dossier.code))!;
    const page = await http.call('GET', `/api/tasks/${task.id}`, tokens.officer);
    expect(page.statusCode).toBe(200);
    expect(page.headers.etag).toBe(`"${task.version}"`);
    expect(page.json().task.actions).toEqual([
      { code: '1100', name: 'Tiếp nhận hồ sơ', assignTo: null },
      { code: '4200', name: 'Từ chối tiếp nhận', assignTo: null },
    ]);
    expect(page.json().dossier).toMatchObject({ code: dossier.code, applicantName: 'Nguyễn Văn An', form: { taxCode: '0101234567' } });
    expect(page.json().dossier.files.map((f: { componentCode: string }) => f.componentCode)).toEqual(['TP05']);
    expect((await http.call('GET', `/api/tasks/${task.id}`, tokens.officerOther)).statusCode).toBe(404);
  });

  test('an action needs If-Match; a stale version is 409; a wrong action is 422', async () => {
    const task = (await openTaskOf('officer', dossier.code))!;
    const url = `/api/tasks/${task.id}/actions`;
    expect((await http.call('POST', url, tokens.officer, { actionCode: '1100' })).statusCode).toBe(428);
    expect((await http.call('POST', url, tokens.officer, { actionCode: '1100' }, { 'if-match': `"${task.version - 1}"` })).statusCode).toBe(409);
    const wrong = await http.call('POST', url, tokens.officer, { actionCode: '3300' }, { 'if-match': `"${task.version}"` });
    expect([wrong.statusCode, wrong.json().type]).toEqual([422, '/problems/invalid']);
  });

  test('20 parallel actions on one task: one 200, nineteen 409', async () => {
    const task = (await openTaskOf('officer', dossier.code))!;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        http.call('POST', `/api/tasks/${task.id}/actions`, tokens.officer, { actionCode: '1100' }, { 'if-match': `"${task.version}"` }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.headers['content-type']).toMatch(/problem\+json/);
  });
});

test('a dossier’s whole life over HTTP, with undo, reassignment and the public lookup', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  await actOn('officer', dossier.code, '1100');
  // A mistaken reception is taken back by its author, with a reason, and redone.
  const undone = await http.call('POST', `/api/dossiers/${dossier.id}/undo`, tokens.officer, { reason: 'Nhầm hồ sơ' });
  expect(undone.statusCode).toBe(200);
  expect((await http.call('POST', `/api/dossiers/${dossier.id}/undo`, tokens.officerOther, { reason: 'x' })).statusCode).toBe(404);
  await actOn('officer', dossier.code, '1100');
  await actOn('officer', dossier.code, '2000');
  // The leader must name an officer of the agency.
  const assign = (await openTaskOf('leader', dossier.code))!;
  const badAssignee = await http.call('POST', `/api/tasks/${assign.id}/actions`, tokens.leader, { actionCode: '2101', assignee: userIds.citizen }, { 'if-match': `"${assign.version}"` });
  expect([badAssignee.statusCode, badAssignee.json().type]).toEqual([422, '/problems/assignee-invalid']);
  // Staff of the agency, but not of the group the action assigns to (handlers).
  const clerkAssigned = await http.call('POST', `/api/tasks/${assign.id}/actions`, tokens.leader, { actionCode: '2101', assignee: userIds.clerk }, { 'if-match': `"${assign.version}"` });
  expect([clerkAssigned.statusCode, clerkAssigned.json().type]).toEqual([422, '/problems/assignee-invalid']);
  // The assignment action says whom it needs; the leader picks among the agency's handlers.
  const assignPage = (await http.call('GET', `/api/tasks/${assign.id}`, tokens.leader)).json();
  expect(assignPage.task.actions).toEqual([{ code: '2101', name: 'Phân công chuyên viên thụ lý', assignTo: ['handler'] }]);
  const handlers = (await http.call('GET', '/api/staff?role=handler', tokens.leader)).json();
  expect(handlers).toEqual([{ id: userIds.handler, fullName: expect.any(String), roles: [{ role: 'handler', agencyCode: 'H20.11' }] }]);
  expect((await http.call('GET', '/api/staff', tokens.citizen)).statusCode).toBe(403);
  await actOn('leader', dossier.code, '2101', { assignee: userIds.handler });
  const handling = (await openTaskOf('handler', dossier.code, 'mine'))!;
  expect(handling.step.elementId).toBe('handle');
  // Leaders see every task of their agency wherever it is held (to hand work on), but act only where they are named.
  expect((await openTaskOf('leader', dossier.code, 'agency'))?.id).toBe(handling.id);
  expect((await http.call('GET', `/api/tasks/${handling.id}`, tokens.leader)).statusCode).toBe(200);
  const notTheirs = await http.call('POST', `/api/tasks/${handling.id}/actions`, tokens.leader, { actionCode: '2600' }, { 'if-match': `"${handling.version}"` });
  expect(notTheirs.statusCode).toBe(403);
  expect(await openTaskOf('officer', dossier.code, 'agency')).toBeUndefined();
  expect((await http.call('GET', '/api/tasks?view=agency', tokens.officer)).json().counts.agency).toBe(0);
  // The leader moves it back to the group; the handler claims it again.
  expect((await http.call('POST', `/api/tasks/${handling.id}/reassign`, tokens.leader, { to: userIds.officer, reason: 'x' })).statusCode).toBe(422);
  expect((await http.call('POST', `/api/tasks/${handling.id}/reassign`, tokens.handler, { to: null, reason: 'x' })).statusCode).toBe(404);
  expect((await http.call('POST', `/api/tasks/${handling.id}/reassign`, tokens.leader, { to: null, reason: 'Phân công lại' })).json().assignee).toBeNull();
  expect((await http.call('POST', `/api/tasks/${handling.id}/claim`, tokens.handler)).json().assignee).toBe(userIds.handler);
  await actOn('handler', dossier.code, '2600');
  await actOn('leader', dossier.code, '3100');
  await actOn('director', dossier.code, '3200');
  await actOn('clerk', dossier.code, '3300');
  await actOn('officer', dossier.code, '4000');

  const final = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json();
  expect(final.nationalStatus).toBe(10);
  expect(final.timeline.filter((e: { kind: string }) => e.kind === 'status').map((e: { status: number }) => e.status)).toEqual([1, 2, 1, 2, 4, 9, 10]);
  expect(final.timeline.filter((e: { kind: string }) => e.kind === 'action').map((e: { action: string }) => e.action)).toEqual([
    '1100', '1100', '2000', '2101', '2600', '3100', '3200', '3300', '4000',
  ]);

  // The citizen rates the service once; the nine indices add up to the score.
  const indices = { totalTime: 2, agencyTime: 2, contacts: 2, agenciesContacted: 1, oneStopDesk: 2, published: 2, attitude: 2, feedback: 1, onlineUse: 2 };
  const rated = await http.call('POST', `/api/dossiers/${dossier.id}/rating`, tokens.citizen, { indices, satisfaction: 'very-satisfied', comment: 'Nhanh, đúng hẹn' });
  expect([rated.statusCode, rated.json().score]).toEqual([201, 16]);
  expect((await http.call('POST', `/api/dossiers/${dossier.id}/rating`, tokens.citizen, { indices, satisfaction: 'satisfied' })).statusCode).toBe(409);
  expect((await http.call('POST', `/api/dossiers/${dossier.id}/rating`, tokens.citizen, { indices: { ...indices, attitude: 3 }, satisfaction: 'satisfied' })).statusCode).toBe(400);

  const lookup = await http.call('GET', `/api/lookup?code=${dossier.code}&pin=${dossier.pin}`);
  expect(lookup.statusCode).toBe(200);
  expect(lookup.json()).toEqual({
    code: dossier.code,
    procedure: { code: '2.000331', name: expect.any(String) },
    agency: { code: 'H20.11', name: 'Sở Công Thương' },
    nationalStatus: 10,
    submittedAt: expect.any(String),
    dueAt: expect.any(String),
    rescheduledDueAt: null,
  });
  const wrongPin = await http.call('GET', `/api/lookup?code=${dossier.code}&pin=${dossier.pin === '000000' ? '111111' : '000000'}`);
  const noCode = await http.call('GET', `/api/lookup?code=H20.11-000101-0001&pin=123456`);
  expect([wrongPin.statusCode, noCode.statusCode]).toEqual([404, 404]);
  expect(wrongPin.json().type).toBe(noCode.json().type);
});

test('supplement requested with a reason, answered by the citizen; a withdrawal request decided by an officer', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  await actOn('officer', dossier.code, '1100');
  await actOn('officer', dossier.code, '2000');
  await actOn('leader', dossier.code, '2101', { assignee: userIds.handler });
  await actOn('handler', dossier.code, '2300');
  // Nothing is asked of the citizen yet: supplementing now is refused.
  expect((await http.call('POST', `/api/dossiers/${dossier.id}/supplement`, tokens.citizen, {})).statusCode).toBe(409);
  await actOn('leader', dossier.code, '5200', { note: 'Thiếu danh sách trích ngang sản phẩm' });

  const waiting = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json();
  expect(waiting.nationalStatus).toBe(5);
  expect(waiting.timeline.find((e: { action?: string }) => e.action === '5200').note).toBe('Thiếu danh sách trích ngang sản phẩm');
  // Officers' own notes stay internal.
  expect(waiting.timeline.find((e: { action?: string }) => e.action === '1100').note).toBeUndefined();
  expect((await http.upload(dossier.id, tokens.citizen!, 'TP06', { name: 'danh-sach.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') })).statusCode).toBe(201);
  // The citizen answers three days later: the appointment moves by the working time the request stood.
  const pausedAt = new Date(waiting.timeline.find((e: { status?: number }) => e.status === 5).at);
  const answeredAt = new Date(Date.now() + 3 * 86_400_000);
  vi.useFakeTimers({ toFake: ['Date'], now: answeredAt });
  let answered;
  try {
    const citizen = env.accounts.find((a) => a.description.startsWith('citizen'))!;
    answered = await http.call('POST', `/api/dossiers/${dossier.id}/supplement`, await http.login(citizen.login, citizen.password), { note: 'Đã bổ sung danh sách' });
  } finally {
    vi.useRealTimers();
  }
  expect([answered.statusCode, answered.json().nationalStatus]).toEqual([200, 4]);
  const calendar = workingCalendar();
  const paused = workingHoursBetween(pausedAt, answeredAt, calendar);
  expect(paused).toBeGreaterThan(8);
  expect(Math.abs(new Date(answered.json().dueAt).getTime() - addWorkingHours(new Date(waiting.dueAt), paused, calendar).getTime())).toBeLessThan(60_000);
  expect((await openTaskOf('handler', dossier.code, 'mine'))!.step.elementId).toBe('handle');
  // Back in handling, the citizen can no longer change files.
  expect((await http.upload(dossier.id, tokens.citizen!, 'TP99', { name: 'x.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') })).statusCode).toBe(409);

  const asked = await http.call('POST', `/api/dossiers/${dossier.id}/withdraw`, tokens.citizen, { reason: 'Không còn nhu cầu' });
  expect(asked.statusCode).toBe(200);
  const review = (await http.call('GET', '/api/tasks', tokens.officer)).json().items.find((i: { dossier: { code: string }; step: { elementId: string } }) => i.dossier.code === dossier.code && i.step.elementId === 'reviewWithdrawal');
  expect(review).toBeDefined();
  expect((await http.call('POST', `/api/tasks/${review.id}/actions`, tokens.officer, { actionCode: '4110' }, { 'if-match': `"${review.version}"` })).statusCode).toBe(200);
  const final = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json();
  expect(final.nationalStatus).toBe(7);
  expect((await http.call('POST', `/api/dossiers/${dossier.id}/withdraw`, tokens.citizen, { reason: 'lần nữa' })).statusCode).toBe(409);
  const indices = { totalTime: 0, agencyTime: 0, contacts: 0, agenciesContacted: 0, oneStopDesk: 0, published: 0, attitude: 0, feedback: 0, onlineUse: 0 };
  const early = await http.call('POST', `/api/dossiers/${dossier.id}/rating`, tokens.citizen, { indices, satisfaction: 'not-satisfied' });
  expect([early.statusCode, early.json().type]).toEqual([409, '/problems/not-rateable-yet']);
});

test('a fee request (status 6) stops the clock until an officer confirms the payment', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  await actOn('officer', dossier.code, '1100');
  await actOn('officer', dossier.code, '2000');
  await actOn('leader', dossier.code, '2101', { assignee: userIds.handler });
  await actOn('handler', dossier.code, '5300', { note: 'Lệ phí thẩm định: 1.000.000 đồng' });
  const waiting = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json();
  expect(waiting.nationalStatus).toBe(6);
  expect(waiting.timeline.find((e: { action?: string }) => e.action === '5300').note).toBe('Lệ phí thẩm định: 1.000.000 đồng');

  const pausedAt = new Date(waiting.timeline.find((e: { status?: number }) => e.status === 6).at);
  const paidAt = new Date(Date.now() + 2 * 86_400_000);
  vi.useFakeTimers({ toFake: ['Date'], now: paidAt });
  try {
    // Two days on, the morning's access tokens have expired: the officer logs in again.
    const officer = env.accounts.find((a) => a.description === 'one-stop-officer @ H20.11')!;
    const token = await http.login(officer.login, officer.password);
    const task = (await http.call('GET', `/api/tasks?view=group&q=${dossier.code}`, token)).json().items[0];
    const paid = await http.call('POST', `/api/tasks/${task.id}/actions`, token, { actionCode: '1300', note: 'Biên lai số 0001234' }, { 'if-match': `"${task.version}"` });
    expect(paid.statusCode, paid.body).toBe(200);
  } finally {
    vi.useRealTimers();
  }
  const resumed = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json();
  expect(resumed.nationalStatus).toBe(4);
  const calendar = workingCalendar();
  const paused = workingHoursBetween(pausedAt, paidAt, calendar);
  expect(Math.abs(new Date(resumed.dueAt).getTime() - addWorkingHours(new Date(waiting.dueAt), paused, calendar).getTime())).toBeLessThan(60_000);
  expect((await openTaskOf('handler', dossier.code, 'mine'))!.step.elementId).toBe('handle');
});
