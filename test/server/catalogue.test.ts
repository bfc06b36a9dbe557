import { beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { useApiTest } from '../support/api.js';
import { seedDemo, type DemoAccount } from '../../server/seed/seed.js';
import { foldVietnamese } from '../../server/catalogue/search-text.js';

const env = useApiTest({ seed: true });
const { t } = env;
let app: FastifyInstance;
let accounts: DemoAccount[];
beforeAll(() => {
  ({ app, accounts } = env);
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json(), type: res.headers['content-type'] };
};
const codes = async (query: string) => (await get(`/api/procedures?${query}`)).body.items.map((p: { code: string }) => p.code);

test('foldVietnamese drops diacritics and đ', () => {
  expect(foldVietnamese('Cấp Giấy chứng nhận đủ điều kiện  AN TOÀN')).toBe('cap giay chung nhan du dieu kien an toan');
});

describe('demo seed', () => {
  test('loads agencies, fields and about twenty procedures once', async () => {
    expect((await get('/api/agencies')).body.map((a: { code: string }) => a.code).sort()).toEqual(['H20.11', 'H20.13', 'H20.20', 'H20.24.16']);
    expect((await get('/api/fields')).body.length).toBeGreaterThanOrEqual(10);
    expect((await get('/api/procedures?pageSize=100')).body.total).toBe(20);
    const again = await seedDemo(t.db);
    expect(again.created).toBe(false);
    expect(again.accounts).toEqual(accounts);
  });

  test('every printed demo account logs in, staff hold their agency role', async () => {
    expect(accounts.length).toBe(2 + 4 * 5 + 1);
    const officer = accounts.find((a) => a.description === 'one-stop-officer @ H20.11')!;
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: officer.login, password: officer.password } });
    expect(login.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${login.json().accessToken}` } });
    expect(me.json().roles).toEqual([expect.objectContaining({ role: 'one-stop-officer', agencyCode: 'H20.11' })]);
    const citizen = accounts.find((a) => a.description.startsWith('citizen'))!;
    const byIdNumber = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '001090000001', password: citizen.password } });
    expect(byIdNumber.statusCode).toBe(200);
  });
});

describe('procedure search', () => {
  test('without diacritics finds the Vietnamese names', async () => {
    const found = await codes('q=cap giay phep');
    expect(found).toEqual(expect.arrayContaining(['BC01', 'PTTT01', 'PTTT02', '2.002604']));
    expect(await codes(`q=${encodeURIComponent('an toàn thực phẩm')}`)).toEqual(expect.arrayContaining(['ATTP01', 'ATTP02', 'ATTP03']));
  });

  test('tolerates typos', async () => {
    expect(await codes(`q=${encodeURIComponent('chung thuc ban sao tu ban chin')}`)).toContain('CT01');
    expect(await codes(`q=${encodeURIComponent('trang thong tim dien tu tong hop')}`)).toEqual(expect.arrayContaining(['PTTT01']));
  });

  test('finds by code, filters by agency and field, pages', async () => {
    expect((await codes('q=1.000564'))[0]).toBe('1.000564');
    const commune = (await get('/api/procedures?agency=H20.24.16&pageSize=100')).body;
    expect(commune.items.every((p: { agency: { code: string } }) => p.agency.code === 'H20.24.16')).toBe(true);
    expect(await codes('field=ATTP&pageSize=100')).toHaveLength(3);
    const page2 = (await get('/api/procedures?pageSize=5&page=2')).body;
    expect([page2.items.length, page2.page, page2.total]).toEqual([5, 2, 20]);
    // Punctuation folds away: a lone wildcard is an empty query, never a LIKE pattern.
    expect((await get('/api/procedures?q=%25_')).body.total).toBe(20);
  });

  test('bad queries are 400 problems', async () => {
    const res = await get('/api/procedures?pageSize=1000&sort=name');
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/query/pageSize', '/query/sort']);
  });
});

test('a procedure page has its components, fee, time limit and eForm; an unknown code is a 404 problem', async () => {
  const { status, body } = await get('/api/procedures/2.000331');
  expect(status).toBe(200);
  expect(body).toMatchObject({ code: '2.000331', agency: { code: 'H20.11' }, timeLimitDays: 30, processKey: 'standard-one-stop', level: 'partial' });
  expect(body.components.map((c: { code: string }) => c.code)).toEqual(['TP05', 'TP06', 'TP99', 'KQ01']);
  expect(body.components.find((c: { code: string }) => c.code === 'KQ01')).toMatchObject({ kind: 'result', signatureRequired: true });
  expect(body.eformSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['organizationName']) });
  // Fields come back in the order the schema declares them (json, not jsonb).
  expect(Object.keys(body.eformSchema.properties)).toEqual(['organizationName', 'taxCode', 'address', 'representative', 'phone']);
  expect((await get('/api/procedures/HT01')).body.processKey).toBe('inter-agency');
  const missing = await get('/api/procedures/9.999999');
  expect([missing.status, missing.body.type]).toEqual([404, '/problems/procedure-not-found']);
});
