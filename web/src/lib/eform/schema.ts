/**
 * The eForm (tờ khai điện tử) renderer's model: a procedure's JSON Schema turned into fields, the values the
 * inputs hold, and the JSON the API validates. The API's ajv is the judge of validity; this side only shapes
 * input, converts numbers and tells which required fields are still empty before the applicant moves on.
 */
export interface JsonSchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** Position among its siblings (the json-editor convention), for authors who want another order. */
  propertyOrder?: number;
}

interface FieldBase {
  /** JSON Pointer of the value in the form data, as the API reports it after `/body/form`. */
  pointer: string;
  /** The control's element id. */
  id: string;
  label: string;
  description?: string;
  required: boolean;
}

export type FieldSpec =
  | (FieldBase & { kind: 'text'; inputType: 'text' | 'email' | 'date'; maxLength?: number })
  | (FieldBase & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'choice'; options: string[] })
  | (FieldBase & { kind: 'group'; fields: FieldSpec[] })
  /** A schema the renderer has no control for (arrays, for one): shown as such, left to the API to judge. */
  | (FieldBase & { kind: 'unsupported' });

/** What the inputs hold, by pointer: text as typed, checkboxes as booleans. */
export type FormValues = Record<string, string | boolean>;

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The element id of the control for a pointer: `/owner/name` → `eform-owner-name`. */
export function fieldId(pointer: string): string {
  return `eform${pointer.replace(/[^A-Za-z0-9_/-]/g, '_').replace(/\//g, '-')}`;
}

function fieldOf(schema: JsonSchema, key: string, pointer: string, required: boolean): FieldSpec {
  const base = { pointer, id: fieldId(pointer), label: schema.title ?? key, description: schema.description, required };
  if (schema.enum) return { ...base, kind: 'choice', options: schema.enum.map(String) };
  switch (schema.type) {
    case 'string':
      if (schema.format === 'email' || schema.format === 'date') return { ...base, kind: 'text', inputType: schema.format, maxLength: schema.maxLength };
      return { ...base, kind: 'text', inputType: 'text', maxLength: schema.maxLength };
    case 'integer':
    case 'number':
      return { ...base, kind: 'number', integer: schema.type === 'integer', minimum: schema.minimum, maximum: schema.maximum };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'object':
      return { ...base, kind: 'group', fields: fieldsOf(schema, pointer) };
    default:
      return { ...base, kind: 'unsupported' };
  }
}

/**
 * The fields of an object schema; nested objects become groups. The API keeps schemas in a jsonb column, which
 * does not keep property order, so fields come in `propertyOrder` where given, else required fields first (in
 * the order of `required`), then the others.
 */
export function fieldsOf(schema: JsonSchema, pointer = ''): FieldSpec[] {
  const required = schema.required ?? [];
  const rank = ([key, property]: [string, JsonSchema]) => property.propertyOrder ?? (required.includes(key) ? required.indexOf(key) - required.length : 0);
  return Object.entries(schema.properties ?? {})
    .sort((a, b) => rank(a) - rank(b))
    .map(([key, property]) => fieldOf(property, key, `${pointer}/${escapePointer(key)}`, required.includes(key)));
}

/** Every field that holds a value, groups flattened. */
export function leaves(fields: FieldSpec[]): Exclude<FieldSpec, { kind: 'group' }>[] {
  return fields.flatMap((f) => (f.kind === 'group' ? leaves(f.fields) : [f]));
}

function valueAt(data: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
}

/** The inputs' values for saved form data. */
export function valuesFrom(fields: FieldSpec[], data: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of leaves(fields)) {
    const value = valueAt(data, field.pointer);
    if (field.kind === 'unsupported') continue;
    if (field.kind === 'boolean') values[field.pointer] = value === true;
    else if (value !== undefined && value !== null) values[field.pointer] = String(value);
  }
  return values;
}

const isBlank = (value: string | boolean | undefined) => value === undefined || (typeof value === 'string' && value.trim() === '');

/** A typed number as JSON: `1.5` and `1,5` are numbers; anything else stays text, for the API to report. */
function numberOrText(text: string, integer: boolean): number | string {
  const normalised = text.trim().replace(',', '.');
  const pattern = integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
  return pattern.test(normalised) ? Number(normalised) : text.trim();
}

/** The form data to save: blank inputs left out (a draft may be incomplete), numbers as numbers, text trimmed. */
export function dataFrom(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const key = field.pointer.slice(field.pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
    if (field.kind === 'group') {
      const group = dataFrom(field.fields, values);
      if (Object.keys(group).length) data[key] = group;
      continue;
    }
    const value = values[field.pointer];
    if (field.kind === 'unsupported') continue;
    if (field.kind === 'boolean') data[key] = value === true;
    else if (!isBlank(value)) data[key] = field.kind === 'number' ? numberOrText(String(value), field.integer) : String(value).trim();
  }
  return data;
}

/** The required fields still empty; fields of an optional group count only once the group has any value. */
export function missingRequired(fields: FieldSpec[], values: FormValues): FieldSpec[] {
  const missing: FieldSpec[] = [];
  for (const field of fields) {
    if (field.kind === 'group') {
      const started = leaves(field.fields).some((f) => typeof values[f.pointer] === 'string' && !isBlank(values[f.pointer]));
      if (field.required || started) missing.push(...missingRequired(field.fields, values));
    } else if (field.required && field.kind !== 'boolean' && field.kind !== 'unsupported' && isBlank(values[field.pointer])) {
      missing.push(field);
    }
  }
  return missing;
}
