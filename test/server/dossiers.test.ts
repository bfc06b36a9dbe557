import { beforeAll, describe, expect, test } from 'vitest';
import { instance, verifyHistory } from '../../engine/process-core.js';
import { business, PDF, PNG, useApiTest, type ApiTest } from '../support/api.js';

const env = useApiTest({ as: { citizen: 'citizen', officer: 'one-stop-officer @ H20.11' } });
const { t, tokens } = env;
let citizenToken: string;
let officerToken: string;
let otherCitizenToken: string;
beforeAll(async () => {
  ({ citizen: citizenToken, officer: officerToken } = tokens as { citizen: string; officer: string });
  const other = await env.http.call('POST', '/api/auth/register', undefined, {
    fullName: 'Trần Thị Bình',
    idNumber: '079188000002',
    phone: '0987000002',
    email: 'binh@dvc.example',
    password: 'mat-khau-binh-1',
  });
  otherCitizenToken = other.json().accessToken;
});

const call = (...args: Parameters<ApiTest['http']['call']>) => env.http.call(...args);
const upload = (...args: Parameters<ApiTest['http']['upload']>) => env.http.upload(...args);

describe('a citizen drafts and submits a dossier', () => {
  let id: string;

  test('a draft is created once per idempotency key', async () => {
    const first = await call('POST', '/api/dossiers', citizenToken, { procedureCode: '2.000331' }, { 'idempotency-key': 'draft-key-0001' });
    expect(first.statusCode).toBe(201);
    id = first.json().id;
    expect(first.json()).toMatchObject({ state: 'draft', code: null, procedure: { code: '2.000331' }, agency: { code: 'H20.11' }, nationalStatus: null });
    const retry = await call('POST', '/api/dossiers', citizenToken, { procedureCode: '2.000331' }, { 'idempotency-key': 'draft-key-0001' });
    expect(retry.json().id).toBe(id);
    const other = await call('POST', '/api/dossiers', citizenToken, { procedureCode: '2.000331' }, { 'idempotency-key': 'draft-key-0002' });
    expect(other.json().id).not.toBe(id);
    // A draft started by mistake is discarded by its applicant only.
    expect((await call('DELETE', `/api/dossiers/${other.json().id}`, otherCitizenToken)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/dossiers/${other.json().id}`, citizenToken)).statusCode).toBe(204);
    expect((await call('GET', `/api/dossiers/${other.json().id}`, citizenToken)).statusCode).toBe(404);
    expect((await call('POST', '/api/dossiers', citizenToken, { procedureCode: '9.999999' })).statusCode).toBe(404);
  });

  test('the eForm is checked field by field; a draft may be incomplete', async () => {
    const bad = await call('PUT', `/api/dossiers/${id}/form`, citizenToken, { data: { taxCode: '12', organizationName: 5, extra: 'x' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['/body/form/extra', '/body/form/organizationName', '/body/form/taxCode']);
    const partial = await call('PUT', `/api/dossiers/${id}/form`, citizenToken, { data: { organizationName: business.organizationName } });
    expect(partial.statusCode).toBe(200);
    expect(partial.json().form).toEqual({ organizationName: business.organizationName });
  });

  test('files are checked by content and size, and stored by hash', async () => {
    const wrongType = await upload(id, citizenToken, 'TP05', { name: 'to-khai.pdf', content: Buffer.from('just text pretending to be a PDF') });
    expect([wrongType.statusCode, wrongType.json().type]).toEqual([415, '/problems/file-type-not-allowed']);
    const unknown = await upload(id, citizenToken, 'KQ01', { name: 'kq.pdf', content: PDF });
    expect([unknown.statusCode, unknown.json().type]).toEqual([422, '/problems/unknown-component']);
    const noComponent = await upload(id, citizenToken, null, { name: 'a.pdf', content: PDF });
    expect(noComponent.statusCode).toBe(400);
    const big = await upload(id, citizenToken, 'TP05', { name: 'big.pdf', content: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) });
    expect(big.statusCode).toBe(413);
    const ok = await upload(id, citizenToken, 'TP99', { name: '../../etc/passwd.png', content: PNG });
    expect(ok.statusCode).toBe(201);
    // The name is metadata only (multipart keeps its last segment); the file lives under its hash.
    expect(ok.json()).toMatchObject({ componentCode: 'TP99', mediaType: 'image/png', originalName: 'passwd.png' });
    expect(ok.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await call('DELETE', `/api/dossiers/${id}/files/${ok.json().id}`, citizenToken)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/dossiers/${id}/files/${ok.json().id}`, citizenToken)).statusCode).toBe(404);
  });

  test('an incomplete dossier is refused with every problem; a complete one gets its code, due date and PIN', async () => {
    expect((await call('POST', `/api/dossiers/${id}/submit`, citizenToken, { declarationAccepted: false })).json().type).toBe('/problems/declaration-required');
    const incomplete = await call('POST', `/api/dossiers/${id}/submit`, citizenToken, { declarationAccepted: true });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/body/form/address',
      '/body/form/representative',
      '/body/form/taxCode',
      '/files/TP05',
    ]);
    await call('PUT', `/api/dossiers/${id}/form`, citizenToken, { data: business });
    expect((await upload(id, citizenToken, 'TP05', { name: 'de-nghi.pdf', content: PDF })).statusCode).toBe(201);
    const submitted = await call('POST', `/api/dossiers/${id}/submit`, citizenToken, { declarationAccepted: true });
    expect(submitted.statusCode).toBe(200);
    const body = submitted.json();
    expect(body.code).toMatch(/^H20\.11-\d{6}-0001$/);
    expect(body.pin).toMatch(/^\d{6}$/);
    expect(body).toMatchObject({ state: 'submitted', nationalStatus: 1 });
    expect(new Date(body.dueAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'status']);
    // Submitting again answers the same submission; the draft is now closed to edits.
    expect((await call('POST', `/api/dossiers/${id}/submit`, citizenToken, { declarationAccepted: true })).json().code).toBe(body.code);
    expect((await call('PUT', `/api/dossiers/${id}/form`, citizenToken, { data: business })).statusCode).toBe(409);
    // The process instance runs, waiting for reception by a one-stop officer.
    const dossierRow = await t.db.selectFrom('dossier').select('instance_id').where('id', '=', id).executeTakeFirstOrThrow();
    const running = await instance(t.db, dossierRow.instance_id!);
    expect(running.openTasks.map((task) => task.elementId)).toEqual(['receive']);
    expect(running.variables).toMatchObject({ dossierId: body.id, procedureCode: '2.000331' });
    expect(await verifyHistory(t.db, running.id)).toMatchObject({ ok: true });
  });

  test('only the applicant sees the dossier', async () => {
    expect((await call('GET', `/api/dossiers/${id}`, otherCitizenToken)).statusCode).toBe(404);
    expect((await call('GET', '/api/dossiers', otherCitizenToken)).json()).toEqual([]);
    expect((await call('GET', `/api/dossiers/${id}`, officerToken)).statusCode).toBe(403);
    expect((await call('GET', `/api/dossiers/${id}`)).statusCode).toBe(401);
    const mine = (await call('GET', '/api/dossiers', citizenToken)).json();
    expect(mine.find((d: { id: string }) => d.id === id)).toMatchObject({ state: 'submitted', nationalStatus: 1 });
  });
});

test('20 parallel submissions in one agency get 20 distinct consecutive codes', async () => {
  const press = { organizationName: 'Hội Nhà báo tỉnh', address: '12 Lê Lợi', publicationName: 'Bản tin Hội', purpose: 'Thông tin hoạt động hội' };
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const draft = await call('POST', '/api/dossiers', citizenToken, { procedureCode: 'BC02' });
    await call('PUT', `/api/dossiers/${draft.json().id}/form`, citizenToken, { data: press });
    expect((await upload(draft.json().id, citizenToken, 'TP01', { name: 'thong-bao.pdf', content: PDF })).statusCode).toBe(201);
    ids.push(draft.json().id);
  }
  const results = await Promise.all(ids.map((id) => call('POST', `/api/dossiers/${id}/submit`, citizenToken, { declarationAccepted: true })));
  expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
  const sequences = results.map((r) => Number(r.json().code.split('-')[2])).sort((a, b) => a - b);
  expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(new Set(results.map((r) => r.json().code.slice(0, 'H20.20-'.length)))).toEqual(new Set(['H20.20-']));
});
