import { expect, test, vi } from 'vitest';
import { useTestDb } from '../support/test-db.js';
import { actors, openElements, step } from '../support/process.js';
import { correlate, history, instance, runDueJobs, start, undo, verifyHistory } from '../../engine/process-core.js';
import { Conflict } from '../../engine/errors.js';
import { outboxOf } from '../../engine/outbox/outbox.repository.js';
import { pendingJobsOf } from '../../engine/jobs/job.repository.js';
import { createDb } from '../../engine/db/database.js';

const t = useTestDb({ processes: true });

const DAY = 86_400_000;

test('the handling SLA timer fires once after a restart and escalates without cancelling the task', async () => {
  const { instanceId: id } = await start(t.db, { processKey: 'standard-one-stop', actor: actors.citizen, variables: { applicant: actors.citizen.id } });
  await step(t.db, id, 'receive', '1100', actors.officer);
  await step(t.db, id, 'transfer', '2000', actors.officer);
  await step(t.db, id, 'assign', '2101', actors.leader, { assignee: actors.handler.id });
  const timers = (await pendingJobsOf(t.db, id)).filter((j) => j.kind === 'timer');
  expect(timers.map((j) => j.element_id)).toEqual(['handlingSla']);
  expect(Math.abs(timers[0]!.due_at.getTime() - (Date.now() + 3 * DAY))).toBeLessThan(60_000);

  // Not due yet: nothing fires.
  expect(await runDueJobs(t.db)).toBe(0);

  // The server stops; a new one (new connections, new engine objects) runs the scheduler four days later, by
  // the clock: the engine restored from the database then finds its timer overdue.
  await t.reopen();
  const later = new Date(Date.now() + 4 * DAY);
  vi.useFakeTimers({ toFake: ['Date'], now: later });
  try {
    expect(await runDueJobs(t.db)).toBeGreaterThanOrEqual(1);
    expect(await runDueJobs(t.db)).toBe(0);
  } finally {
    vi.useRealTimers();
  }

  const events = await history(t.db, id);
  expect(events.filter((e) => e.type === 'timer.fired').map((e) => e.elementId)).toEqual(['handlingSla']);
  expect(events.filter((e) => e.type === 'escalation.raised').map((e) => e.elementId)).toEqual(['slaEscalated']);
  // The step's own deadline (3 working days) passed too: the task is marked overdue, still open.
  expect(events.filter((e) => e.type === 'task.overdue').map((e) => e.elementId)).toEqual(['handle']);
  const view = await instance(t.db, id);
  expect(view.openTasks.map((task) => [task.elementId, task.overdue])).toEqual([['handle', true]]);
  // A timer firing is a new version, so the handler's assignment can no longer be undone.
  await expect(undo(t.db, { instanceId: id, actor: actors.leader, reason: 'nhầm' })).rejects.toBeInstanceOf(Conflict);
  await step(t.db, id, 'handle', '2600', actors.handler);
  expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
});

test('two servers running the scheduler at once fire every due job exactly once', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const { instanceId } = await start(t.db, { processKey: 'standard-one-stop', actor: actors.citizen, variables: { applicant: actors.citizen.id } });
    await step(t.db, instanceId, 'receive', '1100', actors.officer);
    await step(t.db, instanceId, 'transfer', '2000', actors.officer);
    await step(t.db, instanceId, 'assign', '2101', actors.leader, { assignee: actors.handler.id });
    ids.push(instanceId);
  }
  // A second server: its own pool on the same PostgreSQL database. PGlite serves one process, so there the two
  // schedulers share the connection and interleave their transactions.
  const second = t.url ? createDb({ databaseUrl: t.url }) : t.db;
  try {
    const later = new Date(Date.now() + 4 * DAY);
    await Promise.all([runDueJobs(t.db, { now: later }), runDueJobs(second, { now: later }), runDueJobs(second, { now: later })]);
  } finally {
    if (second !== t.db) await second.destroy();
  }
  for (const id of ids) {
    const events = await history(t.db, id);
    expect(events.filter((e) => e.type === 'timer.fired')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'escalation.raised')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'task.overdue')).toHaveLength(1);
    expect(await pendingJobsOf(t.db, id)).toEqual([]);
    expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
  }
});

test('inter-agency: send writes an outbox message, the partner result continues to return', async () => {
  const { instanceId: id } = await start(t.db, { processKey: 'inter-agency', actor: actors.citizen });
  await step(t.db, id, 'receive', '1100', actors.officer);
  expect(await openElements(t.db, id)).toEqual([]);
  expect((await instance(t.db, id)).dossierStatus).toBe(4);
  const sent = (await outboxOf(t.db, id)).filter((m) => m.topic === 'interagency.request');
  expect(sent).toHaveLength(1);
  expect(sent[0]!.payload).toMatchObject({ instanceId: id });
  // A step that sent something to another agency cannot be undone.
  await expect(undo(t.db, { instanceId: id, actor: actors.officer, reason: 'nhầm' })).rejects.toBeInstanceOf(Conflict);

  await correlate(t.db, { instanceId: id, messageName: 'interagency.result', actor: { id: 'system:partner', groups: [] }, payload: { partnerResult: 'OK' } });
  await expect(
    correlate(t.db, { instanceId: id, messageName: 'interagency.result', actor: { id: 'system:partner', groups: [] } }),
  ).rejects.toBeInstanceOf(Conflict);
  expect(await openElements(t.db, id)).toEqual(['returnResult']);
  expect((await pendingJobsOf(t.db, id)).filter((j) => j.kind === 'timer')).toEqual([]);
  await step(t.db, id, 'returnResult', '4000', actors.officer);
  const view = await instance(t.db, id);
  expect([view.state, view.dossierStatus, view.variables.partnerResult]).toEqual(['completed', 10, 'OK']);
  const left = (await history(t.db, id)).filter((e) => e.type === 'element.left').map((e) => [e.elementId, e.data.outcome]);
  expect(left).toContainEqual(['partnerTimeout', 'discarded']);
  expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
});

test('inter-agency timeout: the follow-up resends, then the late result is accepted', async () => {
  const { instanceId: id } = await start(t.db, { processKey: 'inter-agency', actor: actors.citizen });
  await step(t.db, id, 'receive', '1100', actors.officer);
  await runDueJobs(t.db, { now: new Date(Date.now() + 6 * DAY) });
  expect(await openElements(t.db, id)).toEqual(['followUp']);
  await expect(
    correlate(t.db, { instanceId: id, messageName: 'interagency.result', actor: { id: 'system:partner', groups: [] } }),
  ).rejects.toBeInstanceOf(Conflict);
  await step(t.db, id, 'followUp', '2000', actors.officer);
  expect((await outboxOf(t.db, id)).filter((m) => m.topic === 'interagency.request')).toHaveLength(2);
  await correlate(t.db, { instanceId: id, messageName: 'interagency.result', actor: { id: 'system:partner', groups: [] } });
  await step(t.db, id, 'returnResult', '4000', actors.officer);
  expect((await instance(t.db, id)).dossierStatus).toBe(10);
  const events = await history(t.db, id);
  expect(events.filter((e) => e.type === 'timer.fired').map((e) => e.elementId)).toEqual(['partnerTimeout']);
});

test('inter-agency timeout then stop ends with status 8', async () => {
  const { instanceId: id } = await start(t.db, { processKey: 'inter-agency', actor: actors.citizen });
  await step(t.db, id, 'receive', '1100', actors.officer);
  await runDueJobs(t.db, { now: new Date(Date.now() + 6 * DAY) });
  await step(t.db, id, 'followUp', '4400', actors.officer);
  const view = await instance(t.db, id);
  expect([view.state, view.dossierStatus]).toEqual(['completed', 8]);
  expect(await pendingJobsOf(t.db, id)).toEqual([]);
});
