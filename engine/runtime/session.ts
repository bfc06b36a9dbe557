import { Engine } from 'bpmn-engine';
import * as Elements from 'bpmn-elements';
import serializer, { TypeResolver, type SerializableContext } from 'moddle-context-serializer';
import type { ImportResult } from 'bpmn-moddle';
import { evaluateCondition, evaluateFeel, isFeel } from '../expressions/feel.js';
import { EngineFailure } from '../errors.js';

/**
 * One command's view of a dossier's process: a bpmn-engine built from the stored state, driven to its next wait
 * and discarded. Nothing here touches the database; the command layer persists what the session observed.
 */

/** What the session's custom elements read: the variables of FEEL expressions, and the definition's flows. */
interface Scope {
  variables: Record<string, unknown>;
  /** Flows whose discard can reach a join; only these propagate dead-path elimination. */
  deadPathFlows: ReadonlySet<string>;
}

/** A deployed version as the session needs it. */
export interface SessionDefinition {
  sourceContext: SerializableContext;
  deadPathFlows: ReadonlySet<string>;
}

/** An event the engine produced; it takes the command's time when written. */
export interface RecordedEvent {
  type: string;
  elementId: string | null;
  data: Record<string, unknown>;
}

export interface OutboxEntry {
  topic: string;
  elementId: string;
  payload: Record<string, unknown>;
}

export interface WaitingActivity {
  elementId: string;
  executionId: string;
  type: string;
}

// Minimal shapes of the bpmn-elements objects the session reads.
interface ElementApi {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, any>;
  owner: { isSubProcess?: boolean; behaviour: Record<string, any> };
  getPostponed(): ElementApi[];
}
interface TimerRef {
  owner?: { id: string };
  expireAt?: Date;
  callback: (...args: unknown[]) => void;
  args: unknown[];
}

/**
 * Sequence flows with the project's semantics: a flow carrying dvc:actionCode is taken exactly when that action
 * was chosen (so the diagram alone defines which flow an action follows), and a condition is strict FEEL that
 * must yield a boolean. A failing condition becomes a process error, never a silently taken default.
 */
function DvcSequenceFlow(this: any, flowDef: any, context: any) {
  (Elements.SequenceFlow as any).call(this, flowDef, context);
}
DvcSequenceFlow.prototype = Object.create((Elements.SequenceFlow as any).prototype);
DvcSequenceFlow.prototype.getCondition = function getCondition(this: any) {
  const actionCode: string | undefined = this.behaviour.actionCode;
  const body: string | undefined = this.behaviour.conditionExpression?.body;
  if (actionCode === undefined && body === undefined) return null;
  const scope: Scope = this.environment.options.dvcScope;
  return {
    type: 'expression',
    execute(_message: unknown, callback?: (err: Error | null, result?: boolean) => void) {
      try {
        const result =
          (actionCode === undefined || String(scope.variables.action) === String(actionCode)) &&
          (body === undefined || evaluateCondition(body, scope.variables));
        return callback ? callback(null, result) : result;
      } catch (err) {
        if (callback) return callback(err as Error);
        throw err;
      }
    },
  };
};

const silent = { debug() {}, error() {}, warn() {} };
const silentLogger = () => silent;

/**
 * A discarded flow tells its target, which discards its own outgoing flows, and so on through the graph: that
 * dead-path elimination is what lets a parallel or inclusive join stop waiting for a branch that will never
 * come. Where no join lies downstream it only costs time (in the standard procedure, with its many loops back
 * to handling, it was three quarters of an action's CPU), so a flow without a join downstream stops there.
 */
DvcSequenceFlow.prototype.discard = function discard(this: any, content?: unknown) {
  const scope: Scope = this.environment.options.dvcScope;
  if (!scope.deadPathFlows.has(this.id)) return;
  return (Elements.SequenceFlow as any).prototype.discard.call(this, content);
};

/**
 * Timers fire only through the job table. bpmn-elements completes a timer whose due time has passed as soon as
 * it is restored, outside any command that could record it; here such a timer stays pending (the smallest
 * delay) and its job, due already, fires it through the scheduler like any other.
 */
function DvcTimerEventDefinition(this: any, activity: any, eventDefinition: any) {
  (Elements.TimerEventDefinition as any).call(this, activity, eventDefinition);
}
DvcTimerEventDefinition.prototype = Object.create((Elements.TimerEventDefinition as any).prototype);
DvcTimerEventDefinition.prototype._getTimers = function getTimers(this: any, executeMessage: unknown) {
  const result = (Elements.TimerEventDefinition as any).prototype._getTimers.call(this, executeMessage);
  if (result.timeout <= 0) result.timeout = 1;
  return result;
};

const typeResolver = TypeResolver({ ...Elements, SequenceFlow: DvcSequenceFlow, TimerEventDefinition: DvcTimerEventDefinition });

// No script ever runs: node:vm is no sandbox. Deploy refuses scripts; this makes sure nothing slips through.
const noScripts = { register: () => undefined, getScript: () => undefined };

/** Serialises a parsed diagram once per definition version; sessions share the result. */
export function toSourceContext(moddleContext: ImportResult): SerializableContext {
  const context = serializer(moddleContext as any, typeResolver);
  // bpmn-engine's getState() embeds `source.serialize()`, the whole diagram as JSON, in every state: ~0.45 ms
  // and a 35 KB string per command for the standard procedure, which state() then threw away (the definition
  // version holds the XML). Nothing else serialises the context: here it yields nothing, the state no `source`.
  context.serialize = () => undefined as unknown as string;
  return context;
}

const LISTENED = [
  'activity.enter',
  'activity.end',
  'activity.stop',
  'activity.leave',
  'activity.timer',
  'activity.escalate',
  'activity.error',
  'flow.take',
  'process.error',
] as const;

export class EngineSession {
  readonly events: RecordedEvent[] = [];
  readonly outbox: OutboxEntry[] = [];
  ended = false;
  private failure: Error | null = null;
  private recording = false;
  /** Entered and not yet left: execution id → element id (those from before this command included). */
  private readonly running = new Map<string, string>();
  private readonly scope: Scope;
  private readonly timers: InstanceType<typeof Elements.Timers>;
  private readonly engine: any;
  private execution: any = null;

  constructor(definition: SessionDefinition, variables: Record<string, unknown>) {
    this.scope = { variables: { ...variables }, deadPathFlows: definition.deadPathFlows };
    // Timers never run in process: their due times become job rows, and the scheduler fires them.
    this.timers = new Elements.Timers({ setTimeout: () => null, clearTimeout: () => undefined } as any);
    const session = this;
    this.engine = new (Engine as any)({
      sourceContext: definition.sourceContext,
      dvcScope: this.scope,
      // bpmn-engine's default logger builds a `debug` instance (and probes the TTY) per element and per run.
      Logger: silentLogger,
      scripts: noScripts,
      settings: { disableTrackState: true },
      timers: this.timers,
      expressions: {
        resolveExpression: (expression: unknown) =>
          typeof expression === 'string' && isFeel(expression) ? evaluateFeel(expression, this.scope.variables) : expression,
        isExpression: isFeel,
        hasExpression: isFeel,
      },
      extensions: {
        // A send task writes an outbox message in the command's transaction and completes at once.
        dvcSendTask(activity: any) {
          if (activity.type !== 'bpmn:SendTask') return;
          activity.behaviour.Service = function OutboxService() {
            return {
              execute(message: any, callback: (err: Error | null, output?: unknown) => void) {
                const messageRef = activity.behaviour.messageRef;
                session.outbox.push({
                  topic: messageRef?.name ?? messageRef?.id ?? activity.id,
                  elementId: activity.id,
                  payload: { variables: session.scope.variables, executionId: message.content.executionId },
                });
                callback(null);
              },
            };
          };
        },
      },
    });
    this.engine.on('error', (err: Error) => (this.failure ??= err));
    this.engine.on('end', () => (this.ended = true));
  }

  get variables(): Record<string, unknown> {
    return this.scope.variables;
  }

  setVariables(values: Record<string, unknown>) {
    Object.assign(this.scope.variables, values);
  }

  async start(): Promise<void> {
    this.recording = true;
    this.execution = await this.engine.execute({ listener: this.listener() });
    this.check();
  }

  /** Restores a stored state. Events the engine replays while resuming are not history and are not recorded. */
  async resume(state: unknown): Promise<void> {
    // Not cloned (0.3 ms for the standard procedure's 14 KB): the caller hands over a state just read from the
    // database for this command alone, so the engine may keep references into it.
    this.engine.recover(state);
    this.execution = await this.engine.resume({ listener: this.listener() });
    this.check();
    this.beginCommand();
  }

  /** Readies a restored or cached session for the next command: what it records starts empty. */
  beginCommand() {
    this.events.length = 0;
    this.outbox.length = 0;
    this.running.clear();
    for (const activity of this.postponed()) this.running.set(activity.executionId, activity.elementId);
    this.recording = true;
  }

  /** Every waiting leaf activity (sub-processes are looked into, not listed). */
  waiting(): WaitingActivity[] {
    return this.postponed().filter((a) => !a.container);
  }

  /** Every running activity, sub-processes included (`container`), depth first. */
  private postponed(): (WaitingActivity & { container: boolean })[] {
    const out: (WaitingActivity & { container: boolean })[] = [];
    const visit = (apis: ElementApi[]) => {
      for (const api of apis) {
        const container = Boolean(api.owner.isSubProcess);
        out.push({ elementId: api.id, executionId: api.executionId, type: api.type, container });
        if (container) visit(api.getPostponed().filter((child) => child.executionId !== api.executionId));
      }
    };
    if (this.execution && !this.ended) visit(this.execution.getPostponed());
    return out;
  }

  pendingTimers(): { elementId: string; dueAt: Date }[] {
    return (this.timers.executing as unknown as TimerRef[])
      .filter((t) => t.owner && t.expireAt)
      .map((t) => ({ elementId: t.owner!.id, dueAt: new Date(t.expireAt!) }));
  }

  signal(elementId: string, executionId: string, payload: Record<string, unknown>) {
    this.execution.signal({ ...payload, id: elementId, executionId });
    this.check();
  }

  /** Fires the pending timer of `elementId`; false when no such timer waits (the job is stale). */
  fireTimer(elementId: string): boolean {
    const timer = (this.timers.executing as unknown as TimerRef[]).find((t) => t.owner?.id === elementId);
    if (!timer) return false;
    this.timers.clearTimeout(timer as any);
    timer.callback(...timer.args);
    this.check();
    return true;
  }

  /** Delivers a message; false when no catcher took it (nothing waited for it after all). */
  sendMessage(messageId: string): boolean {
    const before = new Set(this.waiting().map((w) => w.executionId));
    for (const definition of this.execution.definitions) definition.sendMessage({ id: messageId });
    this.check();
    const after = new Set(this.waiting().map((w) => w.executionId));
    return this.ended || [...before].some((id) => !after.has(id));
  }

  /** The engine state to store: without the embedded XML source, which the definition version already holds. */
  async state(): Promise<{ engineVersion: string; state: unknown }> {
    const state = await this.engine.getState();
    for (const definition of state.definitions ?? []) delete definition.source;
    return { engineVersion: state.engineVersion, state };
  }

  private check() {
    if (this.failure) throw new EngineFailure(this.failure);
  }

  private listener() {
    return {
      emit: (eventName: string, api: ElementApi) => {
        if (!(LISTENED as readonly string[]).includes(eventName)) return;
        this.observe(eventName, api);
      },
    };
  }

  private observe(eventName: string, api: ElementApi) {
    if (eventName === 'process.error' || eventName === 'activity.error') {
      this.failure ??= api.content.error instanceof Error ? api.content.error : new Error(String(api.content.error?.message ?? 'process error'));
      return;
    }
    if (!this.recording || eventName.startsWith('process.')) return;
    const record = (type: string, elementId: string | null, data: Record<string, unknown>) =>
      this.events.push({ type, elementId, data });
    const base = { elementType: api.type, executionId: api.executionId };
    switch (eventName) {
      case 'activity.enter':
        this.running.set(api.executionId, api.id);
        return record('element.entered', api.id, base);
      case 'activity.end':
        return this.recordLeft(api, 'completed');
      case 'activity.stop':
        return this.recordLeft(api, 'cancelled');
      case 'activity.leave':
        // Without an end or a stop before it, the element was discarded (e.g. the losing branch of an event gateway).
        return this.recordLeft(api, 'discarded');
      case 'activity.timer':
        return record('timer.scheduled', api.id, { ...base, dueAt: new Date(api.content.expireAt).toISOString() });
      case 'activity.escalate':
        return record('escalation.raised', api.id, {
          ...base,
          escalationCode: api.content.message?.code ?? api.content.message?.id ?? null,
          name: api.content.message?.name ?? null,
        });
      case 'flow.take':
        return record('flow.taken', api.id, { sourceId: api.content.sourceId, targetId: api.content.targetId });
    }
  }

  /**
   * Leaving is reported for branches never entered too (a gateway's untaken path): only a running element
   * leaves. A stop (terminate end event) carries no execution id, so the element's running execution is meant.
   */
  private recordLeft(api: ElementApi, outcome: 'completed' | 'cancelled' | 'discarded') {
    let executionId: string | undefined = api.executionId;
    if (!executionId) executionId = [...this.running].findLast(([, elementId]) => elementId === api.id)?.[0];
    if (!executionId || !this.running.delete(executionId)) return;
    this.events.push({ type: 'element.left', elementId: api.id, data: { elementType: api.type, executionId, outcome } });
  }
}
