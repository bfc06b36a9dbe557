import { describe, expect, test } from 'vitest';
import { useTestDb } from '../support/test-db.js';
import { actors, openElements, step } from '../support/process.js';
import { act, correlate, deploy, history, instance, openTasks, runDueJobs, start, verifyHistory } from '../../engine/process-core.js';
import { Conflict, EngineFailure, Invalid, NotFound } from '../../engine/errors.js';
import { pendingJobsOf } from '../../engine/jobs/job.repository.js';

const t = useTestDb({ processes: true });

const DAY = 86_400_000;

async function atHandling() {
  const { instanceId } = await start(t.db, { processKey: 'standard-one-stop', actor: actors.citizen, variables: { applicant: actors.citizen.id } });
  await step(t.db, instanceId, 'receive', '1100', actors.officer);
  await step(t.db, instanceId, 'transfer', '2000', actors.officer);
  await step(t.db, instanceId, 'assign', '2101', actors.leader, { assignee: actors.handler.id });
  return instanceId;
}

describe('bad input gets a typed error, never a database error', () => {
  test('ids that are not UUIDs are not found', async () => {
    await expect(instance(t.db, 'not-a-uuid')).rejects.toBeInstanceOf(NotFound);
    await expect(history(t.db, '1; drop table task')).rejects.toBeInstanceOf(NotFound);
    await expect(verifyHistory(t.db, '')).rejects.toBeInstanceOf(NotFound);
    await expect(act(t.db, { instanceId: 'x', taskId: 'y', actionCode: '1100', actor: actors.officer })).rejects.toBeInstanceOf(NotFound);
  });

  test('a NUL character or a lone surrogate in a note or input is refused', async () => {
    const id = await atHandling();
    const task = (await openTasks(t.db, id))[0]!;
    await expect(act(t.db, { instanceId: id, taskId: task.id, actionCode: '2600', note: 'a\u0000b', actor: actors.handler })).rejects.toBeInstanceOf(Invalid);
    await expect(act(t.db, { instanceId: id, taskId: task.id, actionCode: '2600', input: { x: '\ud800' }, actor: actors.handler })).rejects.toBeInstanceOf(Invalid);
    await expect(act(t.db, { instanceId: id, taskId: task.id, actionCode: '2600', input: { action: '3300' }, actor: actors.handler })).rejects.toBeInstanceOf(Invalid);
  });

  test('assigning without naming the handler fails the action cleanly', async () => {
    const { instanceId } = await start(t.db, { processKey: 'standard-one-stop', actor: actors.citizen, variables: { applicant: actors.citizen.id } });
    await step(t.db, instanceId, 'receive', '1100', actors.officer);
    await step(t.db, instanceId, 'transfer', '2000', actors.officer);
    await expect(step(t.db, instanceId, 'assign', '2101', actors.leader)).rejects.toBeInstanceOf(EngineFailure);
    expect(await openElements(t.db, instanceId)).toEqual(['assign']);
  });

  test('dates in input are stored as JSON and the history still verifies', async () => {
    const id = await atHandling();
    await step(t.db, id, 'handle', '2600', actors.handler, { appointment: new Date('2026-12-01T08:00:00Z') as unknown as string });
    expect((await instance(t.db, id)).variables.appointment).toBe('2026-12-01T08:00:00.000Z');
    expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
  });
});

test('a payload field named id does not redirect the message', async () => {
  const { instanceId } = await start(t.db, { processKey: 'inter-agency', actor: actors.citizen });
  await step(t.db, instanceId, 'receive', '1100', actors.officer);
  await correlate(t.db, { instanceId, messageName: 'interagency.result', actor: actors.officer, payload: { id: 'R-2024-1' } });
  expect(await openElements(t.db, instanceId)).toEqual(['returnResult']);
});

test('the scheduler and an officer acting on the same instance at once never deadlock', async () => {
  for (let round = 0; round < 4; round++) {
    const id = await atHandling();
    const results = await Promise.allSettled([runDueJobs(t.db, { now: new Date(Date.now() + 4 * DAY) }), step(t.db, id, 'handle', '2600', actors.handler)]);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(Conflict);
    const failed = (await t.db.selectFrom('job').select(['id', 'last_error']).where('instance_id', '=', id).where('attempts', '>', 0).execute());
    expect(failed).toEqual([]);
    expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
  }
});

describe('deploy refuses what the engine cannot run safely', () => {
  const wrap = (processBody: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:dvc="urn:vn-dvc:bpmn:1.0" id="d" targetNamespace="urn:test">
  <bpmn:process id="bad" isExecutable="true">${processBody}</bpmn:process>${extra}
</bpmn:definitions>`;
  const rulesOf = async (xml: string) => {
    const err = await deploy(t.db, xml, 'admin-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    return (err as Invalid).problems.map((p) => [p.rule, p.path]);
  };

  test('a JavaScript condition on a conditional event', async () => {
    const xml = wrap(`<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="c" />
      <bpmn:intermediateCatchEvent id="c"><bpmn:conditionalEventDefinition id="cd"><bpmn:condition xsi:type="bpmn:tFormalExpression" language="javascript">next(null, globalThis.hacked = true)</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>`);
    const rules = await rulesOf(xml);
    expect(rules).toContainEqual(['dvc/no-script', 'cd']);
    expect(rules).toContainEqual(['dvc/supported-elements', 'c']);
    expect((globalThis as { hacked?: boolean }).hacked).toBeUndefined();
  });

  test('a manual task, a message catch without a message, two executable processes, an absurd deadline', async () => {
    expect(await rulesOf(wrap('<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="m" /><bpmn:manualTask id="m" />'))).toContainEqual([
      'dvc/supported-elements',
      'm',
    ]);
    expect(await rulesOf(wrap('<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="w" /><bpmn:intermediateCatchEvent id="w"><bpmn:messageEventDefinition id="md" /></bpmn:intermediateCatchEvent>'))).toContainEqual([
      'dvc/supported-elements',
      'w',
    ]);
    expect(await rulesOf(wrap('<bpmn:startEvent id="s" />', '<bpmn:process id="second" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process>'))).toContainEqual([
      'dvc/executable-process',
      'second',
    ]);
    expect(await rulesOf(wrap('<bpmn:userTask id="u" dvc:candidateGroups="clerk" dvc:deadline="99999d" />'))).toContainEqual(['dvc/step-attributes', 'u']);
  });
});

test('a job whose timer is gone closes without a new version', async () => {
  const id = await atHandling();
  await step(t.db, id, 'handle', '2600', actors.handler);
  // Put back a timer job the engine no longer runs (as if a reconcile had been lost).
  await t.db.insertInto('job').values({ instance_id: id, kind: 'timer', element_id: 'handlingSla', task_id: null, due_at: new Date(Date.now() - 1000), state: 'pending', last_error: null, closed_at: null }).execute();
  const before = (await instance(t.db, id)).version;
  await runDueJobs(t.db);
  expect((await instance(t.db, id)).version).toBe(before);
  expect((await pendingJobsOf(t.db, id)).filter((j) => j.kind === 'timer')).toEqual([]);
});
