import { describe, expect, test } from 'vitest';
import { dataFrom, fieldId, fieldsOf, leaves, missingRequired, valuesFrom, type JsonSchema } from '../../web/src/lib/eform/schema.js';
import { procedures } from '../../server/seed/demo-data.js';

const business = procedures.find((p) => p.code === '2.002604')!.eform as JsonSchema;
const birth = procedures.find((p) => p.code === 'HT02')!.eform as JsonSchema;
const award = procedures.find((p) => p.code === '1.000564')!.eform as JsonSchema;

/** Properties in jsonb's order (by key length), as the API returns a stored schema. */
function asStored(schema: JsonSchema): JsonSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties!).sort(([a], [b]) => a.length - b.length || a.localeCompare(b)));
  return { ...schema, properties };
}

describe('the eForm renderer model', () => {
  test('every demo eForm renders with a control for each field', () => {
    for (const procedure of procedures) {
      const fields = leaves(fieldsOf(procedure.eform as JsonSchema));
      expect(fields.length, procedure.code).toBeGreaterThan(0);
      expect(fields.filter((f) => f.kind === 'unsupported'), procedure.code).toEqual([]);
    }
  });

  test('fields map to controls by type: text, email, date, number, choice', () => {
    const fields = fieldsOf({
      type: 'object',
      required: ['email'],
      properties: {
        email: { type: 'string', format: 'email', title: 'Email' },
        ...birth.properties,
        birthYear: award.properties!.birthYear!,
        agreed: { type: 'boolean', title: 'Đồng ý' },
        items: { type: 'array', title: 'Danh sách' },
      },
    });
    const kinds = Object.fromEntries(leaves(fields).map((f) => [f.pointer, f.kind === 'text' ? `text:${f.inputType}` : f.kind]));
    expect(kinds).toMatchObject({ '/email': 'text:email', '/birthDate': 'text:date', '/gender': 'choice', '/birthYear': 'number', '/agreed': 'boolean', '/items': 'unsupported' });
    expect(leaves(fields).find((f) => f.pointer === '/birthYear')).toMatchObject({ integer: true, minimum: 1900, maximum: 2020, label: 'Năm sinh' });
    expect(leaves(fields).find((f) => f.pointer === '/gender')).toMatchObject({ options: ['Nam', 'Nữ'], id: 'eform-gender' });
  });

  test('required fields come first in the order of `required`, whatever order the API kept', () => {
    expect(fieldsOf(asStored(business)).map((f) => f.pointer)).toEqual(['/organizationName', '/taxCode', '/address', '/representative', '/phone']);
    const ordered = fieldsOf({ type: 'object', properties: { b: { type: 'string', propertyOrder: 2 }, a: { type: 'string', propertyOrder: 1 } } });
    expect(ordered.map((f) => f.pointer)).toEqual(['/a', '/b']);
  });

  test('values and data convert both ways: blanks left out, text trimmed, numbers as numbers, bad numbers kept for the API to report', () => {
    const fields = fieldsOf(award);
    const values = valuesFrom(fields, { nomineeName: 'Nguyễn Du', birthYear: 1765 });
    expect(values).toEqual({ '/nomineeName': 'Nguyễn Du', '/birthYear': '1765' });
    expect(dataFrom(fields, { ...values, '/workTitle': '  Truyện Kiều ', '/artForm': '   ' })).toEqual({ nomineeName: 'Nguyễn Du', birthYear: 1765, workTitle: 'Truyện Kiều' });
    expect(dataFrom(fields, { '/birthYear': 'một nghìn' })).toEqual({ birthYear: 'một nghìn' });
    expect(dataFrom(fieldsOf({ type: 'object', properties: { area: { type: 'number' } } }), { '/area': '12,5' })).toEqual({ area: 12.5 });
  });

  test('nested objects become groups with their own pointers; an optional group is checked once started', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['owner'],
      properties: {
        owner: { type: 'object', title: 'Chủ sở hữu', required: ['name'], properties: { name: { type: 'string', title: 'Họ tên' }, 'id/no': { type: 'string' } } },
        agent: { type: 'object', title: 'Người được ủy quyền', required: ['name'], properties: { name: { type: 'string', title: 'Họ tên' } } },
      },
    };
    const fields = fieldsOf(schema);
    expect(leaves(fields).map((f) => [f.pointer, f.id])).toEqual([
      ['/owner/name', 'eform-owner-name'],
      ['/owner/id~1no', 'eform-owner-id_1no'],
      ['/agent/name', 'eform-agent-name'],
    ]);
    expect(missingRequired(fields, {}).map((f) => f.pointer)).toEqual(['/owner/name']);
    expect(missingRequired(fields, { '/owner/name': 'An', '/agent/name': ' ' }).map((f) => f.pointer)).toEqual([]);
    expect(dataFrom(fields, { '/owner/name': 'An', '/owner/id~1no': '12' })).toEqual({ owner: { name: 'An', 'id/no': '12' } });
    expect(valuesFrom(fields, { owner: { 'id/no': '12' } })).toEqual({ '/owner/id~1no': '12' });
    expect(fieldId('/a b')).toBe('eform-a_b');
  });

  test('the required fields still empty are listed before the applicant moves on', () => {
    const fields = fieldsOf(business);
    expect(missingRequired(fields, { '/organizationName': 'Công ty A', '/taxCode': '  ' }).map((f) => f.pointer)).toEqual(['/taxCode', '/address', '/representative']);
  });
});
