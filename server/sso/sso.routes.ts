import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problems } from '../schemas.js';
import { HttpProblem } from '../problems.js';
import { issueTokens, Tokens } from '../accounts/account.routes.js';
import * as sso from './sso.service.js';
import type { SsoSettings } from './sso.service.js';
import type { SsoFailureReason } from './sso-failures.js';

/** The cookie binding an attempt to the browser that started it; sent only to these routes. */
const COOKIE = 'dvc_sso';
const COOKIE_PATH = '/api/auth/sso';
/** The web app's page that finishes a login (#code=…) or explains a failure (?reason=…). */
const FINISH_PAGE = '/login/sso';

/** A return path on this site (never `//host`, `/\host` or the login pages), else the home page. */
function safeReturnTo(value: string | undefined): string {
  const onSite = value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && !/^\/login(?:[/?#]|$)/.test(value);
  return onSite ? value : '/';
}

function cookieOf(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

const failurePage = (reason: SsoFailureReason) => `${FINISH_PAGE}?reason=${reason}`;

/**
 * Login through the national public-service portal (OpenID Connect): the status the login page asks for, the
 * start and the callback (browser navigations: they answer with redirects, a failure to the web app's page that
 * explains it, never an error document), and the exchange of the one-time code for the session's tokens.
 */
const ssoRoutes: FastifyPluginAsyncTypebox<{ settings: SsoSettings | null }> = async (app, { settings }) => {
  const tags = ['auth'];
  const secure = settings?.redirectUrl.startsWith('https:') ? '; Secure' : '';
  const setCookie = (reply: FastifyReply, value: string, maxAgeSeconds: number) =>
    reply.header('set-cookie', `${COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`);

  /** Any failure of a browser navigation lands on the explaining page, with its reason code. */
  function failAsPage(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
    let reason: SsoFailureReason;
    if (err instanceof sso.SsoFailure) reason = err.reason;
    else if ((err as FastifyError).statusCode === 429) reason = 'sso-rate-limited';
    else if ((err as FastifyError).validation) reason = 'sso-invalid-response';
    else reason = 'sso-internal';
    if (reason === 'sso-internal' || reason === 'sso-provider-unavailable' || reason === 'sso-provider-error' || reason === 'sso-invalid-response') {
      request.log.warn({ err, reason }, 'single sign-on failed');
    } else {
      request.log.info({ reason }, 'single sign-on refused');
    }
    setCookie(reply, '', 0);
    return reply.header('cache-control', 'no-store').redirect(failurePage(reason), 303);
  }

  app.get(
    '/api/auth/sso',
    {
      schema: {
        tags,
        summary: 'Đăng nhập bằng Cổng DVC quốc gia có sẵn không — whether single sign-on is configured',
        response: { 200: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }) },
      },
    },
    async () => ({ enabled: settings !== null }),
  );

  app.get(
    '/api/auth/sso/start',
    {
      config: { rateLimit: app.perMinute(10) },
      errorHandler: failAsPage,
      schema: {
        tags,
        summary: 'Bắt đầu đăng nhập qua Cổng DVC quốc gia — redirects the browser to the provider (state, nonce, PKCE); a failure redirects to /login/sso?reason=…',
        querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      if (!settings) throw new sso.SsoFailure('sso-not-configured', 'SSO_ISSUER_URL is not set');
      const { authorizationUrl, browserSecret } = await sso.startLogin(app.db, settings, safeReturnTo(request.query.returnTo));
      setCookie(reply, browserSecret, Math.ceil(settings.attemptTtlMs / 1000));
      return reply.header('cache-control', 'no-store').redirect(authorizationUrl, 303);
    },
  );

  app.get(
    '/api/auth/sso/callback',
    {
      config: { rateLimit: app.perMinute(10) },
      errorHandler: failAsPage,
      schema: {
        tags,
        summary: 'Cổng DVC quốc gia trả về — the provider’s redirect: links the account, then redirects to /login/sso#code=… (one-time) or /login/sso?reason=…',
        querystring: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4000 })),
      },
    },
    async (request, reply) => {
      if (!settings) throw new sso.SsoFailure('sso-not-configured', 'SSO_ISSUER_URL is not set');
      const query = new URLSearchParams(request.query);
      const { loginCode } = await sso.finishCallback(app.db, settings, query, cookieOf(request));
      // In the fragment: the code never reaches a server's logs, and is good once, for a minute, in this browser.
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(`${FINISH_PAGE}#code=${loginCode}`, 303);
    },
  );

  app.post(
    '/api/auth/sso/complete',
    {
      config: { rateLimit: app.perMinute(10) },
      schema: {
        tags,
        summary: 'Hoàn tất đăng nhập qua Cổng DVC quốc gia — exchanges the one-time code (with the attempt’s cookie) for the session’s tokens',
        body: Type.Object({ code: Type.String({ minLength: 20, maxLength: 100 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ ...Tokens.properties, returnTo: Type.String({ description: 'where the citizen was going' }) }, { additionalProperties: false }),
          ...problems(400, 401, 403, 429, 503),
        },
      },
    },
    async (request, reply) => {
      if (!settings) throw new HttpProblem(503, 'sso-not-configured', { vi: 'Chưa cấu hình đăng nhập qua Cổng DVC quốc gia', en: 'Single sign-on is not configured' });
      const { user, returnTo } = await sso.completeLogin(app.db, request.body.code, cookieOf(request));
      setCookie(reply, '', 0);
      return { ...(await issueTokens(app, user)), returnTo };
    },
  );
};

export default ssoRoutes;
