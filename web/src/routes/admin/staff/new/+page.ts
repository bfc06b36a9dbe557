import type { Agency } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent }) {
  await parent();
  return { agencies: await loaded(api.get<Agency[]>('/api/agencies')) };
}
