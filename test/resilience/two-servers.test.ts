import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { history, start, verifyHistory } from '../../engine/process-core.js';
import { startServer, type RunningServer } from '../e2e/harness.js';
import { useTestDb } from '../support/test-db.js';
import { serverEnv } from './crash.js';
import { openEventStream, type EventStreamClient } from './event-stream.js';
import { expectStatus, login, PROCEDURES, send, submitDossier } from './http-client.js';

// Two real server processes (server/main.ts) on one PostgreSQL database, as in a deployment with several servers.
// PGlite is one process by nature: nothing to test there.
describe.skipIf(process.env.TEST_DB !== 'postgres')('two server processes on one database', () => {
  const t = useTestDb();
  let a: RunningServer;
  let b: RunningServer;
  const tokens: Record<string, string> = {};
  const streams: EventStreamClient[] = [];
  const procedure = PROCEDURES[0]!;
  let run = 0;
  const submit = () => submitDossier(a, tokens.citizen!, procedure, `two-servers-${++run}-${Date.now()}`);

  beforeAll(async () => {
    const env = { SCHEDULER_INTERVAL_MS: '100' };
    // One after the other: the first seeds the demo, the second finds it.
    a = await startServer(await serverEnv(t.url!, env));
    b = await startServer(await serverEnv(t.url!, env));
    const account = (description: string) => a.accounts.find((x) => x.description.startsWith(description))!;
    tokens.citizen = await login(a, account('citizen'));
    tokens.officer = await login(a, account(`one-stop-officer @ ${procedure.agency}`));
    tokens.admin = await login(a, account('admin'));
    tokens.leader = await login(a, account(`dept-leader @ ${procedure.agency}`));
    const second = { fullName: 'Trần Thị Bình', email: 'tiepnhan2.sct@dvc.example', password: 'mat-khau-thu-2', roles: [{ role: 'one-stop-officer', agencyCode: procedure.agency }] };
    expectStatus(await send(a, 'POST', '/api/admin/staff', { token: tokens.admin, json: second }), 201, 'second officer');
    tokens.officer2 = await login(b, { login: second.email, password: second.password });
  }, 120_000);
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function receptionTask(code: string) {
    const inbox = expectStatus(await send(a, 'GET', `/api/tasks?view=group&q=${encodeURIComponent(code)}`, { token: tokens.officer }), 200, 'inbox');
    return inbox.items.find((i: { dossier: { code: string } }) => i.dossier.code === code) as { id: string; version: number };
  }
  const receive = (server: RunningServer, token: string, task: { id: string; version: number }) =>
    send(server, 'POST', `/api/tasks/${task.id}/actions`, { token, json: { actionCode: '1100', note: 'Tiếp nhận' }, headers: { 'if-match': `"${task.version}"` } });

  test('a BPMN timer fires exactly once while both servers’ schedulers run', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:dvc="urn:vn-dvc:bpmn:1.0" id="resilienceTimer" targetNamespace="urn:dvc:test">
  <bpmn:process id="resilience-timer" name="Chờ hẹn giờ" isExecutable="true">
    <bpmn:startEvent id="submitted" name="Hồ sơ được nộp" dvc:dossierStatus="1" />
    <bpmn:sequenceFlow id="toWait" sourceRef="submitted" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="Chờ 1 giây">
      <bpmn:timerEventDefinition id="waitTimer"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="toHandle" sourceRef="wait" targetRef="handle" />
    <bpmn:userTask id="handle" name="Xử lý" dvc:candidateGroups="one-stop-officer" dvc:dossierStatus="4" />
    <bpmn:sequenceFlow id="toDone" sourceRef="handle" targetRef="done" dvc:actionCode="1100" dvc:actionName="Tiếp nhận hồ sơ" />
    <bpmn:endEvent id="done" name="Hoàn thành" dvc:dossierStatus="10" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="resilience-timer">
      <bpmndi:BPMNShape id="submitted_di" bpmnElement="submitted"><dc:Bounds x="100" y="122" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="wait_di" bpmnElement="wait"><dc:Bounds x="200" y="122" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="handle_di" bpmnElement="handle"><dc:Bounds x="300" y="100" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="460" y="122" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="toWait_di" bpmnElement="toWait"><di:waypoint x="136" y="140" /><di:waypoint x="200" y="140" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toHandle_di" bpmnElement="toHandle"><di:waypoint x="236" y="140" /><di:waypoint x="300" y="140" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toDone_di" bpmnElement="toDone"><di:waypoint x="400" y="140" /><di:waypoint x="460" y="140" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
    const deployed = await send(a, 'POST', '/api/process-definitions', { token: tokens.admin, body: Buffer.from(xml), contentType: 'application/xml' });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await start(t.db, { processKey: 'resilience-timer', actor: { id: 'resilience-test', groups: [] } })).instanceId);

    const firedCount = async () =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from history_event where type = 'timer.fired' and instance_id in (${sql.join(ids)})`.execute(t.db)).rows[0]!.n,
      );
    const deadline = Date.now() + 20_000;
    while ((await firedCount()) < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // Several more rounds of both schedulers: none may fire a timer again.
    await new Promise((r) => setTimeout(r, 1_000));
    for (const id of ids) {
      const events = await history(t.db, id);
      expect(events.filter((e) => e.type === 'timer.fired'), id).toHaveLength(1);
      expect(events.filter((e) => e.type === 'task.created').map((e) => e.elementId)).toEqual(['handle']);
      expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
    }
    const jobs = await t.db.selectFrom('job').select(['state']).where('instance_id', 'in', ids).where('kind', '=', 'timer').execute();
    expect(jobs.map((j) => j.state)).toEqual(Array(ids.length).fill('done'));
  });

  test('two officers take the same task at the same moment through different servers: one 200, one 409 problem', async () => {
    for (let round = 0; round < 3; round++) {
      const dossier = await submit();
      const task = await receptionTask(dossier.code);
      const answers = await Promise.all([receive(a, tokens.officer!, task), receive(b, tokens.officer2!, task)]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const refused = answers.find((r) => r.status === 409)!;
      expect(refused.body).toMatchObject({ status: 409, type: expect.stringMatching(/^\/problems\//), messageVi: expect.any(String), messageEn: expect.any(String) });
      const events = await history(t.db, (await t.db.selectFrom('dossier').select('instance_id').where('id', '=', dossier.id).executeTakeFirstOrThrow()).instance_id!);
      expect(events.filter((e) => e.type === 'task.completed')).toHaveLength(1);
    }
  });

  test('servers take turns on one dossier: each acts on its latest version, never on a live engine it kept from before', async () => {
    const dossier = await submit();
    const act = async (server: RunningServer, token: string, actionCode: string, extra: Record<string, unknown> = {}) => {
      const inbox = expectStatus(await send(server, 'GET', `/api/tasks?view=group&q=${encodeURIComponent(dossier.code)}`, { token }), 200, 'inbox');
      const task = inbox.items.find((i: { dossier: { code: string } }) => i.dossier.code === dossier.code) as { id: string; version: number };
      const json = { actionCode, note: actionCode, ...extra };
      return expectStatus(await send(server, 'POST', `/api/tasks/${task.id}/actions`, { token, json, headers: { 'if-match': `"${task.version}"` } }), 200, actionCode);
    };
    const [handler] = expectStatus(await send(a, 'GET', '/api/staff?role=handler', { token: tokens.leader }), 200, 'handlers') as { id: string }[];
    // a keeps the engine it ran 1100 on; b moves the dossier on; a must act on b's version, not on its own.
    await act(a, tokens.officer!, '1100');
    await act(b, tokens.officer!, '2000');
    await act(a, tokens.leader!, '2101', { assignee: handler!.id });
    const instanceId = (await t.db.selectFrom('dossier').select('instance_id').where('id', '=', dossier.id).executeTakeFirstOrThrow()).instance_id!;
    const events = await history(t.db, instanceId);
    expect(events.filter((e) => e.type === 'task.completed').map((e) => e.data.action)).toEqual(['1100', '2000', '2101']);
    const open = await t.db.selectFrom('task').select(['element_id', 'assignee']).where('instance_id', '=', instanceId).where('state', '=', 'open').execute();
    expect(open).toEqual([{ element_id: expect.any(String), assignee: handler!.id }]);
    expect(await verifyHistory(t.db, instanceId)).toMatchObject({ ok: true });
  });

  test('a status change made through one server reaches a live page connected to the other, also after its listener was cut', async () => {
    const dossier = await submit();
    const stream = await openEventStream(`${b.baseUrl}/api/dossiers/${dossier.id}/events?access_token=${tokens.citizen}`);
    streams.push(stream);
    const ready = await stream.next((e) => e.event === 'ready');
    expect(ready.data.status).toBe(1);

    // Well within the 15 s heartbeat that would otherwise catch up: the NOTIFY carried it.
    const task = await receptionTask(dossier.code);
    expect((await receive(a, tokens.officer!, task)).status).toBe(200);
    const received = await stream.next((e) => e.event === 'dossier', 5_000);
    expect(received.data).toMatchObject({ dossierId: dossier.id, status: 2 });

    // Every server's listening connection is cut: each reconnects, and the next change still arrives.
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'dvc dossier events' and datname = current_database()`.execute(t.db);
    const transfer = await receptionTask(dossier.code);
    const claim = await send(a, 'POST', `/api/tasks/${transfer.id}/claim`, { token: tokens.officer });
    expect(claim.status).toBe(200);
    const claimed = await stream.next((e) => e.event === 'dossier' && e.data.seq > received.data.seq, 5_000);
    expect(claimed.data.status).toBe(2);
  });
});
