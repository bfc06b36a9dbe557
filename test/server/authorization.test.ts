import { beforeAll, expect, test } from 'vitest';
import { useApiTest } from '../support/api.js';

/**
 * The authorization matrix: every route family against every kind of caller, each cell asserted. A citizen
 * reaches only their own dossiers, staff only their agency's work, admins configure, auditors read and never act.
 */
const env = useApiTest({
  as: {
    citizenA: 'citizen',
    officerX: 'one-stop-officer @ H20.11',
    officerY: 'one-stop-officer @ H20.20',
    admin: 'admin',
    auditor: 'auditor',
  },
});

const callers = ['anonymous', 'citizenA', 'citizenB', 'officerX', 'officerY', 'admin', 'auditor'] as const;
type Caller = (typeof callers)[number];

let dossier: { id: string; code: string; pin: string; files: { id: string }[] };
let taskId: string;
let version: number;

beforeAll(async () => {
  const b = await env.http.call('POST', '/api/auth/register', undefined, {
    fullName: 'Lê Thị Cúc',
    idNumber: '031190000003',
    phone: '0903000003',
    email: 'cuc@dvc.example',
    password: 'mat-khau-cuc-1',
  });
  env.tokens.citizenB = b.json().accessToken;
  dossier = await env.http.submitComplete(env.tokens.citizenA!);
  const task = (await env.http.call('GET', `/api/tasks?q=${dossier.code}`, env.tokens.officerX)).json().items[0];
  taskId = task.id;
  version = task.version;
});

const bpmn = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="urn:t"><bpmn:process id="p" isExecutable="true" /></bpmn:definitions>`;

/** Each route: how to call it, and the status every caller must get. */
const routes: { name: string; call: (token?: string) => ReturnType<typeof env.http.call>; expect: Record<Caller, number> }[] = [
  {
    name: 'GET /api/procedures (public catalogue)',
    call: (token) => env.http.call('GET', '/api/procedures?q=an toan', token),
    expect: { anonymous: 200, citizenA: 200, citizenB: 200, officerX: 200, officerY: 200, admin: 200, auditor: 200 },
  },
  {
    name: 'GET /api/lookup (public, code + PIN)',
    call: (token) => env.http.call('GET', `/api/lookup?code=${dossier.code}&pin=${dossier.pin}`, token),
    expect: { anonymous: 200, citizenA: 200, citizenB: 200, officerX: 200, officerY: 200, admin: 200, auditor: 200 },
  },
  {
    name: 'GET /api/me',
    call: (token) => env.http.call('GET', '/api/me', token),
    expect: { anonymous: 401, citizenA: 200, citizenB: 200, officerX: 200, officerY: 200, admin: 200, auditor: 200 },
  },
  {
    name: 'POST /api/dossiers (citizens create drafts)',
    call: (token) => env.http.call('POST', '/api/dossiers', token, { procedureCode: 'BC01' }),
    expect: { anonymous: 401, citizenA: 201, citizenB: 201, officerX: 403, officerY: 403, admin: 403, auditor: 403 },
  },
  {
    name: "GET /api/dossiers/:id (the applicant's own)",
    call: (token) => env.http.call('GET', `/api/dossiers/${dossier.id}`, token),
    expect: { anonymous: 401, citizenA: 200, citizenB: 404, officerX: 403, officerY: 403, admin: 403, auditor: 403 },
  },
  {
    name: 'POST /api/dossiers/:id/withdraw (only the applicant)',
    call: (token) => env.http.call('POST', `/api/dossiers/${dossier.id}/withdraw`, token, { reason: '' }),
    expect: { anonymous: 401, citizenA: 400, citizenB: 400, officerX: 403, officerY: 403, admin: 403, auditor: 403 },
  },
  {
    name: 'GET /api/dossiers/:id/files/:fileId (applicant, agency staff, auditors)',
    call: (token) => env.http.call('GET', `/api/dossiers/${dossier.id}/files/${dossier.files[0]!.id}`, token),
    expect: { anonymous: 401, citizenA: 200, citizenB: 404, officerX: 200, officerY: 404, admin: 404, auditor: 200 },
  },
  {
    name: 'POST /api/counter/dossiers (one-stop officers of the procedure’s agency)',
    call: (token) => env.http.call('POST', '/api/counter/dossiers', token, { procedureCode: '2.000331', applicant: { fullName: 'Đỗ Văn Hùng', idNumber: '001077000555' } }),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 201, officerY: 404, admin: 403, auditor: 403 },
  },
  {
    name: 'GET /api/tasks (staff inbox)',
    call: (token) => env.http.call('GET', '/api/tasks', token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 200, officerY: 200, admin: 403, auditor: 403 },
  },
  {
    name: "GET /api/tasks/:id (the agency's own task)",
    call: (token) => env.http.call('GET', `/api/tasks/${taskId}`, token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 200, officerY: 404, admin: 403, auditor: 403 },
  },
  {
    name: 'POST /api/tasks/:id/actions (a wrong action code, to leave the task open)',
    call: (token) => env.http.call('POST', `/api/tasks/${taskId}/actions`, token, { actionCode: '9999' }, { 'if-match': `"${version}"` }),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 422, officerY: 404, admin: 403, auditor: 403 },
  },
  {
    name: 'POST /api/dossiers/:id/undo (staff of the agency)',
    call: (token) => env.http.call('POST', `/api/dossiers/${dossier.id}/undo`, token, { reason: 'kiểm tra' }),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 409, officerY: 404, admin: 403, auditor: 403 },
  },
  {
    name: 'GET /api/dossiers/:id/history (auditors, the agency’s staff)',
    call: (token) => env.http.call('GET', `/api/dossiers/${dossier.id}/history`, token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 200, officerY: 404, admin: 403, auditor: 200 },
  },
  {
    name: 'GET /api/audit/dossiers (auditors everywhere, staff in their agency)',
    call: async (token) => {
      const res = await env.http.call('GET', `/api/audit/dossiers?q=${dossier.code}`, token);
      // An empty list for another agency's staff is their 200: the count tells the scope.
      return Object.assign(res, { statusCode: res.statusCode === 200 && res.json().length === 0 ? 204 : res.statusCode });
    },
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 200, officerY: 204, admin: 403, auditor: 200 },
  },
  {
    name: 'POST /api/process-definitions (admins deploy; this diagram is refused)',
    call: (token) => env.http.call('POST', '/api/process-definitions', token, bpmn, { 'content-type': 'application/xml' }),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 403, officerY: 403, admin: 422, auditor: 403 },
  },
  {
    name: 'GET /api/process-definitions (admins, auditors)',
    call: (token) => env.http.call('GET', '/api/process-definitions', token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 403, officerY: 403, admin: 200, auditor: 200 },
  },
  {
    name: 'GET /api/admin/staff (admins)',
    call: (token) => env.http.call('GET', '/api/admin/staff', token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 403, officerY: 403, admin: 200, auditor: 403 },
  },
  {
    name: 'GET /api/admin/procedures (admins configure the catalogue)',
    call: (token) => env.http.call('GET', '/api/admin/procedures', token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 403, officerY: 403, admin: 200, auditor: 403 },
  },
  {
    name: 'GET /api/reports/agency-summary (auditors, admins, leaders)',
    call: (token) => env.http.call('GET', '/api/reports/agency-summary?from=2026-01-01&to=2026-12-31', token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 403, officerY: 403, admin: 200, auditor: 200 },
  },
  {
    name: 'GET /api/dossiers/:id/sync (staff of the agency, auditors)',
    call: (token) => env.http.call('GET', `/api/dossiers/${dossier.id}/sync`, token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 200, officerY: 404, admin: 403, auditor: 200 },
  },
  {
    name: 'POST /api/dossiers/:id/resync (staff of the agency)',
    call: (token) => env.http.call('POST', `/api/dossiers/${dossier.id}/resync`, token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 202, officerY: 404, admin: 403, auditor: 403 },
  },
  {
    name: 'GET /api/admin/mail (admins)',
    call: (token) => env.http.call('GET', '/api/admin/mail', token),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 403, officerY: 403, admin: 200, auditor: 403 },
  },
  {
    name: 'PUT /api/calendar/:day (admins)',
    call: (token) => env.http.call('PUT', '/api/calendar/2030-01-02', token, { kind: 'holiday', name: 'Thử' }),
    expect: { anonymous: 401, citizenA: 403, citizenB: 403, officerX: 403, officerY: 403, admin: 200, auditor: 403 },
  },
];

test.each(routes.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
  const got: Record<string, number> = {};
  for (const caller of callers) {
    const res = await route.call(caller === 'anonymous' ? undefined : env.tokens[caller]);
    got[caller] = res.statusCode;
    if (res.statusCode >= 400) expect(res.headers['content-type'], `${caller}: ${res.body}`).toMatch(/^application\/problem\+json/);
  }
  expect(got).toEqual(route.expect);
});
