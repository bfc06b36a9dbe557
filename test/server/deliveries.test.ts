import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDb, type Db } from '../../engine/db/database.js';
import { portalDeliverer, type Deliverers } from '../../server/deliveries/channels.js';
import { claimDue, deliveriesOf } from '../../server/deliveries/delivery.repository.js';
import { DEFAULT_DELIVERY_POLICY, runDeliveries, type DeliveryPolicy } from '../../server/deliveries/delivery.worker.js';
import { signRequest } from '../../server/deliveries/signature.js';
import { startPortalMock, type PortalMock, type ReceivedSync } from '../../server/portal-mock/portal-mock.js';
import { actOn, openTaskOf, useApiTest } from '../support/api.js';

const env = useApiTest({
  as: {
    citizen: 'citizen',
    officer: 'one-stop-officer @ H20.11',
    officerOther: 'one-stop-officer @ H20.20',
    leader: 'dept-leader @ H20.11',
    auditor: 'auditor',
  },
});
const { t, tokens, userIds } = env;
const SECRET = 'portal-test-secret';
let portal: PortalMock;
let deliverers: Deliverers;
const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, maxAttempts: 4, backoffMs: 30_000 };

beforeAll(async () => {
  portal = await startPortalMock({ port: 0, secret: SECRET });
  // A short timeout, so that the slow-portal test needs no long wait.
  deliverers = { 'portal-sync': portalDeliverer({ url: portal.url, secret: SECRET, timeoutMs: 400 }) };
});
afterAll(() => portal?.close());

const run = (now = new Date(), db: Db = t.db) => runDeliveries(db, { deliverers, now, policy });
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);
const control = (body: Record<string, number>) => fetch(`${portal.baseUrl}/__control`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
const received = async (code: string) => ((await (await fetch(`${portal.baseUrl}/__received`)).json()) as ReceivedSync[]).filter((r) => r.message.dossierCode === code);
const syncOf = async (dossierId: string, token = tokens.officer) => (await env.http.call('GET', `/api/dossiers/${dossierId}/sync`, token)).json();
const portalRows = async (dossierId: string) => (await deliveriesOf(t.db, dossierId)).filter((d) => d.channel === 'portal-sync');

describe('national portal sync', () => {
  let dossier: { id: string; code: string };

  beforeAll(async () => {
    dossier = await env.http.submitComplete(tokens.citizen!);
  });

  test('submission and each status change reach the portal, signed, in order, with the dossier’s documents', async () => {
    // Committed with the submission, before any worker ran.
    expect((await portalRows(dossier.id)).map((d) => [d.state, d.payload.status])).toEqual([['pending', 1]]);
    await actOn(env, 'officer', dossier.code, '1100');
    expect(await run()).toMatchObject({ sent: 2, retrying: 0, failed: 0 });

    const messages = await received(dossier.code);
    expect(messages.map((m) => m.message.status)).toEqual([1, 2]);
    expect(messages.every((m) => m.deliveries === 1)).toBe(true);
    const rows = await portalRows(dossier.id);
    expect(messages.map((m) => m.idempotencyKey)).toEqual(rows.map((r) => r.id));
    expect(messages[1]!.message).toMatchObject({
      dossierCode: dossier.code,
      procedureCode: '2.000331',
      agencyCode: 'H20.11',
      status: 2,
      statusName: 'Được tiếp nhận',
      resync: false,
      documents: [{ componentCode: 'TP05', fileName: 'de-nghi.pdf', mediaType: 'application/pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
    expect(messages[1]!.message.receivedAt).toEqual(expect.any(String));
    expect(messages[1]!.message.dueAt).toEqual(expect.any(String));

    // The officer's task page shows the sync state.
    const task = (await openTaskOf(env, 'officer', dossier.code))!;
    const page = (await env.http.call('GET', `/api/tasks/${task.id}`, tokens.officer)).json();
    expect(page.sync).toMatchObject({ state: 'sent', attempts: 1, lastError: null, status: 2 });
    expect(page.sync.lastAttemptAt).toEqual(expect.any(String));
  });

  test('the portal refuses an unsigned or wrongly signed request', async () => {
    const body = JSON.stringify({ dossierCode: 'X' });
    const post = (signature?: string) =>
      fetch(portal.url, { method: 'POST', body, headers: { 'idempotency-key': 'k1', ...(signature ? { 'x-dvc-signature': signature } : {}) } });
    expect((await post()).status).toBe(401);
    expect((await post(signRequest('another-secret', 'k1', body))).status).toBe(401);
    expect((await post(signRequest(SECRET, 'k2', body))).status).toBe(401);
    expect((await post(signRequest(SECRET, 'k1', body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(401);
    expect((await post(signRequest(SECRET, 'k1', body))).status).toBe(200);
  });

  test('a failing portal: retried with exponential backoff, then delivered once it answers', async () => {
    await control({ failNext: 2 });
    await actOn(env, 'officer', dossier.code, '2000'); // → status 4
    const t0 = new Date();
    expect(await run(t0)).toMatchObject({ sent: 0, retrying: 1 });
    const first = await syncOf(dossier.id);
    expect(first).toMatchObject({ state: 'pending', attempts: 1, status: 4 });
    expect(first.lastError).toMatch(/HTTP 503/);
    expect(await run(later(t0, 29_000))).toMatchObject({ sent: 0, retrying: 0 }); // backoff 30 s
    expect(await run(later(t0, 30_000))).toMatchObject({ sent: 0, retrying: 1 });
    expect(await run(later(t0, 30_000 + 59_000))).toMatchObject({ sent: 0, retrying: 0 }); // then 60 s
    expect(await run(later(t0, 30_000 + 60_000))).toMatchObject({ sent: 1 });
    expect(await syncOf(dossier.id)).toMatchObject({ state: 'sent', attempts: 3, lastError: null });
    expect((await received(dossier.code)).map((m) => m.message.status)).toEqual([1, 2, 4]);
  });

  test('while messages wait, the state shows the one the others queue behind; a resync makes it due at once', async () => {
    await control({ failNext: 1 });
    expect((await env.http.call('POST', `/api/dossiers/${dossier.id}/resync`, tokens.officer)).statusCode).toBe(202);
    expect(await run()).toMatchObject({ retrying: 1 });
    const again = await env.http.call('POST', `/api/dossiers/${dossier.id}/resync`, tokens.officer);
    expect(again.json()).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringMatching(/HTTP 503/) });
    // Without the resync the first would wait out its 30 s backoff, and the second behind it.
    expect(await run()).toMatchObject({ sent: 2 });
    expect(await syncOf(dossier.id)).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
  });

  test('gives up after the last attempt keeping the error; the officer’s resync sends the latest state', async () => {
    await control({ failNext: 100 });
    const { id: taskId } = (await openTaskOf(env, 'leader', dossier.code))!;
    const t0 = new Date();
    // A resync is itself a sync message; with the portal down it fails like any other.
    expect((await env.http.call('POST', `/api/dossiers/${dossier.id}/resync`, tokens.officer)).statusCode).toBe(202);
    let now = t0;
    for (let i = 0; i < policy.maxAttempts; i++) {
      now = later(now, 3_600_000);
      await run(now);
    }
    const failed = await syncOf(dossier.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: policy.maxAttempts });
    expect(failed.lastError).toMatch(/HTTP 503/);
    expect(await run(later(now, 10 * 3_600_000))).toMatchObject({ sent: 0, retrying: 0, failed: 0 });

    await control({ failNext: 0 });
    const resync = await env.http.call('POST', `/api/dossiers/${dossier.id}/resync`, tokens.officer);
    expect(resync.statusCode).toBe(202);
    expect(resync.json()).toMatchObject({ state: 'pending', attempts: 0, status: 4 });
    expect(await run()).toMatchObject({ sent: 1 });
    const latest = (await received(dossier.code)).at(-1)!;
    expect(latest.message).toMatchObject({ status: 4, resync: true });
    expect((await env.http.call('GET', `/api/tasks/${taskId}`, tokens.leader)).json().sync).toMatchObject({ state: 'sent', attempts: 1 });
    // Who asked for it is in the dossier's history.
    const history = (await env.http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json();
    const requested = history.filter((e: { type: string }) => e.type === 'sync.requested').at(-1);
    expect(requested).toMatchObject({ actorId: userIds.officer, data: { deliveryId: (await portalRows(dossier.id)).at(-1)!.id, status: 4 } });
  });

  test('a slow portal: the worker times out and retries, the portal keeps the message once', async () => {
    await control({ delayMs: 1500 });
    expect((await env.http.call('POST', `/api/dossiers/${dossier.id}/resync`, tokens.officer)).statusCode).toBe(202);
    const t0 = new Date();
    expect(await run(t0)).toMatchObject({ sent: 0, retrying: 1 });
    expect((await syncOf(dossier.id)).lastError).toMatch(/abort|timeout/i);
    await control({ delayMs: 0 });
    expect(await run(later(t0, 30_000))).toMatchObject({ sent: 1 });
    const [row] = (await portalRows(dossier.id)).slice(-1);
    const copies = (await received(dossier.code)).filter((m) => m.idempotencyKey === row!.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.deliveries).toBe(2);
  });

  test('running the worker again sends nothing again', async () => {
    const before = (await received(dossier.code)).length;
    expect(await run()).toMatchObject({ sent: 0 });
    expect(await run(later(new Date(), 24 * 3_600_000))).toMatchObject({ sent: 0 });
    expect((await received(dossier.code)).length).toBe(before);
  });

  test('resync and sync state: agency staff only; auditors read the state; drafts have none to resync', async () => {
    const url = `/api/dossiers/${dossier.id}/resync`;
    expect((await env.http.call('POST', url, tokens.citizen)).statusCode).toBe(403);
    expect((await env.http.call('POST', url, tokens.auditor)).statusCode).toBe(403);
    expect((await env.http.call('POST', url)).statusCode).toBe(401);
    const other = await env.http.call('POST', url, tokens.officerOther);
    expect([other.statusCode, other.json().type]).toEqual([404, '/problems/dossier-not-found']);
    expect((await env.http.call('POST', '/api/dossiers/not-a-uuid/resync', tokens.officer)).statusCode).toBe(400);
    expect((await env.http.call('POST', `/api/dossiers/${crypto.randomUUID()}/resync`, tokens.officer)).statusCode).toBe(404);
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}/sync`, tokens.officerOther)).statusCode).toBe(404);
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}/sync`, tokens.citizen)).statusCode).toBe(403);
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}/sync`, tokens.auditor)).json()).toMatchObject({ state: 'sent' });

    const draft = (await env.http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
    const refused = await env.http.call('POST', `/api/dossiers/${draft.id}/resync`, tokens.officer);
    expect([refused.statusCode, refused.json().type]).toEqual([409, '/problems/dossier-not-submitted']);
    expect((await env.http.call('GET', `/api/dossiers/${draft.id}/sync`, tokens.officer)).json()).toBeNull();
  });

  test('several workers (servers) share the queue: each message is sent once, a dossier’s in order', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const submitted = await env.http.submitComplete(tokens.citizen!);
      await actOn(env, 'officer', submitted.code, '1100');
      codes.push(submitted.code);
    }
    // On PostgreSQL the second worker has its own pool, as another server would.
    const second = t.url ? createDb({ databaseUrl: t.url, poolSize: 4 }) : t.db;
    try {
      const rounds = await Promise.all([runDeliveries(t.db, { deliverers, policy, limit: 3 }), runDeliveries(second, { deliverers, policy }), run()]);
      // A worker that finds every due message leased or waiting behind a leased one ends its round; the next
      // round (the next poll) takes what is left.
      rounds.push(await run());
      expect(rounds.reduce((sum, r) => sum + r.sent, 0)).toBe(8);
    } finally {
      if (second !== t.db) await second.destroy();
    }
    for (const code of codes) {
      const messages = await received(code);
      expect(messages.map((m) => [m.message.status, m.deliveries])).toEqual([
        [1, 1],
        [2, 1],
      ]);
    }
  });
});

// Last: a restarted database leaves the app of this file with a closed handle.
describe('restarts', () => {
  test('a server stopped after claiming (lease taken, maybe sent) or before sending loses nothing and duplicates nothing', async () => {
    await run();
    const dossier = await env.http.submitComplete(tokens.citizen!);
    await actOn(env, 'officer', dossier.code, '1100');
    const t0 = new Date();
    // Server A claims the first message and sends it, then dies before recording it; the second is queued only.
    const claimed = (await claimDue(t.db, t0, ['portal-sync'], later(t0, policy.leaseMs)))[0]!;
    expect(claimed.dossier_id).toBe(dossier.id);
    await deliverers['portal-sync']!.deliver(t.db, claimed);
    await t.reopen();

    // The lease holds the claimed message back from others until it runs out; its successor waits behind it.
    expect(await run(later(t0, 1000))).toMatchObject({ sent: 0 });
    expect(await run(later(t0, policy.leaseMs))).toMatchObject({ sent: 2 });
    const messages = await received(dossier.code);
    expect(messages.map((m) => [m.message.status, m.deliveries])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    const rows = (await deliveriesOf(t.db, dossier.id)).filter((d) => d.channel === 'portal-sync');
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 1],
    ]);
  });
});
