import { randomBytes } from 'node:crypto';
import type { Db } from '../../engine/db/database.js';
import { isUniqueViolation } from '../../engine/db/errors.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import { hashPassword } from '../accounts/password.js';
import { insertRoles, insertUser, revokeUserRefreshTokens, rolesOf } from '../accounts/account.repository.js';
import { reassign } from '../../engine/process-core.js';
import type { SessionUser } from '../accounts/account.service.js';
import { HttpProblem } from '../problems.js';

/** Roles an admin grants: staff roles are held in an agency; admin and auditor are province-wide. */
const PROVINCE_ROLES = ['admin', 'auditor'];

export interface RoleRequest {
  role: string;
  agencyCode?: string | null;
}

async function resolveRoles(db: Db, roles: RoleRequest[]) {
  const agencies = new Map((await db.selectFrom('agency').select(['id', 'code']).execute()).map((a) => [a.code, a.id]));
  return roles.map((r, index) => {
    const path = `/body/roles/${index}`;
    if (staffTaskGroups.includes(r.role)) {
      const agencyId = r.agencyCode ? agencies.get(r.agencyCode) : undefined;
      if (!agencyId) throw invalidRole(`${path}/agencyCode`, 'Cần chọn cơ quan hợp lệ cho vai trò này', 'A staff role needs an existing agency');
      return { role: r.role, agency_id: agencyId };
    }
    if (PROVINCE_ROLES.includes(r.role) && !r.agencyCode) return { role: r.role, agency_id: null };
    throw invalidRole(`${path}/role`, 'Vai trò không hợp lệ', `Unknown role ${r.role}, or an agency given for a province-wide role`);
  });
}

function invalidRole(path: string, vi: string, en: string) {
  return new HttpProblem(422, 'invalid-role', { vi: 'Phân quyền không hợp lệ', en: 'Invalid role assignment' }, [{ path, message: { vi, en } }]);
}

const notFound = () => new HttpProblem(404, 'staff-not-found', { vi: 'Không tìm thấy cán bộ', en: 'Staff account not found' });

async function staffRow(db: Db, id: string) {
  const user = await db.selectFrom('app_user').select(['id', 'full_name', 'email', 'locked_at']).where('id', '=', id).where('kind', '=', 'staff').executeTakeFirst();
  if (!user) throw notFound();
  return user;
}

async function staffView(db: Db, id: string) {
  const user = await staffRow(db, id);
  const roles = await rolesOf(db, id);
  return {
    id: user.id,
    fullName: user.full_name,
    email: user.email!, // staff accounts always have one (only walk-in applicants may lack it)
    locked: user.locked_at !== null,
    roles: roles.map((r) => ({ role: r.role, agencyCode: r.agency_code })),
  };
}

/** A staff account; without a password one is generated and returned this once. */
export async function createStaff(db: Db, input: { fullName: string; email: string; password?: string; roles: RoleRequest[] }) {
  const roles = await resolveRoles(db, input.roles);
  const password = input.password ?? randomBytes(12).toString('base64url');
  try {
    const id = await db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, {
        kind: 'staff',
        full_name: input.fullName.trim().normalize('NFC'),
        id_number: null,
        email: input.email.toLowerCase(),
        phone: null,
        password_hash: await hashPassword(password),
        locked_at: null,
      });
      await insertRoles(trx, roles.map((r) => ({ ...r, user_id: user.id })));
      return user.id;
    });
    return { ...(await staffView(db, id)), ...(input.password ? {} : { initialPassword: password }) };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new HttpProblem(409, 'account-exists', { vi: 'Email đã được dùng cho tài khoản khác', en: 'That email already has an account' });
  }
}

export async function listStaff(db: Db) {
  const users = await db.selectFrom('app_user').select(['id', 'full_name', 'email', 'locked_at']).where('kind', '=', 'staff').orderBy('full_name').execute();
  const roles = users.length
    ? await db
        .selectFrom('user_role')
        .leftJoin('agency', 'agency.id', 'user_role.agency_id')
        .select(['user_role.user_id', 'user_role.role', 'agency.code as agency_code'])
        .where('user_role.user_id', 'in', users.map((u) => u.id))
        .orderBy('user_role.role')
        .execute()
    : [];
  return users.map((u) => ({
    id: u.id,
    fullName: u.full_name,
    email: u.email!, // staff accounts always have one
    locked: u.locked_at !== null,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => ({ role: r.role, agencyCode: r.agency_code })),
  }));
}

export async function setRoles(db: Db, id: string, requested: RoleRequest[]) {
  await staffRow(db, id);
  const roles = await resolveRoles(db, requested);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('user_role').where('user_id', '=', id).execute();
    await insertRoles(trx, roles.map((r) => ({ ...r, user_id: id })));
  });
  return staffView(db, id);
}

/**
 * Locks an account (a transfer, a departure): no new logins, refresh tokens revoked, and every open task it holds
 * back in its group's inbox (recorded as a reassignment by the admin), where a colleague claims it or a leader
 * assigns it — a dossier must never wait on an account nobody can use. Locking again returns whatever is left.
 */
export async function lockStaff(db: Db, admin: SessionUser, id: string, now = new Date()) {
  await staffRow(db, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ locked_at: now }).where('id', '=', id).where('locked_at', 'is', null).execute();
    await revokeUserRefreshTokens(trx, id, now);
  });
  const held = await db
    .selectFrom('task')
    .innerJoin('dossier', 'dossier.instance_id', 'task.instance_id')
    .select(['task.id', 'task.name', 'task.due_at', 'dossier.id as dossier_id', 'dossier.code as dossier_code'])
    .where('task.assignee', '=', id)
    .where('task.state', '=', 'open')
    .orderBy('task.due_at')
    .execute();
  const actor = { id: admin.id, groups: admin.roles.map((r) => r.role) };
  for (const task of held) {
    await reassign(db, { taskId: task.id, to: null, reason: 'Tài khoản của cán bộ đã bị khóa / the officer’s account was locked', actor, now });
  }
  return {
    ...(await staffView(db, id)),
    returnedTasks: held.map((t) => ({ taskId: t.id, step: t.name, dueAt: t.due_at, dossierId: t.dossier_id, dossierCode: t.dossier_code })),
  };
}

export async function unlockStaff(db: Db, id: string) {
  await staffRow(db, id);
  await db.updateTable('app_user').set({ locked_at: null }).where('id', '=', id).execute();
  return staffView(db, id);
}
