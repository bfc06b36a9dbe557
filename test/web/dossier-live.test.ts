import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createApiClient } from '../../web/src/lib/api/client.js';
import { watchDossier } from '../../web/src/lib/api/live.js';

/** The browser's EventSource as the helper uses it: listeners, onerror, readyState, close. */
class ScriptedSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: ScriptedSource[] = [];
  readyState = ScriptedSource.CONNECTING;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, ((message: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    ScriptedSource.opened.push(this);
  }
  addEventListener(name: string, listener: (message: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  emit(name: 'ready' | 'dossier', seq: number, status = 2) {
    this.readyState = ScriptedSource.OPEN;
    for (const listener of this.listeners.get(name) ?? []) listener({ data: JSON.stringify({ dossierId: 'd1', seq, status }) });
  }
  fail(readyState: number) {
    this.readyState = readyState;
    this.onerror?.();
  }
  close() {
    this.readyState = ScriptedSource.CLOSED;
  }
  get query() {
    return Object.fromEntries(new URL(this.url, 'http://portal').searchParams);
  }
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('watchDossier', () => {
  let tokens: (string | null)[];
  const api = { accessToken: vi.fn(async () => tokens.shift() ?? null) };
  beforeEach(() => {
    vi.useFakeTimers();
    ScriptedSource.opened = [];
    tokens = ['token-1', 'token-2', 'token-3'];
    api.accessToken.mockClear();
  });
  afterEach(() => vi.useRealTimers());

  test('opens with the token in the URL and the page’s cursor; a burst of changes reloads once', async () => {
    const onChange = vi.fn();
    const stop = watchDossier(api, 'd1', { after: 7, onChange, EventSource: ScriptedSource as unknown as typeof EventSource });
    await flush();
    const source = ScriptedSource.opened[0]!;
    expect(source.url.startsWith('/api/dossiers/d1/events?')).toBe(true);
    expect(source.query).toEqual({ access_token: 'token-1', after: '7' });
    source.emit('ready', 7);
    source.emit('dossier', 9);
    source.emit('dossier', 12, 5);
    expect(onChange).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith({ dossierId: 'd1', seq: 12, status: 5 });
    stop();
    expect(source.readyState).toBe(ScriptedSource.CLOSED);
  });

  test('leaves the browser’s own retries alone, and reopens a stream it gave up on with a fresh token and the last seq', async () => {
    watchDossier(api, 'd1', { onChange: vi.fn(), EventSource: ScriptedSource as unknown as typeof EventSource, retryMs: 1_000 });
    await flush();
    const first = ScriptedSource.opened[0]!;
    expect(first.query).toEqual({ access_token: 'token-1' });
    first.emit('ready', 3);
    first.emit('dossier', 4);
    first.fail(ScriptedSource.CONNECTING);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ScriptedSource.opened).toHaveLength(1);

    // The token expired and the server refused the browser's retry: closed for good.
    first.fail(ScriptedSource.CLOSED);
    await vi.advanceTimersByTimeAsync(999);
    expect(ScriptedSource.opened).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ScriptedSource.opened[1]!.query).toEqual({ access_token: 'token-2', after: '4' });
    // Failing again waits twice as long.
    ScriptedSource.opened[1]!.fail(ScriptedSource.CLOSED);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(ScriptedSource.opened).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(ScriptedSource.opened[2]!.query).toEqual({ access_token: 'token-3', after: '4' });
  });

  test('without a session nothing is opened; once stopped nothing is reopened', async () => {
    tokens = [];
    watchDossier(api, 'd1', { onChange: vi.fn(), EventSource: ScriptedSource as unknown as typeof EventSource });
    await flush();
    expect(ScriptedSource.opened).toHaveLength(0);

    tokens = ['token-1'];
    const stop = watchDossier(api, 'd1', { onChange: vi.fn(), EventSource: ScriptedSource as unknown as typeof EventSource });
    await flush();
    ScriptedSource.opened[0]!.fail(ScriptedSource.CLOSED);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ScriptedSource.opened).toHaveLength(1);
  });
});

describe('ApiClient.accessToken', () => {
  const jwt = (exp: number) => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u1', kind: 'citizen', name: 'An', roles: [], exp })).toString('base64url')}.sig`;

  test('renews a token that is missing or about to expire, and keeps one with time left', async () => {
    const now = Math.floor(Date.now() / 1000);
    const issued = [jwt(now + 30), jwt(now + 900)];
    let refreshes = 0;
    const fetch = vi.fn(async () => {
      refreshes++;
      return new Response(JSON.stringify({ accessToken: issued.shift(), refreshToken: `r${refreshes + 1}`, tokenType: 'Bearer', expiresIn: 900 }), { status: 200 });
    });
    let stored: string | null = 'r1';
    const client = createApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, refreshTokens: { get: () => stored, set: (t) => (stored = t) } });
    // None yet: renewed; 30 s left is too little for a stream: renewed again; 900 s left: kept.
    expect(await client.accessToken()).toBe(jwt(now + 30));
    expect(await client.accessToken()).toBe(jwt(now + 900));
    expect(await client.accessToken()).toBe(jwt(now + 900));
    expect(refreshes).toBe(2);
  });
});
