import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Db } from '../../engine/db/database.js';
import { isUniqueViolation } from '../../engine/db/errors.js';
import { HttpProblem } from '../problems.js';
import * as accounts from '../accounts/account.repository.js';
import { sessionUser, type SessionUser } from '../accounts/account.service.js';
import * as repo from './sso.repository.js';
import type { SsoFailureReason } from './sso-failures.js';

/**
 * Single sign-on with the national public-service portal (Cổng DVC quốc gia, VNeID identity): the OpenID Connect
 * authorization-code flow with PKCE, state and nonce. An attempt lives in the database (any server may take the
 * callback), bound to the browser that started it by a cookie; the callback links the provider's subject to a
 * citizen account by the ID number the provider vouches for, and hands the web app a one-time code that it
 * exchanges (by POST, with the same cookie) for the usual access and refresh tokens.
 */
export interface SsoSettings {
  /** The provider's issuer identifier; its discovery document is read at each start and callback. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Our callback, as registered at the provider (PUBLIC_URL/api/auth/sso/callback). */
  redirectUrl: string;
  scope: string;
  /** The claim with the 12-digit personal identification number (số định danh cá nhân). */
  idNumberClaim: string;
  /** Time the citizen has at the provider before the attempt lapses. */
  attemptTtlMs: number;
  /** Life of the one-time code between the callback and the web app's exchange. */
  loginCodeTtlMs: number;
  /** Seconds to wait for the provider on each request. */
  timeoutSeconds: number;
}

export const DEFAULT_SSO_TIMING = { attemptTtlMs: 10 * 60_000, loginCodeTtlMs: 60_000, timeoutSeconds: 10 };

/** A login that cannot go on; the browser is sent to the page explaining `reason`. */
export class SsoFailure extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${detail}`, options);
    this.name = 'SsoFailure';
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/;

/** The provider's configuration from its discovery document. Plain HTTP only on this machine (the demo's stand-in). */
async function discover(settings: SsoSettings): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuer);
  const execute = issuer.protocol === 'http:' && LOOPBACK.test(issuer.hostname) ? [oidc.allowInsecureRequests] : [];
  try {
    return await oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, { execute, timeout: settings.timeoutSeconds });
  } catch (err) {
    throw new SsoFailure('sso-provider-unavailable', `discovery of ${settings.issuer} failed`, { cause: err });
  }
}

/** Starts an attempt: the provider's authorization URL to send the browser to, and the secret of its cookie. */
export async function startLogin(
  db: Db,
  settings: SsoSettings,
  returnTo: string,
  now = new Date(),
): Promise<{ authorizationUrl: string; browserSecret: string }> {
  // Discovered anew each time: a provider that is down is reported here, not after sending the browser away.
  const config = await discover(settings);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const browserSecret = randomBytes(32).toString('base64url');
  await repo.deleteLoginsExpiredBefore(db, new Date(now.getTime() - 24 * 3_600_000));
  await repo.insertLogin(db, {
    state,
    browser_hash: sha256(browserSecret),
    nonce,
    code_verifier: codeVerifier,
    return_to: returnTo,
    expires_at: new Date(now.getTime() + settings.attemptTtlMs),
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUrl,
    scope: settings.scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { authorizationUrl: url.href, browserSecret };
}

/**
 * Takes the provider's answer (the query of our callback URL) in the browser holding `browserSecret`: checks the
 * state, exchanges the code (PKCE verifier, nonce, issuer), reads the claims, links or creates the account, and
 * returns the one-time login code for the web app.
 */
export async function finishCallback(
  db: Db,
  settings: SsoSettings,
  query: URLSearchParams,
  browserSecret: string | undefined,
  now = new Date(),
): Promise<{ loginCode: string }> {
  const state = query.get('state');
  const attempt = state ? await repo.takeLoginForCallback(db, state, now) : undefined;
  if (!attempt) throw new SsoFailure('sso-state-mismatch', 'unknown or already used state');
  if (!browserSecret || sha256(browserSecret) !== attempt.browser_hash) throw new SsoFailure('sso-state-mismatch', 'the attempt was started in another browser');
  if (attempt.expires_at <= now) throw new SsoFailure('sso-attempt-expired', 'the attempt lapsed');
  const error = query.get('error');
  if (error) throw new SsoFailure(error === 'access_denied' ? 'sso-cancelled' : 'sso-provider-error', `the provider answered ${error}`);

  const config = await discover(settings);
  const currentUrl = new URL(settings.redirectUrl);
  currentUrl.search = query.toString();
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: attempt.code_verifier, expectedState: attempt.state, expectedNonce: attempt.nonce });
    const idToken = tokens.claims()!;
    // The ID token says who; the userinfo endpoint gives the profile (a provider may put claims in either).
    claims = { ...idToken, ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)) };
  } catch (err) {
    throw exchangeFailure(err);
  }
  const person = personOf(claims, settings.idNumberClaim);
  const userId = await linkAccount(db, config.serverMetadata().issuer, person, now);
  const loginCode = randomBytes(32).toString('base64url');
  await repo.setLoginCode(db, attempt.id, { user_id: userId, login_code_hash: sha256(loginCode), login_code_expires_at: new Date(now.getTime() + settings.loginCodeTtlMs) });
  return { loginCode };
}

/** What went wrong talking to the provider: unreachable, a refused code (expired, used, not ours), or a bad answer. */
function exchangeFailure(err: unknown): SsoFailure {
  if (err instanceof oidc.ResponseBodyError) {
    return new SsoFailure(err.error === 'invalid_grant' ? 'sso-code-invalid' : 'sso-provider-error', `token or userinfo endpoint: ${err.error}`, { cause: err });
  }
  if (err instanceof oidc.AuthorizationResponseError) return new SsoFailure('sso-provider-error', `authorization response: ${err.error}`, { cause: err });
  const name = (err as Error | undefined)?.name;
  if (err instanceof TypeError || name === 'AbortError' || name === 'TimeoutError') return new SsoFailure('sso-provider-unavailable', 'the provider did not answer', { cause: err });
  return new SsoFailure('sso-invalid-response', (err as Error | undefined)?.message ?? 'invalid answer', { cause: err });
}

interface Person {
  subject: string;
  fullName: string;
  idNumber: string;
  phone: string | null;
  email: string | null;
}

const ID_NUMBER = /^(\d{9}|\d{12})$/;
const PHONE = /^0\d{9,10}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The person the claims describe; the ID number and the name are required, a malformed phone or email is left out. */
function personOf(claims: Record<string, unknown>, idNumberClaim: string): Person {
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string).trim() : '');
  const idNumber = text(idNumberClaim);
  const fullName = (text('name') || [text('family_name'), text('middle_name'), text('given_name')].filter(Boolean).join(' ')).normalize('NFC');
  if (!ID_NUMBER.test(idNumber) || fullName.length < 2) {
    throw new SsoFailure('sso-missing-claims', `the provider gave no valid ${idNumberClaim} or name`);
  }
  // +84 912 000 001 as the portal writes it; 0912000001 as the accounts keep it.
  const phone = text('phone_number').replace(/[\s.-]/g, '').replace(/^\+84/, '0');
  const email = text('email').toLowerCase();
  return { subject: text('sub'), fullName, idNumber, phone: PHONE.test(phone) ? phone : null, email: EMAIL.test(email) && email.length <= 254 ? email : null };
}

/**
 * The account of the provider's subject: the one linked to it already; else the citizen account of the ID number
 * (registered, or created at the counter without a password), which is linked now; else a new citizen account.
 * Staff accounts are never linked: their holders log in with their password, so that no identity at the provider
 * can take over a staff account. The name comes from the identity (as on the ID card).
 *
 * Registering online proves nothing about the ID number typed in, while the provider's identity is verified: so a
 * registered account linked for the first time passes wholly to the identity — its password stops working, its
 * sessions end, and its email and phone become the identity's. Otherwise whoever registered someone else's ID
 * number would keep reading that person's dossiers. An account made at the counter (the ID card seen by an
 * officer) keeps its contacts, and the identity's fill what it lacks. An email another account uses is left out.
 */
async function linkAccount(db: Db, issuer: string, person: Person, now: Date): Promise<string> {
  const attempt = () =>
    db.transaction().execute(async (trx) => {
      const identity = await repo.findIdentity(trx, issuer, person.subject);
      let user = identity ? await repo.findUserForLink(trx, { id: identity.user_id }) : await repo.findUserForLink(trx, { idNumber: person.idNumber });
      if (identity && user?.id_number !== person.idNumber) {
        throw new SsoFailure('sso-identity-mismatch', 'the subject is linked to an account of another ID number');
      }
      if (user?.kind === 'staff') throw new SsoFailure('sso-staff-account', 'the ID number belongs to a staff account');
      if (user && !identity && (await repo.identityOfUser(trx, user.id, issuer))) {
        throw new SsoFailure('sso-id-number-bound', 'the account of this ID number is linked to another subject');
      }
      if (user?.locked_at) throw new SsoFailure('sso-account-locked', 'the account is locked');
      if (!user) {
        const created = await accounts.insertUser(trx, {
          kind: 'citizen',
          full_name: person.fullName,
          id_number: person.idNumber,
          email: null,
          phone: null,
          password_hash: null,
          locked_at: null,
        });
        await accounts.insertRoles(trx, [{ user_id: created.id, role: 'citizen', agency_id: null }]);
        user = { id: created.id, kind: 'citizen', id_number: person.idNumber, email: null, phone: null, locked_at: null, has_password: false };
      }
      const identityEmail = person.email && !(await repo.emailTakenByOther(trx, person.email, user.id)) ? person.email : null;
      if (!identity && user.has_password) {
        await repo.updateProfile(trx, user.id, { full_name: person.fullName, email: identityEmail, phone: person.phone, password_hash: null });
        await accounts.revokeUserRefreshTokens(trx, user.id, now);
      } else {
        const email = !user.email && identityEmail ? identityEmail : undefined;
        const phone = !user.phone && person.phone ? person.phone : undefined;
        await repo.updateProfile(trx, user.id, { full_name: person.fullName, ...(phone ? { phone } : {}), ...(email ? { email } : {}) });
      }
      if (identity) await repo.touchIdentity(trx, identity.id, now);
      else await repo.insertIdentity(trx, { user_id: user.id, issuer, subject: person.subject });
      return user.id;
    });
  try {
    return await attempt();
  } catch (err) {
    // Two first logins of one person at once: the loser finds what the winner created.
    if (!isUniqueViolation(err)) throw err;
    return attempt();
  }
}

const invalidLoginCode = () =>
  new HttpProblem(401, 'sso-login-code-invalid', {
    vi: 'Mã hoàn tất đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại',
    en: 'The login completion code is invalid or expired; log in again',
  });

/** Spends the one-time code in the browser that started the attempt; answers who logged in and where they go next. */
export async function completeLogin(db: Db, loginCode: string, browserSecret: string | undefined, now = new Date()): Promise<{ user: SessionUser; returnTo: string }> {
  if (!browserSecret) throw invalidLoginCode();
  const done = await repo.completeLogin(db, sha256(loginCode), sha256(browserSecret), now);
  if (!done?.user_id) throw invalidLoginCode();
  const user = await accounts.findUser(db, done.user_id);
  if (!user) throw invalidLoginCode();
  if (user.locked_at) throw new HttpProblem(403, 'account-locked', { vi: 'Tài khoản đã bị khóa', en: 'This account is locked' });
  return { user: await sessionUser(db, user), returnTo: done.return_to };
}
