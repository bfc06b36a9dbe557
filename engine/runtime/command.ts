import { randomUUID } from 'node:crypto';
import type { OperationNodeSource } from 'kysely';
import type { Db } from '../db/database.js';
import { isConcurrencyFailure, isUniqueViolation } from '../db/errors.js';
import { compiledDefinition, type CompiledDefinition } from '../definitions/definition.service.js';
import * as instances from '../instances/instance.repository.js';
import type { CommandKind } from '../instances/instance.table.js';
import * as tasks from '../tasks/task.repository.js';
import type { TaskRow } from '../tasks/task.table.js';
import type { JobRow } from '../jobs/job.table.js';
import * as jobs from '../jobs/job.repository.js';
import { insertOutboxMessagesQuery } from '../outbox/outbox.repository.js';
import { insertHistoryEvents, insertHistoryEventsQuery, type NewHistoryEvent } from '../history/history.repository.js';
import { eventHash } from '../history/hash.js';
import { workingCalendarFor } from '../calendar/calendar.service.js';
import { addWorkingHours, localDate, type WorkingCalendar } from '../calendar/working-time.js';
import { evaluateFeel } from '../expressions/feel.js';
import { Conflict, EngineFailure, NotFound } from '../errors.js';
import { EngineSession } from './session.js';
import { engineCache } from './engine-cache.js';
import { writeTogether } from './command.repository.js';

/** Who issues a command: a user id and the role codes they hold where the dossier is handled. */
export interface Actor {
  id: string;
  groups: string[];
}

export interface PendingEvent {
  type: string;
  elementId: string | null;
  data: Record<string, unknown>;
}

/** The instance as a command sees it after locking it. */
export interface LockedInstance {
  id: string;
  definitionId: string;
  businessKey: string | null;
  version: number;
  lastEventSeq: number;
  lastEventHash: string;
  dossierStatus: number | null;
}

export interface CommandContext {
  trx: Db;
  now: Date;
  actor: Actor;
  instance: LockedInstance;
  definition: CompiledDefinition;
  session: EngineSession;
  /** The instance's open tasks as stored when the command began. */
  openTasks: TaskRow[];
  /** Events the command itself stands for (task completed, message correlated…), written before the engine's. */
  intents: PendingEvent[];
  completedTask: { id: string; actionCode: string } | null;
  /** The job whose firing this command is; closed as done rather than cancelled. */
  firedJobId: string | null;
  /** Undo restores the status stored with the version it goes back to. */
  statusOverride?: number | null;
}

export interface CommandSpec {
  kind: CommandKind;
  actor: Actor;
  expectedVersion?: number;
  undoable?: boolean;
  now?: Date;
}

export interface CommandOutcome {
  instanceId: string;
  version: number;
  dossierStatus: number | null;
  completed: boolean;
}

export interface StatusChange {
  instanceId: string;
  businessKey: string | null;
  from: number | null;
  to: number | null;
  at: Date;
}
type StatusListener = (trx: Db, change: StatusChange) => Promise<void>;
const statusListeners = new Set<StatusListener>();

/**
 * Registers writes that commit with every change of the national status, whatever command caused it (an
 * action, a message, a timer, an undo): the server keeps the dossier's paused clock this way.
 */
export function onStatusChange(listener: StatusListener): void {
  statusListeners.add(listener);
}

/** A send task's message, written to the outbox by a command (in its transaction). */
export interface OutboxMessage {
  instanceId: string;
  businessKey: string | null;
  /** The BPMN message's name (`interagency.request`). */
  topic: string;
  /** The outbox row's id: what a receiver keys the message by. */
  outboxMessageId: string;
  /** The send task that wrote it. */
  elementId: string;
  at: Date;
}
type OutboxListener = (trx: Db, message: OutboxMessage) => Promise<void>;
const outboxListeners = new Set<OutboxListener>();

/**
 * Registers writes that commit with every outbox message a command writes (a send task to another agency): the
 * server queues its delivery this way, so that the message and its delivery commit or roll back together.
 */
export function onOutboxMessage(listener: OutboxListener): void {
  outboxListeners.add(listener);
}

/** A command's events were appended to an instance's history: it now ends at `lastSeq`. */
export interface HistoryAppended {
  instanceId: string;
  businessKey: string | null;
  lastSeq: number;
  dossierStatus: number | null;
}
type HistoryListener = (trx: Db, appended: HistoryAppended) => Promise<void>;
const historyListeners = new Set<HistoryListener>();

/**
 * Registers work that commits with every growth of an instance's history (an action, a claim, a timer, a
 * deadline passing): the server announces it to the pages watching the dossier.
 */
export function onHistoryAppended(listener: HistoryListener): void {
  historyListeners.add(listener);
}

async function historyAppended(trx: Db, appended: HistoryAppended) {
  for (const listener of historyListeners) await listener(trx, appended);
}

const committedCallbacks = new WeakMap<Db, (() => void)[]>();

/** Runs `fn` once the transaction `trx` (opened by `inTransaction`) has committed; never after a rollback. */
export function afterCommit(trx: Db, fn: () => void) {
  committedCallbacks.get(trx)?.push(fn);
}

/** Runs `fn` in one transaction; a unique-key race (two writers of one version) surfaces as a Conflict. */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  try {
    const callbacks: (() => void)[] = [];
    const result = await db.transaction().execute((trx) => {
      committedCallbacks.set(trx, callbacks);
      return fn(trx);
    });
    for (const callback of callbacks) callback();
    return result;
  } catch (err) {
    if (isUniqueViolation(err) || isConcurrencyFailure(err)) {
      throw new Conflict('Hồ sơ vừa được người khác xử lý, vui lòng tải lại', 'Someone else changed this dossier first; reload and retry');
    }
    throw err;
  }
}

/**
 * The one transactional path of every change to a running instance: lock and version-check the instance,
 * restore its engine from the stored state (or take the live one cached at exactly this version), let `apply`
 * drive it, then write the new state, tasks, jobs, outbox messages, status and hash-chained history.
 * `resumeFrom` lets undo restore an earlier version instead.
 */
export async function executeCommand(
  trx: Db,
  instanceId: string,
  spec: CommandSpec,
  apply: (ctx: CommandContext) => Promise<void> | void,
  resumeFrom?: (instance: LockedInstance) => Promise<{ state: unknown; variables: Record<string, unknown>; dossierStatus: number | null }>,
): Promise<CommandOutcome> {
  const row = await instances.lockInstance(trx, instanceId);
  if (!row) throw new NotFound('Không tìm thấy hồ sơ', `Process instance ${instanceId} not found`);
  if (spec.expectedVersion !== undefined && spec.expectedVersion !== row.version) {
    throw new Conflict(
      `Hồ sơ đã thay đổi (phiên bản ${row.version}, bạn đang xem ${spec.expectedVersion}); vui lòng tải lại`,
      `The dossier changed (version ${row.version}, you saw ${spec.expectedVersion}); reload and retry`,
    );
  }
  if (row.state !== 'running') throw new Conflict('Hồ sơ đã kết thúc xử lý', 'The process instance has already ended');
  const instance = toLocked(row);
  const definition = await compiledDefinition(trx, row.definition_id);
  const restored = resumeFrom ? await resumeFrom(instance) : undefined;
  let session = restored ? undefined : engineCache.take(instance.id, instance.version);
  if (session) {
    session.beginCommand();
  } else {
    const stored = restored ?? (await instances.findVersion(trx, instance.id, instance.version));
    if (!stored) throw new NotFound('Không tìm thấy trạng thái hồ sơ', `No stored state for version ${instance.version}`);
    session = new EngineSession(definition, stored.variables);
    await session.resume(stored.state);
  }
  const ctx: CommandContext = {
    trx,
    now: spec.now ?? new Date(),
    actor: spec.actor,
    instance,
    definition,
    session,
    openTasks: await tasks.tasksOfInstance(trx, instance.id, 'open'),
    intents: [],
    completedTask: null,
    firedJobId: null,
    statusOverride: restored?.dossierStatus,
  };
  await apply(ctx);
  return persist(ctx, spec);
}

/** Creates an instance and runs it to its first wait, through the same persistence as every command. */
export async function executeStart(
  trx: Db,
  definition: CompiledDefinition,
  spec: CommandSpec & { instanceId: string; businessKey: string | null; variables: Record<string, unknown>; genesisHash: string },
): Promise<CommandOutcome> {
  await instances.insertInstance(trx, {
    id: spec.instanceId,
    definition_id: definition.id,
    business_key: spec.businessKey,
    started_by: spec.actor.id,
    genesis_hash: spec.genesisHash,
  });
  const session = new EngineSession(definition, spec.variables);
  const ctx: CommandContext = {
    trx,
    now: spec.now ?? new Date(),
    actor: spec.actor,
    instance: {
      id: spec.instanceId,
      definitionId: definition.id,
      businessKey: spec.businessKey,
      version: 0,
      lastEventSeq: 0,
      lastEventHash: spec.genesisHash,
      dossierStatus: null,
    },
    definition,
    session,
    openTasks: [],
    intents: [{ type: 'instance.started', elementId: null, data: { definitionId: definition.id, key: definition.key, version: definition.version, businessKey: spec.businessKey } }],
    completedTask: null,
    firedJobId: null,
  };
  await session.start();
  return persist(ctx, spec);
}

async function persist(ctx: CommandContext, spec: CommandSpec): Promise<CommandOutcome> {
  const { trx, session, definition, instance, now, actor } = ctx;
  const { engineVersion, state } = await session.state();
  const derived: PendingEvent[] = [];
  // The writes are collected and sent as one statement with the instance's update (see writeTogether).
  const writes: OperationNodeSource[] = [];

  // Tasks: the open rows must be exactly the user tasks the engine waits on.
  const waitingTasks = session.waiting().filter((w) => w.type === 'bpmn:UserTask');
  const waitingIds = new Set(waitingTasks.map((w) => w.executionId));
  const open = ctx.openTasks;
  const openByExecution = new Map(open.map((t) => [t.execution_id, t]));
  for (const task of open) {
    if (waitingIds.has(task.execution_id)) continue;
    const completed = ctx.completedTask?.id === task.id;
    writes.push(
      tasks.closeTaskQuery(trx, task.id, {
        state: completed ? 'completed' : 'cancelled',
        closed_at: now,
        closed_by: completed ? actor.id : null,
        action_code: completed ? ctx.completedTask!.actionCode : null,
      }),
    );
    if (!completed) derived.push({ type: 'task.cancelled', elementId: task.element_id, data: { taskId: task.id } });
  }
  const openAfter: TaskRow[] = open.filter((t) => waitingIds.has(t.execution_id));
  let calendar: WorkingCalendar | undefined;
  for (const waiting of waitingTasks) {
    if (openByExecution.has(waiting.executionId)) continue;
    // Only undo brings back an execution that had a task before; any other command's waits are new.
    const previous = spec.kind === 'undo' ? await tasks.findTaskByExecution(trx, instance.id, waiting.executionId) : undefined;
    if (previous) {
      openAfter.push(await tasks.reopenTask(trx, previous.id));
      derived.push({ type: 'task.reopened', elementId: previous.element_id, data: { taskId: previous.id } });
      continue;
    }
    const model = definition.model.tasks[waiting.elementId];
    if (!model) throw new EngineFailure(new Error(`user task ${waiting.elementId} is not in the deployed model`));
    let dueAt: Date | null = null;
    if (model.deadlineHours !== null) {
      calendar ??= await workingCalendarFor(trx, localDate(now));
      dueAt = addWorkingHours(now, model.deadlineHours, calendar);
    }
    const assignee = model.assignee ? assigneeOf(model.assignee, session.variables) : null;
    // The id is chosen here, not by the database, so that the row need not be read back before the one write.
    const task: TaskRow = {
      id: randomUUID(),
      instance_id: instance.id,
      execution_id: waiting.executionId,
      element_id: waiting.elementId,
      name: model.name,
      candidate_groups: model.candidateGroups,
      assignee,
      step_code: model.stepCode,
      form_key: model.formKey,
      state: 'open',
      created_at: now,
      due_at: dueAt,
      overdue: false,
      closed_at: null,
      closed_by: null,
      action_code: null,
    };
    writes.push(tasks.insertTaskQuery(trx, task));
    openAfter.push(task);
    derived.push({
      type: 'task.created',
      elementId: waiting.elementId,
      data: { taskId: task.id, name: model.name, candidateGroups: model.candidateGroups, assignee, dueAt: dueAt?.toISOString() ?? null },
    });
  }

  reconcileJobs(ctx, openAfter, await pendingJobs(ctx), writes);

  // Ids chosen here, as tasks' are, so that the listeners can name the rows without reading them back.
  const outbox = session.outbox.map((entry) => ({ ...entry, id: randomUUID() }));
  for (const entry of outbox) {
    derived.push({ type: 'message.sent', elementId: entry.elementId, data: { topic: entry.topic, outboxMessageId: entry.id } });
  }
  const dossierStatus = ctx.statusOverride !== undefined ? ctx.statusOverride : statusAfter(ctx);
  const statusChanged = dossierStatus !== instance.dossierStatus;
  if (statusChanged) {
    derived.push({ type: 'status.changed', elementId: null, data: { from: instance.dossierStatus, to: dossierStatus } });
  }
  // A send task's message to another agency commits with the change that causes it. What a status change owes
  // the outside world (the applicant's email, the national portal's sync) is written by the server's
  // onStatusChange listeners, in this same transaction; its delivery by the onOutboxMessage listeners.
  if (outbox.length) {
    writes.push(
      insertOutboxMessagesQuery(
        trx,
        outbox.map((entry) => ({
          id: entry.id,
          instance_id: instance.id,
          topic: entry.topic,
          payload: { ...entry.payload, instanceId: instance.id, businessKey: instance.businessKey },
        })),
      ),
    );
  }

  if (session.ended) derived.push({ type: 'instance.completed', elementId: null, data: { dossierStatus } });

  const version = instance.version + 1;
  const chained = chain(instance, version, actor.id, now, [...ctx.intents, ...session.events, ...derived]);
  writes.push(
    instances.insertVersionQuery(trx, {
      instance_id: instance.id,
    version,
    command: spec.kind,
    actor_id: actor.id,
    task_id: ctx.completedTask?.id ?? null,
    // What left the system (a message to another agency) cannot be called back, so such a step is final.
    undoable: (spec.undoable ?? false) && session.outbox.length === 0,
    dossier_status: dossierStatus,
      engine_version: engineVersion,
      state,
      variables: session.variables,
    }),
  );
  if (chained.events.length) writes.push(insertHistoryEventsQuery(trx, chained.events));
  const guard = instances
    .updateInstanceQuery(
      trx,
      instance.id,
      { version: instance.version, lastEventSeq: instance.lastEventSeq },
      {
        version,
        state: session.ended ? 'completed' : 'running',
        dossier_status: dossierStatus,
        last_event_seq: chained.lastSeq,
        last_event_hash: chained.lastHash,
        ended_at: session.ended ? now : null,
      },
    )
    .returning('id');
  if (!(await writeTogether(trx, guard, writes))) {
    // The transaction rolls back with everything written alongside.
    throw new Conflict('Hồ sơ vừa được người khác xử lý, vui lòng tải lại', 'Someone else changed this dossier first; reload and retry');
  }
  for (const entry of outbox) {
    const message = { instanceId: instance.id, businessKey: instance.businessKey, topic: entry.topic, outboxMessageId: entry.id, elementId: entry.elementId, at: now };
    for (const listener of outboxListeners) await listener(trx, message);
  }
  if (statusChanged) {
    const change = { instanceId: instance.id, businessKey: instance.businessKey, from: instance.dossierStatus, to: dossierStatus, at: now };
    for (const listener of statusListeners) await listener(trx, change);
  }
  await historyAppended(trx, { instanceId: instance.id, businessKey: instance.businessKey, lastSeq: chained.lastSeq, dossierStatus });
  if (!session.ended) afterCommit(trx, () => engineCache.keep(instance.id, version, session));
  return { instanceId: instance.id, version, dossierStatus, completed: session.ended };
}

function assigneeOf(expression: string, variables: Record<string, unknown>): string | null {
  let value: unknown;
  try {
    value = evaluateFeel(expression, variables);
  } catch (err) {
    throw new EngineFailure(err as Error);
  }
  if (value === null || typeof value === 'string') return value;
  throw new EngineFailure(new Error(`assignee ${expression} must name a user id, got ${JSON.stringify(value)}`));
}

/** The status set by the last element entered that declares one; unchanged when none was entered. */
function statusAfter(ctx: CommandContext): number | null {
  let status = ctx.instance.dossierStatus;
  for (const event of ctx.session.events) {
    if (event.type !== 'element.entered' || !event.elementId) continue;
    const declared = ctx.definition.model.elements[event.elementId]?.dossierStatus;
    if (declared != null) status = declared;
  }
  return status;
}

/** The instance's pending jobs; an instance being started (version 0, inserted by this command) has none. */
async function pendingJobs(ctx: CommandContext): Promise<JobRow[]> {
  return ctx.instance.version === 0 ? [] : jobs.pendingJobsOf(ctx.trx, ctx.instance.id);
}

/** Pending jobs must match the engine's running timers and the open tasks' deadlines: the writes to make them so. */
function reconcileJobs(ctx: CommandContext, openTasks: TaskRow[], pending: JobRow[], writes: OperationNodeSource[]) {
  const { trx, session, instance } = ctx;
  const wanted = new Map<string, { kind: 'timer' | 'deadline'; elementId: string; taskId: string | null; dueAt: Date }>();
  for (const timer of session.pendingTimers()) {
    wanted.set(`timer:${timer.elementId}`, { kind: 'timer', elementId: timer.elementId, taskId: null, dueAt: timer.dueAt });
  }
  for (const task of openTasks) {
    if (task.due_at && !task.overdue) {
      wanted.set(`deadline:${task.id}`, { kind: 'deadline', elementId: task.element_id, taskId: task.id, dueAt: task.due_at });
    }
  }
  const cancelled: string[] = [];
  for (const job of pending) {
    if (job.id === ctx.firedJobId) continue;
    const key = job.kind === 'timer' ? `timer:${job.element_id}` : `deadline:${job.task_id}`;
    const want = wanted.get(key);
    if (!want) {
      cancelled.push(job.id);
      continue;
    }
    wanted.delete(key);
    if (want.dueAt.getTime() !== job.due_at.getTime()) writes.push(jobs.rescheduleJobQuery(trx, job.id, want.dueAt));
  }
  if (cancelled.length) writes.push(jobs.closeJobsQuery(trx, cancelled, 'cancelled'));
  if (ctx.firedJobId) writes.push(jobs.closeJobsQuery(trx, [ctx.firedJobId], 'done'));
  if (wanted.size) {
    writes.push(
      jobs.insertJobsQuery(
        trx,
        [...wanted.values()].map((w) => ({ instance_id: instance.id, kind: w.kind, element_id: w.elementId, task_id: w.taskId, due_at: w.dueAt, state: 'pending' as const, last_error: null, closed_at: null })),
      ),
    );
  }
}

/**
 * Numbers and hash-chains a command's events after the instance's last one. They carry the command's time and
 * the version it commits; data goes through JSON so that what is hashed is exactly what jsonb gives back.
 */
export function chain(instance: LockedInstance, version: number, actorId: string, at: Date, events: PendingEvent[]) {
  let prevHash = instance.lastEventHash;
  let seq = instance.lastEventSeq;
  const out: NewHistoryEvent[] = events.map((event) => {
    seq += 1;
    const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
    const hash = eventHash(prevHash, { instanceId: instance.id, seq, version, type: event.type, elementId: event.elementId, actorId, at, data });
    const row = { instance_id: instance.id, seq, version, type: event.type, element_id: event.elementId, actor_id: actorId, at, data, prev_hash: prevHash, hash };
    prevHash = hash;
    return row;
  });
  return { events: out, lastSeq: seq, lastHash: prevHash };
}

/** Appends events that change no engine state (a deadline passed), under the same optimistic check. */
export async function appendHistoryOnly(trx: Db, instanceId: string, actorId: string, now: Date, events: PendingEvent[]) {
  const row = await instances.lockInstance(trx, instanceId);
  if (!row) throw new NotFound('Không tìm thấy hồ sơ', `Process instance ${instanceId} not found`);
  const chained = chain(toLocked(row), row.version, actorId, now, events);
  const updated = await instances.updateInstance(
    trx,
    instanceId,
    { version: row.version, lastEventSeq: row.last_event_seq },
    { version: row.version, state: row.state, dossier_status: row.dossier_status, last_event_seq: chained.lastSeq, last_event_hash: chained.lastHash, ended_at: row.ended_at },
  );
  if (!updated) throw new Conflict('Hồ sơ vừa thay đổi', 'The dossier changed meanwhile');
  await insertHistoryEvents(trx, chained.events);
  await historyAppended(trx, { instanceId, businessKey: row.business_key, lastSeq: chained.lastSeq, dossierStatus: row.dossier_status });
}

function toLocked(row: NonNullable<Awaited<ReturnType<typeof instances.lockInstance>>>): LockedInstance {
  return {
    id: row.id,
    definitionId: row.definition_id,
    businessKey: row.business_key,
    version: row.version,
    lastEventSeq: row.last_event_seq,
    lastEventHash: row.last_event_hash,
    dossierStatus: row.dossier_status,
  };
}
