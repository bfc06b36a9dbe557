import type { Lang } from '../i18n/messages.js';
import { translate } from '../i18n/translate.js';

/** What the auditor's pages need from a BPMN diagram, read in the browser from its XML (no bpmn-js needed). */
const BPMN_MODEL = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const DVC = 'urn:vn-dvc:bpmn:1.0';

export interface DiagramElement {
  id: string;
  /** The BPMN element's local name: `userTask`, `sequenceFlow`, `exclusiveGateway`… */
  kind: string;
  name: string | null;
  /** A sequence flow's ends and the action it stands for (dvc:actionName). */
  sourceRef?: string;
  targetRef?: string;
  actionName?: string;
}

/** The diagram's model elements by id, in document order (roughly the order of the process). */
export function diagramElements(xml: string): Map<string, DiagramElement> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const elements = new Map<string, DiagramElement>();
  for (const node of doc.getElementsByTagNameNS(BPMN_MODEL, '*')) {
    const id = node.getAttribute('id');
    if (!id) continue;
    elements.set(id, {
      id,
      kind: node.localName,
      name: node.getAttribute('name')?.trim() || null,
      sourceRef: node.getAttribute('sourceRef') ?? undefined,
      targetRef: node.getAttribute('targetRef') ?? undefined,
      actionName: node.getAttributeNS(DVC, 'actionName') ?? undefined,
    });
  }
  return elements;
}

/** Elements that enclose others (a sub-process): marking their whole area would mark every step inside. */
export const isContainer = (element: DiagramElement | undefined): boolean =>
  element?.kind === 'subProcess' || element?.kind === 'transaction' || element?.kind === 'adHocSubProcess';

/** Where dossiers do work or end: the steps a heatmap labels (gateways and start events only pass dossiers on). */
export const isStep = (element: DiagramElement | undefined): boolean =>
  !!element && (/task$/i.test(element.kind) || element.kind === 'callActivity' || element.kind === 'endEvent');

const KINDS: Record<string, 'startEvent' | 'endEvent' | 'gateway' | 'intermediateEvent' | 'boundaryEvent'> = {
  startEvent: 'startEvent',
  endEvent: 'endEvent',
  exclusiveGateway: 'gateway',
  parallelGateway: 'gateway',
  inclusiveGateway: 'gateway',
  eventBasedGateway: 'gateway',
  intermediateCatchEvent: 'intermediateEvent',
  intermediateThrowEvent: 'intermediateEvent',
  boundaryEvent: 'boundaryEvent',
};

/**
 * An element's name for people: its own; a nameless event or gateway by its kind and id; a sequence flow by its
 * action (dvc:actionName) and the steps it joins.
 */
export function elementName(elements: Map<string, DiagramElement>, id: string, lang: Lang): string {
  const element = elements.get(id);
  if (!element) return id;
  if (element.kind === 'sequenceFlow' && element.sourceRef && element.targetRef) {
    const path = `${elementName(elements, element.sourceRef, lang)} → ${elementName(elements, element.targetRef, lang)}`;
    const label = element.name ?? element.actionName;
    return label ? `${label} (${path})` : path;
  }
  if (element.name) return element.name;
  const kind = KINDS[element.kind];
  return kind ? `${translate(lang, `audit.kind.${kind}`)} (${id})` : id;
}
