import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { Db } from '../../engine/db/database.js';
import { act, instance, openTasks, type Actor } from '../../engine/process-core.js';

export const actors = {
  citizen: { id: 'citizen-1', groups: ['citizen'] },
  officer: { id: 'officer-1', groups: ['one-stop-officer'] },
  leader: { id: 'leader-1', groups: ['dept-leader'] },
  handler: { id: 'handler-1', groups: ['handler'] },
  handler2: { id: 'handler-2', groups: ['handler'] },
  director: { id: 'director-1', groups: ['agency-leader'] },
  clerk: { id: 'clerk-1', groups: ['clerk'] },
} satisfies Record<string, Actor>;

export async function bundledXml(name: 'standard-one-stop' | 'inter-agency'): Promise<string> {
  return readFile(new URL(`../../processes/${name}.bpmn`, import.meta.url), 'utf8');
}

/** Takes `actionCode` on the open task of `elementId`, at the instance's current version. */
export async function step(db: Db, instanceId: string, elementId: string, actionCode: string, actor: Actor, input: Record<string, unknown> = {}) {
  const current = await instance(db, instanceId);
  const task = current.openTasks.find((t) => t.elementId === elementId);
  expect(task, `open task ${elementId} (open: ${current.openTasks.map((t) => t.elementId).join(', ')})`).toBeDefined();
  return act(db, { instanceId, taskId: task!.id, actionCode, input, note: `${actionCode} by ${actor.id}`, actor, expectedVersion: current.version });
}

export async function openElements(db: Db, instanceId: string): Promise<string[]> {
  return (await openTasks(db, instanceId)).map((t) => t.elementId).sort();
}
