import type { Agency, Field } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent }) {
  await parent();
  const [agencies, fields] = await Promise.all([loaded(api.get<Agency[]>('/api/agencies')), loaded(api.get<Field[]>('/api/fields'))]);
  return { agencies, fields };
}
