import type { HistoryEvent, HistoryVerification, ProcessDefinitionSource } from '$lib/audit/types.js';
import { loaded } from '$lib/load.js';
import type { SyncState } from '$lib/officer/types.js';
import type { Liaison } from '$lib/inter-agency/types.js';
import { api } from '$lib/session.svelte.js';

/** The dossier's history, its verification, its national-portal sync, its inter-agency liaison, and the process version it ran on (named by its first event). */
export async function load({ params, parent }) {
  await parent();
  const base = `/api/dossiers/${encodeURIComponent(params.id)}/history`;
  const [history, verification, sync, liaison] = await loaded(
    Promise.all([
      api.get<HistoryEvent[]>(base),
      api.get<HistoryVerification>(`${base}/verify`),
      api.get<SyncState | null>(`/api/dossiers/${encodeURIComponent(params.id)}/sync`),
      api.get<Liaison | null>(`/api/dossiers/${encodeURIComponent(params.id)}/liaison`),
    ]),
  );
  const definitionId = history.find((event) => event.type === 'instance.started')?.data.definitionId;
  const definition = typeof definitionId === 'string' ? await loaded(api.get<ProcessDefinitionSource>(`/api/process-definitions/${definitionId}`)) : null;
  return { dossierId: params.id, history, verification, definition, sync, liaison };
}
