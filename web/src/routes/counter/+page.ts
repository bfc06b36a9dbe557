import type { DossierSummary } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { counterAgencies } from '$lib/officer/actions.js';
import { proceduresOf } from '$lib/officer/api.js';
import { api, session } from '$lib/session.svelte.js';

/** The counter drafts to resume, and the procedures of the agencies whose counter the officer staffs. */
export async function load({ parent }) {
  await parent();
  const agencies = counterAgencies(session.user);
  const [drafts, catalogues] = await loaded(Promise.all([api.get<(DossierSummary & { applicantName: string })[]>('/api/counter/dossiers'), Promise.all(agencies.map(proceduresOf))]));
  return { drafts, procedures: catalogues.flat(), multipleAgencies: agencies.length > 1 };
}
