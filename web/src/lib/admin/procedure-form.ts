import type { Component, ServiceLevel } from '../api/types.js';
import type { MessageKey } from '../i18n/messages.js';
import type { AdminProcedure, Fee, ProcedureInput } from './api.js';
import { feeRuleRow, feeRulesInput, type FeeRuleRow } from '../payments/fee-rules.js';

/**
 * The procedure editor's model: what its controls hold (text as typed), the API body built from it, the
 * problems found before sending, and where the API's field paths land on the page.
 */

/** The file types a component may accept, as checkboxes. */
export const FILE_TYPES = [
  { mediaType: 'application/pdf', label: 'PDF' },
  { mediaType: 'image/jpeg', label: 'JPEG' },
  { mediaType: 'image/png', label: 'PNG' },
] as const;

/** Fee `editable` flags: 1 = the officer may change the amounts, 2 = the officer charges them (3 = both). */
export const FEE_EDITABLE = ['0', '1', '2', '3'] as const;

export interface ComponentRow {
  /** Stable across reordering, for keyed rendering. */
  rowId: number;
  code: string;
  name: string;
  kind: Component['kind'];
  required: boolean;
  manyFiles: boolean;
  signatureRequired: boolean;
  maxSizeMb: string;
  allowedTypes: string[];
}

export interface ProcedureDraft {
  code: string;
  name: string;
  agencyCode: string;
  fieldCode: string;
  level: ServiceLevel;
  timeLimitDays: string;
  feeAmount: string;
  serviceAmount: string;
  shipAmount: string;
  editable: (typeof FEE_EDITABLE)[number];
  processKey: string;
  published: boolean;
  description: string;
  legalBasis: string;
  eformSchema: string;
  components: ComponentRow[];
  /** Fee rules (lib/payments/fee-rules.ts), sent only when there are some. */
  feeRules: FeeRuleRow[];
}

/** A problem found before sending, shaped like the API's: a body path and a UI message. */
export interface DraftProblem {
  path: string;
  message: MessageKey;
}

let lastRowId = 0;

export function componentRow(component: Partial<Component> = {}): ComponentRow {
  return {
    rowId: ++lastRowId,
    code: component.code ?? '',
    name: component.name ?? '',
    kind: component.kind ?? 'input',
    required: component.required ?? true,
    manyFiles: component.manyFiles ?? false,
    signatureRequired: component.signatureRequired ?? false,
    maxSizeMb: String(component.maxSizeMb ?? 10),
    allowedTypes: component.allowedTypes ?? ['application/pdf'],
  };
}

/** The next free code of a kind: TP01, TP02… for documents to submit, KQ01… for results. */
export function nextComponentCode(rows: ComponentRow[], kind: Component['kind']): string {
  const prefix = kind === 'input' ? 'TP' : 'KQ';
  const used = new Set(rows.map((r) => r.code));
  for (let n = 1; ; n++) {
    const code = `${prefix}${String(n).padStart(2, '0')}`;
    if (!used.has(code)) return code;
  }
}

/** Moves row `index` by `offset` (−1 up, +1 down); a move past either end changes nothing. */
export function moveRow<T>(rows: T[], index: number, offset: number): T[] {
  const target = index + offset;
  if (target < 0 || target >= rows.length) return rows;
  const moved = [...rows];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}

const EMPTY_SCHEMA = { type: 'object', required: [], properties: {} };

/** The editor's controls for a procedure, or for a new one. */
export function draftOf(procedure?: AdminProcedure): ProcedureDraft {
  return {
    code: procedure?.code ?? '',
    name: procedure?.name ?? '',
    agencyCode: procedure?.agency.code ?? '',
    fieldCode: procedure?.field.code ?? '',
    level: procedure?.level ?? 'full',
    timeLimitDays: procedure ? String(procedure.timeLimitDays) : '',
    feeAmount: String(procedure?.fee.feeAmount ?? 0),
    serviceAmount: String(procedure?.fee.serviceAmount ?? 0),
    shipAmount: String(procedure?.fee.shipAmount ?? 0),
    editable: String(procedure?.fee.editable ?? 2) as ProcedureDraft['editable'],
    processKey: procedure?.processKey ?? '',
    published: procedure?.published ?? false,
    description: procedure?.description ?? '',
    legalBasis: procedure?.legalBasis ?? '',
    eformSchema: JSON.stringify(procedure?.eformSchema ?? EMPTY_SCHEMA, null, 2),
    components: (procedure?.components ?? []).map(componentRow),
    feeRules: (procedure?.fee.rules ?? []).map(feeRuleRow),
  };
}

export type SchemaCheck = { schema: Record<string, unknown> } | { problem: 'json'; detail: string } | { problem: 'object' };

/** The eForm schema textarea: JSON of an object schema (the API's ajv judges the rest). */
export function parseSchema(text: string): SchemaCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: 'json', detail: (err as Error).message };
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject || (value as { type?: unknown }).type !== 'object') return { problem: 'object' };
  return { schema: value as Record<string, unknown> };
}

/** Whole VND as people type them: `3.000.000`, `3 000 000`, `3000000`. */
export const money = (text: string): number | null => {
  const digits = text.replace(/[\s.,]/g, '');
  return /^\d+$/.test(digits) ? Number(digits) : null;
};

/** `5`, `1,5` or `1.5` working days. */
const days = (text: string): number | null => {
  const normalised = text.trim().replace(',', '.');
  return /^\d+(\.\d+)?$/.test(normalised) && Number(normalised) > 0 ? Number(normalised) : null;
};

const sizeMb = (text: string): number | null => (/^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 50 ? Number(text) : null);

const orNull = (text: string) => (text.trim() ? text.trim() : null);

/**
 * The API body for the draft, or the problems that keep it from being sent (numbers that are not numbers, a
 * schema that is not JSON, a component accepting no file type). Anything else is for the API to judge.
 */
export function inputOf(draft: ProcedureDraft): { input: ProcedureInput } | { problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const number = <T>(value: T | null, path: string, message: MessageKey): T => {
    if (value === null) problems.push({ path, message });
    return value as T;
  };
  const timeLimitDays = number(days(draft.timeLimitDays), '/body/timeLimitDays', 'admin.procedure.invalidDays');
  const fee: Fee = {
    feeAmount: number(money(draft.feeAmount), '/body/fee/feeAmount', 'admin.procedure.invalidMoney'),
    serviceAmount: number(money(draft.serviceAmount), '/body/fee/serviceAmount', 'admin.procedure.invalidMoney'),
    shipAmount: number(money(draft.shipAmount), '/body/fee/shipAmount', 'admin.procedure.invalidMoney'),
    editable: Number(draft.editable) as 0 | 1 | 2 | 3,
  };
  const schema = parseSchema(draft.eformSchema);
  if ('problem' in schema) problems.push({ path: '/body/eformSchema', message: schema.problem === 'json' ? 'admin.procedure.schemaNotJson' : 'admin.procedure.schemaNotObject' });
  const components = draft.components.map((row, i) => {
    if (!row.allowedTypes.length) problems.push({ path: `/body/components/${i}/allowedTypes`, message: 'admin.procedure.typeRequired' });
    return {
      code: row.code.trim().toUpperCase(),
      name: row.name.trim(),
      kind: row.kind,
      required: row.required,
      manyFiles: row.manyFiles,
      signatureRequired: row.signatureRequired,
      maxSizeMb: number(sizeMb(row.maxSizeMb), `/body/components/${i}/maxSizeMb`, 'admin.procedure.invalidSize'),
      allowedTypes: FILE_TYPES.map((t) => t.mediaType).filter((t) => row.allowedTypes.includes(t)),
    };
  });
  const rules = feeRulesInput(draft.feeRules, 'schema' in schema ? schema.schema : null);
  problems.push(...rules.problems);
  if (rules.rules.length) fee.rules = rules.rules;
  if (problems.length || 'problem' in schema) return { problems };
  return {
    input: {
      code: draft.code.trim(),
      name: draft.name.trim(),
      agencyCode: draft.agencyCode,
      fieldCode: draft.fieldCode,
      level: draft.level,
      timeLimitDays,
      fee,
      processKey: draft.processKey,
      eformSchema: schema.schema,
      description: orNull(draft.description),
      legalBasis: orNull(draft.legalBasis),
      published: draft.published,
      components,
    },
  };
}

/** The fields of a component row, as its controls' ids end: `component-2-code`. */
export type ComponentField = 'code' | 'name' | 'kind' | 'required' | 'manyFiles' | 'signatureRequired' | 'maxSizeMb' | 'allowedTypes';
const COMPONENT_FIELDS: readonly string[] = ['code', 'name', 'kind', 'required', 'manyFiles', 'signatureRequired', 'maxSizeMb', 'allowedTypes'];

/** Procedure-level fields, by their control ids (which are the API names, the fee's flattened). */
export type ProcedureField =
  | 'code'
  | 'name'
  | 'agencyCode'
  | 'fieldCode'
  | 'level'
  | 'timeLimitDays'
  | 'feeAmount'
  | 'serviceAmount'
  | 'shipAmount'
  | 'editable'
  | 'processKey'
  | 'published'
  | 'description'
  | 'legalBasis'
  | 'eformSchema';
const PROCEDURE_FIELDS: readonly string[] = [
  'code',
  'name',
  'agencyCode',
  'fieldCode',
  'level',
  'timeLimitDays',
  'feeAmount',
  'serviceAmount',
  'shipAmount',
  'editable',
  'processKey',
  'published',
  'description',
  'legalBasis',
  'eformSchema',
];

export type ControlOf = { field: ProcedureField } | { field: ComponentField; row: number };

/**
 * The control an API field path is about: `/body/fee/shipAmount` → shipAmount, `/body/eformSchema/type` → the
 * schema textarea, `/body/components/1/allowedTypes/0` → row 1's types; undefined when the page has none.
 */
export function controlOf(path: string): ControlOf | undefined {
  const segments = path.replace(/^\/body\/?/, '').split('/');
  const [first, second, third] = segments;
  if (first === 'components' && second !== undefined && /^\d+$/.test(second)) {
    const field = third && COMPONENT_FIELDS.includes(third) ? (third as ComponentField) : 'code';
    return { field, row: Number(second) };
  }
  const field = first === 'fee' ? (second ?? 'feeAmount') : first;
  return field && PROCEDURE_FIELDS.includes(field) ? { field: field as ProcedureField } : undefined;
}

/** The element id of a control: the field's name, or `component-<row>-<field>` (a row's types: its first box). */
export function controlId(control: ControlOf): string {
  if (!('row' in control)) return control.field;
  return control.field === 'allowedTypes' ? `component-${control.row}-type-0` : `component-${control.row}-${control.field}`;
}
