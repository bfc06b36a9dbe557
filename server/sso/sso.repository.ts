import type { Db } from '../../engine/db/database.js';

export async function insertLogin(
  db: Db,
  row: { state: string; browser_hash: string; nonce: string; code_verifier: string; return_to: string; expires_at: Date },
) {
  await db.insertInto('sso_login').values(row).execute();
}

/** Takes the attempt of `state` for its callback, once: a second callback with the same state finds nothing. */
export async function takeLoginForCallback(db: Db, state: string, at: Date) {
  return db
    .updateTable('sso_login')
    .set({ callback_at: at })
    .where('state', '=', state)
    .where('callback_at', 'is', null)
    .returning(['id', 'state', 'browser_hash', 'nonce', 'code_verifier', 'expires_at'])
    .executeTakeFirst();
}

export async function setLoginCode(db: Db, id: string, row: { user_id: string; login_code_hash: string; login_code_expires_at: Date }) {
  await db.updateTable('sso_login').set(row).where('id', '=', id).execute();
}

/** Spends a one-time login code of the browser `browserHash`, once and before it expires. */
export async function completeLogin(db: Db, codeHash: string, browserHash: string, at: Date) {
  return db
    .updateTable('sso_login')
    .set({ completed_at: at })
    .where('login_code_hash', '=', codeHash)
    .where('browser_hash', '=', browserHash)
    .where('completed_at', 'is', null)
    .where('login_code_expires_at', '>', at)
    .returning(['user_id', 'return_to'])
    .executeTakeFirst();
}

/** Attempts long over (finished or abandoned): nothing in them is of use any more. */
export async function deleteLoginsExpiredBefore(db: Db, before: Date) {
  await db.deleteFrom('sso_login').where('expires_at', '<', before).execute();
}

export async function findIdentity(db: Db, issuer: string, subject: string) {
  return db.selectFrom('sso_identity').select(['id', 'user_id']).where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
}

export async function identityOfUser(db: Db, userId: string, issuer: string) {
  return db.selectFrom('sso_identity').select(['id', 'subject']).where('user_id', '=', userId).where('issuer', '=', issuer).executeTakeFirst();
}

export async function insertIdentity(db: Db, row: { user_id: string; issuer: string; subject: string }) {
  await db.insertInto('sso_identity').values(row).execute();
}

export async function touchIdentity(db: Db, id: string, at: Date) {
  await db.updateTable('sso_identity').set({ last_login_at: at }).where('id', '=', id).execute();
}

export async function findUserForLink(db: Db, where: { id: string } | { idNumber: string }) {
  const query = db
    .selectFrom('app_user')
    .select(['id', 'kind', 'id_number', 'email', 'phone', 'locked_at'])
    .select((eb) => eb('password_hash', 'is not', null).as('has_password'));
  return ('id' in where ? query.where('id', '=', where.id) : query.where('id_number', '=', where.idNumber)).forUpdate().executeTakeFirst();
}

export async function emailTakenByOther(db: Db, email: string, userId: string | null): Promise<boolean> {
  let query = db.selectFrom('app_user').select('id').where('email', '=', email);
  if (userId) query = query.where('id', '<>', userId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function updateProfile(db: Db, userId: string, changes: { full_name: string; phone?: string | null; email?: string | null; password_hash?: null }) {
  await db.updateTable('app_user').set(changes).where('id', '=', userId).execute();
}
