import type { AuditDossier, ProcessDefinition } from '$lib/audit/types.js';
import { withQuery } from '$lib/api/client.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent, url }) {
  // After the role guard of the layout: loads run in parallel otherwise.
  await parent();
  const q = url.searchParams.get('q')?.trim() ?? '';
  const [definitions, found] = await Promise.all([
    loaded(api.get<ProcessDefinition[]>('/api/process-definitions')),
    q ? loaded(api.get<AuditDossier[]>(withQuery('/api/audit/dossiers', { q }))) : Promise.resolve(null),
  ]);
  return { definitions, q, found };
}
