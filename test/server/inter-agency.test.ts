import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AddressInfo } from 'node:net';
import { runDueJobs } from '../../engine/process-core.js';
import { deliveriesOf } from '../../server/deliveries/delivery.repository.js';
import { DEFAULT_DELIVERY_POLICY, runDeliveries } from '../../server/deliveries/delivery.worker.js';
import { signRequest } from '../../server/deliveries/signature.js';
import { INTERAGENCY_RESULTS_PATH, partnerDeliverer } from '../../server/inter-agency/partner-agency.js';
import { startPartnerMock, type PartnerMock } from '../../server/partner-mock/partner-mock.js';
import { demoCitizen } from '../../server/seed/demo-data.js';
import { actOn as actOnIn, openTaskOf, PDF, useApiTest } from '../support/api.js';

const SECRET = 'partner-test-secret';
const env = useApiTest({
  as: { citizen: 'citizen', officer: 'one-stop-officer @ H20.24.16', officerOther: 'one-stop-officer @ H20.11', auditor: 'auditor' },
  app: { partnerSecret: SECRET },
});
const { t, tokens } = env;
let partner: PartnerMock;
let callbackUrl: string;
let deliverers: Parameters<typeof runDeliveries>[1]['deliverers'];

beforeAll(async () => {
  // The partner answers over HTTP, as a real one would: the app listens on a free port.
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  callbackUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}${INTERAGENCY_RESULTS_PATH}`;
  partner = await startPartnerMock({ port: 0, secret: SECRET });
  deliverers = { partner: partnerDeliverer({ url: partner.url, secret: SECRET, callbackUrl }) };
});
afterAll(() => partner?.close());

const DAY = 24 * 3_600_000;
const run = (now = new Date(), using = deliverers) => runDeliveries(t.db, { deliverers: using, now, policy: { ...DEFAULT_DELIVERY_POLICY, backoffMs: 30_000 } });
const actOn = (who: string, code: string, action: string) => actOnIn(env, who, code, action);
const detail = async (id: string) => (await env.http.call('GET', `/api/dossiers/${id}`, tokens.citizen)).json();
const liaison = (id: string, token = tokens.officer) => env.http.call('GET', `/api/dossiers/${id}/liaison`, token);
const partnerRows = async (dossierId: string) => (await deliveriesOf(t.db, dossierId)).filter((d) => d.channel === 'partner');
const requestsOf = (code: string) => partner.requests().filter((r) => r.request.dossierCode === code);
const historyOf = async (id: string) => (await env.http.call('GET', `/api/dossiers/${id}/history`, tokens.auditor)).json() as { type: string; actorId: string; data: Record<string, unknown> }[];
const outboxOf = (requestId: string) => t.db.selectFrom('outbox_message').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();

/** The 3-in-1 eForm (birth registration + residence + health insurance), filled in. */
const birth = {
  childName: 'Nguyễn Minh Khang',
  birthDate: '2024-08-01',
  gender: 'Nam',
  fatherName: 'Nguyễn Văn An',
  motherName: 'Trần Thị Bình',
  residence: 'Số 12 Trần Phú, phường Cẩm Thành, TP Quảng Ngãi',
};

/** A complete 3-in-1 dossier (HT01, UBND phường Cẩm Thành), submitted by the citizen and received with 1100. */
async function received(): Promise<{ id: string; code: string }> {
  const { call, upload } = env.http;
  const draft = (await call('POST', '/api/dossiers', tokens.citizen, { procedureCode: 'HT01' })).json();
  expect((await call('PUT', `/api/dossiers/${draft.id}/form`, tokens.citizen, { data: birth })).statusCode).toBe(200);
  for (const component of ['TP01', 'TP02', 'TP03', 'TP04']) {
    const file = { name: `${component.toLowerCase()}.pdf`, content: Buffer.concat([PDF, Buffer.from(`% ${component}\n`)]) };
    expect((await upload(draft.id, tokens.citizen!, component, file)).statusCode).toBe(201);
  }
  const submitted = await call('POST', `/api/dossiers/${draft.id}/submit`, tokens.citizen, { declarationAccepted: true });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const code = submitted.json().code as string;
  await actOn('officer', code, '1100');
  return { id: draft.id, code };
}

/** Reports a result as the partner would, signed (or not) with `secret`, keyed by `key`. */
function report(body: Record<string, unknown>, secret = SECRET, key = String(body.eventId)) {
  const raw = JSON.stringify(body);
  return env.http.call('POST', INTERAGENCY_RESULTS_PATH, undefined, raw, { 'content-type': 'application/json', 'idempotency-key': key, 'x-dvc-signature': signRequest(secret, key, raw) });
}

describe('the request to the partner agency', () => {
  test('receiving queues it with the step; it reaches the partner once, signed, with the dossier’s data; the history says so', async () => {
    const dossier = await received();
    // Committed with the action, before any worker ran.
    const [row] = await partnerRows(dossier.id);
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    const queued = (await liaison(dossier.id)).json();
    expect(queued.requests).toEqual([expect.objectContaining({ state: 'pending', attempts: 0, sentAt: null, answer: null })]);
    const requestId = queued.requests[0].requestId as string;
    expect((await detail(dossier.id)).nationalStatus).toBe(4);

    expect(await run()).toMatchObject({ sent: 1, failed: 0 });
    const [received_] = requestsOf(dossier.code);
    expect(received_!.deliveries).toBe(1);
    expect(received_!.request).toMatchObject({
      requestId,
      dossierCode: dossier.code,
      procedure: { code: 'HT01', name: expect.stringContaining('đăng ký khai sinh') },
      agency: { code: 'H20.24.16' },
      applicant: { name: demoCitizen.fullName, idNumber: demoCitizen.idNumber },
      form: birth,
      callbackUrl,
    });
    expect(received_!.request.documents.map((d) => d.componentCode)).toEqual(['TP01', 'TP02', 'TP03', 'TP04']);
    expect(received_!.request.documents.every((d) => /^[0-9a-f]{64}$/.test(d.sha256))).toBe(true);

    expect(await outboxOf(requestId)).toMatchObject({ state: 'sent', attempts: 1, last_error: null, sent_at: expect.any(Date) });
    expect((await liaison(dossier.id)).json().requests).toEqual([expect.objectContaining({ requestId, state: 'sent', attempts: 1, lastError: null })]);
    const sent = (await historyOf(dossier.id)).filter((e) => e.type === 'interagency.sent');
    expect(sent).toEqual([expect.objectContaining({ actorId: 'system:inter-agency', data: { requestId, attempts: 1 } })]);
    // Nothing is sent twice.
    expect(await run()).toMatchObject({ sent: 0 });
    expect(requestsOf(dossier.code)[0]!.deliveries).toBe(1);
  });

  test('a partner that is down delays the request, which is retried with backoff and taken once', async () => {
    const dossier = await received();
    partner.failNext(1);
    const now = new Date();
    expect(await run(now)).toMatchObject({ sent: 0, retrying: 1 });
    const [row] = await partnerRows(dossier.id);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringContaining('HTTP 503') });
    const waiting = (await liaison(dossier.id)).json().requests[0];
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('HTTP 503') });
    expect(await outboxOf(waiting.requestId)).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringContaining('HTTP 503') });
    // Not before the backoff has passed.
    expect(await run(new Date(now.getTime() + 10_000))).toMatchObject({ sent: 0, retrying: 0 });
    expect(await run(new Date(now.getTime() + 31_000))).toMatchObject({ sent: 1 });
    expect(requestsOf(dossier.code)).toEqual([expect.objectContaining({ deliveries: 1 })]);
    expect((await liaison(dossier.id)).json().requests[0]).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
  });

  test('a request the partner refuses for good is given up; staff see why and send it again', async () => {
    const dossier = await received();
    // Signed with a key the partner does not share: it answers 401, which no retry can mend.
    expect(await run(new Date(), { partner: partnerDeliverer({ url: partner.url, secret: 'not-the-secret', callbackUrl }) })).toMatchObject({ failed: 1 });
    const failed = (await liaison(dossier.id)).json().requests[0];
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('HTTP 401') });
    expect(await outboxOf(failed.requestId)).toMatchObject({ state: 'failed' });

    const retryUrl = `/api/dossiers/${dossier.id}/liaison/requests/${failed.requestId}/retry`;
    expect((await env.http.call('POST', retryUrl, tokens.officerOther)).statusCode).toBe(404);
    expect((await env.http.call('POST', retryUrl, tokens.auditor)).statusCode).toBe(403);
    const retried = await env.http.call('POST', retryUrl, tokens.officer);
    expect(retried.statusCode, retried.body).toBe(202);
    expect(retried.json().requests[0]).toMatchObject({ state: 'pending', attempts: 0 });
    const again = await env.http.call('POST', retryUrl, tokens.officer);
    expect([again.statusCode, again.json().type]).toEqual([409, '/problems/interagency-request-not-failed']);
    expect(await run()).toMatchObject({ sent: 1 });
    expect((await liaison(dossier.id)).json().requests[0]).toMatchObject({ state: 'sent', attempts: 1 });
    const history = await historyOf(dossier.id);
    expect(history.filter((e) => e.type === 'interagency.retried')).toEqual([expect.objectContaining({ data: { requestId: failed.requestId } })]);
  });

  test('only staff of the dossier’s agency and auditors read the liaison', async () => {
    const dossier = await received();
    expect((await liaison(dossier.id, tokens.auditor)).statusCode).toBe(200);
    expect((await liaison(dossier.id, tokens.officerOther)).statusCode).toBe(404);
    expect((await liaison(dossier.id, tokens.citizen)).statusCode).toBe(403);
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}/liaison`)).statusCode).toBe(401);
  });
});

describe('the partner’s result', () => {
  test('an approval moves the dossier on to the return step (status 9), once; the officer returns the result', async () => {
    const dossier = await received();
    await run();
    const [request] = requestsOf(dossier.code);
    const requestId = request!.request.requestId;
    expect(await partner.answer(requestId, 'approved')).toBe(200);
    expect(request!.lastCallback).toContain('"changed":true');

    expect((await detail(dossier.id)).nationalStatus).toBe(9);
    const task = await openTaskOf(env, 'officer', dossier.code);
    expect(task?.step.elementId).toBe('returnResult');
    const page = (await env.http.call('GET', `/api/tasks/${task!.id}`, tokens.officer)).json();
    expect(page.liaison.requests).toEqual([
      expect.objectContaining({ requestId, state: 'sent', answer: expect.objectContaining({ decision: 'approved', reference: expect.stringMatching(/^BHYT-/), note: expect.any(String) }) }),
    ]);
    const correlated = (await historyOf(dossier.id)).filter((e) => e.type === 'message.correlated');
    expect(correlated).toEqual([
      expect.objectContaining({ actorId: 'system:inter-agency', data: { message: 'interagency.result', payload: { partnerResult: expect.objectContaining({ requestId, decision: 'approved' }) } } }),
    ]);

    // The same result again (a retried callback) changes nothing; a different one for the same request is refused.
    expect(await partner.answer(requestId, 'approved')).toBe(200);
    expect(request!.lastCallback).toContain('"changed":false');
    const contrary = await report({ eventId: 'e-contrary', requestId, decision: 'refused', note: 'Sai thông tin' });
    expect([contrary.statusCode, contrary.json().type]).toEqual([409, '/problems/interagency-result-conflict']);
    expect((await historyOf(dossier.id)).filter((e) => e.type === 'message.correlated')).toHaveLength(1);
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor)).json()).toMatchObject({ ok: true });

    await actOn('officer', dossier.code, '4000');
    expect((await detail(dossier.id)).nationalStatus).toBe(10);
  });

  test('a refusal is taken the same way, with its reason', async () => {
    const dossier = await received();
    await run();
    const requestId = requestsOf(dossier.code)[0]!.request.requestId;
    expect(await partner.answer(requestId, 'refused', 'Nơi cư trú không khớp Cơ sở dữ liệu quốc gia về dân cư')).toBe(200);
    expect((await detail(dossier.id)).nationalStatus).toBe(9);
    expect((await liaison(dossier.id)).json().requests[0].answer).toMatchObject({ decision: 'refused', note: 'Nơi cư trú không khớp Cơ sở dữ liệu quốc gia về dân cư', reference: null });
  });

  test('results that are not signed, not keyed by their event, about no request or malformed are refused', async () => {
    const dossier = await received();
    await run();
    const requestId = requestsOf(dossier.code)[0]!.request.requestId;
    const body = { eventId: 'e-1', requestId, decision: 'approved', note: '' };
    const forged = await report(body, 'not-the-secret');
    expect([forged.statusCode, forged.json().type]).toEqual([401, '/problems/interagency-signature-invalid']);
    expect((await report(body, SECRET, 'another-key')).statusCode).toBe(401);
    expect((await env.http.call('POST', INTERAGENCY_RESULTS_PATH, undefined, body, { 'idempotency-key': 'e-1' })).statusCode).toBe(400);
    const unknown = await report({ ...body, requestId: '00000000-0000-4000-8000-000000000000' });
    expect([unknown.statusCode, unknown.json().type]).toEqual([404, '/problems/interagency-request-not-found']);
    expect((await report({ ...body, decision: 'maybe' })).statusCode).toBe(400);
    expect((await report({ ...body, requestId: 'not-a-uuid' })).statusCode).toBe(400);
    expect((await detail(dossier.id)).nationalStatus).toBe(4);
  });

  test('after a resend, the first result for any of the dossier’s requests is taken, and no later one', async () => {
    const dossier = await received();
    await run();
    const first = requestsOf(dossier.code)[0]!.request.requestId;
    // The 5-day wait runs out: the follow-up step opens, and nothing waits for a result meanwhile.
    await runDueJobs(t.db, { now: new Date(Date.now() + 6 * DAY) });
    expect((await openTaskOf(env, 'officer', dossier.code))?.step.elementId).toBe('followUp');
    const early = await report({ eventId: 'e-early', requestId: first, decision: 'approved', note: '' });
    expect([early.statusCode, early.json().type]).toEqual([409, '/problems/interagency-not-waiting']);
    expect(early.json().messageVi).toContain('không chờ');

    // Gửi lại: a new request, delivered as the first was.
    await actOn('officer', dossier.code, '2000');
    expect(await run()).toMatchObject({ sent: 1 });
    const requests = requestsOf(dossier.code);
    expect(requests).toHaveLength(2);
    const second = requests[1]!.request.requestId;
    expect(second).not.toBe(first);
    expect((await liaison(dossier.id)).json().requests.map((r: { requestId: string; state: string }) => [r.requestId, r.state])).toEqual([
      [first, 'sent'],
      [second, 'sent'],
    ]);

    // The partner's late answer to the first request arrives while the dossier waits again: it is taken.
    expect(await partner.answer(first, 'approved')).toBe(200);
    expect((await detail(dossier.id)).nationalStatus).toBe(9);
    // Its answer to the second is not applied a second time.
    expect(await partner.answer(second, 'approved')).toBe(409);
    expect(requestsOf(dossier.code)[1]!.lastCallback).toContain('interagency-not-waiting');
    const view = (await liaison(dossier.id)).json().requests;
    expect(view.map((r: { answer: { decision: string } | null }) => r.answer?.decision ?? null)).toEqual(['approved', null]);
    expect((await historyOf(dossier.id)).filter((e) => e.type === 'message.correlated')).toHaveLength(1);
  });
});

describe('a restart in the middle', () => {
  // Last in the file: the app keeps the database it was built with, which the restart closes.
  test('a request queued before the server stopped reaches the partner after it starts again, once', async () => {
    const dossier = await received();
    await t.reopen();
    expect(await run()).toMatchObject({ sent: 1 });
    expect(requestsOf(dossier.code)).toEqual([expect.objectContaining({ deliveries: 1 })]);
    const [message] = await t.db.selectFrom('outbox_message').selectAll().where('topic', '=', 'interagency.request').where('id', '=', requestsOf(dossier.code)[0]!.request.requestId).execute();
    expect(message).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await run()).toMatchObject({ sent: 0 });
  });
});
