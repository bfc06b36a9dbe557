import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import type { UserTable } from './account.table.js';

export async function findUserByLogin(db: Db, login: string) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where((eb) => eb.or([eb('email', '=', login.toLowerCase()), eb('id_number', '=', login)]))
    .executeTakeFirst();
}

export async function findUserByIdNumber(db: Db, idNumber: string) {
  return db.selectFrom('app_user').select(['id', 'kind']).where('id_number', '=', idNumber).executeTakeFirst();
}

export async function findUser(db: Db, id: string) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function fullNamesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'full_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.full_name]));
}

export async function insertUser(db: Db, row: Insertable<UserTable>) {
  return db.insertInto('app_user').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function rolesOf(db: Db, userId: string) {
  return db
    .selectFrom('user_role')
    .leftJoin('agency', 'agency.id', 'user_role.agency_id')
    .select(['user_role.role', 'user_role.agency_id', 'agency.code as agency_code'])
    .where('user_role.user_id', '=', userId)
    .orderBy('user_role.role')
    .execute();
}

export async function insertRoles(db: Db, rows: { user_id: string; role: string; agency_id: string | null }[]) {
  if (rows.length) await db.insertInto('user_role').values(rows).execute();
}

export async function insertRefreshToken(db: Db, row: { user_id: string; family_id: string; token_hash: string; expires_at: Date }) {
  await db.insertInto('refresh_token').values(row).execute();
}

/** The token row, locked so that two concurrent uses of one token cannot both rotate it. */
export async function lockRefreshToken(db: Db, tokenHash: string) {
  return db.selectFrom('refresh_token').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

/** Marks a token used, only if it was not used already; false means someone used it first. */
export async function markRefreshTokenUsed(db: Db, id: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('refresh_token').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revokeRefreshFamily(db: Db, familyId: string, at: Date) {
  await db.updateTable('refresh_token').set({ revoked_at: at }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

export async function revokeUserRefreshTokens(db: Db, userId: string, at: Date) {
  await db.updateTable('refresh_token').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

/**
 * The secret `name` kept in the database: made of `bytes` random bytes by whichever server asks first, so that
 * every server and every restart agrees on it.
 */
export async function sharedSecret(db: Db, name: string, bytes = 32): Promise<string> {
  await db.insertInto('server_secret').values({ name, value: randomBytes(bytes).toString('base64url') }).onConflict((oc) => oc.column('name').doNothing()).execute();
  return (await db.selectFrom('server_secret').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
}
