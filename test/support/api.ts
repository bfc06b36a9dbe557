import { afterAll, beforeAll, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.js';
import { seedDemo, type DemoAccount } from '../../server/seed/seed.js';
import { useTestDb, type TestDb } from './test-db.js';

import { PDF, business, multipartFile } from './fixtures.js';

/** HTTP helpers shared by the API tests. */
export { PDF, PNG, business } from './fixtures.js';

export function api(app: FastifyInstance) {
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token?: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const login = async (username: string, password: string) => {
    const res = await call('POST', '/api/auth/login', undefined, { username, password });
    expect(res.statusCode).toBe(200);
    return res.json().accessToken as string;
  };

  /** multipart/form-data with `componentCode` first, then the file, as the API expects. */
  const upload = (dossierId: string, token: string, componentCode: string | null, file: { name: string; content: Buffer }, base = '/api/dossiers') => {
    const { body, contentType } = multipartFile(componentCode, file);
    return call('POST', `${base}/${dossierId}/files`, token, body, { 'content-type': contentType });
  };

  /** A complete 2.000331 dossier (Sở Công Thương), submitted; returns its submission answer. */
  const submitComplete = async (token: string) => {
    const draft = (await call('POST', '/api/dossiers', token, { procedureCode: '2.000331' })).json();
    expect((await call('PUT', `/api/dossiers/${draft.id}/form`, token, { data: business })).statusCode).toBe(200);
    expect((await upload(draft.id, token, 'TP05', { name: 'de-nghi.pdf', content: PDF })).statusCode).toBe(201);
    const submitted = await call('POST', `/api/dossiers/${draft.id}/submit`, token, { declarationAccepted: true });
    expect(submitted.statusCode).toBe(200);
    return submitted.json();
  };

  return { call, login, upload, submitComplete };
}

/**
 * The demo callers the API tests act as, by the names the tests use: the citizen, each staff role of Sở Công Thương
 * (H20.11), a one-stop officer of another agency (H20.20), the admin and the auditor.
 */
export const DEMO_CALLERS: Record<string, string> = {
  citizen: 'citizen',
  officer: 'one-stop-officer @ H20.11',
  officerOther: 'one-stop-officer @ H20.20',
  leader: 'dept-leader @ H20.11',
  handler: 'handler @ H20.11',
  director: 'agency-leader @ H20.11',
  clerk: 'clerk @ H20.11',
  admin: 'admin',
  auditor: 'auditor',
};

export interface ApiTest {
  t: TestDb;
  app: FastifyInstance;
  http: ReturnType<typeof api>;
  accounts: DemoAccount[];
  /** Access tokens and user ids of the demo accounts asked for, by the caller's names for them. */
  tokens: Record<string, string>;
  userIds: Record<string, string>;
}

/**
 * The API over a fresh database for the calling test file: bundled processes deployed (unless told not), and the demo
 * seed loaded and some demo accounts logged in (`as`: name → the start of the account's description).
 */
export function useApiTest(
  options: { processes?: boolean; seed?: boolean; as?: Record<string, string>; rateLimitScale?: number; app?: Pick<AppOptions, 'postalSecret' | 'partnerSecret'> } = {},
): ApiTest {
  const seeded = !!(options.seed || options.as);
  const t = useTestDb({ processes: options.processes ?? true, seed: seeded });
  const ctx = { t, tokens: {}, userIds: {}, accounts: [] } as unknown as ApiTest;
  beforeAll(async () => {
    ctx.app = await buildApp({ db: t.db, backend: t.backend === 'postgres' ? 'postgresql' : 'pglite', logLevel: 'silent', jwtSecret: 'test-secret-0123456789', rateLimitScale: options.rateLimitScale, ...options.app });
    ctx.http = api(ctx.app);
    if (!seeded) return;
    // The template holds the seed already: this only lists the accounts.
    ctx.accounts = (await seedDemo(t.db)).accounts;
    await Promise.all(
      Object.entries(options.as ?? {}).map(async ([who, description]) => {
        const account = ctx.accounts.find((a) => a.description.startsWith(description))!;
        ctx.tokens[who] = await ctx.http.login(account.login, account.password);
        ctx.userIds[who] = (await ctx.http.call('GET', '/api/me', ctx.tokens[who])).json().id;
      }),
    );
  });
  // Registered after the database's own hook, so it runs first: the app closes before the database goes.
  afterAll(() => ctx.app?.close());
  return ctx;
}

/** An officer's open task on a dossier, found through their inbox as the UI finds it. */
export async function openTaskOf(env: ApiTest, who: string, dossierCode: string, view = 'group') {
  const inbox = (await env.http.call('GET', `/api/tasks?view=${view}&q=${encodeURIComponent(dossierCode)}`, env.tokens[who])).json();
  return inbox.items.find((i: { dossier: { code: string } }) => i.dossier.code === dossierCode) as { id: string; version: number; step: { elementId: string } } | undefined;
}

/** `who` takes `actionCode` on their open task of the dossier, with If-Match, and must succeed. */
export async function actOn(env: ApiTest, who: string, dossierCode: string, actionCode: string, extra: Record<string, unknown> = {}) {
  const task = await openTaskOf(env, who, dossierCode);
  expect(task, `${who} sees a task of ${dossierCode}`).toBeDefined();
  const res = await env.http.call('POST', `/api/tasks/${task!.id}/actions`, env.tokens[who], { actionCode, note: `${actionCode} (${who})`, ...extra }, { 'if-match': `"${task!.version}"` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
