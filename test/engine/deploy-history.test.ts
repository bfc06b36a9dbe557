import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDb } from '../support/test-db.js';
import { actors, bundledXml, step } from '../support/process.js';
import { deploy, instance, listDefinitions, start, verifyHistory } from '../../engine/process-core.js';
import { EngineFailure, Invalid } from '../../engine/errors.js';

const t = useTestDb();

/** A small valid process, with DI, that each case below breaks in one way. */
function diagram(opts: { task?: string; flow?: string; extraProcess?: string; executable?: boolean } = {}) {
  const task = opts.task ?? '<bpmn:userTask id="review" name="Xem xét" dvc:candidateGroups="one-stop-officer" />';
  const flow = opts.flow ?? '<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" dvc:actionCode="1100" dvc:actionName="Tiếp nhận" />';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:dvc="urn:vn-dvc:bpmn:1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="tiny" name="Tiny" isExecutable="${opts.executable ?? true}" dvc:procedureCode="1.000564">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    ${task}
    ${flow}
    <bpmn:endEvent id="end" dvc:dossierStatus="10" />
    ${opts.extraProcess ?? ''}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="tiny">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="200" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="400" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="400" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

async function problemsOf(xml: string) {
  const err = await deploy(t.db, xml, 'admin-1').then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Invalid);
  return (err as Invalid).problems;
}

describe('deploy', () => {
  test('accepts the bundled diagrams and a small one; the same XML twice is one version', async () => {
    for (const name of ['standard-one-stop', 'inter-agency'] as const) {
      const result = await deploy(t.db, await bundledXml(name), 'admin-1');
      expect(result).toMatchObject({ key: name, version: 1, created: true });
    }
    const first = await deploy(t.db, diagram(), 'admin-1');
    expect(first).toMatchObject({ key: 'tiny', version: 1, procedureCode: '1.000564', created: true });
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await deploy(t.db, diagram(), 'admin-2')).toMatchObject({ id: first.id, version: 1, created: false });
  });

  test('a new version leaves running instances on their own version', async () => {
    const { instanceId } = await start(t.db, { processKey: 'tiny', actor: actors.citizen });
    const changed = diagram({ task: '<bpmn:userTask id="review" name="Xem xét lại" dvc:candidateGroups="clerk" />' });
    expect(await deploy(t.db, changed, 'admin-1')).toMatchObject({ version: 2, created: true });
    expect((await listDefinitions(t.db, 'tiny')).map((d) => d.version)).toEqual([2, 1]);
    const running = await instance(t.db, instanceId);
    expect(running.definition.version).toBe(1);
    expect(running.openTasks[0]!.candidateGroups).toEqual(['one-stop-officer']);
    await step(t.db, instanceId, 'review', '1100', actors.officer);
    expect((await instance(t.db, instanceId)).dossierStatus).toBe(10);
    const fresh = await start(t.db, { processKey: 'tiny', actor: actors.citizen });
    expect((await instance(t.db, fresh.instanceId)).openTasks[0]!.candidateGroups).toEqual(['clerk']);
  });

  test('refuses a script task', async () => {
    const problems = await problemsOf(diagram({ task: '<bpmn:scriptTask id="review" scriptFormat="javascript"><bpmn:script>process.exit(1)</bpmn:script></bpmn:scriptTask>' }));
    expect(problems.some((p) => p.rule === 'dvc/no-script' && p.path === 'review')).toBe(true);
    expect(problems.find((p) => p.rule === 'dvc/no-script')!.message.vi).toContain('kịch bản');
  });

  test('refuses a JavaScript condition', async () => {
    const flow = `<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" dvc:actionCode="1100" dvc:actionName="Tiếp nhận">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, require('fs'))</bpmn:conditionExpression></bpmn:sequenceFlow>`;
    const problems = await problemsOf(diagram({ flow }));
    expect(problems.map((p) => [p.rule, p.path])).toContainEqual(['dvc/no-script', 'f2']);
  });

  test('refuses a user task without candidate groups, or with an unknown one', async () => {
    expect((await problemsOf(diagram({ task: '<bpmn:userTask id="review" name="Xem xét" />' }))).map((p) => [p.rule, p.path])).toContainEqual([
      'dvc/user-task-groups',
      'review',
    ]);
    const unknown = await problemsOf(diagram({ task: '<bpmn:userTask id="review" dvc:candidateGroups="janitor" />' }));
    expect(unknown.find((p) => p.rule === 'dvc/user-task-groups')!.message.en).toContain('janitor');
  });

  test('refuses an unknown action code, a missing action name, a non-executable process and bad FEEL', async () => {
    const unknownCode = await problemsOf(diagram({ flow: '<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" dvc:actionCode="9999" dvc:actionName="?" />' }));
    expect(unknownCode.map((p) => [p.rule, p.path])).toContainEqual(['dvc/action-flows', 'f2']);
    const noAction = await problemsOf(diagram({ flow: '<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />' }));
    expect(noAction.map((p) => [p.rule, p.path])).toContainEqual(['dvc/action-flows', 'review']);
    expect((await problemsOf(diagram({ executable: false }))).map((p) => p.rule)).toContain('dvc/executable-process');
    const badFeel = `<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" dvc:actionCode="1100" dvc:actionName="Tiếp nhận">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>`;
    expect((await problemsOf(diagram({ flow: badFeel }))).map((p) => p.rule)).toContain('dvc/feel-expressions');
  });

  test('refuses XML that is not BPMN, and a diagram without DI', async () => {
    expect((await problemsOf('<not-bpmn')).map((p) => p.rule)).toEqual(['bpmn-xml']);
    const withoutDi = diagram().replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, '');
    expect((await problemsOf(withoutDi)).map((p) => p.rule)).toContain('no-bpmndi');
  });
});

test('a condition that is not boolean fails the action and commits nothing', async () => {
  const flow = `<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" dvc:actionCode="1100" dvc:actionName="Tiếp nhận">
    <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=fee + 1</bpmn:conditionExpression></bpmn:sequenceFlow>`;
  const xml = diagram({ flow }).replace('id="tiny"', 'id="tiny-feel"').replace('bpmnElement="tiny"', 'bpmnElement="tiny-feel"');
  await deploy(t.db, xml, 'admin-1');
  const { instanceId } = await start(t.db, { processKey: 'tiny-feel', actor: actors.citizen, variables: { fee: 10 } });
  const before = await instance(t.db, instanceId);
  const err = await step(t.db, instanceId, 'review', '1100', actors.officer).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineFailure);
  expect((err as EngineFailure).en).toContain('true or false');
  const after = await instance(t.db, instanceId);
  expect([after.version, after.openTasks.map((task) => task.id)]).toEqual([before.version, before.openTasks.map((task) => task.id)]);
});

test('history events cannot be changed or deleted through the database', async () => {
  await deploy(t.db, diagram(), 'admin-1');
  const { instanceId } = await start(t.db, { processKey: 'tiny', actor: actors.citizen });
  await expect(t.db.updateTable('history_event').set({ actor_id: 'x' }).where('instance_id', '=', instanceId).execute()).rejects.toThrow(/append-only/);
  await expect(t.db.deleteFrom('history_event').where('instance_id', '=', instanceId).execute()).rejects.toThrow(/append-only/);
  expect(await verifyHistory(t.db, instanceId)).toMatchObject({ ok: true });
});

describe('verifyHistory', () => {
  // The tampering below is what someone with the rights to lift the append-only trigger could do.
  beforeAll(async () => {
    await sql`alter table history_event disable trigger history_event_append_only`.execute(t.db);
  });
  afterAll(async () => {
    await sql`alter table history_event enable trigger history_event_append_only`.execute(t.db);
  });

  async function finishedInstance() {
    await deploy(t.db, diagram().replace('id="tiny"', 'id="tiny-audit"').replace('bpmnElement="tiny"', 'bpmnElement="tiny-audit"'), 'admin-1');
    const { instanceId } = await start(t.db, { processKey: 'tiny-audit', actor: actors.citizen });
    await step(t.db, instanceId, 'review', '1100', actors.officer);
    expect(await verifyHistory(t.db, instanceId)).toMatchObject({ ok: true });
    return instanceId;
  }

  test('detects a changed event field, a changed data value and a changed time', async () => {
    for (const change of [
      sql`update history_event set actor_id = 'someone-else' where instance_id = ${sql.lit('X')} and seq = 4`,
      sql`update history_event set data = jsonb_set(data, '{note}', '"sửa"') where instance_id = ${sql.lit('X')} and seq = 4`,
      sql`update history_event set at = at + interval '1 second' where instance_id = ${sql.lit('X')} and seq = 4`,
    ]) {
      const id = await finishedInstance();
      const query = change.compile(t.db);
      await sql.raw(query.sql.replace("'X'", `'${id}'`)).execute(t.db);
      expect(await verifyHistory(t.db, id)).toMatchObject({ ok: false, firstBadSeq: 4, fault: 'altered', reason: 'event 4 was altered' });
    }
  });

  test('detects a removed event in the middle and at the end', async () => {
    const middle = await finishedInstance();
    await t.db.deleteFrom('history_event').where('instance_id', '=', middle).where('seq', '=', 3).execute();
    expect(await verifyHistory(t.db, middle)).toMatchObject({ ok: false, firstBadSeq: 3 });

    const tail = await finishedInstance();
    const { last_event_seq } = await t.db.selectFrom('process_instance').select('last_event_seq').where('id', '=', tail).executeTakeFirstOrThrow();
    await t.db.deleteFrom('history_event').where('instance_id', '=', tail).where('seq', '=', last_event_seq).execute();
    expect(await verifyHistory(t.db, tail)).toMatchObject({ ok: false, firstBadSeq: last_event_seq });
  });
});
