import { readFile } from 'node:fs/promises';
import { beforeAll, expect, test } from 'vitest';
import { actOn, useApiTest, type ApiTest } from '../support/api.js';

const env = useApiTest({
  as: {
    admin: 'admin',
    auditor: 'auditor',
    citizen: 'citizen',
    officer: 'one-stop-officer @ H20.11',
    officerOther: 'one-stop-officer @ H20.20',
    leader: 'dept-leader @ H20.11',
    handler: 'handler @ H20.11',
  },
  // The file logs in more than the login limit's ten a minute from one address.
  rateLimitScale: 2,
});
const { t, tokens } = env;
let http: ApiTest['http'];
beforeAll(() => {
  http = env.http;
});

const deployXml = (xml: string, token: string) => http.call('POST', '/api/process-definitions', token, xml, { 'content-type': 'application/xml' });

test('an admin deploys BPMN; the same file is the same version; every problem of a bad one is listed', async () => {
  const xml = await readFile(new URL('../../processes/inter-agency.bpmn', import.meta.url), 'utf8');
  const changed = xml.replace('name="Quy trình liên thông"', 'name="Quy trình liên thông (sửa đổi)"');
  const first = await deployXml(changed, tokens.admin!);
  expect([first.statusCode, first.json().version, first.json().created]).toEqual([201, 2, true]);
  const again = await deployXml(changed, tokens.admin!);
  expect([again.statusCode, again.json().version, again.json().created]).toEqual([200, 2, false]);

  const broken = changed
    .replace('dvc:candidateGroups="one-stop-officer" dvc:stepCode="TIEP_NHAN"', 'dvc:stepCode="TIEP_NHAN"')
    .replace('dvc:actionCode="4400"', 'dvc:actionCode="9999"');
  const refused = await deployXml(broken, tokens.admin!);
  expect(refused.statusCode).toBe(422);
  expect(refused.headers['content-type']).toMatch(/problem\+json/);
  const paths = refused.json().errors.map((e: { path: string }) => e.path);
  expect(paths).toEqual(expect.arrayContaining(['receive', 'Flow_4400']));
  expect(refused.json().errors[0].message.vi).toBeTruthy();

  expect((await deployXml('<definitions', tokens.admin!)).statusCode).toBe(422);
  expect((await deployXml(changed, tokens.officer!)).statusCode).toBe(403);
  expect((await deployXml(changed, tokens.auditor!)).statusCode).toBe(403);
  const versions = (await http.call('GET', '/api/process-definitions?key=inter-agency', tokens.auditor)).json();
  expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
});

test('auditors and the agency’s staff read and verify a dossier’s history; nobody else', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  const auditorView = await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor);
  expect(auditorView.statusCode).toBe(200);
  // Auditors cannot list the agency's staff: each event names its actor.
  const citizen = (await http.call('GET', '/api/me', tokens.citizen)).json();
  expect(auditorView.json()[0]).toMatchObject({ seq: 1, type: 'instance.started', actorId: citizen.id, actorName: citizen.fullName });
  expect((await http.call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor)).json()).toMatchObject({ ok: true });
  expect((await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.officer)).statusCode).toBe(200);
  expect((await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.officerOther)).statusCode).toBe(404);
  expect((await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.citizen)).statusCode).toBe(403);
  expect((await http.call('GET', `/api/dossiers/${dossier.id}/history/verify`)).statusCode).toBe(401);
});

test('the replay’s diagram is the version the dossier ran on; the heatmap counts dossiers per element', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  await actOn(env, 'officer', dossier.code, '1100');
  const history = (await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json();
  const definitionId = history[0].data.definitionId;
  const source = await http.call('GET', `/api/process-definitions/${definitionId}`, tokens.auditor);
  expect(source.statusCode).toBe(200);
  expect(source.json()).toMatchObject({ id: definitionId, key: 'standard-one-stop' });
  expect(source.json().xml).toContain('<bpmn:userTask id="receive"');

  const heatmap = (await http.call('GET', `/api/process-definitions/${definitionId}/heatmap`, tokens.auditor)).json();
  const receive = heatmap.elements.find((e: { elementId: string }) => e.elementId === 'receive');
  expect(receive).toMatchObject({ instances: expect.any(Number), visits: expect.any(Number) });
  expect(receive.instances).toBeGreaterThanOrEqual(1);
  expect(receive.avgDurationMs).toBeGreaterThanOrEqual(0);
  expect(heatmap.elements.find((e: { elementId: string }) => e.elementId === 'transfer').waiting).toBeGreaterThanOrEqual(1);
  expect(heatmap.flows.find((f: { flowId: string }) => f.flowId === 'Flow_1100').taken).toBeGreaterThanOrEqual(1);

  expect((await http.call('GET', `/api/process-definitions/${definitionId}`, tokens.officer)).statusCode).toBe(403);
  expect((await http.call('GET', '/api/process-definitions/7b4f3c1e-0000-4000-8000-000000000000/heatmap', tokens.admin)).statusCode).toBe(404);
  expect((await http.call('GET', '/api/process-definitions/not-a-uuid', tokens.admin)).statusCode).toBe(400);
});

test('auditors find dossiers by code or applicant across agencies; staff only in theirs', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  const byCode = (await http.call('GET', `/api/audit/dossiers?q=${dossier.code}`, tokens.auditor)).json();
  expect(byCode).toEqual([
    expect.objectContaining({ id: dossier.id, code: dossier.code, applicantName: 'Nguyễn Văn An', agency: { code: 'H20.11', name: 'Sở Công Thương' }, nationalStatus: 1 }),
  ]);
  expect(byCode[0].definitionId).toMatch(/^[0-9a-f-]{36}$/);
  expect((await http.call('GET', '/api/audit/dossiers?q=nguyễn văn', tokens.auditor)).json().map((d: { id: string }) => d.id)).toContain(dossier.id);
  expect((await http.call('GET', `/api/audit/dossiers?q=${dossier.code}`, tokens.officer)).json()).toHaveLength(1);
  expect((await http.call('GET', `/api/audit/dossiers?q=${dossier.code}`, tokens.officerOther)).json()).toEqual([]);
  expect((await http.call('GET', '/api/audit/dossiers?q=H20', tokens.citizen)).statusCode).toBe(403);
  expect((await http.call('GET', '/api/audit/dossiers?q=%25', tokens.auditor)).json()).toEqual([]);
});

test('the working calendar: public holidays seeded once, edited by admins only', async () => {
  const { seedPublicHolidays } = await import('../../server/seed/holidays.js');
  expect(await seedPublicHolidays(t.db, [2027])).toBeGreaterThanOrEqual(6);
  const year = (await http.call('GET', '/api/calendar?year=2027')).json();
  expect(year.workingHours).toEqual(['07:30-11:30', '13:00-17:00']);
  expect(year.days).toContainEqual({ day: '2027-02-06', kind: 'holiday', name: 'Tết Nguyên Đán' });
  expect(year.days).toContainEqual({ day: '2027-09-02', kind: 'holiday', name: expect.any(String) });

  // The admin adds the rest of the Tết break and a compensatory Saturday; seeding again changes nothing.
  const put = (day: string, body: unknown, token = tokens.admin) => http.call('PUT', `/api/calendar/${day}`, token, body);
  expect((await put('2027-02-08', { kind: 'holiday', name: 'Nghỉ Tết Nguyên Đán' })).statusCode).toBe(200);
  expect((await put('2027-02-20', { kind: 'workday', name: 'Làm bù' })).statusCode).toBe(200);
  expect((await put('2027-02-21', { kind: 'holiday', name: 'x' }, tokens.officer)).statusCode).toBe(403);
  expect((await put('2027-02-30', { kind: 'holiday', name: 'x' })).statusCode).toBe(400);
  expect(await seedPublicHolidays(t.db, [2027])).toBe(0);
  const edited = (await http.call('GET', '/api/calendar?year=2027')).json().days;
  expect(edited).toContainEqual({ day: '2027-02-20', kind: 'workday', name: 'Làm bù' });
  expect((await http.call('DELETE', '/api/calendar/2027-02-20', tokens.admin)).statusCode).toBe(204);
  expect((await http.call('DELETE', '/api/calendar/2027-02-20', tokens.admin)).statusCode).toBe(404);
});

test('admins manage staff: create with roles, lock with the work left behind, unlock', async () => {
  const create = (body: unknown, token = tokens.admin) => http.call('POST', '/api/admin/staff', token, body);
  const made = await create({ fullName: 'Phạm Thu Hà', email: 'ha.pham@dvc.example', roles: [{ role: 'handler', agencyCode: 'H20.11' }] });
  expect(made.statusCode).toBe(201);
  const { id, initialPassword } = made.json();
  expect(initialPassword).toMatch(/^[\w-]{16}$/);
  expect(made.json().roles).toEqual([{ role: 'handler', agencyCode: 'H20.11' }]);
  expect((await create({ fullName: 'X X', email: 'ha.pham@dvc.example', roles: [{ role: 'clerk', agencyCode: 'H20.11' }] })).statusCode).toBe(409);
  const badRole = await create({ fullName: 'Y Y', email: 'y@dvc.example', roles: [{ role: 'handler' }] });
  expect([badRole.statusCode, badRole.json().errors[0].path]).toEqual([422, '/body/roles/0/agencyCode']);
  expect((await create({ fullName: 'Z Z', email: 'z@dvc.example', roles: [{ role: 'auditor', agencyCode: 'H20.11' }] })).statusCode).toBe(422);
  expect((await create({ fullName: 'Q Q', email: 'q@dvc.example', roles: [{ role: 'admin' }] }, tokens.officer)).statusCode).toBe(403);

  // The new handler gets a dossier to handle.
  const handlerToken = await http.login('ha.pham@dvc.example', initialPassword);
  const dossier = await http.submitComplete(tokens.citizen!);
  for (const [who, action, extra] of [
    ['officer', '1100', {}],
    ['officer', '2000', {}],
    ['leader', '2101', { assignee: id }],
  ] as const) {
    const task = (await http.call('GET', `/api/tasks?q=${dossier.code}`, tokens[who])).json().items[0];
    expect((await http.call('POST', `/api/tasks/${task.id}/actions`, tokens[who], { actionCode: action, ...extra }, { 'if-match': `"${task.version}"` })).statusCode).toBe(200);
  }
  const refresh = (await http.call('POST', '/api/auth/login', undefined, { username: 'ha.pham@dvc.example', password: initialPassword })).json().refreshToken;
  expect((await http.call('GET', '/api/tasks?view=mine', handlerToken)).json().items).toHaveLength(1);

  const locked = await http.call('POST', `/api/admin/staff/${id}/lock`, tokens.admin);
  expect(locked.statusCode).toBe(200);
  expect(locked.json()).toMatchObject({ locked: true, returnedTasks: [{ dossierCode: dossier.code, step: 'Chuyên viên thụ lý' }] });
  expect((await http.call('POST', '/api/auth/login', undefined, { username: 'ha.pham@dvc.example', password: initialPassword })).statusCode).toBe(403);
  expect((await http.call('POST', '/api/auth/refresh', undefined, { refreshToken: refresh })).statusCode).toBe(401);
  // Its task is back in the handlers' shared inbox, the return in the history under the admin's name.
  const task = locked.json().returnedTasks[0];
  const shared = (await http.call('GET', `/api/tasks?view=group&q=${dossier.code}`, tokens.handler)).json().items;
  expect(shared.map((i: { id: string; assignee: string | null }) => [i.id, i.assignee])).toEqual([[task.taskId, null]]);
  const history = (await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json();
  expect(history.filter((e: { type: string }) => e.type === 'task.reassigned').at(-1)).toMatchObject({ actorName: 'Quản trị hệ thống', data: { from: id, to: null } });
  // Locking again finds nothing left; a locked account cannot be handed new work.
  expect((await http.call('POST', `/api/admin/staff/${id}/lock`, tokens.admin)).json().returnedTasks).toEqual([]);
  expect((await http.call('POST', `/api/tasks/${task.taskId}/reassign`, tokens.leader, { to: id, reason: 'x' })).statusCode).toBe(422);

  expect((await http.call('POST', `/api/admin/staff/${id}/unlock`, tokens.admin)).json().locked).toBe(false);
  expect((await http.call('POST', '/api/auth/login', undefined, { username: 'ha.pham@dvc.example', password: initialPassword })).statusCode).toBe(200);
  const moved = await http.call('PUT', `/api/admin/staff/${id}/roles`, tokens.admin, { roles: [{ role: 'clerk', agencyCode: 'H20.20' }] });
  expect(moved.json().roles).toEqual([{ role: 'clerk', agencyCode: 'H20.20' }]);
  const list = (await http.call('GET', '/api/admin/staff', tokens.admin)).json();
  expect(list.find((u: { id: string }) => u.id === id)).toMatchObject({ fullName: 'Phạm Thu Hà', locked: false });
  expect(list.length).toBe(2 + 4 * 5 + 1);
});
