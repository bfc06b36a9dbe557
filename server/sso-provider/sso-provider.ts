import type { IncomingMessage, ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { interactionPolicy, Provider, type KoaContextWithOIDC } from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import { escapeHtml as escape, readBody, sendHtml as html, startLocalServer } from '../demo-peers/http.js';
import { DEMO_EMAIL_DOMAIN, demoCitizen } from '../seed/demo-data.js';

/** The provider's grants and sessions, in memory: a stand-in's logins need not outlive it (a class of our own, so
 * that the provider does not warn that its default is in use). */
class DemoStorage extends MemoryAdapter {}

/**
 * A stand-in for the national public-service portal's identity service (Cổng DVC quốc gia, VNeID accounts) for
 * the demo and the tests: a real OpenID Connect provider (oidc-provider) with the authorization-code flow, PKCE
 * required, a confidential client per relying party, and a login page where one picks a demo identity. Its
 * identities carry the VNeID-like claims the portal hands out: `name`, `phone_number`, `email` and the 12-digit
 * personal identification number in the custom claim `id_number` (scope `id_number`). It keeps its sessions and
 * codes in memory, and asks who one is at every login, even within its own session (a demo machine is shared).
 */
export interface PortalIdentity {
  /** The subject (`sub`): stable per person at the portal. */
  sub: string;
  name: string;
  /** Số định danh cá nhân (CCCD). */
  idNumber: string;
  /** E.164, as the portal gives it (+84…). */
  phone?: string;
  email?: string;
}

export interface PortalClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface PortalIdentityProvider {
  /** The issuer identifier, e.g. http://127.0.0.1:3300 (its discovery document is under /.well-known/). */
  issuer: string;
  port: number;
  /** The identities one may log in as, by subject; tests add to it. */
  identities: Map<string, PortalIdentity>;
  close(): Promise<void>;
}

/** The claim that carries the ID number, and the scope that grants it. */
export const ID_NUMBER_CLAIM = 'id_number';

/** The demo's people: the demo citizen (whose account SSO links by ID number), and people new to the system. */
export const DEMO_IDENTITIES: PortalIdentity[] = [
  { sub: 'vneid-7f3a1c', name: demoCitizen.fullName, idNumber: demoCitizen.idNumber, phone: `+84${demoCitizen.phone.slice(1)}`, email: demoCitizen.email },
  { sub: 'vneid-52be90', name: 'Lê Thị Hoa', idNumber: '036195000123', phone: '+84903000123', email: `lethihoa@${DEMO_EMAIL_DOMAIN}` },
  { sub: 'vneid-c4d218', name: 'Phạm Minh Tuấn', idNumber: '001085000777', phone: '+84988000777' },
];

const INTERACTION = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/;
const MAX_FORM = 16 * 1024;

export async function startPortalIdentityProvider(options: {
  port?: number;
  host?: string;
  clients: PortalClient[];
  identities?: PortalIdentity[];
  /** Lifetime of an authorization code (default 60 s); tests shorten it to see an expired code refused. */
  codeTtlSeconds?: number;
}): Promise<PortalIdentityProvider> {
  const identities = new Map((options.identities ?? DEMO_IDENTITIES).map((i) => [i.sub, i]));
  let provider: Provider | undefined;
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;

  const server = await startLocalServer(
    async (req, res, url) => {
      const interaction = INTERACTION.exec(url.pathname);
      if (interaction) return interact(req, res, interaction[1]!, interaction[2]);
      return handle!(req, res);
    },
    { port: options.port, host: options.host },
  );

  async function interact(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    let details;
    try {
      details = await provider!.interactionDetails(req, res);
    } catch {
      return html(res, 400, errorPage('Phiên đăng nhập đã hết hạn', 'The login session expired', 'Hãy quay lại cổng dịch vụ công của tỉnh và bấm đăng nhập lại.', 'Go back to the provincial portal and log in again.'));
    }
    if (details.uid !== uid || details.prompt.name !== 'login') {
      return html(res, 400, errorPage('Yêu cầu không hợp lệ', 'Invalid request', 'Yêu cầu đăng nhập không khớp với phiên hiện tại.', 'The request does not match the current login session.'));
    }
    if (req.method === 'GET' && !action) return html(res, 200, loginPage(uid, [...identities.values()]));
    if (req.method !== 'POST' || !action) return html(res, 405, errorPage('Không hỗ trợ', 'Not supported', 'Phương thức không được hỗ trợ.', 'Method not allowed.'));
    if (action === 'abort') {
      return provider!.interactionFinished(req, res, { error: 'access_denied', error_description: 'the citizen cancelled the login' }, { mergeWithLastSubmission: false });
    }
    const chosen = identities.get(new URLSearchParams(await readBody(req, MAX_FORM)).get('identity') ?? '');
    if (!chosen) return html(res, 400, loginPage(uid, [...identities.values()], 'Hãy chọn một tài khoản / Choose an account'));
    return provider!.interactionFinished(req, res, { login: { accountId: chosen.sub } }, { mergeWithLastSubmission: false });
  }

  // Ask who one is at every login, even within the provider's own session: `result.login` is set only once the
  // login page was answered for this very request.
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(new interactionPolicy.Check('demo_login_every_time', 'the demo portal asks at every login', (ctx) => !ctx.oidc.result?.login));

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  provider = new Provider(server.origin, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
      [ID_NUMBER_CLAIM]: [ID_NUMBER_CLAIM],
    },
    async findAccount(_ctx, id) {
      const person = identities.get(id);
      if (!person) return undefined;
      return {
        accountId: person.sub,
        claims: async () => ({
          sub: person.sub,
          name: person.name,
          [ID_NUMBER_CLAIM]: person.idNumber,
          ...(person.phone ? { phone_number: person.phone, phone_number_verified: true } : {}),
          ...(person.email ? { email: person.email, email_verified: true } : {}),
        }),
      };
    },
    // The provinces' systems are the portal's own relying parties: no consent page, the requested scopes are granted.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const clientId = oidc.client!.clientId;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage('Không đăng nhập được', 'Login failed', `Cổng dịch vụ công quốc gia báo lỗi: ${out.error}.`, out.error_description ?? out.error);
    },
    clientBasedCORS: () => false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: options.codeTtlSeconds ?? 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
    adapter: DemoStorage,
    // The tests shorten a code's life to seconds; no grace beyond it.
    clockTolerance: 0,
  });
  handle = provider.callback();

  return { issuer: server.origin, port: server.port, identities, close: () => server.close() };
}

function layout(title: string, body: string) {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Cổng Dịch vụ công quốc gia (thử nghiệm)</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}
header{background:#b91c1c;color:#fff;padding:.75rem 1rem;font-weight:600}
main{max-width:30rem;margin:1.5rem auto;background:#fff;padding:1.25rem;border-radius:.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 1rem}.en{color:#555;font-size:.875rem;font-weight:400}
.badge{display:inline-block;background:#fef3c7;padding:.125rem .5rem;border-radius:.25rem;font-size:.75rem;margin-bottom:1rem}
fieldset{border:0;padding:0;margin:0}legend{font-weight:600;margin-bottom:.5rem}
label{display:flex;gap:.75rem;align-items:flex-start;padding:.75rem;border:1px solid #d1d5db;border-radius:.375rem;margin-bottom:.5rem;cursor:pointer}
label:focus-within{outline:3px solid #fbbf24}input[type=radio]{margin-top:.25rem;width:1.25rem;height:1.25rem}
.who{display:block;font-weight:600}.id{display:block;color:#374151;font-size:.875rem}
.error{color:#b91c1c;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}button{flex:1;min-width:8rem;font-size:1rem;padding:.75rem;border-radius:.375rem;border:1px solid #b91c1c;cursor:pointer}
.login{background:#b91c1c;color:#fff}.cancel{background:#fff;color:#b91c1c}
</style></head><body><header>Cổng Dịch vụ công quốc gia <span class="en" style="color:#fee2e2">/ National public-service portal</span></header><main>${body}</main></body></html>`;
}

function loginPage(uid: string, people: PortalIdentity[], error?: string) {
  const choices = people
    .map(
      (p, i) =>
        `<label><input type="radio" name="identity" value="${escape(p.sub)}"${i === 0 ? ' checked' : ''}><span><span class="who">${escape(p.name)}</span><span class="id">Số định danh <span class="en">/ ID number</span>: ${escape(p.idNumber)}</span></span></label>`,
    )
    .join('\n');
  return layout(
    'Đăng nhập',
    `<span class="badge">Môi trường thử nghiệm — tài khoản định danh giả lập / test environment, simulated identities</span>
<h1>Đăng nhập bằng tài khoản định danh điện tử <span class="en">/ Log in with your electronic identity</span></h1>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<fieldset><legend>Chọn tài khoản <span class="en">/ Choose an account</span></legend>
${choices}
</fieldset>
<div class="actions"><button class="login" type="submit">Đăng nhập <span class="en" style="color:#fee2e2">/ Log in</span></button>
<button class="cancel" type="submit" formaction="/interaction/${escape(uid)}/abort">Hủy <span class="en">/ Cancel</span></button></div>
</form>`,
  );
}

function errorPage(titleVi: string, titleEn: string, vi: string, en: string) {
  return layout(titleVi, `<h1>${escape(titleVi)} <span class="en">/ ${escape(titleEn)}</span></h1><p>${escape(vi)}</p><p class="en">${escape(en)}</p>`);
}
