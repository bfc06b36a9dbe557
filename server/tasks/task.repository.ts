import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import type { AgencyGrant } from '../accounts/grants.js';
import { tasksWithUnread, unreadOfInboxRow } from '../messages/message.repository.js';


/**
 * `agency`: every open task of the agencies the caller leads, whoever holds it (to hand work on). `unread`: tasks
 * whose dossier has messages from the applicant the caller has not read (Trao đổi với công dân).
 */
export type InboxView = 'mine' | 'group' | 'unread' | 'overdue' | 'due-soon' | 'agency';

/** Open tasks with what the inbox shows of their dossier. */
function inboxBase(db: Db) {
  return db
    .selectFrom('task')
    .innerJoin('dossier', 'dossier.instance_id', 'task.instance_id')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .innerJoin('app_user as applicant', 'applicant.id', 'dossier.applicant_id')
    .innerJoin('process_instance', 'process_instance.id', 'task.instance_id')
    .where('task.state', '=', 'open');
}

/**
 * Open tasks alone. A task carries its dossier's agency and due date (migration 0007), so the inbox filters,
 * counts and orders tasks without looking up each one's dossier; only the page shown joins the rest.
 */
function openTasks(db: Db) {
  return db.selectFrom('task').where('task.state', '=', 'open');
}

const anyOf = (conditions: RawBuilder<SqlBool>[]) => (conditions.length ? sql<SqlBool>`(${sql.join(conditions, sql` or `)})` : sql<SqlBool>`false`);

/** Only tasks of the caller's agencies whose groups they hold there. */
function visibleTo(grants: AgencyGrant[]) {
  return anyOf(grants.map((g) => sql<SqlBool>`(task.agency_id = ${g.agencyId} and task.candidate_groups && ${sql.val(g.roles)}::text[])`));
}

/** Every task of the agencies the caller leads (none when they lead none). */
function ledBy(ledAgencyIds: string[]) {
  return anyOf(ledAgencyIds.map((id) => sql<SqlBool>`task.agency_id = ${id}`));
}

const DAY_MS = 24 * 3_600_000;

/** Open tasks of the caller's agencies with unread messages from the applicant: one set, tested as `task.id in (…)`. */
const unreadTasks = (userId: string, grants: AgencyGrant[]) => tasksWithUnread(userId, grants.map((g) => g.agencyId));

function inView(view: InboxView, userId: string, now: Date, grants: AgencyGrant[]) {
  if (view === 'mine') return sql<SqlBool>`task.assignee = ${userId}`;
  if (view === 'unread') return sql<SqlBool>`task.id in (${unreadTasks(userId, grants)})`;
  if (view === 'overdue') return sql<SqlBool>`task.due_at < ${now}`;
  if (view === 'due-soon') return sql<SqlBool>`(task.due_at >= ${now} and task.due_at < ${new Date(now.getTime() + DAY_MS)})`;
  return sql<SqlBool>`true`;
}

export interface InboxScope {
  grants: AgencyGrant[];
  ledAgencyIds: string[];
}

/** Most urgent first: the step's deadline, else the dossier's (the task's copy of it: task_open_agency_idx's order). */
const URGENCY = sql`coalesce(task.due_at, task.dossier_due_at) asc nulls last, task.created_at`;

export async function inbox(db: Db, userId: string, scope: InboxScope, filter: { view: InboxView; q?: string; limit: number; offset: number; now: Date }) {
  const scoped = filter.view === 'agency' ? ledBy(scope.ledAgencyIds) : visibleTo(scope.grants);
  const view = inView(filter.view, userId, filter.now, scope.grants);
  const tasks = openTasks(db).where(scoped).where(view);
  // The view's filter goes where the tasks are picked: repeated on the joined page, a costly one (unread) runs again per row.
  let listed = inboxBase(db).where(scoped);
  let total: Promise<{ total: string }>;
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    listed = listed.where(view).where((eb) => eb.or([eb('dossier.code', 'ilike', like), eb('applicant.full_name', 'ilike', like)]));
    total = listed.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    listed = listed.orderBy(URGENCY).limit(filter.limit).offset(filter.offset);
  } else {
    // The page's tasks are picked from the task table alone, in its index's order; only those are joined.
    total = tasks.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    listed = listed.where('task.id', 'in', tasks.select('task.id').orderBy(URGENCY).limit(filter.limit).offset(filter.offset)).orderBy(URGENCY);
  }
  const page = listed
    .select([
      'task.id',
      'task.element_id',
      'task.name',
      'task.assignee',
      'task.due_at',
      'task.overdue',
      'task.created_at',
      'dossier.id as dossier_id',
      'dossier.code as dossier_code',
      'dossier.due_at as dossier_due_at',
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'applicant.full_name as applicant_name',
      'process_instance.version',
      unreadOfInboxRow(userId).as('unread_messages'),
    ])
    .execute();
  const [counted, rows] = await Promise.all([total, page]);
  return { total: Number(counted.total), rows };
}

/** Counts per inbox tab, for the tab labels. */
export async function inboxCounts(db: Db, userId: string, scope: InboxScope, now: Date) {
  const agency = scope.ledAgencyIds.length
    ? openTasks(db).where(ledBy(scope.ledAgencyIds)).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    : Promise.resolve({ n: '0' });
  const row = await openTasks(db)
    .where(visibleTo(scope.grants))
    .select((eb) => [
      eb.fn.countAll<string>().as('group'),
      // count(*), not count(task.id): the counts are read from task_open_agency_idx alone.
      eb.fn.countAll<string>().filterWhere('task.assignee', '=', userId).as('mine'),
      eb.fn.countAll<string>().filterWhere('task.due_at', '<', now).as('overdue'),
      eb.fn
        .countAll<string>()
        .filterWhere((f) => f.and([f('task.due_at', '>=', now), f('task.due_at', '<', new Date(now.getTime() + DAY_MS))]))
        .as('dueSoon'),
      eb.fn.countAll<string>().filterWhere(sql<SqlBool>`task.id in (${unreadTasks(userId, scope.grants)})`).as('unread'),
    ])
    .executeTakeFirstOrThrow();
  return {
    mine: Number(row.mine),
    group: Number(row.group),
    unread: Number(row.unread),
    overdue: Number(row.overdue),
    dueSoon: Number(row.dueSoon),
    agency: Number((await agency).n),
  };
}

/** The task with the dossier it belongs to (any state: a closed task's page still shows what happened). */
export async function findTaskWithDossier(db: Db, taskId: string) {
  return db
    .selectFrom('task')
    .innerJoin('dossier', 'dossier.instance_id', 'task.instance_id')
    .select(['task.id', 'task.instance_id', 'task.candidate_groups', 'task.state', 'dossier.id as dossier_id', 'dossier.agency_id'])
    .where('task.id', '=', taskId)
    .executeTakeFirst();
}

export async function dossierByIdForStaff(db: Db, dossierId: string) {
  return db.selectFrom('dossier').select(['id', 'agency_id', 'instance_id']).where('id', '=', dossierId).executeTakeFirst();
}

/** Whether `userId` is an unlocked staff member holding one of `roles` at `agencyId`. */
export async function holdsRoleAt(db: Db, userId: string, agencyId: string, roles: readonly string[]): Promise<boolean> {
  const row = await db
    .selectFrom('user_role')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .select('user_role.user_id')
    .where('user_role.user_id', '=', userId)
    .where('user_role.agency_id', '=', agencyId)
    .where('user_role.role', 'in', roles)
    .where('app_user.locked_at', 'is', null)
    .executeTakeFirst();
  return Boolean(row);
}

/** Unlocked staff holding one of `roles` at one of `agencyIds`: whom a leader may assign or hand work to. */
export async function colleagues(db: Db, agencyIds: string[], roles: readonly string[]) {
  return db
    .selectFrom('user_role')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .innerJoin('agency', 'agency.id', 'user_role.agency_id')
    .select(['app_user.id', 'app_user.full_name', 'user_role.role', 'agency.code as agency_code'])
    .where('user_role.agency_id', 'in', agencyIds)
    .where('user_role.role', 'in', roles)
    .where('app_user.locked_at', 'is', null)
    .orderBy('app_user.full_name')
    .execute();
}
