import type { AdminProcedureSummary } from '$lib/admin/api.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent }) {
  await parent();
  return { procedures: await loaded(api.get<AdminProcedureSummary[]>('/api/admin/procedures')) };
}
