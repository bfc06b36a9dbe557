import type { AgencyCertificate } from '$lib/admin/api.js';
import { withQuery } from '$lib/api/client.js';
import type { Agency } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** The agencies, and the certificates of the one chosen (`?agency=`, the first by default). */
export async function load({ url, parent }) {
  await parent();
  const agencies = await loaded(api.get<Agency[]>('/api/agencies'));
  const agency = agencies.find((a) => a.code === url.searchParams.get('agency')) ?? agencies[0];
  const certificates = agency ? await loaded(api.get<AgencyCertificate[]>(withQuery(`/api/admin/agencies/${encodeURIComponent(agency.code)}/certificates`, {}))) : [];
  return { agencies, agency, certificates };
}
