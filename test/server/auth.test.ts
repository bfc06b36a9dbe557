import { beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { useApiTest } from '../support/api.js';

const env = useApiTest({ processes: false });
let app: FastifyInstance;
beforeAll(() => {
  app = env.app;
});

const citizen = { fullName: 'Nguyễn Thị Minh Khai', idNumber: '001199012345', phone: '0912345678', email: 'Minh.Khai@example.vn', password: 'mật-khẩu-dài-1' };

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as object, headers });

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, type: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, type: `/problems/${type}` });
  expect(body.messageVi).toBeTruthy();
  expect(body.messageEn).toBeTruthy();
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

describe('registration', () => {
  test('creates a citizen and answers with tokens', async () => {
    const res = await post('/api/auth/register', citizen);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${res.json().accessToken}` } });
    expect(me.json()).toMatchObject({
      fullName: citizen.fullName,
      email: 'minh.khai@example.vn',
      kind: 'citizen',
      idNumberMasked: '********2345',
      roles: [{ role: 'citizen', agencyId: null, agencyCode: null }],
    });
  });

  test('a second account with the same email or ID number is a 409 problem', async () => {
    expectProblem(await post('/api/auth/register', { ...citizen, idNumber: '123456789' }), 409, 'account-exists');
    expectProblem(await post('/api/auth/register', { ...citizen, email: 'other@example.vn' }), 409, 'account-exists');
  });

  test('bad input lists every failing field, unknown fields included', async () => {
    const body = expectProblem(
      await post('/api/auth/register', { fullName: 'A', idNumber: '12345', phone: 'x', email: 'not-an-email', password: 'short', role: 'admin' }),
      400,
      'validation',
    );
    const paths = body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/body/email', '/body/fullName', '/body/idNumber', '/body/password', '/body/phone', '/body/role']);
    expect(body.errors.find((e: { path: string }) => e.path === '/body/role').message.vi).toContain('không được phép');
  });

  test('a body that is not JSON is a 400 problem, not a 500', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: '{"fullName":', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'bad-request');
    const text = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: '<a/>', headers: { 'content-type': 'application/xml' } });
    expectProblem(text, 415, 'unsupported-media-type');
  });
});

describe('login, refresh and logout', () => {
  test('logs in by email or ID number; a wrong password and an unknown user get the same answer', async () => {
    for (const username of ['minh.khai@example.vn', citizen.idNumber]) {
      expect((await post('/api/auth/login', { username, password: citizen.password })).statusCode).toBe(200);
    }
    const wrong = expectProblem(await post('/api/auth/login', { username: citizen.idNumber, password: 'nope-nope' }), 401, 'invalid-credentials');
    const unknown = expectProblem(await post('/api/auth/login', { username: 'nobody@example.vn', password: 'nope-nope' }), 401, 'invalid-credentials');
    expect(unknown.messageEn).toBe(wrong.messageEn);
  });

  test('refresh tokens rotate, and a replayed one revokes the whole session', async () => {
    const login = (await post('/api/auth/login', { username: citizen.email, password: citizen.password })).json();
    const first = await post('/api/auth/refresh', { refreshToken: login.refreshToken });
    expect(first.statusCode).toBe(200);
    expect(first.json().refreshToken).not.toBe(login.refreshToken);
    // The spent token comes back (stolen, or a retry): both it and its successor stop working.
    expectProblem(await post('/api/auth/refresh', { refreshToken: login.refreshToken }), 401, 'invalid-refresh-token');
    expectProblem(await post('/api/auth/refresh', { refreshToken: first.json().refreshToken }), 401, 'invalid-refresh-token');
  });

  test('logout revokes the refresh token', async () => {
    const login = (await post('/api/auth/login', { username: citizen.email, password: citizen.password })).json();
    expect((await post('/api/auth/logout', { refreshToken: login.refreshToken })).statusCode).toBe(204);
    expectProblem(await post('/api/auth/refresh', { refreshToken: login.refreshToken }), 401, 'invalid-refresh-token');
  });

  test('/api/me needs a valid token', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/me' }), 401, 'unauthenticated');
    expectProblem(await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer forged.token.here' } }), 401, 'unauthenticated');
  });

  test('login is rate-limited', async () => {
    const attempts = [];
    for (let i = 0; i < 12; i++) attempts.push(await post('/api/auth/login', { username: 'guess@example.vn', password: `guess-${i}` }, { 'x-forwarded-for': '10.9.9.9' }));
    const limited = attempts.filter((r) => r.statusCode === 429);
    expect(limited.length).toBeGreaterThan(0);
    expectProblem(limited[0]!, 429, 'rate-limited');
  });
});

test('OpenAPI document, security headers and unknown routes', async () => {
  const docs = await app.inject({ method: 'GET', url: '/api/docs/json' });
  expect(docs.statusCode).toBe(200);
  expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/api/auth/register', '/api/auth/login', '/api/me', '/api/health']));
  const health = await app.inject({ method: 'GET', url: '/api/health' });
  expect(health.headers['x-content-type-options']).toBe('nosniff');
  expectProblem(await app.inject({ method: 'GET', url: '/api/nothing-here' }), 404, 'not-found');
});
