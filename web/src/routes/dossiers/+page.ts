import type { DossierSummary } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent }) {
  // After the login guard of the layout: loads run in parallel otherwise.
  await parent();
  return { dossiers: await loaded(api.get<DossierSummary[]>('/api/dossiers')) };
}
