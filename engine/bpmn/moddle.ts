import BpmnModdle, { type ImportResult, type ModdleElement } from 'bpmn-moddle';
import dvcDescriptor from '../../schemas/dvc.moddle.json' with { type: 'json' };
import actionCatalogue from '../../schemas/action-codes.json' with { type: 'json' };
import roleCatalogue from '../../schemas/roles.json' with { type: 'json' };

/** The project's BPMN extension, shared by the designer's properties panel, the engine and the linter. */
export const moddleExtensions = { dvc: dvcDescriptor };

export const actionCodes: ReadonlyMap<string, { vi: string; en: string; citizenNote: boolean }> = new Map(
  actionCatalogue.actions.map((a) => [a.code, { vi: a.vi, en: a.en, citizenNote: 'citizenNote' in a && a.citizenNote === true }]),
);
export const taskGroups: ReadonlySet<string> = new Set(roleCatalogue.taskGroups);
/** The task groups staff hold in an agency: every task group but the citizen's. */
export const staffTaskGroups: readonly string[] = roleCatalogue.roles.filter((r) => r.staff && taskGroups.has(r.code)).map((r) => r.code);

export interface ParsedBpmn {
  definitions: ModdleElement;
  /** The whole import result, as moddle-context-serializer wants it. */
  moddleContext: ImportResult;
  warnings: string[];
}

export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  const moddle = new BpmnModdle(moddleExtensions);
  const moddleContext = await moddle.fromXML(xml);
  linkFlows(moddleContext.rootElement);
  return {
    definitions: moddleContext.rootElement,
    moddleContext,
    warnings: moddleContext.warnings.map((w) => w.message),
  };
}

/**
 * XML may omit <incoming>/<outgoing> (they repeat sourceRef/targetRef): derived here on parse, and by the
 * designer on import, so that the linter and the model see the same graph whatever tool wrote the file.
 */
export function linkFlows(definitions: ModdleElement) {
  for (const process of processesOf(definitions)) {
    for (const flow of flowElements(process)) {
      if (!flow.$instanceOf('bpmn:SequenceFlow')) continue;
      for (const [node, list] of [[flow.sourceRef, 'outgoing'], [flow.targetRef, 'incoming']] as const) {
        if (!node) continue;
        const flows: ModdleElement[] = (node[list] ??= []);
        if (!flows.includes(flow)) flows.push(flow);
      }
    }
  }
}

export function splitGroups(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

/** Every flow element of a process, sub-processes included, depth first. */
export function* flowElements(container: ModdleElement): Generator<ModdleElement> {
  for (const element of (container.flowElements ?? []) as ModdleElement[]) {
    yield element;
    if (element.$instanceOf('bpmn:SubProcess')) yield* flowElements(element);
  }
}

export function processesOf(definitions: ModdleElement): ModdleElement[] {
  return ((definitions.rootElements ?? []) as ModdleElement[]).filter((e) => e.$instanceOf('bpmn:Process'));
}

/**
 * The actions offered on a user task: the flows carrying dvc:actionCode that leave it directly or through a
 * chain of gateways. This is the one definition of "available actions" (deploy checks, engine, API).
 */
export function actionFlowsOf(task: ModdleElement): ModdleElement[] {
  const found: ModdleElement[] = [];
  const seen = new Set<ModdleElement>();
  const visit = (flows: ModdleElement[]) => {
    for (const flow of flows) {
      if (seen.has(flow)) continue;
      seen.add(flow);
      if (flow.actionCode) found.push(flow);
      else if (flow.targetRef?.$instanceOf('bpmn:Gateway')) visit(flow.targetRef.outgoing ?? []);
    }
  };
  visit(task.outgoing ?? []);
  return found;
}
