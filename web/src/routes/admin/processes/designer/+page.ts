import type { DefinitionSource, ProcessDefinition } from '$lib/admin/api.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** A new diagram, or `?from=<definition id>`: a deployed version to start the next one from. */
export async function load({ url, parent }) {
  await parent();
  const from = url.searchParams.get('from');
  const [source, definitions] = await Promise.all([
    from ? loaded(api.get<DefinitionSource>(`/api/process-definitions/${encodeURIComponent(from)}`)) : null,
    loaded(api.get<ProcessDefinition[]>('/api/process-definitions')),
  ]);
  return { source, keys: new Set(definitions.map((d) => d.key)) };
}
