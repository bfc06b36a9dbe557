import type { AdminProcedure } from '$lib/admin/api.js';
import { procedureChoices } from '$lib/admin/loaders.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ params, parent }) {
  await parent();
  const [procedure, choices] = await Promise.all([loaded(api.get<AdminProcedure>(`/api/admin/procedures/${encodeURIComponent(params.code)}`)), procedureChoices()]);
  return { procedure, ...choices };
}
