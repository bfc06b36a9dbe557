import { procedure } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';
import { calendarUntil, colleagues, TASK_DEPENDENCY } from '$lib/officer/api.js';
import { digitisationOf } from '$lib/digitisation/api.js';
import type { TaskPage } from '$lib/officer/types.js';
import { api } from '$lib/session.svelte.js';

/**
 * The task with its dossier and history; the procedure (eForm schema, components), the colleagues (names in the
 * history, choices of the assignee pickers), the working calendar up to the due date and the files' digitisation
 * come alongside.
 * `invalidate(TASK_DEPENDENCY)` reloads it all.
 */
export async function load({ params, depends, parent }) {
  depends(TASK_DEPENDENCY);
  await parent();
  const page = await loaded(api.get<TaskPage>(`/api/tasks/${encodeURIComponent(params.id)}`));
  const dues = [page.dossier.dueAt, page.task?.dueAt].filter((d): d is string => !!d).map((d) => new Date(d).getTime());
  const [procedureDetail, staff, calendar, digitisation] = await loaded(
    Promise.all([
      procedure(page.dossier.procedure.code),
      colleagues(),
      dues.length ? calendarUntil(new Date(Math.max(...dues))) : Promise.resolve(null),
      digitisationOf(api, page.dossier.id),
    ]),
  );
  return { ...page, procedure: procedureDetail, staff, calendar, digitisation };
}
