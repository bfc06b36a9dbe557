/// <reference path="./vendor.d.ts" />
import type { ModdleElement } from 'bpmn-moddle';
import { diff } from 'bpmn-js-differ';
import { parseBpmn } from '../../../../../engine/bpmn/moddle.js';

/** What changed between two versions of a process, element by element (bpmn-js-differ on the parsed models). */
export type ChangeKind = 'added' | 'removed' | 'changed' | 'layout';

export interface AttributeChange {
  /** The property's name without its prefix: `name`, `deadline` (dvc:deadline). */
  name: string;
  /** Text values as written in the XML; undefined for structures (a condition, a list of flows). */
  from?: string;
  to?: string;
}

export interface ElementChange {
  id: string;
  name: string | null;
  /** The BPMN type without its prefix: UserTask, SequenceFlow… */
  type: string;
  kind: ChangeKind;
  attributes: AttributeChange[];
}

const KIND_ORDER: ChangeKind[] = ['added', 'removed', 'changed', 'layout'];

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);

function elementOf(element: ModdleElement, kind: ChangeKind, attributes: AttributeChange[] = []): ElementChange {
  return { id: element.id ?? '', name: element.name ?? null, type: element.$type.replace(/^bpmn:/, ''), kind, attributes };
}

/**
 * The changed properties of an element, one per property (`outgoing[1]` and `outgoing[2]` are one change of
 * `outgoing`), with values read from both versions: bpmn-js-differ's own old/new values are in no fixed order
 * (a changed value comes swapped, an added one not).
 */
function attributesOf(names: string[], before: ModdleElement | undefined, after: ModdleElement | undefined): AttributeChange[] {
  const unique = [...new Set(names.map((n) => n.replace(/\[\d+\]$/, '')))];
  return unique.map((name) => {
    const values = { from: text(before?.[name]), to: text(after?.[name]) };
    return values.from === undefined && values.to === undefined ? { name } : { name, ...values };
  });
}

export async function diagramChanges(oldXml: string, newXml: string): Promise<ElementChange[]> {
  const [before, after] = await Promise.all([parseBpmn(oldXml), parseBpmn(newXml)]);
  const changes = diff(before.definitions, after.definitions);
  const byId = (parsed: typeof before, id: string) => parsed.moddleContext.elementsById[id];
  const rows = [
    ...Object.values(changes._added).map((e) => elementOf(e, 'added')),
    ...Object.values(changes._removed).map((e) => elementOf(e, 'removed')),
    ...Object.entries(changes._changed).map(([id, c]) => elementOf(c.model, 'changed', attributesOf(Object.keys(c.attrs), byId(before, id), byId(after, id)))),
  ];
  const seen = new Set(rows.map((r) => r.id));
  rows.push(...Object.values(changes._layoutChanged).filter((e) => !seen.has(e.id ?? '')).map((e) => elementOf(e, 'layout')));
  return rows.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.name ?? a.id).localeCompare(b.name ?? b.id, 'vi'));
}
