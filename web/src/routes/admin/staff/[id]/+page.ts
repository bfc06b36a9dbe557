import { error } from '@sveltejs/kit';
import type { StaffAccount } from '$lib/admin/api.js';
import type { Agency } from '$lib/api/types.js';
import { t } from '$lib/i18n/index.svelte.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

// The API has no single-account read: the account is found in the list.
export async function load({ params, parent }) {
  await parent();
  const [staff, agencies] = await Promise.all([loaded(api.get<StaffAccount[]>('/api/admin/staff')), loaded(api.get<Agency[]>('/api/agencies'))]);
  const account = staff.find((s) => s.id === params.id);
  if (!account) error(404, t('admin.staff.notFound'));
  return { account, agencies };
}
