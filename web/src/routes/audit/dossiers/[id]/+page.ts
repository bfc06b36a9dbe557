import type { HistoryEvent, HistoryVerification, ProcessDefinitionSource } from '$lib/audit/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** The dossier's history, its verification, and the process version it ran on (named by its first event). */
export async function load({ params, parent }) {
  await parent();
  const base = `/api/dossiers/${encodeURIComponent(params.id)}/history`;
  const [history, verification] = await loaded(Promise.all([api.get<HistoryEvent[]>(base), api.get<HistoryVerification>(`${base}/verify`)]));
  const definitionId = history.find((event) => event.type === 'instance.started')?.data.definitionId;
  const definition = typeof definitionId === 'string' ? await loaded(api.get<ProcessDefinitionSource>(`/api/process-definitions/${definitionId}`)) : null;
  return { dossierId: params.id, history, verification, definition };
}
