import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.js';
import { seedDemo, type DemoAccount } from '../../server/seed/seed.js';
import { DEFAULT_SSO_TIMING, type SsoSettings } from '../../server/sso/sso.service.js';
import { startPortalIdentityProvider, type PortalIdentity, type PortalIdentityProvider } from '../../server/sso-provider/sso-provider.js';
import { api, business, PDF } from '../support/api.js';
import { useTestDb } from '../support/test-db.js';

// Login through the national portal against the real OpenID provider stand-in (oidc-provider, on a random port),
// driven over HTTP as a browser would: the start's redirect, the provider's login form, its redirect back to our
// callback, then the web app's exchange of the one-time code. Our public address is http://portal.example (as
// behind a reverse proxy); the test's browser sends what is addressed there to the app's real port.
const t = useTestDb({ seed: true });
const PUBLIC_URL = 'http://portal.example';
const CLIENT = { clientId: 'dvc-test', clientSecret: randomBytes(24).toString('base64url') };
const REDIRECT_URL = `${PUBLIC_URL}/api/auth/sso/callback`;

const hoa: PortalIdentity = { sub: 'vneid-hoa', name: 'Lê Thị Hoa', idNumber: '036195000123', phone: '+84 903 000 123', email: 'Hoa.Le@Example.vn' };
const an: PortalIdentity = { sub: 'vneid-an', name: 'Nguyễn Văn An', idNumber: '001090000001', phone: '+84912999999', email: 'an.nguyen@example.vn' };
const nam: PortalIdentity = { sub: 'vneid-nam', name: 'Hoàng Văn Nam', idNumber: '038090001234', phone: '+84977000123', email: 'nam.hoang@example.vn' };
/** Another subject claiming Hoa's ID number. */
const hoaElsewhere: PortalIdentity = { sub: 'vneid-hoa-2', name: 'Lê Thị Hoa', idNumber: hoa.idNumber };
const officerId: PortalIdentity = { sub: 'vneid-officer', name: 'Cán bộ một cửa', idNumber: '001080000042', email: 'officer.private@example.vn' };
const noIdNumber = { sub: 'vneid-none', name: 'Không Có Số', idNumber: '' } as PortalIdentity;

let provider: PortalIdentityProvider;
let app: FastifyInstance;
let appOrigin: string;
let accounts: DemoAccount[];
const extraApps: FastifyInstance[] = [];
const extraProviders: PortalIdentityProvider[] = [];

function settingsFor(issuer: string, change: Partial<SsoSettings> = {}): SsoSettings {
  return { issuer, ...CLIENT, redirectUrl: REDIRECT_URL, scope: 'openid profile email phone id_number', idNumberClaim: 'id_number', ...DEFAULT_SSO_TIMING, ...change };
}

async function startApp(sso: SsoSettings | null, rateLimitScale = 100) {
  const started = await buildApp({ db: t.db, backend: t.backend === 'postgres' ? 'postgresql' : 'pglite', logLevel: 'silent', jwtSecret: 'test-secret-0123456789', rateLimitScale, publicUrl: PUBLIC_URL, sso });
  await started.listen({ host: '127.0.0.1', port: 0 });
  return { app: started, origin: `http://127.0.0.1:${(started.server.address() as AddressInfo).port}` };
}

async function startProvider(options: { codeTtlSeconds?: number } = {}) {
  return startPortalIdentityProvider({ clients: [{ ...CLIENT, redirectUris: [REDIRECT_URL] }], identities: [hoa, an, nam, hoaElsewhere, officerId, noIdNumber], ...options });
}

beforeAll(async () => {
  accounts = (await seedDemo(t.db)).accounts;
  provider = await startProvider();
  ({ app, origin: appOrigin } = await startApp(settingsFor(provider.issuer)));
});
afterAll(async () => {
  for (const a of [app, ...extraApps]) await a?.close();
  for (const p of [provider, ...extraProviders]) await p?.close();
});

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/**
 * A browser as far as the flow needs one: cookies per host (browsers ignore the port) and path, redirects
 * followed by hand. What is addressed to PUBLIC_URL goes to `origin` (the app under test).
 */
class Browser {
  private jar = new Map<string, Cookie[]>();
  constructor(private origin = appOrigin) {}

  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}) {
    const target = new URL(url);
    const cookies = (this.jar.get(target.hostname) ?? []).filter((c) => target.pathname.startsWith(c.path));
    const headers: Record<string, string> = {};
    if (cookies.length) headers.cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const sent = target.origin === PUBLIC_URL ? `${this.origin}${target.pathname}${target.search}` : target.href;
    const response = await fetch(sent, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) this.store(target.hostname, header);
    return response;
  }

  private store(host: string, header: string) {
    const [pair, ...attributes] = header.split(';').map((s) => s.trim());
    const at = pair!.indexOf('=');
    const cookie = { name: pair!.slice(0, at), value: pair!.slice(at + 1), path: '/' };
    let expired = false;
    for (const attribute of attributes) {
      const [key, value = ''] = attribute.split('=');
      if (key!.toLowerCase() === 'path') cookie.path = value;
      if (key!.toLowerCase() === 'max-age' && Number(value) <= 0) expired = true;
      if (key!.toLowerCase() === 'expires' && new Date(value).getTime() < Date.now()) expired = true;
    }
    const kept = (this.jar.get(host) ?? []).filter((c) => !(c.name === cookie.name && c.path === cookie.path));
    this.jar.set(host, expired ? kept : [...kept, cookie]);
  }

  /** Follows redirects from `url` until a page answers, or the next hop is one of `stopAt` (not requested). */
  async navigate(url: string, stopAt: (next: URL) => boolean = () => false): Promise<{ url: URL; response: Response | null }> {
    let current = new URL(url);
    for (let hops = 0; hops < 10; hops++) {
      const response = await this.request(current.href);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      const next = new URL(location, current);
      if (stopAt(next)) return { url: next, response: null };
      current = next;
    }
    throw new Error('too many redirects');
  }
}

const isCallback = (url: URL) => url.href.startsWith(REDIRECT_URL);
const isFinishPage = (url: URL) => url.origin === PUBLIC_URL && url.pathname === '/login/sso';

/** Start → the provider's login page, whose form is returned. */
async function openProviderLogin(browser: Browser, returnTo = '/dossiers') {
  const { url, response } = await browser.navigate(`${PUBLIC_URL}/api/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}`, isFinishPage);
  expect(response?.status, `start went to ${url.href}`).toBe(200);
  const html = await response!.text();
  expect(html).toContain('Cổng Dịch vụ công quốc gia');
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
  return { loginUrl: new URL(action, url).href, abortUrl: new URL(action.replace(/\/login$/, '/abort'), url).href, html };
}

/** Picks an identity on the provider's page (or cancels); answers the callback URL the provider sends the browser to. */
async function answerProvider(browser: Browser, form: { loginUrl: string; abortUrl: string }, sub: string | 'cancel') {
  const response = sub === 'cancel' ? await browser.request(form.abortUrl, { method: 'POST', form: {} }) : await browser.request(form.loginUrl, { method: 'POST', form: { identity: sub } });
  expect(response.status).toBe(303);
  const { url } = await browser.navigate(new URL(response.headers.get('location')!, form.loginUrl).href, isCallback);
  expect(isCallback(url), url.href).toBe(true);
  return url;
}

/** The callback in the browser; answers where it sends the browser (the web app's finish page). */
async function takeCallback(browser: Browser, callback: URL) {
  const response = await browser.request(callback.href);
  expect(response.status, await response.clone().text()).toBe(303);
  const finish = new URL(response.headers.get('location')!, callback);
  expect(isFinishPage(finish), finish.href).toBe(true);
  return finish;
}

const reasonOf = (finish: URL) => finish.searchParams.get('reason');
const codeOf = (finish: URL) => new URLSearchParams(finish.hash.slice(1)).get('code');

async function complete(browser: Browser, code: string | null) {
  return browser.request(`${PUBLIC_URL}/api/auth/sso/complete`, { method: 'POST', json: { code } });
}

/** The whole login as `sub`; answers the session's tokens and where the web app goes next. */
async function logIn(sub: string, returnTo = '/dossiers') {
  const browser = new Browser();
  const finish = await takeCallback(browser, await answerProvider(browser, await openProviderLogin(browser, returnTo), sub));
  expect(reasonOf(finish)).toBeNull();
  const response = await complete(browser, codeOf(finish));
  expect(response.status).toBe(200);
  return (await response.json()) as { accessToken: string; refreshToken: string; returnTo: string };
}

/** The login as `sub` up to the failure page it ends on; answers its reason code. */
async function failedLogIn(sub: string) {
  const browser = new Browser();
  return reasonOf(await takeCallback(browser, await answerProvider(browser, await openProviderLogin(browser), sub)));
}

const me = async (accessToken: string) => (await api(app).call('GET', '/api/me', accessToken)).json();
const userByIdNumber = (idNumber: string) => t.db.selectFrom('app_user').selectAll().where('id_number', '=', idNumber).executeTakeFirst();
const identitiesOf = (userId: string) => t.db.selectFrom('sso_identity').selectAll().where('user_id', '=', userId).execute();

describe('login through the national public-service portal', () => {
  test('the login page learns that it is offered; without a provider it is not, and the start explains why', async () => {
    expect((await api(app).call('GET', '/api/auth/sso')).json()).toEqual({ enabled: true });
    const off = await startApp(null);
    extraApps.push(off.app);
    expect((await api(off.app).call('GET', '/api/auth/sso')).json()).toEqual({ enabled: false });
    const start = await new Browser(off.origin).request(`${PUBLIC_URL}/api/auth/sso/start`);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe('/login/sso?reason=sso-not-configured');
  });

  test('a first login creates the citizen’s account from the claims; a second one finds it again', async () => {
    expect(await userByIdNumber(hoa.idNumber)).toBeUndefined();
    const first = await logIn(hoa.sub, '/dossiers?page=2');
    expect(first.returnTo).toBe('/dossiers?page=2');
    const profile = await me(first.accessToken);
    expect(profile).toMatchObject({
      kind: 'citizen',
      fullName: 'Lê Thị Hoa',
      email: 'hoa.le@example.vn',
      phone: '0903000123',
      idNumberMasked: '********0123',
      roles: [{ role: 'citizen', agencyId: null, agencyCode: null }],
    });
    const row = await userByIdNumber(hoa.idNumber);
    expect(row).toMatchObject({ id: profile.id, password_hash: null });
    const [identity] = await identitiesOf(profile.id);
    expect(identity).toMatchObject({ issuer: provider.issuer, subject: hoa.sub });

    // The session is the password login's: the refresh token rotates, the citizen can work.
    const refreshed = await api(app).call('POST', '/api/auth/refresh', undefined, { refreshToken: first.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect((await api(app).call('GET', '/api/dossiers', first.accessToken)).statusCode).toBe(200);

    const second = await logIn(hoa.sub);
    expect(second.returnTo).toBe('/dossiers');
    expect((await me(second.accessToken)).id).toBe(profile.id);
    const [again] = await identitiesOf(profile.id);
    expect(again!.id).toBe(identity!.id);
    expect(again!.last_login_at.getTime()).toBeGreaterThan(identity!.last_login_at.getTime());
  });

  test('a registered account of the ID number passes wholly to the verified identity: password, sessions and contacts', async () => {
    // Whoever registered typed the ID number in; nothing proved it theirs. The identity's holder gets the account.
    const citizen = accounts.find((a) => a.description.startsWith('citizen'))!;
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: citizen.login, password: citizen.password } });
    const { accessToken, refreshToken } = login.json();
    const before = await me(accessToken);
    const viaPortal = await logIn(an.sub);
    const after = await me(viaPortal.accessToken);
    expect(after.id).toBe(before.id);
    // Name as on the ID card, email and phone as the identity gives them.
    expect(after).toMatchObject({ fullName: 'Nguyễn Văn An', email: an.email, phone: '0912999999' });
    expect(after.email).not.toBe(before.email);
    // The registrant's password and sessions no longer open it; the login says how to get in.
    const byPassword = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '001090000001', password: citizen.password } });
    expect([byPassword.statusCode, byPassword.json().type]).toEqual([401, '/problems/password-login-unavailable']);
    expect((await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } })).statusCode).toBe(401);
    expect((await identitiesOf(before.id)).map((i) => i.subject)).toEqual([an.sub]);
    // Later logins of the identity keep what the citizen has since (the account is linked, not claimed again).
    expect((await me((await logIn(an.sub)).accessToken)).email).toBe(an.email);
  });

  test('a walk-in applicant received at the counter claims the account: name corrected, contacts filled, dossier there', async () => {
    const officer = accounts.find((a) => a.description.startsWith('one-stop-officer @ H20.11'))!;
    const http = api(app);
    const officerToken = await http.login(officer.login, officer.password);
    const opened = await http.call('POST', '/api/counter/dossiers', officerToken, { procedureCode: '2.000331', applicant: { fullName: 'Hoang Van Nam', idNumber: nam.idNumber }, form: business });
    expect(opened.statusCode, opened.body).toBe(201);
    expect((await http.upload(opened.json().id, officerToken, 'TP05', { name: 'don.pdf', content: PDF }, '/api/counter/dossiers')).statusCode).toBe(201);
    const submitted = await http.call('POST', `/api/counter/dossiers/${opened.json().id}/submit`, officerToken, { declarationAccepted: true });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const walkIn = (await userByIdNumber(nam.idNumber))!;
    expect(walkIn).toMatchObject({ password_hash: null, email: null, phone: null });

    const session = await logIn(nam.sub);
    const profile = await me(session.accessToken);
    expect(profile).toMatchObject({ id: walkIn.id, fullName: 'Hoàng Văn Nam', email: nam.email, phone: '0977000123' });
    const mine = (await http.call('GET', '/api/dossiers', session.accessToken)).json();
    expect(JSON.stringify(mine)).toContain(submitted.json().code);
  });

  test('an ID number whose account is linked to another subject is refused as already bound', async () => {
    expect(await failedLogIn(hoaElsewhere.sub)).toBe('sso-id-number-bound');
    const hoaAccount = (await userByIdNumber(hoa.idNumber))!;
    expect((await identitiesOf(hoaAccount.id)).map((i) => i.subject)).toEqual([hoa.sub]);
  });

  test('a staff account is never taken over: its ID number is refused and nothing is linked', async () => {
    const officer = accounts.find((a) => a.description.startsWith('one-stop-officer @ H20.11'))!;
    const staff = (await t.db.selectFrom('app_user').selectAll().where('email', '=', officer.login).executeTakeFirst())!;
    await t.db.updateTable('app_user').set({ id_number: officerId.idNumber }).where('id', '=', staff.id).execute();
    expect(await failedLogIn(officerId.sub)).toBe('sso-staff-account');
    expect(await identitiesOf(staff.id)).toEqual([]);
    expect(await t.db.selectFrom('app_user').select(['email', 'full_name']).where('id', '=', staff.id).executeTakeFirst()).toEqual({ email: staff.email, full_name: staff.full_name });
  });

  test('a locked account, a subject whose ID number changed, and claims without an ID number are refused', async () => {
    const hoaAccount = (await userByIdNumber(hoa.idNumber))!;
    await t.db.updateTable('app_user').set({ locked_at: new Date() }).where('id', '=', hoaAccount.id).execute();
    expect(await failedLogIn(hoa.sub)).toBe('sso-account-locked');
    await t.db.updateTable('app_user').set({ locked_at: null }).where('id', '=', hoaAccount.id).execute();

    provider.identities.set(hoa.sub, { ...hoa, idNumber: '036195000999' });
    try {
      expect(await failedLogIn(hoa.sub)).toBe('sso-identity-mismatch');
    } finally {
      provider.identities.set(hoa.sub, hoa);
    }
    expect(await failedLogIn(noIdNumber.sub)).toBe('sso-missing-claims');
  });

  test('the citizen cancels at the portal', async () => {
    const browser = new Browser();
    const finish = await takeCallback(browser, await answerProvider(browser, await openProviderLogin(browser), 'cancel'));
    expect(reasonOf(finish)).toBe('sso-cancelled');
  });

  test('state mismatch: a forged state, a callback in another browser, a replayed callback', async () => {
    const browser = new Browser();
    const callback = await answerProvider(browser, await openProviderLogin(browser), hoa.sub);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value');
    expect(reasonOf(await takeCallback(browser, forged))).toBe('sso-state-mismatch');
    // The attacker's callback in the victim's browser (no cookie of that attempt): refused, and the attempt is spent.
    expect(reasonOf(await takeCallback(new Browser(), callback))).toBe('sso-state-mismatch');
    expect(reasonOf(await takeCallback(browser, callback))).toBe('sso-state-mismatch');

    const fresh = new Browser();
    const stateless = await answerProvider(fresh, await openProviderLogin(fresh), hoa.sub);
    stateless.searchParams.delete('state');
    expect(reasonOf(await takeCallback(fresh, stateless))).toBe('sso-state-mismatch');
  });

  test('the one-time code: only once, only in the browser of the attempt', async () => {
    const browser = new Browser();
    const finish = await takeCallback(browser, await answerProvider(browser, await openProviderLogin(browser), hoa.sub));
    const code = codeOf(finish);
    const elsewhere = await complete(new Browser(), code);
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { type: string }).type).toBe('/problems/sso-login-code-invalid');
    expect((await complete(browser, code)).status).toBe(200);
    // The cookie is gone with the exchange; a replay with the cookie kept is refused as well.
    const again = await complete(browser, code);
    expect(again.status).toBe(401);
    const row = await t.db.selectFrom('sso_login').select(['completed_at']).where('completed_at', 'is not', null).executeTakeFirst();
    expect(row).toBeDefined();

    // A code the web app did not exchange in time.
    const slow = await startApp(settingsFor(provider.issuer, { loginCodeTtlMs: 200 }));
    extraApps.push(slow.app);
    const late = new Browser(slow.origin);
    const lateFinish = await takeCallback(late, await answerProvider(late, await openProviderLogin(late), hoa.sub));
    await new Promise((r) => setTimeout(r, 300));
    expect((await complete(late, codeOf(lateFinish))).status).toBe(401);
  });

  test('a used code presented again, and an expired one, are refused by the provider', async () => {
    // A code that was already exchanged, slipped into a new attempt's callback.
    const first = new Browser();
    const used = await answerProvider(first, await openProviderLogin(first), hoa.sub);
    expect(codeOf(await takeCallback(first, used))).toBeTruthy();
    const second = new Browser();
    const callback = await answerProvider(second, await openProviderLogin(second), hoa.sub);
    callback.searchParams.set('code', used.searchParams.get('code')!);
    expect(reasonOf(await takeCallback(second, callback))).toBe('sso-code-invalid');

    // A provider whose codes live one second; the citizen's browser comes back late.
    const shortLived = await startProvider({ codeTtlSeconds: 1 });
    extraProviders.push(shortLived);
    const late = await startApp(settingsFor(shortLived.issuer));
    extraApps.push(late.app);
    const browser = new Browser(late.origin);
    const lateCallback = await answerProvider(browser, await openProviderLogin(browser), hoa.sub);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(reasonOf(await takeCallback(browser, lateCallback))).toBe('sso-code-invalid');
  });

  test('an attempt left at the provider too long lapses', async () => {
    const quick = await startApp(settingsFor(provider.issuer, { attemptTtlMs: 300 }));
    extraApps.push(quick.app);
    const browser = new Browser(quick.origin);
    const callback = await answerProvider(browser, await openProviderLogin(browser), hoa.sub);
    await new Promise((r) => setTimeout(r, 400));
    expect(reasonOf(await takeCallback(browser, callback))).toBe('sso-attempt-expired');
  });

  test('the provider is down: at the start, or when the browser comes back — a clear page, never a 500 or 404', async () => {
    const down = await startProvider();
    const issuer = down.issuer;
    const before = await startApp(settingsFor(issuer));
    extraApps.push(before.app);
    const browser = new Browser(before.origin);
    const callback = await answerProvider(browser, await openProviderLogin(browser), hoa.sub);
    await down.close();
    expect(reasonOf(await takeCallback(browser, callback))).toBe('sso-provider-unavailable');

    const start = await new Browser(before.origin).request(`${PUBLIC_URL}/api/auth/sso/start`);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe('/login/sso?reason=sso-provider-unavailable');
    // Nothing was left for the abandoned start: it failed before an attempt was stored.
    expect(start.headers.getSetCookie().join()).toMatch(/dvc_sso=;.*Max-Age=0/);
  });

  test('starts are rate-limited like the login, and the limit too ends on the explaining page', async () => {
    const limited = await startApp(settingsFor(provider.issuer), 1);
    extraApps.push(limited.app);
    const browser = new Browser(limited.origin);
    const answers: string[] = [];
    for (let i = 0; i < 11; i++) answers.push((await browser.request(`${PUBLIC_URL}/api/auth/sso/start`)).headers.get('location')!);
    expect(answers.slice(0, 10).every((l) => l.startsWith(provider.issuer))).toBe(true);
    expect(answers[10]).toBe('/login/sso?reason=sso-rate-limited');
  });

  test('the return path stays on this site', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/login?returnTo=/x']) {
      const browser = new Browser();
      const finish = await takeCallback(browser, await answerProvider(browser, await openProviderLogin(browser, returnTo), hoa.sub));
      const done = await complete(browser, codeOf(finish));
      expect(((await done.json()) as { returnTo: string }).returnTo, returnTo).toBe('/');
    }
  });
});
