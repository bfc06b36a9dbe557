import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Database } from '../../engine/db/database.js';
import type { AgencyGrant } from '../accounts/grants.js';


export type InboxView = 'mine' | 'group' | 'overdue' | 'due-soon';

function inboxBase(db: Db) {
  return db
    .selectFrom('task')
    .innerJoin('dossier', 'dossier.instance_id', 'task.instance_id')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .innerJoin('app_user as applicant', 'applicant.id', 'dossier.applicant_id')
    .innerJoin('process_instance', 'process_instance.id', 'task.instance_id')
    .where('task.state', '=', 'open');
}

type InboxQuery = ReturnType<typeof inboxBase>;
type InboxEb = ExpressionBuilder<Database & { applicant: Database['app_user'] }, 'task' | 'dossier' | 'procedure' | 'applicant' | 'process_instance'>;

/** Only tasks of the caller's agencies whose groups they hold there. */
function visibleTo(query: InboxQuery, grants: AgencyGrant[]): InboxQuery {
  return query.where((eb: InboxEb) =>
    eb.or(grants.map((g) => eb.and([eb('dossier.agency_id', '=', g.agencyId), eb(sql<boolean>`task.candidate_groups && ${sql.val(g.roles)}::text[]`, '=', true)]))),
  );
}

export async function inbox(db: Db, userId: string, grants: AgencyGrant[], filter: { view: InboxView; q?: string; limit: number; offset: number; now: Date }) {
  let query = visibleTo(inboxBase(db), grants);
  if (filter.view === 'mine') query = query.where('task.assignee', '=', userId);
  if (filter.view === 'overdue') query = query.where('task.due_at', '<', filter.now);
  if (filter.view === 'due-soon') query = query.where('task.due_at', '>=', filter.now).where('task.due_at', '<', new Date(filter.now.getTime() + 24 * 3_600_000));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('dossier.code', 'ilike', like), eb('applicant.full_name', 'ilike', like)]));
  }
  const { total } = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
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
    ])
    .orderBy(sql`coalesce(task.due_at, dossier.due_at)`, (ob) => ob.asc().nullsLast())
    .orderBy('task.created_at')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { total: Number(total), rows };
}

/** Counts per inbox tab, for the tab labels. */
export async function inboxCounts(db: Db, userId: string, grants: AgencyGrant[], now: Date) {
  const row = await visibleTo(inboxBase(db), grants)
    .select((eb) => [
      eb.fn.countAll<string>().as('group'),
      eb.fn.count<string>('task.id').filterWhere('task.assignee', '=', userId).as('mine'),
      eb.fn.count<string>('task.id').filterWhere('task.due_at', '<', now).as('overdue'),
      eb.fn
        .count<string>('task.id')
        .filterWhere((f) => f.and([f('task.due_at', '>=', now), f('task.due_at', '<', new Date(now.getTime() + 24 * 3_600_000))]))
        .as('dueSoon'),
    ])
    .executeTakeFirstOrThrow();
  return { mine: Number(row.mine), group: Number(row.group), overdue: Number(row.overdue), dueSoon: Number(row.dueSoon) };
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
