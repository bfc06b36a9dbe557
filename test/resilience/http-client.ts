import { business, multipartFile, PDF } from '../support/fixtures.js';

/** A thin JSON client of a running server for the resilience tests (real sockets, no inject). */

export interface Answer<T = any> {
  status: number;
  body: T;
}

/** The server could not be reached or dropped the connection: the request may or may not have taken effect. */
export class NetworkFailure extends Error {}

export interface ServerAddress {
  baseUrl: string;
}

export async function send<T = any>(
  server: ServerAddress,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: Buffer; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: Buffer | string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.contentType) headers['content-type'] = options.contentType;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${server.baseUrl}${path}`, { method, headers, body });
    text = await response.text();
  } catch (err) {
    throw new NetworkFailure(`${method} ${path}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

/** The answer's body if its status is `status`, else an error naming the request and the problem. */
export function expectStatus<T>(answer: Answer<T>, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body;
}

export async function login(server: ServerAddress, account: { login: string; password: string }): Promise<string> {
  return expectStatus(await send(server, 'POST', '/api/auth/login', { json: { username: account.login, password: account.password } }), 200, 'login').accessToken;
}

/** A demo procedure with an eForm answer and the one required component to upload. */
export interface ProcedureFixture {
  code: string;
  agency: string;
  form: Record<string, unknown>;
  component: string;
}

/** One demo procedure per demo agency, so that four daily code sequences run at once. */
export const PROCEDURES: ProcedureFixture[] = [
  { code: 'MAU_10696', agency: 'H20.11', form: business, component: 'TP01' },
  { code: 'BC02', agency: 'H20.20', form: { organizationName: 'Báo Văn hóa Đời sống', address: '25 Lê Lợi, Thanh Hóa', publicationName: 'Bản tin Văn hóa', purpose: 'Thông tin hoạt động văn hóa' }, component: 'TP01' },
  { code: '1.000971', agency: 'H20.13', form: { nomineeName: 'Nguyễn Thị Hạnh', birthYear: 1958, workTitle: 'Hát Xoan Phú Thọ' }, component: 'TP01' },
  { code: 'CT01', agency: 'H20.24.16', form: { documentName: 'Bằng tốt nghiệp đại học', copies: 2 }, component: 'TP01' },
];

export interface Submitted {
  id: string;
  code: string;
}

/**
 * The citizen's whole submission, as the portal sends it: the draft (its Idempotency-Key makes a retry find the
 * same one), the eForm, the upload and the submission. A retry of a dossier already submitted only repeats the
 * submission, which must answer the same code.
 */
export async function submitDossier(server: ServerAddress, token: string, procedure: ProcedureFixture, idempotencyKey: string): Promise<Submitted & { alreadySubmitted: boolean }> {
  const draft = expectStatus(
    await send(server, 'POST', '/api/dossiers', { token, json: { procedureCode: procedure.code }, headers: { 'idempotency-key': idempotencyKey } }),
    201,
    `create ${idempotencyKey}`,
  );
  const alreadySubmitted = draft.state === 'submitted';
  if (!alreadySubmitted) {
    expectStatus(await send(server, 'PUT', `/api/dossiers/${draft.id}/form`, { token, json: { data: procedure.form } }), 200, `form ${idempotencyKey}`);
    const upload = multipartFile(procedure.component, { name: 'don-de-nghi.pdf', content: PDF });
    expectStatus(await send(server, 'POST', `/api/dossiers/${draft.id}/files`, { token, body: upload.body, contentType: upload.contentType }), 201, `upload ${idempotencyKey}`);
  }
  const submitted = expectStatus(await send(server, 'POST', `/api/dossiers/${draft.id}/submit`, { token, json: { declarationAccepted: true } }), 200, `submit ${idempotencyKey}`);
  if (alreadySubmitted && submitted.code !== draft.code) throw new Error(`submit ${idempotencyKey}: a repeated submission answered ${submitted.code}, the dossier had ${draft.code}`);
  return { id: submitted.id, code: submitted.code, alreadySubmitted };
}
