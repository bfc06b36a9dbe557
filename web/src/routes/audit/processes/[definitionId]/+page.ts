import type { Heatmap, ProcessDefinitionSource } from '$lib/audit/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ params, parent }) {
  await parent();
  const path = `/api/process-definitions/${encodeURIComponent(params.definitionId)}`;
  const [definition, heatmap] = await loaded(Promise.all([api.get<ProcessDefinitionSource>(path), api.get<Heatmap>(`${path}/heatmap`)]));
  return { definition, heatmap };
}
