import { expect, test } from 'vitest';
import { useTestDb } from '../support/test-db.js';
import { actors, openElements, step } from '../support/process.js';
import { act, claim, history, instance, reassign, start, undo, verifyHistory } from '../../engine/process-core.js';
import { Conflict, Forbidden, Invalid } from '../../engine/errors.js';

const t = useTestDb({ processes: true });

async function submitted() {
  return (await start(t.db, { processKey: 'standard-one-stop', actor: actors.citizen, variables: { applicant: actors.citizen.id } })).instanceId;
}

test('20 concurrent act() on one task: exactly one succeeds, 19 get Conflict, one completion in history', async () => {
  const id = await submitted();
  const view = await instance(t.db, id);
  const task = view.openTasks[0]!;
  const officers = Array.from({ length: 20 }, (_, i) => ({ id: `officer-${i}`, groups: ['one-stop-officer'] }));
  const results = await Promise.allSettled(
    officers.map((actor) => act(t.db, { instanceId: id, taskId: task.id, actionCode: '1100', actor, expectedVersion: view.version })),
  );
  const ok = results.filter((r) => r.status === 'fulfilled');
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(ok).toHaveLength(1);
  expect(failed).toHaveLength(19);
  for (const f of failed) expect(f.reason).toBeInstanceOf(Conflict);
  const completions = (await history(t.db, id)).filter((e) => e.type === 'task.completed');
  expect(completions).toHaveLength(1);
  expect(await openElements(t.db, id)).toEqual(['transfer']);
  expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
});

test('without an expected version, racing actors still complete the task once', async () => {
  const id = await submitted();
  const task = (await instance(t.db, id)).openTasks[0]!;
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) => act(t.db, { instanceId: id, taskId: task.id, actionCode: i % 2 ? '1100' : '4200', actor: { id: `o-${i}`, groups: ['one-stop-officer'] } })),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect((await history(t.db, id)).filter((e) => e.type === 'task.completed')).toHaveLength(1);
});

test('undo restores the previous step, is recorded, and the step can be taken again', async () => {
  const id = await submitted();
  const before = await instance(t.db, id);
  await step(t.db, id, 'receive', '1100', actors.officer);
  expect((await instance(t.db, id)).dossierStatus).toBe(2);

  await expect(undo(t.db, { instanceId: id, actor: actors.officer, reason: '  ' })).rejects.toBeInstanceOf(Invalid);
  await expect(undo(t.db, { instanceId: id, actor: { id: 'officer-9', groups: ['one-stop-officer'] }, reason: 'nhầm' })).rejects.toBeInstanceOf(Forbidden);
  await undo(t.db, { instanceId: id, actor: actors.officer, reason: 'Chuyển nhầm hồ sơ' });

  const after = await instance(t.db, id);
  expect(after.dossierStatus).toBe(1);
  expect(after.openTasks.map((task) => task.id)).toEqual(before.openTasks.map((task) => task.id));
  const events = await history(t.db, id);
  expect(events.find((e) => e.type === 'command.undone')?.data).toMatchObject({ reason: 'Chuyển nhầm hồ sơ' });
  expect(events.filter((e) => e.type === 'task.cancelled').map((e) => e.elementId)).toEqual(['transfer']);
  expect(events.filter((e) => e.type === 'task.completed')).toHaveLength(1);
  // Undo is not undone, and twice is not possible.
  await expect(undo(t.db, { instanceId: id, actor: actors.officer, reason: 'again' })).rejects.toBeInstanceOf(Conflict);

  await step(t.db, id, 'receive', '4200', actors.officer);
  expect((await instance(t.db, id)).dossierStatus).toBe(3);
  expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
});

test('undo is refused once the next step has acted, and after its time window', async () => {
  const id = await submitted();
  await step(t.db, id, 'receive', '1100', actors.officer);
  const otherOfficer = { id: 'officer-2', groups: ['one-stop-officer'] };
  await step(t.db, id, 'transfer', '2000', otherOfficer);
  await expect(undo(t.db, { instanceId: id, actor: actors.officer, reason: 'nhầm' })).rejects.toBeInstanceOf(Forbidden);
  const later = new Date(Date.now() + 25 * 3_600_000);
  await expect(undo(t.db, { instanceId: id, actor: otherOfficer, reason: 'nhầm', now: later })).rejects.toBeInstanceOf(Conflict);
  await undo(t.db, { instanceId: id, actor: otherOfficer, reason: 'Bàn giao nhầm phòng' });
  expect(await openElements(t.db, id)).toEqual(['transfer']);
});

test('claim and reassign move who holds a task, recorded in history without a new version', async () => {
  const id = await submitted();
  const before = await instance(t.db, id);
  const task = before.openTasks[0]!;
  const other = { id: 'officer-2', groups: ['one-stop-officer'] };
  expect((await claim(t.db, { taskId: task.id, actor: actors.officer })).assignee).toBe(actors.officer.id);
  expect((await claim(t.db, { taskId: task.id, actor: actors.officer })).assignee).toBe(actors.officer.id);
  await expect(claim(t.db, { taskId: task.id, actor: other })).rejects.toBeInstanceOf(Conflict);
  await expect(claim(t.db, { taskId: task.id, actor: actors.handler })).rejects.toBeInstanceOf(Forbidden);
  await expect(act(t.db, { instanceId: id, taskId: task.id, actionCode: '1100', actor: other })).rejects.toBeInstanceOf(Forbidden);
  await expect(reassign(t.db, { taskId: task.id, to: other.id, reason: ' ', actor: actors.leader })).rejects.toBeInstanceOf(Invalid);
  await reassign(t.db, { taskId: task.id, to: other.id, reason: 'Cán bộ nghỉ phép', actor: actors.leader });
  expect((await instance(t.db, id)).version).toBe(before.version);
  await act(t.db, { instanceId: id, taskId: task.id, actionCode: '1100', actor: other, expectedVersion: before.version });
  const events = (await history(t.db, id)).filter((e) => e.type.startsWith('task.') && e.type !== 'task.created');
  expect(events.map((e) => [e.type, e.actorId, e.data.to])).toEqual([
    ['task.claimed', actors.officer.id, actors.officer.id],
    ['task.reassigned', actors.leader.id, other.id],
    ['task.completed', other.id, undefined],
  ]);
  expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
});
