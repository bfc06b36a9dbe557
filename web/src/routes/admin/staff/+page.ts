import type { StaffAccount } from '$lib/admin/api.js';
import type { Agency } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

export async function load({ parent }) {
  await parent();
  const [staff, agencies] = await Promise.all([loaded(api.get<StaffAccount[]>('/api/admin/staff')), loaded(api.get<Agency[]>('/api/agencies'))]);
  return { staff, agencies };
}
