import { api } from '$lib/session.svelte.js';

/** Whether the login through the national portal is offered: the API says so; an unreachable API offers the password only. */
export async function load() {
  const sso = await api.get<{ enabled: boolean }>('/api/auth/sso', { auth: false }).catch(() => ({ enabled: false }));
  return { ssoEnabled: sso.enabled };
}
