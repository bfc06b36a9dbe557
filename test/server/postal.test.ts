import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { deliveriesOf } from '../../server/deliveries/delivery.repository.js';
import { DEFAULT_DELIVERY_POLICY, runDeliveries } from '../../server/deliveries/delivery.worker.js';
import { signRequest } from '../../server/deliveries/signature.js';
import { startPostOfficeMock, type PostOfficeMock } from '../../server/postal-mock/postal-mock.js';
import { postOfficeDeliverer, POSTAL_EVENTS_PATH } from '../../server/postal/post-office.js';
import { multipartFile } from '../support/fixtures.js';
import { actOn as actOnIn, business, DEMO_CALLERS, openTaskOf, PDF, useApiTest } from '../support/api.js';

const SECRET = 'postal-test-secret';
const env = useApiTest({ as: DEMO_CALLERS, app: { postalSecret: SECRET } });
const { t, tokens, userIds } = env;
let postOffice: PostOfficeMock;
let deliverers: Parameters<typeof runDeliveries>[1]['deliverers'];

beforeAll(async () => {
  // The post office reports back over HTTP, as a real one would: the app listens on a free port.
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  const callbackUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}${POSTAL_EVENTS_PATH}`;
  postOffice = await startPostOfficeMock({ port: 0, secret: SECRET });
  deliverers = { postal: postOfficeDeliverer({ url: postOffice.url, secret: SECRET, callbackUrl }) };
});
afterAll(() => postOffice?.close());

const run = (now = new Date()) => runDeliveries(t.db, { deliverers, now, policy: { ...DEFAULT_DELIVERY_POLICY, backoffMs: 30_000 } });
const actOn = (who: string, code: string, action: string, extra?: Record<string, unknown>) => actOnIn(env, who, code, action, extra);
const detail = async (id: string) => (await env.http.call('GET', `/api/dossiers/${id}`, tokens.citizen)).json();
const address = { recipientName: 'Nguyễn Văn An', phone: '0912 345 678', address: 'Số 12 Trần Phú, phường Cẩm Thành, TP Quảng Ngãi' };
const postalRows = async (dossierId: string) => (await deliveriesOf(t.db, dossierId)).filter((d) => d.channel === 'postal');
const orderOf = (code: string, direction: 'collection' | 'return') => postOffice.orders().find((o) => o.request.dossierCode === code && o.request.direction === direction);

/** A complete 2.000331 draft with the postal choice made. */
async function draftWith(choice: { collection: boolean; result: boolean }): Promise<string> {
  const { call, upload } = env.http;
  const draft = (await call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
  expect((await call('PUT', `/api/dossiers/${draft.id}/form`, tokens.citizen, { data: business })).statusCode).toBe(200);
  expect((await upload(draft.id, tokens.citizen!, 'TP05', { name: 'de-nghi.pdf', content: PDF })).statusCode).toBe(201);
  const chosen = await call('PUT', `/api/dossiers/${draft.id}/postal`, tokens.citizen, { ...choice, ...address });
  expect(chosen.statusCode, chosen.body).toBe(200);
  return draft.id;
}

/** The same, submitted. */
async function submittedWith(choice: { collection: boolean; result: boolean }): Promise<{ id: string; code: string }> {
  const id = await draftWith(choice);
  const submitted = await env.http.call('POST', `/api/dossiers/${id}/submit`, tokens.citizen, { declarationAccepted: true });
  expect(submitted.statusCode).toBe(200);
  return { id, code: submitted.json().code };
}

/** Reports a state as the post office would, signed (or not) with `secret`. */
function report(body: Record<string, unknown>, secret = SECRET) {
  const raw = JSON.stringify(body);
  const key = String(body.eventId);
  return env.http.call('POST', POSTAL_EVENTS_PATH, undefined, raw, { 'content-type': 'application/json', 'idempotency-key': key, 'x-dvc-signature': signRequest(secret, key, raw) });
}

describe('the applicant’s choice', () => {
  test('an address is required once a service is chosen; the choice is kept with the draft and can be withdrawn', async () => {
    const draft = await draftWith({ collection: false, result: false });
    const put = (body: Record<string, unknown>, token = tokens.citizen) => env.http.call('PUT', `/api/dossiers/${draft}/postal`, token, body);
    const missing = await put({ collection: false, result: true, phone: '12' });
    expect([missing.statusCode, missing.json().type]).toEqual([422, '/problems/postal-choice-invalid']);
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/recipientName', '/body/phone', '/body/address']);
    expect(missing.json().errors[2].message.vi).toContain('địa chỉ đầy đủ');

    const chosen = (await put({ collection: true, result: true, ...address })).json();
    expect(chosen.postal).toEqual({
      collection: expect.objectContaining({ state: 'chosen', trackingCode: null, ...address }),
      result: expect.objectContaining({ state: 'chosen', recipientName: 'Nguyễn Văn An' }),
    });
    expect((await put({ collection: false, result: true, ...address })).json().postal.collection).toBeNull();
    // Another citizen's or an officer's request does not reach the draft.
    expect((await put({ collection: false, result: false }, tokens.officer)).statusCode).toBe(403);
    expect((await put({ collection: false, result: false })).json().postal).toEqual({ collection: null, result: null });
  });

  test('a submitted dossier’s choice cannot change', async () => {
    const dossier = await submittedWith({ collection: false, result: true });
    const again = await env.http.call('PUT', `/api/dossiers/${dossier.id}/postal`, tokens.citizen, { collection: false, result: false });
    expect([again.statusCode, again.json().type]).toEqual([409, '/problems/dossier-submitted']);
  });
});

describe('collection of the paper dossier', () => {
  test('the order is placed when the dossier is submitted; each state the post reports joins the history once', async () => {
    const dossier = await submittedWith({ collection: true, result: false });
    // Committed with the submission, before any worker ran.
    expect((await postalRows(dossier.id)).map((d) => d.state)).toEqual(['pending']);
    expect((await detail(dossier.id)).postal.collection.state).toBe('requested');
    expect(await run()).toMatchObject({ sent: 1, failed: 0 });

    const order = orderOf(dossier.code, 'collection')!;
    expect(order.request).toMatchObject({ direction: 'collection', agency: { code: 'H20.11' }, party: { name: 'Nguyễn Văn An', phone: '0912 345 678' } });
    let view = await detail(dossier.id);
    expect(view.postal.collection).toMatchObject({ state: 'awaiting-confirmation', trackingCode: order.trackingCode });

    expect(await postOffice.advance(order.request.orderId, 'accepted')).toBe(200);
    expect(await postOffice.advance(order.request.orderId, 'delivered')).toBe(200);
    view = await detail(dossier.id);
    expect(view.postal.collection.state).toBe('delivered');
    expect(view.timeline.filter((e: { kind: string }) => e.kind === 'postal').map((e: { postal: { state: string } }) => e.postal.state)).toEqual([
      'awaiting-confirmation',
      'accepted',
      'delivered',
    ]);

    // A replayed or late report changes nothing.
    const replay = await report({ eventId: `${order.request.orderId}:accepted`, orderId: order.request.orderId, trackingCode: order.trackingCode, state: 'accepted', at: new Date().toISOString() });
    expect([replay.statusCode, replay.json()]).toEqual([200, { changed: false }]);
    const history = (await env.http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json();
    const postal = history.filter((e: { type: string }) => e.type === 'postal.state');
    expect(postal).toHaveLength(3);
    expect(postal[0]).toMatchObject({ actorId: 'system:postal', data: { direction: 'collection', state: 'awaiting-confirmation', trackingCode: order.trackingCode } });
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor)).json()).toMatchObject({ ok: true });
  });

  test('a post office that is down delays the order, which is placed once when it is back', async () => {
    const dossier = await submittedWith({ collection: true, result: false });
    postOffice.failNext(1);
    const now = new Date();
    expect(await run(now)).toMatchObject({ sent: 0, retrying: 1 });
    const [row] = await postalRows(dossier.id);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringContaining('HTTP 503') });
    expect((await detail(dossier.id)).postal.collection.state).toBe('requested');
    expect(await run(new Date(now.getTime() + 31_000))).toMatchObject({ sent: 1 });
    expect(orderOf(dossier.code, 'collection')).toMatchObject({ deliveries: 1 });
    expect((await detail(dossier.id)).postal.collection.state).toBe('awaiting-confirmation');
  });

  test('reports with a bad signature, for an unknown order or with another tracking code are refused', async () => {
    const dossier = await submittedWith({ collection: true, result: false });
    await run();
    const order = orderOf(dossier.code, 'collection')!;
    const body = { eventId: 'e-1', orderId: order.request.orderId, trackingCode: order.trackingCode, state: 'accepted', at: new Date().toISOString() };
    const forged = await report(body, 'not-the-secret');
    expect([forged.statusCode, forged.json().type]).toEqual([401, '/problems/postal-signature-invalid']);
    const unsigned = await env.http.call('POST', POSTAL_EVENTS_PATH, undefined, body, { 'idempotency-key': 'e-1' });
    expect(unsigned.statusCode).toBe(400);
    expect((await report({ ...body, orderId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    expect((await report({ ...body, trackingCode: 'EV000000000VN' })).statusCode).toBe(409);
    expect((await report({ ...body, state: 'lost' })).statusCode).toBe(400);
    expect((await detail(dossier.id)).postal.collection.state).toBe('awaiting-confirmation');
  });
});

describe('return of the result by post', () => {
  test('the order is placed when the result is ready; the return step waits for “delivered”, then completes itself', async () => {
    const dossier = await submittedWith({ collection: false, result: true });
    await actOn('officer', dossier.code, '1100');
    await actOn('officer', dossier.code, '2000');
    await actOn('leader', dossier.code, '2101', { assignee: userIds.handler });
    const doc = await PDFDocument.create();
    doc.addPage();
    const result = multipartFile('KQ01', { name: 'giay-chung-nhan.pdf', content: Buffer.from(await doc.save()) });
    expect((await env.http.call('POST', `/api/staff/dossiers/${dossier.id}/files`, tokens.handler, result.body, { 'content-type': result.contentType })).statusCode).toBe(201);
    await actOn('handler', dossier.code, '2600');
    await actOn('leader', dossier.code, '3100');
    await actOn('director', dossier.code, '3200');
    expect((await detail(dossier.id)).postal.result.state).toBe('chosen');
    await actOn('clerk', dossier.code, '3300');
    expect((await detail(dossier.id)).nationalStatus).toBe(9);
    expect((await detail(dossier.id)).postal.result.state).toBe('requested');
    await run();
    const order = orderOf(dossier.code, 'return')!;
    expect(order.request.party.address).toBe(address.address);

    // The officer cannot close the step by hand while the parcel is on its way.
    const task = (await openTaskOf(env, 'officer', dossier.code))!;
    const early = await env.http.call('POST', `/api/tasks/${task.id}/actions`, tokens.officer, { actionCode: '4000' }, { 'if-match': `"${task.version}"` });
    expect([early.statusCode, early.json().type]).toEqual([409, '/problems/postal-return-pending']);
    expect(early.json().messageVi).toContain('bưu chính');

    expect(await postOffice.advance(order.request.orderId, 'accepted')).toBe(200);
    expect((await detail(dossier.id)).nationalStatus).toBe(9);
    expect(await postOffice.advance(order.request.orderId, 'delivered')).toBe(200);
    const view = await detail(dossier.id);
    expect(view.nationalStatus).toBe(10);
    expect(view.postal.result.state).toBe('delivered');
    const history = (await env.http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json();
    expect(history.find((e: { type: string; data: { action?: string } }) => e.type === 'task.completed' && e.data.action === '4000')).toMatchObject({
      actorId: 'system:postal',
      data: { note: expect.stringContaining(order.trackingCode) },
    });
    expect(await openTaskOf(env, 'officer', dossier.code)).toBeUndefined();
  });

});

describe('a restart in the middle', () => {
  // Last in the file: the app keeps the database it was built with, which the restart closes.
  test('an order queued before the server stopped is placed after it starts again, once', async () => {
    const dossier = await submittedWith({ collection: true, result: false });
    await t.reopen();
    expect(await run()).toMatchObject({ sent: 1 });
    expect(orderOf(dossier.code, 'collection')).toMatchObject({ deliveries: 1 });
    const [order] = await t.db.selectFrom('postal_order').selectAll().where('dossier_id', '=', dossier.id).execute();
    expect(order).toMatchObject({ state: 'awaiting-confirmation', tracking_code: orderOf(dossier.code, 'collection')!.trackingCode });
  });
});
