import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { actOn, business, openTaskOf, useApiTest } from '../support/api.js';
import { RATING_INDICES } from '../../server/dossiers/dossier.table.js';
import {
  clip,
  contentTypes,
  expectWellFormedAnswer,
  headerValue,
  hostileKey,
  hostileQuery,
  hostileSegment,
  hostileString,
  hostileValue,
  objectOf,
  printedShort,
  rawBodies,
  runs,
} from '../support/arbitraries.js';

// Property: whatever a client sends to any route — hostile bodies, query strings, path segments and headers, with
// or without a token of any role — the answer is never a 5xx, and every 4xx is problem+json with a type and a
// message in both languages. Fixed seed (FC_SEED overrides); fast-check prints seed and path on failure.

const env = useApiTest({
  as: {
    citizen: 'citizen',
    officer: 'one-stop-officer @ H20.11',
    officerOther: 'one-stop-officer @ H20.20',
    leader: 'dept-leader @ H20.11',
    handler: 'handler @ H20.11',
    admin: 'admin',
    auditor: 'auditor',
  },
  rateLimitScale: 1_000_000,
});
const { tokens } = env;

/** Ids of real rows, so that hostile requests reach past "not found" into the services. */
const real = { dossier: '', draft: '', task: '', file: '', staff: '', definition: '', refreshToken: '', code: '', pin: '', question: '' };

beforeAll(async () => {
  const { http } = env;
  const submitted = await http.submitComplete(tokens.citizen!);
  Object.assign(real, { dossier: submitted.id, code: submitted.code, pin: submitted.pin, file: submitted.files[0].id });
  real.draft = (await http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json().id;
  real.task = (await openTaskOf(env, 'officer', submitted.code))!.id;
  real.staff = env.userIds.handler!;
  real.definition = (await http.call('GET', '/api/process-definitions', tokens.admin)).json()[0].id;
  real.question = (await http.call('POST', '/api/procedures/2.000331/questions', undefined, { name: 'Trần Thị Bình', question: 'Thủ tục này cần những giấy tờ gì?' })).json().id;
  const citizen = env.accounts.find((a) => a.description.startsWith('citizen'))!;
  real.refreshToken = (await http.call('POST', '/api/auth/login', undefined, { username: citizen.login, password: citizen.password })).json().refreshToken;
});

interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** A valid body, mutated by the property; none for routes without one. */
  body?: () => unknown;
  /** A valid query, and the keys the route knows. */
  query?: () => Record<string, string>;
  /** Raw (non-JSON) bodies this route parses, with their content type. */
  raw?: { contentType: string; bodies: string[] };
  /** Who the route is for (the property sends their token most of the time); anyone when not given. */
  as?: string[];
}

/** The callers a route is meant for, from its path: most requests should get past the role guard. */
function intendedCallers(method: string, path: string): string[] | undefined {
  if (/^\/api\/(admin|process-definitions)/.test(path) || (path.startsWith('/api/calendar/') && method !== 'GET')) return ['admin'];
  if (/^\/api\/(tasks|staff)|\/undo$/.test(path)) return ['officer', 'leader', 'handler'];
  if (path.startsWith('/api/counter')) return ['officer'];
  if (/\/history/.test(path) || path.startsWith('/api/audit') || path.startsWith('/api/reports')) return ['auditor', 'leader', 'admin'];
  if (path.startsWith('/api/dossiers') || path === '/api/me') return ['citizen'];
  return undefined;
}

const person = () => ({ fullName: 'Trần Thị Bình', idNumber: '079188000002', phone: '0987000002', email: 'binh@dvc.example', password: 'mat-khau-binh-1' });
const component = { code: 'TP01', name: 'Đơn đề nghị', kind: 'input', required: true, manyFiles: false, signatureRequired: false, maxSizeMb: 5, allowedTypes: ['application/pdf'] };
const procedureBody = () => ({
  name: 'Thủ tục thử',
  agencyCode: 'H20.13',
  fieldCode: 'DSVH',
  level: 'full',
  timeLimitDays: 5,
  fee: { feeAmount: 0, serviceAmount: 0, shipAmount: 0, editable: 0 },
  processKey: 'standard-one-stop',
  eformSchema: { type: 'object', properties: { name: { type: 'string' } } },
  description: null,
  legalBasis: null,
  published: false,
  components: [component],
});
const bpmn = [
  '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d>&xxe;</d>',
  `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 8 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i ? 'b'.repeat(i) : 'a'};`.repeat(10)}">`).join('')}]><l>&bbbbbbbb;</l>`,
  '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="__proto__" isExecutable="true"/></definitions>',
  '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" isExecutable="true"><startEvent id="constructor"/></process></definitions>',
  'not xml at all',
  '<a>\u0000</a>',
];

/** Every route family, with a valid request each, so that mutations explore around what the route accepts. */
const routes: RouteSpec[] = [
  { method: 'POST', path: '/api/auth/register', body: person },
  { method: 'POST', path: '/api/auth/login', body: () => ({ username: 'congdan@dvc.example', password: 'mat-khau-1' }) },
  { method: 'POST', path: '/api/auth/refresh', body: () => ({ refreshToken: real.refreshToken }) },
  { method: 'POST', path: '/api/auth/logout', body: () => ({ refreshToken: 'x'.repeat(20) }) },
  { method: 'GET', path: '/api/me' },
  { method: 'GET', path: '/api/procedures', query: () => ({ q: 'giay phep', agency: 'H20.11', field: 'TMQT', page: '1', pageSize: '20' }) },
  { method: 'GET', path: '/api/procedures/:code' },
  { method: 'GET', path: '/api/procedures/:code/forms/:formId' },
  { method: 'GET', path: '/api/lookup', query: () => ({ code: real.code, pin: '123456' }) },
  { method: 'GET', path: '/api/calendar', query: () => ({ year: '2025' }) },
  { method: 'POST', path: '/api/dossiers', body: () => ({ procedureCode: '2.000331' }) },
  { method: 'GET', path: '/api/dossiers' },
  { method: 'GET', path: '/api/dossiers/:id' },
  { method: 'PUT', path: '/api/dossiers/:id/form', body: () => ({ data: business }) },
  { method: 'DELETE', path: '/api/dossiers/:id/files/:fileId' },
  { method: 'GET', path: '/api/dossiers/:id/files/:fileId', query: () => ({ download: 'true' }) },
  { method: 'POST', path: '/api/dossiers/:id/submit', body: () => ({ declarationAccepted: true }) },
  { method: 'POST', path: '/api/dossiers/:id/supplement', body: () => ({ note: 'Bổ sung' }) },
  { method: 'POST', path: '/api/dossiers/:id/withdraw', body: () => ({ reason: 'Không cần nữa' }) },
  {
    method: 'POST',
    path: '/api/dossiers/:id/rating',
    body: () => ({ indices: Object.fromEntries(RATING_INDICES.map((k) => [k, 2])), satisfaction: 'satisfied', comment: 'Tốt' }),
  },
  { method: 'POST', path: '/api/dossiers/:id/undo', body: () => ({ reason: 'Nhầm' }) },
  { method: 'GET', path: '/api/dossiers/:id/history' },
  { method: 'GET', path: '/api/dossiers/:id/history/verify' },
  {
    method: 'POST',
    path: '/api/counter/dossiers',
    body: () => ({ procedureCode: '2.000331', applicant: { fullName: 'Lê Thị Cúc', idNumber: '079188000003' }, form: { organizationName: 'Hợp tác xã' } }),
  },
  { method: 'GET', path: '/api/counter/dossiers' },
  { method: 'GET', path: '/api/counter/dossiers/:id' },
  { method: 'PUT', path: '/api/counter/dossiers/:id/form', body: () => ({ data: business }) },
  { method: 'POST', path: '/api/counter/dossiers/:id/submit', body: () => ({ declarationAccepted: true }) },
  { method: 'GET', path: '/api/staff', query: () => ({ role: 'handler' }) },
  { method: 'GET', path: '/api/tasks', query: () => ({ view: 'group', q: real.code, page: '1', pageSize: '20' }) },
  { method: 'GET', path: '/api/tasks/:id' },
  { method: 'POST', path: '/api/tasks/:id/claim' },
  { method: 'POST', path: '/api/tasks/:id/actions', body: () => ({ actionCode: '1100', note: 'Tiếp nhận', input: { x: 1 } }) },
  { method: 'POST', path: '/api/tasks/:id/reassign', body: () => ({ to: real.staff, reason: 'Nghỉ phép' }) },
  { method: 'GET', path: '/api/audit/dossiers', query: () => ({ q: 'H20', limit: '20' }) },
  { method: 'GET', path: '/api/admin/staff' },
  { method: 'POST', path: '/api/admin/staff', body: () => ({ fullName: 'Cán bộ thử', email: 'thu@dvc.example', roles: [{ role: 'handler', agencyCode: 'H20.11' }] }) },
  { method: 'PUT', path: '/api/admin/staff/:id/roles', body: () => ({ roles: [{ role: 'handler', agencyCode: 'H20.11' }] }) },
  { method: 'POST', path: '/api/admin/staff/:id/lock' },
  { method: 'POST', path: '/api/admin/staff/:id/unlock' },
  { method: 'PUT', path: '/api/calendar/:day', body: () => ({ kind: 'holiday', name: 'Nghỉ bù' }) },
  { method: 'DELETE', path: '/api/calendar/:day' },
  { method: 'POST', path: '/api/admin/agencies', body: () => ({ code: 'H20.99', name: 'Cơ quan thử', level: 'commune' }) },
  { method: 'PUT', path: '/api/admin/agencies/:code', body: () => ({ name: 'Cơ quan thử', level: 'commune' }) },
  { method: 'POST', path: '/api/admin/fields', body: () => ({ code: 'THU', name: 'Lĩnh vực thử' }) },
  { method: 'PUT', path: '/api/admin/fields/:code', body: () => ({ name: 'Lĩnh vực thử' }) },
  { method: 'GET', path: '/api/admin/procedures' },
  { method: 'GET', path: '/api/admin/procedures/:code' },
  { method: 'POST', path: '/api/admin/procedures', body: () => ({ code: '9.000001', ...procedureBody() }) },
  { method: 'PUT', path: '/api/admin/procedures/:code', body: procedureBody },
  { method: 'DELETE', path: '/api/admin/procedures/:code' },
  { method: 'DELETE', path: '/api/admin/procedures/:code/forms/:formId' },
  { method: 'POST', path: '/api/process-definitions', raw: { contentType: 'application/xml', bodies: bpmn } },
  { method: 'GET', path: '/api/process-definitions', query: () => ({ key: 'standard-one-stop' }) },
  { method: 'GET', path: '/api/process-definitions/:id' },
  { method: 'GET', path: '/api/process-definitions/:id/heatmap' },
  { method: 'GET', path: '/api/reports/agency-summary', query: () => ({ agency: 'H20.11', from: '2025-01-01', to: '2025-12-31', format: 'csv' }) },
  { method: 'GET', path: '/api/procedures/:code/questions', query: () => ({ page: '1', pageSize: '10' }) },
  { method: 'POST', path: '/api/procedures/:code/questions', body: () => ({ name: 'Trần Thị Bình', email: 'binh@dvc.example', question: 'Thủ tục này cần những giấy tờ gì?' }) },
  { method: 'GET', path: '/api/questions', query: () => ({ q: 'giay chung nhan', agency: 'H20.11', field: 'CNDP', page: '1', pageSize: '10' }) },
  { method: 'GET', path: '/api/staff/questions', query: () => ({ status: 'pending', agency: 'H20.11', page: '1', pageSize: '10' }) },
  { method: 'PUT', path: '/api/staff/questions/:id/answer', body: () => ({ answer: 'Cần đơn đề nghị theo mẫu.' }) },
  ...(['publish', 'unpublish', 'reject', 'restore'] as const).map((action) => ({ method: 'POST' as const, path: `/api/staff/questions/:id/${action}` })),
];

/** Real values for a path parameter, by name: ids of rows that exist (of any kind: a task id where a dossier id goes). */
function realParam(name: string): string[] {
  const ids = [real.dossier, real.draft, real.task, real.file, real.staff, real.definition, real.question];
  if (name === 'code') return ['2.000331', 'H20.11', 'TMQT', real.code];
  if (name === 'day') return ['2025-09-02', '2025-02-29', '2024-02-29'];
  return ids;
}

const who = fc.constantFrom('citizen', 'officer', 'officerOther', 'leader', 'handler', 'admin', 'auditor', 'none', 'garbage', 'expired');
function authorization(name: string): Record<string, string> {
  if (name === 'none') return {};
  if (name === 'garbage') return { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZXMiOlt7InJvbGUiOiJhZG1pbiJ9XX0.' };
  if (name === 'expired') return { authorization: `Bearer ${env.app.jwt.sign({ sub: randomUUID(), kind: 'staff', name: 'x', roles: [{ role: 'admin', agencyId: null, agencyCode: null }] }, { expiresIn: -10 })}` };
  return { authorization: `Bearer ${tokens[name]}` };
}

/** Mutations of a valid JSON object: one field hostile, one field gone, one hostile field more, or all of it. */
function mutatedBody(sample: unknown): fc.Arbitrary<unknown> {
  const keys = sample && typeof sample === 'object' ? Object.keys(sample) : [];
  const entries = () => Object.entries(sample as object);
  const variants: fc.Arbitrary<unknown>[] = [fc.constant(sample), hostileValue];
  if (keys.length) {
    variants.push(
      fc.tuple(fc.constantFrom(...keys), hostileValue).map(([key, value]) => objectOf(entries().map(([k, v]) => [k, k === key ? value : v]))),
      fc.constantFrom(...keys).map((key) => objectOf(entries().filter(([k]) => k !== key))),
      fc.tuple(hostileKey, hostileValue).map(([key, value]) => objectOf([...entries(), [key, value]])),
    );
  }
  return fc.oneof(...variants);
}

interface HostileRequest {
  method: RouteSpec['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function hostileRequest(route: RouteSpec): fc.Arbitrary<HostileRequest> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const params = fc.tuple(...names.map((name) => fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...realParam(name)) }, { weight: 2, arbitrary: hostileSegment }, { weight: 1, arbitrary: fc.uuid() })));
  const validQuery = route.query?.();
  const query = fc.oneof(
    fc.constant(validQuery ? new URLSearchParams(validQuery).toString() : ''),
    hostileQuery(validQuery ? Object.keys(validQuery) : []),
    validQuery
      ? fc.tuple(fc.constantFrom(...Object.keys(validQuery)), hostileString).map(([key, value]) => {
          const q = new URLSearchParams(validQuery);
          q.set(key, value.replace(/[\ud800-\udfff]/g, ''));
          return q.toString();
        })
      : fc.constant(''),
  );
  const sample = route.body?.();
  const json = fc.tuple(mutatedBody(sample ?? {}), fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...contentTypes) }));
  const bodies: fc.Arbitrary<{ payload?: string; contentType?: string }>[] = [
    json.map(([value, contentType]) => ({ payload: JSON.stringify(value) ?? 'null', contentType })),
    fc.tuple(fc.constantFrom(...rawBodies), fc.constantFrom(...contentTypes)).map(([payload, contentType]) => ({ payload, contentType })),
  ];
  if (route.raw) bodies.push(fc.constantFrom(...route.raw.bodies).map((payload) => ({ payload, contentType: route.raw!.contentType })));
  const body = route.method === 'GET' ? fc.constant<{ payload?: string; contentType?: string }>({}) : fc.oneof({ weight: 4, arbitrary: bodies[0]! }, ...bodies.slice(1));
  const extraHeaders = fc.dictionary(fc.constantFrom('if-match', 'idempotency-key', 'accept', 'accept-language', 'x-request-id', 'x-forwarded-for', 'range', 'if-none-match'), headerValue, { maxKeys: 3 });
  const callers = route.as ?? intendedCallers(route.method, route.path);
  const caller = callers ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...callers) }, { weight: 1, arbitrary: who }) : who;
  return fc.record({ params, query, body, who: caller, extraHeaders }).map(({ params, query, body, who, extraHeaders }) => {
    let i = 0;
    const path = route.path.replace(/:(\w+)/g, () => params[i++]!);
    const headers: Record<string, string> = { ...extraHeaders, ...authorization(who) };
    if (body.contentType) headers['content-type'] = body.contentType;
    const request: HostileRequest = { method: route.method, url: query ? `${path}?${query}` : path, headers, ...(body.payload === undefined ? {} : { payload: body.payload }) };
    // Counterexamples print shortened: some carry megabytes of hostile text.
    return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
  });
}

const describeRequest = (r: HostileRequest) => `${r.method} ${clip(r.url)} headers ${clip(JSON.stringify(r.headers))} body ${clip(r.payload ?? '')}`;


const inject = (app: FastifyInstance, r: HostileRequest) => app.inject({ method: r.method, url: r.url, headers: r.headers, ...(r.payload === undefined ? {} : { payload: r.payload }) });

/** FC_DEBUG=1: a 5xx is replayed on a second app over the same database that logs its cause (the test app is silent). */
let debugApp: FastifyInstance | undefined;
async function send(r: HostileRequest) {
  const res = await inject(env.app, r);
  if (res.statusCode >= 500 && process.env.FC_DEBUG) {
    debugApp ??= await buildApp({ db: env.t.db, backend: env.t.backend === 'postgres' ? 'postgresql' : 'pglite', logLevel: 'error', jwtSecret: 'test-secret-0123456789', rateLimitScale: 1e6 });
    await inject(debugApp, r);
  }
  return res;
}

describe('an action’s free-form input', () => {
  /** A dossier at the leader's "assign a handler" step, and the leader's task there. */
  async function atAssignStep() {
    const submitted = await env.http.submitComplete(tokens.citizen!);
    await actOn(env, 'officer', submitted.code, '1100');
    await actOn(env, 'officer', submitted.code, '2000');
    return submitted as { id: string; code: string };
  }
  const outsider = () => env.userIds.officerOther!;
  const reservedKey = fc.constantFrom('assignee', 'applicant', 'dossierId', 'dossierCode', 'procedureCode', 'agencyCode');
  const someone = fc.oneof(fc.constant('outsider'), fc.uuid(), hostileString);
  const input = fc.oneof(
    { weight: 1, arbitrary: hostileValue.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) },
    { weight: 2, arbitrary: fc.tuple(reservedKey, someone, fc.dictionary(hostileString.filter((k) => k.length < 100), hostileValue, { maxKeys: 3 })).map(([key, value, rest]) =>
      objectOf([...Object.entries(rest), [key, value === 'outsider' ? outsider() : value]]),
    ) },
  );

  test('never breaks the action, and never picks who works next: only the checked assignee field does', async () => {
    const dossier = await atAssignStep();
    const handler = env.userIds.handler!;
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(printedShort(input), fc.boolean(), fc.option(hostileString.filter((s) => s.length <= 4000)), async ({ value: input }, named, note) => {
        const task = (await openTaskOf(env, 'leader', dossier.code))!;
        const body = JSON.stringify({ actionCode: '2101', input, ...(named ? { assignee: handler } : {}), ...(note === null ? {} : { note }) });
        const seen = `input ${clip(body)}`;
        const res = await send({ method: 'POST', url: `/api/tasks/${task.id}/actions`, headers: { authorization: `Bearer ${tokens.leader}`, 'content-type': 'application/json', 'if-match': `"${task.version}"` }, payload: body });
        expectWellFormedAnswer(res, seen);
        if (res.statusCode !== 200) return;
        taken++;
        const handle = (await env.t.db.selectFrom('task').select(['assignee', 'element_id']).where('state', '=', 'open').where('instance_id', '=', res.json().instanceId).executeTakeFirstOrThrow());
        expect(handle, seen).toEqual({ element_id: 'handle', assignee: named ? handler : null });
        // Back to the assign step for the next run: the leader takes back their own last action.
        const undone = await env.http.call('POST', `/api/dossiers/${dossier.id}/undo`, tokens.leader, { reason: 'thử lại' });
        expect(undone.statusCode, undone.body).toBe(200);
      }),
      runs(60),
    );
    expect(taken).toBeGreaterThan(0);
  });

  test('regression: input.assignee no longer skips the assignee check (it assigned the next step to any string)', async () => {
    const dossier = await atAssignStep();
    const task = (await openTaskOf(env, 'leader', dossier.code))!;
    const act = (body: object) => env.http.call('POST', `/api/tasks/${task.id}/actions`, tokens.leader, body, { 'if-match': `"${task.version}"` });
    for (const input of [{ assignee: env.userIds.officerOther }, { assignee: 'không phải ai cả' }, { applicant: env.userIds.officerOther }]) {
      const refused = await act({ actionCode: '2101', input });
      expect([refused.statusCode, refused.json().type, refused.json().errors[0].path]).toEqual([422, '/problems/input-reserved', `/body/input/${Object.keys(input)[0]}`]);
    }
    const checked = await act({ actionCode: '2101', assignee: env.userIds.officerOther });
    expect([checked.statusCode, checked.json().type]).toEqual([422, '/problems/assignee-invalid']);
    expect((await act({ actionCode: '2101', assignee: env.userIds.handler })).statusCode).toBe(200);
  });

  test('regression: an input nested thousands deep is refused, not a 500 (the history hash ran out of stack)', async () => {
    const dossier = await atAssignStep();
    const task = (await openTaskOf(env, 'leader', dossier.code))!;
    let deep: unknown = 'x';
    for (let i = 0; i < 3000; i++) deep = { a: deep };
    const res = await env.http.call('POST', `/api/tasks/${task.id}/actions`, tokens.leader, { actionCode: '2101', assignee: env.userIds.handler, input: { deep } }, { 'if-match': `"${task.version}"` });
    expect([res.statusCode, res.json().type, res.json().messageEn]).toEqual([400, '/problems/validation', 'The request is invalid']);
  });
});

describe('regressions found by the properties', () => {
  const problemOf = async (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: unknown) => {
    const res = await env.http.call(method, url, token, payload, typeof payload === 'string' ? { 'content-type': 'application/json' } : {});
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return [res.statusCode, res.json().type];
  };

  test('a malformed or overlong URL is problem+json (the router answered its own JSON)', async () => {
    expect(await problemOf('GET', '/api/dossiers/%zz', tokens.citizen)).toEqual([400, '/problems/bad-request']);
    expect(await problemOf('POST', `/api/dossiers/${'%00'.repeat(200)}/submit`, tokens.citizen, { declarationAccepted: true })).toEqual([414, '/problems/uri-too-long']);
  });

  test('"Infinity" and "1e400" are not numbers in range (ajv coerced them and skipped minimum and maximum)', async () => {
    expect(await problemOf('GET', '/api/calendar?year=-Infinity')).toEqual([400, '/problems/validation']);
    expect(await problemOf('GET', '/api/procedures?page=Infinity')).toEqual([400, '/problems/validation']);
    expect(await problemOf('GET', '/api/tasks?pageSize=1e400', tokens.officer)).toEqual([400, '/problems/validation']);
  });

  test('year 0000 is not a day (PostgreSQL refused it: a 500)', async () => {
    expect(await problemOf('PUT', '/api/calendar/0000-01-01', tokens.admin, { kind: 'holiday', name: 'Không có' })).toEqual([400, '/problems/validation']);
    expect(await problemOf('GET', '/api/reports/agency-summary?from=0000-01-01&to=2025-01-01', tokens.auditor)).toEqual([400, '/problems/validation']);
  });

  test('NUL and lone surrogates are refused up front (PostgreSQL refused them: a 500)', async () => {
    expect(await problemOf('GET', '/api/lookup?code=%00&pin=123456')).toEqual([400, '/problems/validation']);
    expect(await problemOf('GET', '/api/procedures/a%00b')).toEqual([400, '/problems/validation']);
    expect(await problemOf('PUT', `/api/dossiers/${real.draft}/form`, tokens.citizen, { data: { organizationName: 'a\u0000b' } })).toEqual([400, '/problems/validation']);
    expect(await problemOf('PUT', `/api/dossiers/${real.draft}/form`, tokens.citizen, '{"data":{"organizationName":"\\ud800"}}')).toEqual([400, '/problems/validation']);
  });
});

// Last: admins' random requests may unpublish procedures or change roles, which the tests above rely on.
describe('hostile input never breaks the API', () => {
  test('every route family: bodies, query strings, path segments and headers', async () => {
    const arbitrary = fc.constantFrom(...routes).chain((route) => hostileRequest(route));
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        expectWellFormedAnswer(await send(request), describeRequest(request));
      }),
      runs(1200),
    );
  });

  test('every documented route answers hostile requests too, including those added after this table', async () => {
    type Operation = { responses?: Record<string, { content?: Record<string, unknown> }> };
    const paths = (env.app.swagger() as { paths: Record<string, Record<string, Operation>> }).paths;
    // Event streams stay open by design: they have tests of their own.
    const streams = (operation: Operation) => Object.values(operation.responses ?? {}).some((r) => 'text/event-stream' in (r.content ?? {}));
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method, operation]) => ['get', 'post', 'put', 'delete'].includes(method) && !streams(operation))
        .map(([method]) => ({ method: method.toUpperCase() as RouteSpec['method'], path: path.replace(/\{(\w+)\}/g, ':$1') })),
    );
    expect(documented.length).toBeGreaterThan(40);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...documented).chain(hostileRequest), async (request) => {
        expectWellFormedAnswer(await send(request), describeRequest(request));
      }),
      runs(600),
    );
  });
});
