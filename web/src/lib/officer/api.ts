import { redirect } from '@sveltejs/kit';
import type { WorkingCalendar } from '../../../../engine/calendar/working-time.js';
import { withQuery } from '$lib/api/client.js';
import type { ProcedureSummary } from '$lib/api/types.js';
import { searchProcedures } from '$lib/catalogue.js';
import { loginHref } from '$lib/nav.js';
import { api, session } from '$lib/session.svelte.js';
import { calendarOf, yearsBetween } from './due.js';
import type { CalendarYear, Colleague, Inbox } from './types.js';

/** Load dependencies of the officer pages: invalidate one to reload its data after a change. */
export const INBOX_DEPENDENCY = 'app:inbox';
export const TASK_DEPENDENCY = 'app:task';
export const COUNTER_DOSSIER_DEPENDENCY = 'app:counter-dossier';

/** Staff pages need a session: without one, log in first and come back. The API decides what the role may see. */
export async function requireSession(url: URL): Promise<void> {
  await session.ready();
  if (!session.user) redirect(307, loginHref(url.pathname + url.search));
}

/** Colleagues at the user's agencies with their task roles: names for assignees and history, choices for pickers. */
export const colleagues = () => api.get<Colleague[]>('/api/staff');

/** The working calendar from now to `dueAt` (holidays and compensatory days of each year on the way). */
export async function calendarUntil(dueAt: Date): Promise<WorkingCalendar> {
  const years = await Promise.all(yearsBetween(new Date(), dueAt).map((year) => api.get<CalendarYear>(`/api/calendar?year=${year}`, { auth: false })));
  return calendarOf(years);
}

/** Every procedure of an agency (the catalogue answers at most 100 a page). */
export async function proceduresOf(agencyCode: string): Promise<ProcedureSummary[]> {
  const pageSize = 100;
  const first = await searchProcedures({ agency: agencyCode, pageSize });
  const rest = await Promise.all(
    Array.from({ length: Math.ceil(first.total / pageSize) - 1 }, (_, i) => searchProcedures({ agency: agencyCode, pageSize, page: i + 2 })),
  );
  return [first, ...rest].flatMap((page) => page.items);
}

/**
 * The applicant's name of a dossier the officer just received at the counter. The counter dossier's own answer
 * does not carry it, so it is read from the dossier's next task, which waits in the officer's group.
 */
export async function receivedApplicantName(dossierCode: string): Promise<string | null> {
  const inbox = await api.get<Inbox>(withQuery('/api/tasks', { view: 'group', q: dossierCode }));
  return inbox.items.find((item) => item.dossier.code === dossierCode)?.dossier.applicantName ?? null;
}
