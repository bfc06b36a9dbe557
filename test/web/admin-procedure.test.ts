import { describe, expect, test } from 'vitest';
import type { AdminProcedure } from '../../web/src/lib/admin/api.js';
import { componentRow, controlId, controlOf, draftOf, inputOf, moveRow, nextComponentCode, parseSchema, type ProcedureDraft } from '../../web/src/lib/admin/procedure-form.js';

const procedure: AdminProcedure = {
  code: '1.004227',
  name: 'Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke',
  level: 'full',
  timeLimitDays: 5,
  agency: { code: 'H20.13', name: 'Sở Văn hóa, Thể thao và Du lịch' },
  field: { code: 'DSVH', name: 'Di sản văn hóa' },
  description: null,
  legalBasis: 'Nghị định 54/2019/NĐ-CP',
  processKey: 'standard-one-stop',
  fee: { feeAmount: 4_000_000, serviceAmount: 0, shipAmount: 25_000, editable: 2 },
  eformSchema: { type: 'object', required: ['businessName'], properties: { businessName: { type: 'string', title: 'Tên cơ sở' } } },
  components: [
    { code: 'TP01', name: 'Đơn đề nghị', kind: 'input', required: true, manyFiles: false, signatureRequired: false, maxSizeMb: 5, allowedTypes: ['application/pdf'] },
    { code: 'KQ01', name: 'Giấy phép', kind: 'result', required: true, manyFiles: false, signatureRequired: true, maxSizeMb: 10, allowedTypes: ['application/pdf', 'image/png'] },
  ],
  published: true,
  forms: [],
};

const edited = (change: Partial<ProcedureDraft>): ProcedureDraft => ({ ...draftOf(procedure), ...change });

describe('the procedure editor’s model', () => {
  test('a procedure’s controls give back the same configuration as the API body', () => {
    const { forms: _forms, agency, field, ...rest } = procedure;
    expect(inputOf(draftOf(procedure))).toEqual({ input: { ...rest, agencyCode: agency.code, fieldCode: field.code, description: null } });
  });

  test('a new procedure starts empty, with an object schema and no components', () => {
    const draft = draftOf();
    expect([draft.code, draft.timeLimitDays, draft.feeAmount, draft.editable, draft.published, draft.components]).toEqual(['', '', '0', '2', false, []]);
    expect(parseSchema(draft.eformSchema)).toEqual({ schema: { type: 'object', required: [], properties: {} } });
  });

  test('amounts as people type them; blank texts as null; codes in capitals; file types in a fixed order', () => {
    const rows = draftOf(procedure).components.map((r, i) => (i === 1 ? { ...r, code: ' kq01 ', allowedTypes: ['image/png', 'application/pdf'] } : r));
    const built = inputOf(edited({ feeAmount: '3.000.000', serviceAmount: '1 500 000', timeLimitDays: '0,5', legalBasis: '  ', components: rows }));
    if (!('input' in built)) throw new Error('expected a body');
    expect(built.input.fee).toEqual({ feeAmount: 3_000_000, serviceAmount: 1_500_000, shipAmount: 25_000, editable: 2 });
    expect([built.input.timeLimitDays, built.input.legalBasis]).toEqual([0.5, null]);
    expect(built.input.components[1]).toMatchObject({ code: 'KQ01', allowedTypes: ['application/pdf', 'image/png'] });
  });

  test('every problem found before sending, at the API’s paths', () => {
    const rows = draftOf(procedure).components.map((r, i) => (i === 1 ? { ...r, maxSizeMb: '60', allowedTypes: [] } : r));
    expect(inputOf(edited({ timeLimitDays: '0', feeAmount: '3tr', eformSchema: '{ "type": ', components: rows }))).toEqual({
      problems: [
        { path: '/body/timeLimitDays', message: 'admin.procedure.invalidDays' },
        { path: '/body/fee/feeAmount', message: 'admin.procedure.invalidMoney' },
        { path: '/body/eformSchema', message: 'admin.procedure.schemaNotJson' },
        { path: '/body/components/1/allowedTypes', message: 'admin.procedure.typeRequired' },
        { path: '/body/components/1/maxSizeMb', message: 'admin.procedure.invalidSize' },
      ],
    });
  });

  test('the eForm schema textarea: JSON of an object schema', () => {
    expect(parseSchema('{"type":"object","properties":{}}')).toEqual({ schema: { type: 'object', properties: {} } });
    expect(parseSchema('[1, 2]')).toEqual({ problem: 'object' });
    expect(parseSchema('{"type":"array"}')).toEqual({ problem: 'object' });
    expect(parseSchema('{ "type": "object", }')).toMatchObject({ problem: 'json', detail: expect.any(String) });
  });

  test('the API’s field paths land on the controls', () => {
    const id = (path: string) => {
      const control = controlOf(path);
      return control && controlId(control);
    };
    expect(id('/body/name')).toBe('name');
    expect(id('/body/fee/shipAmount')).toBe('shipAmount');
    expect(id('/body/fee')).toBe('feeAmount');
    expect(id('/body/eformSchema/type')).toBe('eformSchema');
    expect(id('/body/components/1/code')).toBe('component-1-code');
    expect(id('/body/components/0/allowedTypes/2')).toBe('component-0-type-0');
    expect(id('/body/components/3')).toBe('component-3-code');
    expect(controlOf('/body/components/1/code')).toEqual({ field: 'code', row: 1 });
    expect(id('/body/somethingElse')).toBeUndefined();
    expect(id('/query/page')).toBeUndefined();
  });

  test('component rows: next free code of each kind, moves within the table', () => {
    const rows = [componentRow({ code: 'TP01' }), componentRow({ code: 'TP03' }), componentRow({ code: 'KQ01', kind: 'result' })];
    expect(nextComponentCode(rows, 'input')).toBe('TP02');
    expect(nextComponentCode(rows, 'result')).toBe('KQ02');
    expect(rows[0]!.rowId).not.toBe(rows[1]!.rowId);
    expect(moveRow(rows, 2, -1).map((r) => r.code)).toEqual(['TP01', 'KQ01', 'TP03']);
    expect(moveRow(rows, 0, -1)).toBe(rows);
    expect(moveRow(rows, 2, 1)).toBe(rows);
  });
});
