import { randomUUID } from 'node:crypto';
import type { Db } from './db/database.js';
import { compiledDefinition, latestDefinition, type CompiledDefinition } from './definitions/definition.service.js';
import * as instances from './instances/instance.repository.js';
import * as tasks from './tasks/task.repository.js';
import { definitionExists } from './definitions/definition.repository.js';
import type { TaskRow } from './tasks/task.table.js';
import { elementStatistics, historyOf } from './history/history.repository.js';
import { eventHash, GENESIS_HASH } from './history/hash.js';
import { Conflict, Forbidden, Invalid, NotFound } from './errors.js';
import { assertUuid, plainJson } from './json.js';

const INSTANCE = { vi: 'hồ sơ', en: 'Process instance' };
const TASK = { vi: 'công việc', en: 'Task' };
import { appendHistoryOnly, executeCommand, executeStart, inTransaction, type Actor, type CommandOutcome } from './runtime/command.js';

/**
 * The process core's interface: dossiers as durable BPMN instances. Every function takes the database first and
 * makes each change one transaction of its own through `executeCommand`; `startIn` instead joins the caller's
 * transaction, so that a dossier and its instance commit together.
 */
export { definitionSource, deploy, listDefinitions, latestDefinition } from './definitions/definition.service.js';
export { poll, runDueJobs, startScheduler } from './jobs/scheduler.js';
export type { Actor, CommandOutcome, HistoryAppended, OutboxMessage, StatusChange } from './runtime/command.js';
export { onHistoryAppended, onOutboxMessage, onStatusChange } from './runtime/command.js';
export type { DeployResult, DefinitionSummary } from './definitions/definition.service.js';

export interface TaskView {
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  candidateGroups: string[];
  assignee: string | null;
  stepCode: string | null;
  formKey: string | null;
  state: TaskRow['state'];
  createdAt: Date;
  dueAt: Date | null;
  overdue: boolean;
  /** The actions offered: the outgoing flows of the task in the diagram. */
  actions: { code: string; name: string; assignTo: string[] | null }[];
}

export interface InstanceView {
  id: string;
  definition: { id: string; key: string; version: number };
  businessKey: string | null;
  state: 'running' | 'completed';
  dossierStatus: number | null;
  version: number;
  startedBy: string;
  startedAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  variables: Record<string, unknown>;
  openTasks: TaskView[];
}

export interface StartInput {
  processKey: string;
  variables?: Record<string, unknown>;
  actor: Actor;
  businessKey?: string | null;
  now?: Date;
}

export async function start(db: Db, input: StartInput): Promise<CommandOutcome> {
  return inTransaction(db, (trx) => startIn(trx, input));
}

/** Starts an instance inside the caller's transaction, so that it commits together with the caller's rows. */
export async function startIn(trx: Db, input: StartInput): Promise<CommandOutcome> {
  const variables = plainJson(input.variables ?? {}, 'variables');
  const summary = await latestDefinition(trx, input.processKey);
  const definition = await compiledDefinition(trx, summary.id);
  return executeStart(trx, definition, {
    kind: 'start',
    actor: input.actor,
    now: input.now,
    instanceId: randomUUID(),
    businessKey: input.businessKey ?? null,
    variables,
    genesisHash: GENESIS_HASH,
  });
}

export interface ActInput {
  instanceId: string;
  taskId: string;
  actionCode: string;
  input?: Record<string, unknown>;
  note?: string | null;
  actor: Actor;
  expectedVersion?: number;
  now?: Date;
  /** The caller's own writes that must commit with the action, or not at all. */
  alongside?: (trx: Db, outcome: CommandOutcome) => Promise<void>;
  /**
   * A system actor (the payment gateway's confirmation) completes the task whoever holds it: the step waited
   * for the fact, not for the officer who claimed it.
   */
  system?: boolean;
}

/**
 * An actor takes one of a waiting task's actions. Refused with Conflict when the instance moved past
 * `expectedVersion` or the task no longer waits, Forbidden when the actor holds none of its groups or it is
 * assigned to someone else, Invalid when the action is not one the diagram offers on this task.
 */
export async function act(db: Db, input: ActInput): Promise<CommandOutcome> {
  return inTransaction(db, (trx) => actIn(trx, input));
}

/** `act` inside the caller's transaction (a counter reception starts the instance and receives it at once). */
export async function actIn(trx: Db, input: ActInput): Promise<CommandOutcome> {
  assertUuid(input.instanceId, INSTANCE);
  assertUuid(input.taskId, TASK);
  const values = plainJson(input.input ?? {}, 'input');
  if ('action' in values) {
    throw new Invalid('Không được đặt biến "action"', 'The input may not set "action": it is the chosen action code', [
      { path: 'input/action', rule: 'reserved', message: { vi: 'Tên biến dành riêng', en: 'Reserved variable name' } },
    ]);
  }
  const note = input.note == null ? null : (plainJson({ note: input.note }, 'note').note as string);
  const outcome = await executeCommand(trx, input.instanceId, { kind: 'act', actor: input.actor, expectedVersion: input.expectedVersion, undoable: true, now: input.now }, async (ctx) => {
    const task = ctx.openTasks.find((t) => t.id === input.taskId);
    if (!task) {
      const closed = await tasks.findTask(ctx.trx, input.taskId);
      if (!closed || closed.instance_id !== input.instanceId) throw new NotFound('Không tìm thấy công việc', `Task ${input.taskId} not found`);
      throw new Conflict('Công việc này đã được xử lý', `Task ${closed.element_id} is no longer waiting (${closed.state})`);
    }
    const action = ctx.definition.model.tasks[task.element_id]?.actions.find((a) => a.code === input.actionCode);
    if (!action) {
      throw new Invalid(`Thao tác ${input.actionCode} không có ở bước này`, `Action ${input.actionCode} is not offered on task ${task.element_id}`, [
        { path: 'actionCode', rule: 'action-offered', message: { vi: 'Thao tác không hợp lệ cho bước này', en: 'This action is not offered on this task' } },
      ]);
    }
    if (!input.actor.groups.some((g) => task.candidate_groups.includes(g))) {
      throw new Forbidden('Bạn không thuộc nhóm xử lý bước này', `Actor holds none of the groups ${task.candidate_groups.join(', ')}`);
    }
    if (task.assignee && task.assignee !== input.actor.id && !input.system) {
      throw new Forbidden('Công việc đã được giao cho người khác', 'The task is assigned to another user');
    }
    if (!ctx.session.waiting().some((w) => w.executionId === task.execution_id)) {
      throw new Conflict('Công việc này đã được xử lý', `Task ${task.element_id} is not waiting in the engine`);
    }
    ctx.intents.push({
      type: 'task.completed',
      elementId: task.element_id,
      data: { taskId: task.id, action: action.code, actionName: action.name, note, input: values },
    });
    ctx.completedTask = { id: task.id, actionCode: action.code };
    ctx.session.setVariables({ ...values, action: action.code });
    ctx.session.signal(task.element_id, task.execution_id, { action: action.code });
  });
  await input.alongside?.(trx, outcome);
  return outcome;
}

/** Delivers a named BPMN message (a citizen's withdrawal request, another agency's result) to its catcher. */
export async function correlate(
  db: Db,
  input: { instanceId: string; messageName: string; payload?: Record<string, unknown>; actor: Actor; now?: Date },
): Promise<CommandOutcome> {
  assertUuid(input.instanceId, INSTANCE);
  return inTransaction(db, (trx) => correlateIn(trx, input));
}

/** `correlate` inside the caller's transaction (a partner's result recorded with its idempotency check). */
export async function correlateIn(
  trx: Db,
  input: { instanceId: string; messageName: string; payload?: Record<string, unknown>; actor: Actor; now?: Date },
): Promise<CommandOutcome> {
  assertUuid(input.instanceId, INSTANCE);
  const payload = plainJson(input.payload ?? {}, 'payload');
  return executeCommand(trx, input.instanceId, { kind: 'correlate', actor: input.actor, now: input.now }, (ctx) => {
    const message = ctx.definition.model.messages[input.messageName];
    if (!message) {
      throw new Invalid(`Quy trình không nhận thông điệp "${input.messageName}"`, `The process has no message "${input.messageName}"`);
    }
    if (!ctx.session.waiting().some((w) => message.catchers.includes(w.elementId))) {
      throw new Conflict(`Hồ sơ hiện không chờ thông điệp "${input.messageName}"`, `Nothing waits for message "${input.messageName}" now`);
    }
    ctx.intents.push({ type: 'message.correlated', elementId: null, data: { message: input.messageName, payload } });
    ctx.session.setVariables(payload);
    if (!ctx.session.sendMessage(message.messageId)) {
      throw new Conflict(`Thông điệp "${input.messageName}" không được tiếp nhận`, `No activity took message "${input.messageName}"`);
    }
  });
}

/**
 * Changes who holds an open task without moving the process: an officer claims it from the group, or a leader
 * hands it to someone else (e.g. off a locked account). Recorded in the history; the instance version stays.
 */
async function assignTask(
  db: Db,
  input: { taskId: string; actor: Actor; to: string | null; event: 'task.claimed' | 'task.reassigned'; reason?: string; now?: Date },
  check: (task: TaskRow) => void,
): Promise<TaskView> {
  assertUuid(input.taskId, TASK);
  const now = input.now ?? new Date();
  const instanceId = await inTransaction(db, async (trx) => {
    const found = await tasks.findTask(trx, input.taskId);
    if (!found) throw new NotFound('Không tìm thấy công việc', `Task ${input.taskId} not found`);
    // The instance first, as every command locks it, then the task as it is now.
    await instances.lockInstance(trx, found.instance_id);
    const task = (await tasks.findTask(trx, input.taskId))!;
    if (task.state !== 'open') throw new Conflict('Công việc này đã được xử lý', `Task ${task.element_id} is no longer open`);
    check(task);
    if (task.assignee === input.to) return task.instance_id;
    await tasks.setAssignee(trx, task.id, input.to);
    await appendHistoryOnly(trx, task.instance_id, input.actor.id, now, [
      { type: input.event, elementId: task.element_id, data: { taskId: task.id, from: task.assignee, to: input.to, reason: input.reason ?? null } },
    ]);
    return task.instance_id;
  });
  return (await openTasks(db, instanceId)).find((t) => t.id === input.taskId)!;
}

/** The actor takes an open task of one of their groups; a task someone else holds is a Conflict. */
export async function claim(db: Db, input: { taskId: string; actor: Actor; now?: Date }): Promise<TaskView> {
  return assignTask(db, { ...input, to: input.actor.id, event: 'task.claimed' }, (task) => {
    if (!input.actor.groups.some((g) => task.candidate_groups.includes(g))) {
      throw new Forbidden('Bạn không thuộc nhóm xử lý bước này', `Actor holds none of the groups ${task.candidate_groups.join(', ')}`);
    }
    if (task.assignee && task.assignee !== input.actor.id) {
      throw new Conflict('Công việc đã được người khác nhận', 'Another user already holds this task');
    }
  });
}

/** Hands an open task to another user (or back to the group with `to: null`); who may do so is the caller's policy. */
export async function reassign(db: Db, input: { taskId: string; to: string | null; reason: string; actor: Actor; now?: Date }): Promise<TaskView> {
  if (!input.reason.trim()) {
    throw new Invalid('Cần nêu lý do chuyển giao', 'A reason is required to reassign', [
      { path: 'reason', rule: 'required', message: { vi: 'Nhập lý do', en: 'Enter a reason' } },
    ]);
  }
  return assignTask(db, { ...input, event: 'task.reassigned' }, () => undefined);
}

export const DEFAULT_UNDO_WINDOW_MS = 24 * 3_600_000;

/**
 * Takes back the actor's own last action while nothing has happened since: the previous version's state is
 * restored as a new version, and the undo is a history event; nothing is erased.
 */
export async function undo(
  db: Db,
  input: { instanceId: string; actor: Actor; reason: string; now?: Date; windowMs?: number },
): Promise<CommandOutcome> {
  assertUuid(input.instanceId, INSTANCE);
  if (!input.reason.trim()) {
    throw new Invalid('Cần nêu lý do hoàn tác', 'A reason is required to undo', [
      { path: 'reason', rule: 'required', message: { vi: 'Nhập lý do', en: 'Enter a reason' } },
    ]);
  }
  const now = input.now ?? new Date();
  return inTransaction(db, (trx) =>
    executeCommand(
      trx,
      input.instanceId,
      { kind: 'undo', actor: input.actor, now },
      (ctx) => {
        ctx.intents.push({ type: 'command.undone', elementId: null, data: { undoneVersion: ctx.instance.version, reason: input.reason } });
      },
      async (instance) => {
        const last = await instances.findVersion(trx, instance.id, instance.version);
        const previous = await instances.findVersion(trx, instance.id, instance.version - 1);
        if (!last || !previous || last.command !== 'act') {
          throw new Conflict('Không có thao tác nào để hoàn tác', 'The last change is not an action that can be undone');
        }
        if (last.actor_id !== input.actor.id) {
          throw new Forbidden('Chỉ người đã thực hiện thao tác cuối mới được hoàn tác', 'Only the author of the last action may undo it');
        }
        if (!last.undoable) {
          throw new Conflict('Thao tác này đã gửi ra ngoài hệ thống, không thể hoàn tác', 'That action sent a message outside the system and cannot be undone');
        }
        if (now.getTime() - last.created_at.getTime() > (input.windowMs ?? DEFAULT_UNDO_WINDOW_MS)) {
          throw new Conflict('Đã quá thời hạn được hoàn tác', 'The time allowed for undo has passed');
        }
        return { state: previous.state, variables: previous.variables, dossierStatus: previous.dossier_status };
      },
    ),
  );
}

export async function openTasks(db: Db, instanceId: string): Promise<TaskView[]> {
  assertUuid(instanceId, INSTANCE);
  const instance = await instances.findInstance(db, instanceId);
  if (!instance) throw new NotFound('Không tìm thấy hồ sơ', `Process instance ${instanceId} not found`);
  return taskViews(db, instanceId, await compiledDefinition(db, instance.definition_id));
}

async function taskViews(db: Db, instanceId: string, definition: CompiledDefinition): Promise<TaskView[]> {
  return (await tasks.tasksOfInstance(db, instanceId, 'open')).map((task) => ({
    id: task.id,
    instanceId: task.instance_id,
    elementId: task.element_id,
    name: task.name,
    candidateGroups: task.candidate_groups,
    assignee: task.assignee,
    stepCode: task.step_code,
    formKey: task.form_key,
    state: task.state,
    createdAt: task.created_at,
    dueAt: task.due_at,
    overdue: task.overdue,
    actions: (definition.model.tasks[task.element_id]?.actions ?? []).map(({ code, name, assignTo }) => ({ code, name, assignTo: assignTo ?? null })),
  }));
}

export async function instance(db: Db, id: string): Promise<InstanceView> {
  assertUuid(id, INSTANCE);
  const row = await instances.findInstance(db, id);
  if (!row) throw new NotFound('Không tìm thấy hồ sơ', `Process instance ${id} not found`);
  const definition = await compiledDefinition(db, row.definition_id);
  const [version, open] = await Promise.all([instances.findVersion(db, id, row.version), taskViews(db, id, definition)]);
  return {
    id: row.id,
    definition: { id: definition.id, key: definition.key, version: definition.version },
    businessKey: row.business_key,
    state: row.state,
    dossierStatus: row.dossier_status,
    version: row.version,
    startedBy: row.started_by,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    variables: version?.variables ?? {},
    openTasks: open,
  };
}

export interface HistoryEventView {
  seq: number;
  /** The instance version the event belongs to; an undo names the version it took back. */
  version: number;
  type: string;
  elementId: string | null;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
  hash: string;
}

export async function history(db: Db, instanceId: string): Promise<HistoryEventView[]> {
  assertUuid(instanceId, INSTANCE);
  if (!(await instances.findInstance(db, instanceId))) throw new NotFound('Không tìm thấy hồ sơ', `Process instance ${instanceId} not found`);
  return (await historyOf(db, instanceId)).map((e) => ({
    seq: e.seq,
    version: e.version,
    type: e.type,
    elementId: e.element_id,
    actorId: e.actor_id,
    at: e.at,
    data: e.data,
    hash: e.hash,
  }));
}

export type HistoryVerification =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; firstBadSeq: number; fault: HistoryFault; reason: string };

/** How a chain breaks: an event removed, one that does not follow its predecessor, one altered, or the newest cut off. */
export type HistoryFault = 'missing' | 'unlinked' | 'altered' | 'truncated';

/** Recomputes the hash chain and names the first event that was altered, removed or added. */
export async function verifyHistory(db: Db, instanceId: string): Promise<HistoryVerification> {
  assertUuid(instanceId, INSTANCE);
  const row = await instances.findInstance(db, instanceId);
  if (!row) throw new NotFound('Không tìm thấy hồ sơ', `Process instance ${instanceId} not found`);
  // Up to the end the instance row sealed when read: events committed after that read are not judged.
  const events = await historyOf(db, instanceId, row.last_event_seq);
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const seq = index + 1;
    const fail = (fault: HistoryFault, reason: string) => ({ ok: false as const, events: events.length, firstBadSeq: seq, fault, reason });
    if (event.seq !== seq) return fail('missing', `event ${seq} is missing (found ${event.seq} in its place)`);
    if (event.prev_hash !== prevHash) return fail('unlinked', `event ${seq} does not follow event ${seq - 1}`);
    const expected = eventHash(prevHash, {
      instanceId,
      seq,
      version: event.version,
      type: event.type,
      elementId: event.element_id,
      actorId: event.actor_id,
      at: event.at,
      data: event.data,
    });
    if (expected !== event.hash) return fail('altered', `event ${seq} was altered`);
    prevHash = event.hash;
  }
  // The instance row seals the chain's end, so dropping the newest events is caught too.
  if (events.length !== row.last_event_seq || prevHash !== row.last_event_hash) {
    return { ok: false, events: events.length, firstBadSeq: events.length + 1, fault: 'truncated', reason: `events after ${events.length} are missing (the instance recorded ${row.last_event_seq})` };
  }
  return { ok: true, events: events.length, lastHash: prevHash };
}

export interface DefinitionHeatmap {
  elements: { elementId: string; instances: number; visits: number; waiting: number; avgDurationMs: number | null }[];
  flows: { flowId: string; taken: number }[];
}

/** Per element of one version: how many dossiers passed, how long they stayed, how many wait there now. */
export async function definitionHeatmap(db: Db, definitionId: string): Promise<DefinitionHeatmap> {
  assertUuid(definitionId, { vi: 'phiên bản quy trình', en: 'Process definition' });
  if (!(await definitionExists(db, definitionId))) throw new NotFound('Không tìm thấy phiên bản quy trình', `No process definition ${definitionId}`);
  const { elements, flows } = await elementStatistics(db, definitionId);
  return {
    elements: elements.map((e) => ({ elementId: e.element_id, instances: e.instances, visits: e.visits, waiting: e.waiting, avgDurationMs: e.avg_ms === null ? null : Math.round(e.avg_ms) })),
    flows: flows.map((f) => ({ flowId: f.element_id, taken: f.taken })),
  };
}
