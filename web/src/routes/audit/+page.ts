import type { ProcessDefinition } from '$lib/audit/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent }) {
  // After the role guard of the layout: loads run in parallel otherwise.
  await parent();
  return { definitions: await loaded(api.get<ProcessDefinition[]>('/api/process-definitions')) };
}
