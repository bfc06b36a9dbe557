import { beforeAll, describe, expect, test } from 'vitest';
import { PDF, PNG, useApiTest, type ApiTest } from '../support/api.js';

const env = useApiTest({ as: { admin: 'admin', citizen: 'citizen', officer: 'one-stop-officer @ H20.11' } });
const { tokens } = env;
let http: ApiTest['http'];
beforeAll(() => {
  http = env.http;
});

const procedure = {
  code: '1.004227',
  name: 'Cấp Giấy phép hoạt động karaoke',
  agencyCode: 'H20.13',
  fieldCode: 'DSVH',
  level: 'full',
  timeLimitDays: 5,
  fee: { feeAmount: 4_000_000, serviceAmount: 0, shipAmount: 0, editable: 2 },
  processKey: 'standard-one-stop',
  eformSchema: { type: 'object', required: ['businessName'], properties: { businessName: { type: 'string', title: 'Tên cơ sở kinh doanh', minLength: 1 } } },
  description: 'Cấp phép cơ sở kinh doanh dịch vụ karaoke',
  legalBasis: 'Nghị định 54/2019/NĐ-CP',
  published: true,
  components: [
    { code: 'TP01', name: 'Đơn đề nghị cấp giấy phép (Mẫu số 01)', kind: 'input', required: true, manyFiles: false, signatureRequired: false, maxSizeMb: 5, allowedTypes: ['application/pdf'] },
    { code: 'KQ01', name: 'Giấy phép đủ điều kiện kinh doanh karaoke', kind: 'result', required: true, manyFiles: false, signatureRequired: true, maxSizeMb: 10, allowedTypes: ['application/pdf'] },
  ],
};

/** multipart with the form's name first, then the file. */
function uploadForm(code: string, token: string | undefined, name: string, file: { name: string; content: Buffer }) {
  const boundary = `----dvc${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${name}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return http.call('POST', `/api/admin/procedures/${code}/forms`, token, body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

describe('catalogue administration', () => {
  test('agencies and fields: created, renamed, duplicates refused', async () => {
    const agency = await http.call('POST', '/api/admin/agencies', tokens.admin, { code: 'H20.24.17', name: 'Ủy ban nhân dân phường Điện Biên', level: 'commune' });
    expect(agency.statusCode).toBe(201);
    expect((await http.call('POST', '/api/admin/agencies', tokens.admin, { code: 'H20.24.17', name: 'Trùng', level: 'commune' })).statusCode).toBe(409);
    expect((await http.call('PUT', '/api/admin/agencies/H20.24.17', tokens.admin, { name: 'UBND phường Điện Biên', level: 'commune' })).json().name).toBe('UBND phường Điện Biên');
    expect((await http.call('POST', '/api/admin/fields', tokens.admin, { code: 'KARAOKE', name: 'Kinh doanh karaoke, vũ trường' })).statusCode).toBe(201);
    expect((await http.call('PUT', '/api/admin/fields/NOPE', tokens.admin, { name: 'Không có' })).statusCode).toBe(404);
    expect((await http.call('GET', '/api/agencies')).json().map((a: { code: string }) => a.code)).toContain('H20.24.17');
  });

  test('a procedure with its template, fee and eForm: created, published, unpublished, deleted', async () => {
    const created = await http.call('POST', '/api/admin/procedures', tokens.admin, procedure);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code: '1.004227', agency: { code: 'H20.13' }, fee: procedure.fee, published: true, forms: [] });
    expect(created.json().components.map((c: { code: string }) => c.code)).toEqual(['TP01', 'KQ01']);
    expect((await http.call('POST', '/api/admin/procedures', tokens.admin, procedure)).statusCode).toBe(409);
    // Found by the public search, without diacritics.
    const found = (await http.call('GET', '/api/procedures?q=giay%20phep%20karaoke')).json();
    expect(found.items.map((p: { code: string }) => p.code)).toContain('1.004227');

    const { code: _code, ...body } = procedure;
    const unpublished = await http.call('PUT', '/api/admin/procedures/1.004227', tokens.admin, { ...body, published: false, timeLimitDays: 7, components: [body.components[0]] });
    expect(unpublished.statusCode).toBe(200);
    expect(unpublished.json()).toMatchObject({ published: false, timeLimitDays: 7 });
    expect(unpublished.json().components).toHaveLength(1);
    expect((await http.call('GET', '/api/procedures/1.004227')).statusCode).toBe(404);
    expect((await http.call('GET', '/api/admin/procedures', tokens.admin)).json().find((p: { code: string }) => p.code === '1.004227').published).toBe(false);

    expect((await http.call('DELETE', '/api/admin/procedures/1.004227', tokens.admin)).statusCode).toBe(204);
    expect((await http.call('GET', '/api/admin/procedures/1.004227', tokens.admin)).statusCode).toBe(404);
  });

  test('every configuration problem is listed at once with its path', async () => {
    const res = await http.call('POST', '/api/admin/procedures', tokens.admin, {
      ...procedure,
      code: '9.999999',
      agencyCode: 'H99',
      fieldCode: 'NOPE',
      processKey: 'not-deployed',
      eformSchema: { type: 'array', items: { type: 'no-such-type' } },
      components: [procedure.components[0], procedure.components[0]],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['/body/agencyCode', '/body/components/1/code', '/body/eformSchema', '/body/eformSchema/type', '/body/fieldCode', '/body/processKey'].sort(),
    );
    const shape = await http.call('POST', '/api/admin/procedures', tokens.admin, { ...procedure, code: '9.999998', fee: { feeAmount: -1, serviceAmount: 0, shipAmount: 0, editable: 7 }, extra: 1 });
    expect(shape.statusCode).toBe(400);
    expect(shape.headers['content-type']).toContain('application/problem+json');
    // An async schema would let every form pass (ajv answers a promise): refused where it appears.
    const asyncSchema = { ...procedure.eformSchema, properties: { businessName: { type: 'string', $async: true } } };
    const refused = await http.call('POST', '/api/admin/procedures', tokens.admin, { ...procedure, code: '9.999997', eformSchema: asyncSchema });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { path: string }) => e.path)).toContain('/body/eformSchema/properties/businessName/$async');
    const asyncRoot = await http.call('POST', '/api/admin/procedures', tokens.admin, { ...procedure, code: '9.999997', eformSchema: { ...procedure.eformSchema, $async: true } });
    expect(asyncRoot.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/eformSchema/$async']);
  });

  test('a procedure with dossiers cannot be deleted, only unpublished', async () => {
    await http.submitComplete(tokens.citizen!);
    const res = await http.call('DELETE', '/api/admin/procedures/2.000331', tokens.admin);
    expect([res.statusCode, res.json().type]).toEqual([409, expect.stringContaining('procedure-in-use')]);
  });

  test('downloadable forms: uploaded by the admin, listed and downloaded by anyone, checked by content', async () => {
    const added = await uploadForm('2.000331', tokens.admin, 'Mẫu đơn đề nghị (Mẫu số 01)', { name: 'Mẫu 01.pdf', content: PDF });
    expect(added.statusCode, added.body).toBe(201);
    const form = added.json();
    const detail = (await http.call('GET', '/api/procedures/2.000331')).json();
    expect(detail.forms).toEqual([{ id: form.id, name: 'Mẫu đơn đề nghị (Mẫu số 01)', mediaType: 'application/pdf', size: PDF.length, fileName: 'Mẫu 01.pdf' }]);
    const download = await http.call('GET', `/api/procedures/2.000331/forms/${form.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="Mau 01.pdf"; filename*=UTF-8''${encodeURIComponent('Mẫu 01.pdf')}`);
    expect(download.rawPayload.equals(PDF)).toBe(true);

    expect((await uploadForm('2.000331', tokens.admin, 'Ảnh', { name: 'anh.pdf', content: PNG })).statusCode).toBe(415);
    expect((await uploadForm('2.000331', tokens.officer, 'Mẫu', { name: 'x.pdf', content: PDF })).statusCode).toBe(403);
    expect((await http.call('DELETE', `/api/admin/procedures/2.000331/forms/${form.id}`, tokens.admin)).statusCode).toBe(204);
    expect((await http.call('GET', `/api/procedures/2.000331/forms/${form.id}`)).statusCode).toBe(404);
  });

  test('only admins configure', async () => {
    for (const [token, status] of [[undefined, 401], [tokens.citizen, 403], [tokens.officer, 403]] as const) {
      expect((await http.call('GET', '/api/admin/procedures', token)).statusCode).toBe(status);
      expect((await http.call('POST', '/api/admin/procedures', token, procedure)).statusCode).toBe(status);
      expect((await http.call('POST', '/api/admin/fields', token, { code: 'X1', name: 'Thử' })).statusCode).toBe(status);
    }
  });
});
