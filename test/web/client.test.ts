import { describe, expect, test, vi } from 'vitest';
import { createApiClient, userOfToken, withQuery, type TokenStore } from '../../web/src/lib/api/client.js';
import { ApiError } from '../../web/src/lib/api/problem.js';

/** A JWT-shaped token carrying the claims the API puts in access tokens. */
function accessToken(name: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub: 'u1', kind: 'citizen', name, roles: [{ role: 'citizen', agencyId: null, agencyCode: null }] })}.signature`;
}

const tokens = (n: number) => ({ accessToken: accessToken(`Nguyễn Văn An ${n}`), refreshToken: `refresh-token-${n}`, tokenType: 'Bearer', expiresIn: 900 });
const json = (status: number, body?: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number, code: string) => json(status, { type: `/problems/${code}`, title: code, status, detail: code, messageVi: `vi ${code}`, messageEn: `en ${code}` });

function memoryStore(initial: string | null = null): TokenStore & { value: string | null } {
  return {
    value: initial,
    get() {
      return this.value;
    },
    set(token) {
      this.value = token;
    },
  };
}

/** A fake API: `/api/auth/refresh` rotates `refresh-token-n` into n+1; `/api/me` wants the newest access token. */
function fakeApi(options: { refreshFails?: boolean } = {}) {
  let generation = 1;
  const calls: { path: string; authorization: string | null; body: unknown }[] = [];
  const fetch = vi.fn(async (path: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ path: String(path), authorization: headers.get('authorization'), body });
    if (path === '/api/auth/refresh') {
      if (options.refreshFails || body.refreshToken !== `refresh-token-${generation}`) return problem(401, 'invalid-refresh-token');
      return json(200, tokens(++generation));
    }
    if (path === '/api/auth/login') return body.password === 'right' ? json(200, tokens(generation)) : problem(401, 'invalid-credentials');
    if (path === '/api/me') return headers.get('authorization') === `Bearer ${tokens(generation).accessToken}` ? json(200, { ok: generation }) : problem(401, 'unauthenticated');
    return problem(404, 'not-found');
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

describe('the API client', () => {
  test('logs in, keeps the access token in memory and the refresh token in the store, and sends the token', async () => {
    const api = fakeApi();
    const store = memoryStore();
    const onSession = vi.fn();
    const client = createApiClient({ fetch: api.fetch, refreshTokens: store, onSession });
    expect(await client.login('001090000001', 'right')).toMatchObject({ fullName: 'Nguyễn Văn An 1', kind: 'citizen' });
    expect(store.value).toBe('refresh-token-1');
    expect(onSession).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'u1' }));
    expect(await client.get('/api/me')).toEqual({ ok: 1 });
    expect(api.calls.at(-1)!.authorization).toBe(`Bearer ${tokens(1).accessToken}`);
  });

  test('a wrong password is an ordinary problem: no refresh, no redirect', async () => {
    const api = fakeApi();
    const onUnauthenticated = vi.fn();
    const client = createApiClient({ fetch: api.fetch, refreshTokens: memoryStore('refresh-token-1'), onUnauthenticated });
    const error = await client.login('x', 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid-credentials');
    expect(api.calls.map((c) => c.path)).toEqual(['/api/auth/login']);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  test('a reload restores the session from the stored refresh token, rotating it', async () => {
    const api = fakeApi();
    const store = memoryStore('refresh-token-1');
    const client = createApiClient({ fetch: api.fetch, refreshTokens: store });
    expect(await client.restore()).toMatchObject({ fullName: 'Nguyễn Văn An 2' });
    expect(store.value).toBe('refresh-token-2');
    expect(await client.get('/api/me')).toEqual({ ok: 2 });
  });

  test('on a 401 the token is refreshed once and the request retried; parallel 401s share one refresh', async () => {
    const api = fakeApi();
    const store = memoryStore();
    const client = createApiClient({ fetch: api.fetch, refreshTokens: store });
    await client.login('u', 'right');
    // Another tab rotates the refresh token: this tab's access token is now stale, the store holds the new one.
    const rotated = await api.fetch('/api/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: store.value }) });
    store.value = ((await rotated.json()) as { refreshToken: string }).refreshToken;
    api.calls.length = 0;
    expect(await Promise.all([client.get('/api/me'), client.get('/api/me')])).toEqual([{ ok: 3 }, { ok: 3 }]);
    expect(api.calls.filter((c) => c.path === '/api/auth/refresh')).toHaveLength(1);
    expect(api.calls.filter((c) => c.path === '/api/me')).toHaveLength(4);
  });

  test('when the refresh is refused the session ends and the user is sent to log in', async () => {
    const api = fakeApi({ refreshFails: true });
    const store = memoryStore('refresh-token-1');
    const onUnauthenticated = vi.fn();
    const onSession = vi.fn();
    const client = createApiClient({ fetch: api.fetch, refreshTokens: store, onUnauthenticated, onSession });
    const error = (await client.get('/api/me').catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code]).toEqual([401, 'unauthenticated']);
    expect(store.value).toBeNull();
    expect(onUnauthenticated).toHaveBeenCalledOnce();
    expect(onSession).toHaveBeenLastCalledWith(null);
    expect(client.user).toBeNull();
  });

  test('public endpoints send no token; refreshes go through the cross-tab lock', async () => {
    const api = fakeApi();
    let locked = 0;
    const exclusive = <T>(task: () => Promise<T>) => {
      locked++;
      return task();
    };
    const client = createApiClient({ fetch: api.fetch, refreshTokens: memoryStore('refresh-token-1'), exclusive });
    await client.restore();
    expect(locked).toBe(1);
    await client.get('/api/procedures', { auth: false }).catch(() => undefined);
    expect(api.calls.at(-1)).toMatchObject({ path: '/api/procedures', authorization: null });
  });

  test('a network failure is an ApiError of its own kind; logout clears the session even offline', async () => {
    const store = memoryStore('refresh-token-1');
    const client = createApiClient({ fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch, refreshTokens: store });
    const error = (await client.get('/api/agencies', { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code]).toEqual([0, 'network']);
    await client.logout();
    expect(store.value).toBeNull();
  });

  test('helpers: query strings skip empty values; token claims become the session user', () => {
    expect(withQuery('/api/procedures', { q: 'cấp phép', agency: '', field: undefined, page: 2 })).toBe('/api/procedures?q=c%E1%BA%A5p+ph%C3%A9p&page=2');
    expect(withQuery('/api/procedures', {})).toBe('/api/procedures');
    expect(userOfToken(accessToken('Trần Thị Bình'))).toEqual({ id: 'u1', kind: 'citizen', fullName: 'Trần Thị Bình', roles: [{ role: 'citizen', agencyId: null, agencyCode: null }] });
    expect(userOfToken('not-a-token')).toBeNull();
  });
});
