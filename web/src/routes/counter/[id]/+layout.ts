import type { DossierDetail } from '$lib/api/types.js';
import { procedure } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';
import { COUNTER_DOSSIER_DEPENDENCY } from '$lib/officer/api.js';
import { api } from '$lib/session.svelte.js';

/** The counter dossier and its procedure for every page under it. */
export async function load({ params, depends, parent }) {
  depends(COUNTER_DOSSIER_DEPENDENCY);
  await parent();
  const dossier = await loaded(api.get<DossierDetail>(`/api/counter/dossiers/${encodeURIComponent(params.id)}`));
  return { dossier, procedure: await loaded(procedure(dossier.procedure.code)) };
}
