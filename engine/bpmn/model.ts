import { createHash } from 'node:crypto';
import type { ModdleElement } from 'bpmn-moddle';
import { actionFlowsOf, flowElements, processesOf, splitGroups } from './moddle.js';
import { parseDeadline } from '../calendar/working-time.js';

/** What the engine layer needs to know of a deployed diagram, computed once at deploy and stored with it. */
export interface ProcessModel {
  processId: string;
  name: string | null;
  procedureCode: string | null;
  elements: Record<string, { type: string; name: string | null; dossierStatus: number | null }>;
  tasks: Record<string, TaskModel>;
  /** Message name → the bpmn:Message id and the elements that catch it. */
  messages: Record<string, { messageId: string; catchers: string[] }>;
  /** Sequence flows from which a parallel or inclusive join is reachable (see EngineSession). */
  deadPathFlows: string[];
}

export interface TaskModel {
  id: string;
  name: string | null;
  candidateGroups: string[];
  stepCode: string | null;
  dossierStatus: number | null;
  /** Step time limit in working hours. */
  deadlineHours: number | null;
  formKey: string | null;
  /** FEEL expression naming the assignee, evaluated when the task is created. */
  assignee: string | null;
  actions: ActionModel[];
}

export interface ActionModel {
  code: string;
  name: string;
  flowId: string;
  /**
   * When the flow leads to a user task assigned by `=assignee`, the groups one of whom the actor must name as
   * `assignee` with this action (the leader's "Phân công" picks a handler); null otherwise.
   */
  assignTo?: string[] | null;
}

/** The convention of the standard flow: an action names the next task's officer in the `assignee` variable. */
const ASSIGNEE_FROM_ACTION = '=assignee';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function buildModel(definitions: ModdleElement): ProcessModel {
  const process = processesOf(definitions).find((p) => p.isExecutable) ?? processesOf(definitions)[0];
  if (!process) throw new Error('no bpmn:Process');
  const model: ProcessModel = {
    processId: process.id!,
    name: process.name ?? null,
    procedureCode: process.procedureCode ?? null,
    elements: {},
    tasks: {},
    messages: {},
    deadPathFlows: [],
  };
  for (const element of flowElements(process)) {
    if (element.$instanceOf('bpmn:SequenceFlow')) continue;
    const dossierStatus = typeof element.dossierStatus === 'number' ? element.dossierStatus : null;
    model.elements[element.id!] = { type: element.$type, name: element.name ?? null, dossierStatus };
    if (element.$instanceOf('bpmn:UserTask')) {
      model.tasks[element.id!] = {
        id: element.id!,
        name: element.name ?? null,
        candidateGroups: splitGroups(element.candidateGroups),
        stepCode: element.stepCode ?? null,
        dossierStatus,
        deadlineHours: element.deadline ? parseDeadline(element.deadline) : null,
        formKey: element.formKey ?? null,
        assignee: element.assignee ?? null,
        actions: actionFlowsOf(element).map((flow) => ({
          code: String(flow.actionCode),
          name: flow.actionName ?? flow.name ?? String(flow.actionCode),
          flowId: flow.id!,
          assignTo:
            flow.targetRef?.$instanceOf('bpmn:UserTask') && flow.targetRef.assignee?.trim() === ASSIGNEE_FROM_ACTION ? splitGroups(flow.targetRef.candidateGroups) : null,
        })),
      };
    }
    for (const message of caughtMessages(element)) {
      const entry = (model.messages[(message.name ?? message.id) as string] ??= { messageId: message.id as string, catchers: [] });
      entry.catchers.push(element.id!);
    }
  }
  for (const element of flowElements(process)) {
    if (element.$instanceOf('bpmn:SequenceFlow') && reachesJoin(element.targetRef)) model.deadPathFlows.push(element.id!);
  }
  return model;
}

/** Whether a converging parallel/inclusive/complex gateway can be reached from `node`. */
function reachesJoin(start: ModdleElement | undefined): boolean {
  const seen = new Set<ModdleElement>();
  const stack = start ? [start] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    const joins = ['bpmn:ParallelGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway'].some((t) => node.$instanceOf(t));
    if (joins && (node.incoming ?? []).length > 1) return true;
    for (const flow of (node.outgoing ?? []) as ModdleElement[]) if (flow.targetRef) stack.push(flow.targetRef);
    // A discard reaching a boundary event's host also discards the boundary event's path.
    for (const boundary of (node.$parent?.flowElements ?? []) as ModdleElement[]) {
      if (boundary.attachedToRef === node) stack.push(boundary);
    }
  }
  return false;
}

function caughtMessages(element: ModdleElement): ModdleElement[] {
  if (element.$instanceOf('bpmn:ReceiveTask')) return element.messageRef ? [element.messageRef] : [];
  if (!element.$instanceOf('bpmn:CatchEvent')) return [];
  return ((element.eventDefinitions ?? []) as ModdleElement[])
    .filter((d) => d.$instanceOf('bpmn:MessageEventDefinition') && d.messageRef)
    .map((d) => d.messageRef);
}
