import type { Db } from '../../engine/db/database.js';
import * as core from '../../engine/process-core.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import type { TaskView } from '../../engine/process-core.js';
import { HttpProblem } from '../problems.js';
import type { SessionUser } from '../accounts/account.service.js';
import { describeDossier, dossierNotFound, findDossier, type DossierDetail } from '../dossiers/dossier.service.js';
import * as repo from './task.repository.js';
import { actorAt, grantsOf } from '../accounts/grants.js';

const LEADER_ROLES = ['dept-leader', 'agency-leader'];

const taskNotFound = () => new HttpProblem(404, 'task-not-found', { vi: 'Không tìm thấy công việc', en: 'Task not found' });

/** The task if the caller may see it: their agency, one of their groups there. Anyone else: not found. */
async function visibleTask(db: Db, user: SessionUser, taskId: string) {
  const task = await repo.findTaskWithDossier(db, taskId);
  const groups = task ? actorAt(user, task.agency_id).groups : [];
  if (!task || !groups.some((g) => task.candidate_groups.includes(g))) throw taskNotFound();
  return task;
}

export async function inbox(db: Db, user: SessionUser, query: { view: repo.InboxView; q?: string; page: number; pageSize: number }) {
  const grants = grantsOf(user);
  const now = new Date();
  if (!grants.length) return { items: [], total: 0, page: query.page, pageSize: query.pageSize, counts: { mine: 0, group: 0, overdue: 0, dueSoon: 0 } };
  const [{ rows, total }, counts] = await Promise.all([
    repo.inbox(db, user.id, grants, { view: query.view, q: query.q, limit: query.pageSize, offset: (query.page - 1) * query.pageSize, now }),
    repo.inboxCounts(db, user.id, grants, now),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      step: { elementId: r.element_id, name: r.name },
      assignee: r.assignee,
      dueAt: r.due_at,
      overdue: r.overdue || (r.due_at !== null && r.due_at < now),
      createdAt: r.created_at,
      dossier: { id: r.dossier_id, code: r.dossier_code, dueAt: r.dossier_due_at, applicantName: r.applicant_name },
      procedure: { code: r.procedure_code, name: r.procedure_name },
      version: r.version,
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
    counts,
  };
}

export interface TaskPage {
  task: TaskView | null;
  dossier: DossierDetail & { applicantName: string };
  history: core.HistoryEventView[];
  version: number;
}

export async function taskPage(db: Db, user: SessionUser, taskId: string): Promise<TaskPage> {
  const task = await visibleTask(db, user, taskId);
  const dossier = (await findDossier(db, task.dossier_id))!;
  const [view, history, applicant] = await Promise.all([
    core.instance(db, task.instance_id),
    core.history(db, task.instance_id),
    db.selectFrom('app_user').select('full_name').where('id', '=', dossier.applicant_id).executeTakeFirstOrThrow(),
  ]);
  const detail = await describeDossier(db, dossier, history);
  return {
    task: view.openTasks.find((t) => t.id === taskId) ?? null,
    dossier: { ...detail, applicantName: applicant.full_name },
    history,
    version: view.version,
  };
}

/** An officer takes one of the task's actions at the version they saw; naming an assignee checks they can act there. */
export async function takeAction(
  db: Db,
  user: SessionUser,
  taskId: string,
  body: { actionCode: string; note?: string; input?: Record<string, unknown>; assignee?: string },
  expectedVersion: number,
) {
  const task = await visibleTask(db, user, taskId);
  const input = { ...(body.input ?? {}) };
  if (body.assignee) {
    if (!(await repo.holdsRoleAt(db, body.assignee, task.agency_id, staffTaskGroups))) {
      throw new HttpProblem(422, 'assignee-invalid', { vi: 'Người được giao không phải cán bộ của cơ quan', en: 'The assignee is not active staff of this agency' }, [
        { path: '/body/assignee', message: { vi: 'Chọn cán bộ khác', en: 'Choose another officer' } },
      ]);
    }
    input.assignee = body.assignee;
  }
  return core.act(db, { instanceId: task.instance_id, taskId, actionCode: body.actionCode, input, note: body.note ?? null, actor: actorAt(user, task.agency_id), expectedVersion });
}

export async function claim(db: Db, user: SessionUser, taskId: string) {
  const task = await visibleTask(db, user, taskId);
  return core.claim(db, { taskId, actor: actorAt(user, task.agency_id) });
}

/** A leader of the agency hands the task to another officer holding its group there (or back to the group). */
export async function reassign(db: Db, user: SessionUser, taskId: string, body: { to: string | null; reason: string }) {
  const task = await repo.findTaskWithDossier(db, taskId);
  const actor = task ? actorAt(user, task.agency_id) : undefined;
  if (!task || !actor?.groups.some((g) => LEADER_ROLES.includes(g))) throw taskNotFound();
  if (body.to && !(await repo.holdsRoleAt(db, body.to, task.agency_id, task.candidate_groups))) {
    throw new HttpProblem(422, 'assignee-invalid', { vi: 'Người nhận không thuộc nhóm xử lý bước này', en: 'The new assignee holds none of the task’s groups here' }, [
      { path: '/body/to', message: { vi: 'Chọn cán bộ khác', en: 'Choose another officer' } },
    ]);
  }
  return core.reassign(db, { taskId, to: body.to, reason: body.reason, actor });
}

/** The officer takes back their own last action on a dossier of their agency. */
export async function undoLast(db: Db, user: SessionUser, dossierId: string, reason: string) {
  const dossier = await repo.dossierByIdForStaff(db, dossierId);
  if (!dossier?.instance_id || !grantsOf(user).some((g) => g.agencyId === dossier.agency_id)) {
    throw dossierNotFound();
  }
  return core.undo(db, { instanceId: dossier.instance_id, actor: actorAt(user, dossier.agency_id), reason });
}

/** Colleagues at the caller's agencies with one of `roles` (all task roles when none is asked), grouped per person. */
export async function colleagues(db: Db, user: SessionUser, roles: string[] | undefined) {
  const agencies = grantsOf(user).map((g) => g.agencyId);
  if (!agencies.length) return [];
  const people = new Map<string, { id: string; fullName: string; roles: { role: string; agencyCode: string }[] }>();
  for (const row of await repo.colleagues(db, agencies, roles?.length ? roles : staffTaskGroups)) {
    const person = people.get(row.id) ?? { id: row.id, fullName: row.full_name, roles: [] };
    person.roles.push({ role: row.role, agencyCode: row.agency_code });
    people.set(row.id, person);
  }
  return [...people.values()];
}
