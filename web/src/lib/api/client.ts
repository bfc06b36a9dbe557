import { ApiError, networkError, problemOf } from './problem.js';

/** An answer reduced to what the API's JSON needs; fetch and XMLHttpRequest both give one. */
export interface RawResponse {
  status: number;
  text: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Who is logged in, read from the access token's claims (for display and navigation only: the API decides). */
export interface SessionUser {
  id: string;
  kind: 'citizen' | 'staff';
  fullName: string;
  roles: { role: string; agencyId: string | null; agencyCode: string | null }[];
}

/** Where the refresh token lives between page loads; the access token stays in memory. */
export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

export interface ApiClientOptions {
  refreshTokens: TokenStore;
  fetch?: typeof fetch;
  /**
   * Runs a token refresh exclusively across the browser's tabs: a refresh token presented twice revokes the
   * whole session, so two tabs must never rotate the same one.
   */
  exclusive?: <T>(task: () => Promise<T>) => Promise<T>;
  /** Called whenever the logged-in user changes (login, refresh, logout, expiry). */
  onSession?: (user: SessionUser | null) => void;
  /** Called when a request needed a session and none could be had: the UI sends the user to log in. */
  onUnauthenticated?: () => void;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Public endpoints send no token and treat 401 as an ordinary error (a wrong password is not an expired session). */
  auth?: boolean;
}

export type Query = Record<string, string | number | undefined | null>;

/** `path` with the non-empty query parameters appended. */
export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

interface Claims {
  sub: string;
  kind: SessionUser['kind'];
  name: string;
  roles: SessionUser['roles'];
  /** Expiry, in seconds since the epoch. */
  exp?: number;
}

/** An access token's claims, unverified: the signature is the API's business. */
function claimsOf(accessToken: string): Claims | null {
  try {
    const payload = accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)))) as Claims;
  } catch {
    return null;
  }
}

/** The user in an access token's claims (`sub`, `kind`, `name`, `roles`). */
export function userOfToken(accessToken: string): SessionUser | null {
  const claims = claimsOf(accessToken);
  return claims ? { id: claims.sub, kind: claims.kind, fullName: claims.name, roles: claims.roles } : null;
}

/** The body of a successful answer, or the API's problem thrown as an ApiError. */
export function parseResponse<T>(response: RawResponse): T {
  if (response.status >= 200 && response.status < 300) return (response.text ? JSON.parse(response.text) : undefined) as T;
  throw new ApiError(problemOf(response.status, response.text));
}

/**
 * The API client every page uses: JSON in and out, problems as ApiError, and the session. The access token is
 * kept in memory only; on a 401 the refresh token is rotated once and the request retried, and when that fails
 * the session ends and `onUnauthenticated` runs.
 */
export function createApiClient(options: ApiClientOptions) {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const exclusive = options.exclusive ?? (<T>(task: () => Promise<T>) => task());
  let accessToken: string | null = null;
  let user: SessionUser | null = null;
  let refreshing: Promise<boolean> | null = null;

  function setSession(tokens: Tokens | null) {
    accessToken = tokens?.accessToken ?? null;
    options.refreshTokens.set(tokens?.refreshToken ?? null);
    user = tokens ? userOfToken(tokens.accessToken) : null;
    options.onSession?.(user);
  }

  async function send(method: string, path: string, init: RequestOptions, token: string | null): Promise<RawResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetchImpl(path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    } catch {
      throw networkError();
    }
    return { status: response.status, text: await response.text() };
  }

  /** Rotates the refresh token; false when there is no session to renew. One rotation at a time, per tab and across tabs. */
  function refresh(): Promise<boolean> {
    refreshing ??= exclusive(async () => {
      // Read inside the lock: another tab may have rotated it meanwhile.
      const refreshToken = options.refreshTokens.get();
      if (!refreshToken) {
        if (user) setSession(null);
        return false;
      }
      const response = await send('POST', '/api/auth/refresh', { body: { refreshToken }, auth: false }, null);
      // Only a refused token ends the session; a network failure or rate limit leaves it for the next try.
      if (response.status === 401) setSession(null);
      if (response.status !== 200) return false;
      setSession(parseResponse<Tokens>(response));
      return true;
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /**
   * Runs `attempt` with the access token (renewing it first if the page has none yet), and once more after a
   * refresh if the API answers 401. Uploads use it with their own transport.
   */
  async function authorized(attempt: (token: string | null) => Promise<RawResponse>): Promise<RawResponse> {
    if (!accessToken) await refresh();
    let response = await attempt(accessToken);
    if (response.status !== 401) return response;
    if (await refresh()) response = await attempt(accessToken);
    if (response.status === 401) {
      setSession(null);
      options.onUnauthenticated?.();
    }
    return response;
  }

  async function request<T>(method: string, path: string, init: RequestOptions = {}): Promise<T> {
    const response = init.auth === false ? await send(method, path, init, null) : await authorized((token) => send(method, path, init, token));
    return parseResponse<T>(response);
  }

  return {
    get user() {
      return user;
    },
    get: <T>(path: string, init?: RequestOptions) => request<T>('GET', path, init),
    post: <T>(path: string, body?: unknown, init?: RequestOptions) => request<T>('POST', path, { ...init, body: body ?? {} }),
    put: <T>(path: string, body: unknown, init?: RequestOptions) => request<T>('PUT', path, { ...init, body }),
    delete: (path: string, init?: RequestOptions) => request<void>('DELETE', path, init),
    authorized,

    /**
     * An access token with at least `minSeconds` left (renewed first if needed), or null without a session: for
     * a transport that cannot send the Authorization header (EventSource takes it in its URL).
     */
    async accessToken(minSeconds = 60): Promise<string | null> {
      const exp = accessToken ? claimsOf(accessToken)?.exp : undefined;
      if (!accessToken || (exp !== undefined && exp * 1000 - Date.now() < minSeconds * 1000)) await refresh();
      return accessToken;
    },

    /** Restores the session of an earlier page load from the stored refresh token; resolves to the user or null. */
    async restore(): Promise<SessionUser | null> {
      if (!accessToken && options.refreshTokens.get()) await refresh();
      return user;
    },

    async login(username: string, password: string): Promise<SessionUser | null> {
      setSession(await request<Tokens>('POST', '/api/auth/login', { body: { username, password }, auth: false }));
      return user;
    },

    async register(account: { fullName: string; idNumber: string; phone: string; email: string; password: string }): Promise<SessionUser | null> {
      setSession(await request<Tokens>('POST', '/api/auth/register', { body: account, auth: false }));
      return user;
    },

    /**
     * Finishes a login through the national public-service portal: the one-time code of its callback (with the
     * attempt's cookie, which the browser sends) for the session's tokens; resolves to where the user was going.
     */
    async completeSso(code: string): Promise<string> {
      const answer = await request<Tokens & { returnTo: string }>('POST', '/api/auth/sso/complete', { body: { code }, auth: false });
      setSession(answer);
      return answer.returnTo;
    },

    /** Revokes the refresh token; the local session ends even if the API cannot be reached. */
    async logout(): Promise<void> {
      const refreshToken = options.refreshTokens.get();
      setSession(null);
      if (refreshToken) await send('POST', '/api/auth/logout', { body: { refreshToken } }, null).catch(() => undefined);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
