import type { DossierDetail } from '$lib/api/types.js';
import { procedure } from '$lib/catalogue.js';
import { DOSSIER_DEPENDENCY } from '$lib/dossier.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** The dossier and its procedure for every page under it; `invalidate(DOSSIER_DEPENDENCY)` reloads them after a change. */
export async function load({ params, depends, parent }) {
  depends(DOSSIER_DEPENDENCY);
  // After the login guard above.
  await parent();
  const dossier = await loaded(api.get<DossierDetail>(`/api/dossiers/${encodeURIComponent(params.id)}`));
  return { dossier, procedure: await loaded(procedure(dossier.procedure.code)) };
}
