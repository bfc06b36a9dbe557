import type { CalendarYear } from '$lib/admin/api.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** `?year=` (this year by default). */
export async function load({ url, parent }) {
  await parent();
  const asked = Number(url.searchParams.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : new Date().getFullYear();
  return { calendar: await loaded(api.get<CalendarYear>(`/api/calendar?year=${year}`)) };
}
