import { describe, expect, test } from 'vitest';
import { useTestDb } from '../support/test-db.js';
import { actors, openElements, step } from '../support/process.js';
import { correlate, history, instance, onStatusChange, start, verifyHistory } from '../../engine/process-core.js';
import { Conflict, Forbidden, Invalid } from '../../engine/errors.js';

const t = useTestDb({ processes: true });

// What the server hangs on status changes (notifications, portal sync, the paused clock) sees each change once,
// in its command's transaction: the change is visible there, and the instance already carries it.
const statusChanges = new Map<string, (number | null)[]>();
onStatusChange(async (trx, change) => {
  const row = await trx.selectFrom('process_instance').select('dossier_status').where('id', '=', change.instanceId).executeTakeFirstOrThrow();
  expect(row.dossier_status).toBe(change.to);
  statusChanges.set(change.instanceId, [...(statusChanges.get(change.instanceId) ?? []), change.to]);
});

async function submitted() {
  const { instanceId } = await start(t.db, {
    processKey: 'standard-one-stop',
    actor: actors.citizen,
    variables: { applicant: actors.citizen.id },
    businessKey: `dossier-${Math.random()}`,
  });
  return instanceId;
}

/** Receive → transfer → assign to handler-1: the dossier waits on the handler. */
async function atHandling() {
  const id = await submitted();
  await step(t.db, id, 'receive', '1100', actors.officer);
  await step(t.db, id, 'transfer', '2000', actors.officer);
  await step(t.db, id, 'assign', '2101', actors.leader, { assignee: actors.handler.id });
  return id;
}

async function fromHandlingToEnd(id: string) {
  await step(t.db, id, 'handle', '2600', actors.handler);
  await step(t.db, id, 'leaderReview', '3100', actors.leader);
  await step(t.db, id, 'sign', '3200', actors.director);
  await step(t.db, id, 'issue', '3300', actors.clerk);
  await step(t.db, id, 'returnResult', '4000', actors.officer);
}

async function statusTrail(id: string) {
  return (await history(t.db, id)).filter((e) => e.type === 'status.changed').map((e) => e.data.to);
}

async function expectEnded(id: string, dossierStatus: number) {
  const view = await instance(t.db, id);
  expect(view.state).toBe('completed');
  expect(view.dossierStatus).toBe(dossierStatus);
  expect(view.openTasks).toEqual([]);
  expect(await verifyHistory(t.db, id)).toMatchObject({ ok: true });
  // Replayable: every element entered was left exactly once, so the token's path can be drawn on the diagram.
  const events = await history(t.db, id);
  const runs = (type: string) => events.filter((e) => e.type === type).map((e) => e.data.executionId as string).sort();
  expect(runs('element.left')).toEqual(runs('element.entered'));
}

describe('standard one-stop procedure', () => {
  test('happy path: every step to result returned (status 10)', async () => {
    const id = await atHandling();
    const handling = await instance(t.db, id);
    expect(handling.dossierStatus).toBe(4);
    const handle = handling.openTasks.find((task) => task.elementId === 'handle')!;
    expect(handle.assignee).toBe(actors.handler.id);
    expect(handle.actions.map((a) => a.code).sort()).toEqual(['2001', '2300', '2400', '2600', '5300']);
    expect(handle.dueAt!.getTime()).toBeGreaterThan(Date.now());
    await fromHandlingToEnd(id);
    await expectEnded(id, 10);
    expect(await statusTrail(id)).toEqual([1, 2, 4, 9, 10]);
    // Each status change reached the status listeners, committed with it.
    expect(statusChanges.get(id)).toEqual([1, 2, 4, 9, 10]);
    const completions = (await history(t.db, id)).filter((e) => e.type === 'task.completed');
    expect(completions.map((e) => [e.elementId, e.data.action, e.actorId])).toEqual([
      ['receive', '1100', actors.officer.id],
      ['transfer', '2000', actors.officer.id],
      ['assign', '2101', actors.leader.id],
      ['handle', '2600', actors.handler.id],
      ['leaderReview', '3100', actors.leader.id],
      ['sign', '3200', actors.director.id],
      ['issue', '3300', actors.clerk.id],
      ['returnResult', '4000', actors.officer.id],
    ]);
  });

  test('supplement loop, twice, then approval', async () => {
    const id = await atHandling();
    for (let round = 0; round < 2; round++) {
      await step(t.db, id, 'handle', '2300', actors.handler);
      await step(t.db, id, 'reviewSupplement', '5200', actors.leader);
      expect(await openElements(t.db, id)).toEqual(['supplement']);
      expect((await instance(t.db, id)).dossierStatus).toBe(5);
      // Only the applicant may supplement their own dossier.
      await expect(step(t.db, id, 'supplement', '1101', { id: 'citizen-2', groups: ['citizen'] })).rejects.toBeInstanceOf(Forbidden);
      await step(t.db, id, 'supplement', '1101', actors.citizen, { supplementNote: `round ${round}` });
      expect(await openElements(t.db, id)).toEqual(['handle']);
    }
    await fromHandlingToEnd(id);
    await expectEnded(id, 10);
    expect(await statusTrail(id)).toEqual([1, 2, 4, 5, 4, 5, 4, 9, 10]);
  });

  test('reception rejected (4200) ends with status 3', async () => {
    const id = await submitted();
    await step(t.db, id, 'receive', '4200', actors.officer, { reason: 'Thiếu tờ khai' });
    await expectEnded(id, 3);
  });

  test('refusal proposed (2400) and confirmed (4400) ends with status 8', async () => {
    const id = await atHandling();
    await step(t.db, id, 'handle', '2400', actors.handler);
    await step(t.db, id, 'reviewRefusal', '4400', actors.leader);
    await expectEnded(id, 8);
  });

  test('re-handle (7400) from the leader and from the signer returns to the same handler', async () => {
    const id = await atHandling();
    await step(t.db, id, 'handle', '2600', actors.handler);
    await step(t.db, id, 'leaderReview', '7400', actors.leader);
    expect(await openElements(t.db, id)).toEqual(['handle']);
    await step(t.db, id, 'handle', '2600', actors.handler);
    await step(t.db, id, 'leaderReview', '3100', actors.leader);
    await step(t.db, id, 'sign', '7400', actors.director);
    const again = (await instance(t.db, id)).openTasks;
    expect(again.map((task) => [task.elementId, task.assignee])).toEqual([['handle', actors.handler.id]]);
    await fromHandlingToEnd(id);
    await expectEnded(id, 10);
  });

  test('return for reassignment (2001) lets the leader pick another handler', async () => {
    const id = await atHandling();
    await step(t.db, id, 'handle', '2001', actors.handler);
    await step(t.db, id, 'assign', '2101', actors.leader, { assignee: actors.handler2.id });
    await expect(step(t.db, id, 'handle', '2600', actors.handler)).rejects.toBeInstanceOf(Forbidden);
    await step(t.db, id, 'handle', '2600', actors.handler2);
    expect(await openElements(t.db, id)).toEqual(['leaderReview']);
  });

  describe('withdrawal (4110) is honoured at any step before the result is issued', () => {
    const withdraw = (id: string) => correlate(t.db, { instanceId: id, messageName: 'dossier.withdraw', actor: actors.citizen, payload: { withdrawReason: 'Không còn nhu cầu' } });

    test('while waiting for reception', async () => {
      const id = await submitted();
      await withdraw(id);
      expect(await openElements(t.db, id)).toEqual(['receive', 'reviewWithdrawal']);
      await step(t.db, id, 'reviewWithdrawal', '4110', actors.officer);
      await expectEnded(id, 7);
      const cancelled = (await history(t.db, id)).filter((e) => e.type === 'task.cancelled').map((e) => e.elementId);
      expect(cancelled).toEqual(['receive']);
    });

    test('while being handled', async () => {
      const id = await atHandling();
      await withdraw(id);
      await step(t.db, id, 'reviewWithdrawal', '4110', actors.officer);
      await expectEnded(id, 7);
    });

    test('while waiting for the citizen to supplement', async () => {
      const id = await atHandling();
      await step(t.db, id, 'handle', '2300', actors.handler);
      await step(t.db, id, 'reviewSupplement', '5200', actors.leader);
      await withdraw(id);
      await step(t.db, id, 'reviewWithdrawal', '4110', actors.officer);
      await expectEnded(id, 7);
    });

    test('a refused withdrawal lets the work go on', async () => {
      const id = await atHandling();
      await withdraw(id);
      await step(t.db, id, 'reviewWithdrawal', '4111', actors.officer);
      expect(await openElements(t.db, id)).toEqual(['handle']);
      await fromHandlingToEnd(id);
      await expectEnded(id, 10);
    });

    test('refused once the result is issued', async () => {
      const id = await atHandling();
      await step(t.db, id, 'handle', '2600', actors.handler);
      await step(t.db, id, 'leaderReview', '3100', actors.leader);
      await step(t.db, id, 'sign', '3200', actors.director);
      await step(t.db, id, 'issue', '3300', actors.clerk);
      await expect(withdraw(id)).rejects.toBeInstanceOf(Conflict);
      await expect(correlate(t.db, { instanceId: id, messageName: 'no.such.message', actor: actors.citizen })).rejects.toBeInstanceOf(Invalid);
    });
  });

  test('an action the task does not offer, a wrong group and a stale version are refused without change', async () => {
    const id = await submitted();
    const before = await instance(t.db, id);
    const task = before.openTasks[0]!;
    const { act } = await import('../../engine/process-core.js');
    await expect(act(t.db, { instanceId: id, taskId: task.id, actionCode: '3300', actor: actors.officer })).rejects.toBeInstanceOf(Invalid);
    await expect(act(t.db, { instanceId: id, taskId: task.id, actionCode: '1100', actor: actors.handler })).rejects.toBeInstanceOf(Forbidden);
    await expect(act(t.db, { instanceId: id, taskId: task.id, actionCode: '1100', actor: actors.officer, expectedVersion: before.version - 1 })).rejects.toBeInstanceOf(Conflict);
    const after = await instance(t.db, id);
    expect(after.version).toBe(before.version);
    expect((await history(t.db, id)).length).toBe((await verifyHistory(t.db, id)).events);
  });
});
