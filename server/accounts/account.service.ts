import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../engine/db/database.js';
import { isUniqueViolation } from '../../engine/db/errors.js';
import { inTransaction } from '../../engine/runtime/command.js';
import { HttpProblem } from '../problems.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';
import * as repo from './account.repository.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3_600_000;

export interface RoleGrant {
  role: string;
  agencyId: string | null;
  agencyCode: string | null;
}

/** Who is calling, as carried in the access token. */
export interface SessionUser {
  id: string;
  kind: 'citizen' | 'staff';
  fullName: string;
  roles: RoleGrant[];
}

export interface Profile extends SessionUser {
  email: string | null;
  phone: string | null;
  /** Masked: the full ID number never leaves the server in a profile. */
  idNumberMasked: string | null;
}

export async function register(
  db: Db,
  input: { fullName: string; idNumber: string; phone: string; email: string; password: string },
): Promise<SessionUser> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await repo.insertUser(trx, {
        kind: 'citizen',
        full_name: input.fullName.trim().normalize('NFC'),
        id_number: input.idNumber,
        email: input.email.toLowerCase(),
        phone: input.phone,
        password_hash: passwordHash,
        locked_at: null,
      });
      await repo.insertRoles(trx, [{ user_id: user.id, role: 'citizen', agency_id: null }]);
      return { id: user.id, kind: 'citizen' as const, fullName: user.full_name, roles: [{ role: 'citizen', agencyId: null, agencyCode: null }] };
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new HttpProblem(409, 'account-exists', {
      vi: 'Email hoặc số định danh đã được đăng ký',
      en: 'An account with this email or ID number already exists',
    });
  }
}

export interface WalkInApplicant {
  fullName: string;
  idNumber: string;
  phone?: string;
  email?: string;
}

/**
 * The citizen account of an applicant received at the counter: found by ID number, or created without a password
 * (the applicant follows the dossier by its code and PIN, and may claim the account through single sign-on).
 */
export async function findOrCreateApplicant(trx: Db, applicant: WalkInApplicant): Promise<string> {
  const existing = await repo.findUserByIdNumber(trx, applicant.idNumber);
  if (existing) return existing.id;
  const email = applicant.email?.toLowerCase() ?? null;
  if (email && (await repo.findUserByLogin(trx, email))) {
    throw new HttpProblem(409, 'email-in-use', { vi: 'Email này đã thuộc về tài khoản khác', en: 'This email belongs to another account' }, [
      { path: '/body/applicant/email', message: { vi: 'Email đã được dùng với số định danh khác', en: 'Used with another ID number' } },
    ]);
  }
  const user = await repo.insertUser(trx, {
    kind: 'citizen',
    full_name: applicant.fullName.trim().normalize('NFC'),
    id_number: applicant.idNumber,
    email,
    phone: applicant.phone ?? null,
    password_hash: null,
    locked_at: null,
  });
  await repo.insertRoles(trx, [{ user_id: user.id, role: 'citizen', agency_id: null }]);
  return user.id;
}

const invalidLogin = () =>
  new HttpProblem(401, 'invalid-credentials', { vi: 'Tên đăng nhập hoặc mật khẩu không đúng', en: 'Wrong username or password' });

/** Checks the password; unknown users cost the same time, so timing does not reveal who has an account. */
export async function login(db: Db, username: string, password: string): Promise<SessionUser> {
  const user = await repo.findUserByLogin(db, username.trim());
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
  // A citizen account without a password was made at the counter or passed to a verified identity: it logs in
  // through the national portal, which the login page offers.
  if (user && !user.password_hash && user.kind === 'citizen') {
    throw new HttpProblem(401, 'password-login-unavailable', {
      vi: 'Tài khoản này không dùng mật khẩu: hãy đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia',
      en: 'This account has no password: log in with your national public-service portal account',
    });
  }
  if (!user?.password_hash || !ok) throw invalidLogin();
  if (user.locked_at) throw new HttpProblem(403, 'account-locked', { vi: 'Tài khoản đã bị khóa', en: 'This account is locked' });
  return sessionUser(db, user);
}

/** The caller as an access token carries them: kind, name and role grants. */
export async function sessionUser(db: Db, user: { id: string; kind: 'citizen' | 'staff'; full_name: string }): Promise<SessionUser> {
  const roles = await repo.rolesOf(db, user.id);
  return {
    id: user.id,
    kind: user.kind,
    fullName: user.full_name,
    roles: roles.map((r) => ({ role: r.role, agencyId: r.agency_id, agencyCode: r.agency_code })),
  };
}

export async function profile(db: Db, userId: string): Promise<Profile> {
  const user = await repo.findUser(db, userId);
  if (!user) throw new HttpProblem(401, 'unknown-user', { vi: 'Tài khoản không còn tồn tại', en: 'The account no longer exists' });
  return {
    ...(await sessionUser(db, user)),
    email: user.email,
    phone: user.phone,
    idNumberMasked: user.id_number ? `${'*'.repeat(user.id_number.length - 4)}${user.id_number.slice(-4)}` : null,
  };
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new opaque refresh token; only its hash is stored. */
export async function issueRefreshToken(db: Db, userId: string, familyId: string = randomUUID(), now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await repo.insertRefreshToken(db, { user_id: userId, family_id: familyId, token_hash: tokenHash(token), expires_at: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS) });
  return token;
}

const invalidRefresh = () =>
  new HttpProblem(401, 'invalid-refresh-token', { vi: 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại', en: 'The session expired; log in again' });

/**
 * Rotates a refresh token: the presented one is spent and a new one of the same family returned. A token
 * presented twice means it was stolen or replayed, so the whole family is revoked.
 */
export async function rotateRefreshToken(db: Db, token: string, now = new Date()): Promise<{ user: SessionUser; refreshToken: string }> {
  const outcome = await inTransaction(db, async (trx) => {
    const row = await repo.lockRefreshToken(trx, tokenHash(token));
    if (!row || row.revoked_at || row.expires_at <= now) return null;
    if (row.used_at || !(await repo.markRefreshTokenUsed(trx, row.id, now))) {
      await repo.revokeRefreshFamily(trx, row.family_id, now);
      return 'reused' as const;
    }
    const user = await repo.findUser(trx, row.user_id);
    if (!user || user.locked_at) return null;
    return { user: await sessionUser(trx, user), refreshToken: await issueRefreshToken(trx, user.id, row.family_id, now) };
  });
  if (!outcome || outcome === 'reused') throw invalidRefresh();
  return outcome;
}

export async function logout(db: Db, token: string, now = new Date()) {
  const row = await db.selectFrom('refresh_token').select('family_id').where('token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (row) await repo.revokeRefreshFamily(db, row.family_id, now);
}

/** The access-token signing secret: JWT_SECRET, or one generated once and shared by every server via the database. */
export async function jwtSecret(db: Db, configured?: string): Promise<string> {
  if (configured) return configured;
  return repo.sharedSecret(db, 'jwt', 48);
}
