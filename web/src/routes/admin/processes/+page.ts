import { versionsByKey, type ProcessDefinition } from '$lib/admin/api.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent }) {
  await parent();
  return { processes: versionsByKey(await loaded(api.get<ProcessDefinition[]>('/api/process-definitions'))) };
}
