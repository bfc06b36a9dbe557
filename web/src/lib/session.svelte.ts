import { goto } from '$app/navigation';
import { createApiClient, type SessionUser } from './api/client.js';
import { loginHref } from './nav.js';

const REFRESH_TOKEN_KEY = 'dvc.refreshToken';

let user = $state<SessionUser | null>(null);

/**
 * The app's one API client. The refresh token is kept in localStorage so a reload or a new tab keeps the
 * session (the API takes it in the request body, not as an httpOnly cookie); refreshes are serialised across
 * tabs with the Web Locks API.
 */
export const api = createApiClient({
  refreshTokens: {
    get: () => localStorage.getItem(REFRESH_TOKEN_KEY),
    set: (token) => (token ? localStorage.setItem(REFRESH_TOKEN_KEY, token) : localStorage.removeItem(REFRESH_TOKEN_KEY)),
  },
  // The lock's callback returns the task's promise, which the lock's own promise resolves to.
  exclusive: <T>(task: () => Promise<T>) => (navigator.locks ? (navigator.locks.request(REFRESH_TOKEN_KEY, task) as Promise<T>) : task()),
  onSession: (next) => {
    user = next;
  },
  onUnauthenticated: () => {
    if (location.pathname !== '/login') void goto(loginHref(location.pathname + location.search), { replaceState: true });
  },
});

let restored: Promise<unknown> | undefined;

export const session = {
  /** The logged-in user, or null. */
  get user(): SessionUser | null {
    return user;
  },
  /** Resolves once the session of an earlier visit is restored (or known to be absent); then read `user`. */
  async ready(): Promise<void> {
    restored ??= api.restore();
    await restored;
  },
};
