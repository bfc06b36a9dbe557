import type { Db } from '../../engine/db/database.js';
import * as core from '../../engine/process-core.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import type { TaskView } from '../../engine/process-core.js';
import { HttpProblem } from '../problems.js';
import type { SessionUser } from '../accounts/account.service.js';
import { describeDossier, dossierNotFound, findDossier, namedHistory, type DossierDetail, type NamedHistoryEvent } from '../dossiers/dossier.service.js';
import { fullNamesOf } from '../accounts/account.repository.js';
import * as repo from './task.repository.js';
import { actionHooksFor } from './action-hooks.js';
import { actorAt, grantsOf } from '../accounts/grants.js';
import { syncState, type SyncState } from '../deliveries/delivery.service.js';
import { liaisonOf, type LiaisonView } from '../inter-agency/inter-agency.service.js';

/** Leaders of an agency (lãnh đạo phòng, lãnh đạo cơ quan): they see and hand on all of its work. */
export const LEADER_ROLES = ['dept-leader', 'agency-leader'];

const taskNotFound = () => new HttpProblem(404, 'task-not-found', { vi: 'Không tìm thấy công việc', en: 'Task not found' });

/** The task if the caller may see it: their agency, one of their groups there. Anyone else: not found. */
/** A task is seen by those who may act on it, and by the leaders of its agency (who hand work on). */
async function visibleTask(db: Db, user: SessionUser, taskId: string) {
  const task = await repo.findTaskWithDossier(db, taskId);
  const groups = task ? actorAt(user, task.agency_id).groups : [];
  if (!task || !groups.some((g) => task.candidate_groups.includes(g) || LEADER_ROLES.includes(g))) throw taskNotFound();
  return task;
}

const ledAgencyIds = (user: SessionUser) => grantsOf(user).flatMap((g) => (g.roles.some((r) => LEADER_ROLES.includes(r)) ? [g.agencyId] : []));

export async function inbox(db: Db, user: SessionUser, query: { view: repo.InboxView; q?: string; page: number; pageSize: number }) {
  const grants = grantsOf(user);
  const now = new Date();
  if (!grants.length) return { items: [], total: 0, page: query.page, pageSize: query.pageSize, counts: { mine: 0, group: 0, unread: 0, overdue: 0, dueSoon: 0, agency: 0 } };
  const scope = { grants, ledAgencyIds: ledAgencyIds(user) };
  const [{ rows, total }, counts] = await Promise.all([
    repo.inbox(db, user.id, scope, { view: query.view, q: query.q, limit: query.pageSize, offset: (query.page - 1) * query.pageSize, now }),
    repo.inboxCounts(db, user.id, scope, now),
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
      unreadMessages: Number(r.unread_messages),
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
  history: NamedHistoryEvent[];
  version: number;
  /** The dossier's sync with the national portal. */
  sync: SyncState | null;
  /** The dossier's requests to a partner agency (liên thông); null when it sent none. */
  liaison: LiaisonView | null;
}

export async function taskPage(db: Db, user: SessionUser, taskId: string): Promise<TaskPage> {
  const task = await visibleTask(db, user, taskId);
  const dossier = (await findDossier(db, task.dossier_id))!;
  const [view, history, names] = await Promise.all([core.instance(db, task.instance_id), namedHistory(db, task.instance_id), fullNamesOf(db, [dossier.applicant_id])]);
  const detail = await describeDossier(db, dossier, history);
  return {
    task: view.openTasks.find((t) => t.id === taskId) ?? null,
    dossier: { ...detail, applicantName: names.get(dossier.applicant_id)! },
    history,
    version: view.version,
    sync: await syncState(db, dossier.id),
    liaison: await liaisonOf(db, dossier.id),
  };
}

/**
 * Process variables the server sets: at submission (dossier.service.ts `submit`), and `assignee` from the checked
 * field. An action's free-form input may not set them: `input.assignee` would skip the check, and `input.applicant`
 * would hand the applicant's supplement step to someone else.
 */
const SERVER_VARIABLES = ['assignee', 'applicant', 'dossierId', 'dossierCode', 'procedureCode', 'agencyCode'];

/** An officer takes one of the task's actions at the version they saw; naming an assignee checks they can act there. */
export async function takeAction(
  db: Db,
  user: SessionUser,
  taskId: string,
  body: { actionCode: string; note?: string; input?: Record<string, unknown>; assignee?: string },
  expectedVersion: number,
) {
  const task = await visibleTask(db, user, taskId);
  const reserved = Object.keys(body.input ?? {}).filter((key) => SERVER_VARIABLES.includes(key));
  if (reserved.length) {
    throw new HttpProblem(
      422,
      'input-reserved',
      { vi: 'Dữ liệu thao tác không được đặt biến do hệ thống quản lý', en: 'The input may not set variables the system manages' },
      reserved.map((key) => ({ path: `/body/input/${key}`, message: { vi: 'Tên biến dành riêng', en: 'Reserved variable name' } })),
    );
  }
  const input = { ...(body.input ?? {}) };
  if (body.assignee) {
    // The one named must hold a group the action assigns to (its `assignTo` in the diagram), at this agency.
    const action = (await core.openTasks(db, task.instance_id)).find((t) => t.id === taskId)?.actions.find((a) => a.code === body.actionCode);
    if (!(await repo.holdsRoleAt(db, body.assignee, task.agency_id, action?.assignTo ?? staffTaskGroups))) {
      throw new HttpProblem(422, 'assignee-invalid', { vi: 'Người được giao không thuộc nhóm được phân công ở bước này', en: 'The assignee holds none of the groups this action assigns to here' }, [
        { path: '/body/assignee', message: { vi: 'Chọn cán bộ khác', en: 'Choose another officer' } },
      ]);
    }
    input.assignee = body.assignee;
  }
  const actor = actorAt(user, task.agency_id);
  const now = new Date();
  const note = body.note ?? null;
  // Work of other features that commits with this action (a fee request creates its payment): see action-hooks.
  const alongside = actionHooksFor(body.actionCode, { dossierId: task.dossier_id, agencyId: task.agency_id, actor, input, note, at: now });
  return core.act(db, { instanceId: task.instance_id, taskId, actionCode: body.actionCode, input, note, actor, expectedVersion, now, alongside });
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
