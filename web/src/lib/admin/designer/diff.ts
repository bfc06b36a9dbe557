/// <reference path="./vendor.d.ts" />
import type { ModdleElement } from 'bpmn-moddle';
import { diff } from 'bpmn-js-differ';
import { parseBpmn } from '../../../../../engine/bpmn/moddle.js';

/** What changed between two versions of a process, element by element (bpmn-js-differ on the parsed models). */
export type ChangeKind = 'added' | 'removed' | 'changed' | 'layout';

export interface AttributeChange {
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

/** `attrs` of a changed element, one per property: `outgoing[1]` and `outgoing[2]` are one change of `outgoing`. */
function attributesOf(attrs: Record<string, { oldValue: unknown; newValue: unknown }>): AttributeChange[] {
  const byName = new Map<string, AttributeChange>();
  for (const [key, { oldValue, newValue }] of Object.entries(attrs)) {
    const name = key.replace(/\[\d+\]$/, '');
    const whole = name === key;
    byName.set(name, whole ? { name, from: text(oldValue), to: text(newValue) } : { name });
  }
  return [...byName.values()];
}

export async function diagramChanges(oldXml: string, newXml: string): Promise<ElementChange[]> {
  const [before, after] = await Promise.all([parseBpmn(oldXml), parseBpmn(newXml)]);
  const changes = diff(before.definitions, after.definitions);
  const rows = [
    ...Object.values(changes._added).map((e) => elementOf(e, 'added')),
    ...Object.values(changes._removed).map((e) => elementOf(e, 'removed')),
    ...Object.values(changes._changed).map((c) => elementOf(c.model, 'changed', attributesOf(c.attrs))),
  ];
  const seen = new Set(rows.map((r) => r.id));
  rows.push(...Object.values(changes._layoutChanged).filter((e) => !seen.has(e.id ?? '')).map((e) => elementOf(e, 'layout')));
  return rows.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.name ?? a.id).localeCompare(b.name ?? b.id, 'vi'));
}
