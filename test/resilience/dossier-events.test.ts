import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.js';
import { actOn, openTaskOf, useApiTest } from '../support/api.js';
import { openEventStream, type EventStreamClient } from './event-stream.js';

// Live dossier status in one server process (on PGlite the whole fan-out; on PostgreSQL also through NOTIFY).
const env = useApiTest({ as: { citizen: 'citizen', officer: 'one-stop-officer @ H20.11', officerOther: 'one-stop-officer @ H20.20', auditor: 'auditor' } });
let base: string;
const opened: EventStreamClient[] = [];
const open = async (path: string, headers: Record<string, string> = {}) => {
  const stream = await openEventStream(`${base}${path}`, headers);
  opened.push(stream);
  return stream;
};
const bearer = (who: string) => ({ authorization: `Bearer ${env.tokens[who]}` });

beforeAll(async () => {
  base = await env.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => {
  for (const stream of opened) stream.close();
});

describe('GET /api/dossiers/:id/events', () => {
  let dossier: { id: string; code: string };
  beforeAll(async () => {
    dossier = await env.http.submitComplete(env.tokens.citizen!);
  });

  test('is refused without a token, to staff of another agency and for a malformed cursor', async () => {
    const anonymous = await open(`/api/dossiers/${dossier.id}/events`);
    expect([anonymous.status, anonymous.contentType, anonymous.problem.type]).toEqual([401, 'application/problem+json; charset=utf-8', '/problems/unauthenticated']);
    const forged = await open(`/api/dossiers/${dossier.id}/events?access_token=not.a.token`);
    expect(forged.status).toBe(401);
    const otherAgency = await open(`/api/dossiers/${dossier.id}/events`, bearer('officerOther'));
    expect([otherAgency.status, otherAgency.problem.type]).toEqual([404, '/problems/dossier-not-found']);
    const badCursor = await open(`/api/dossiers/${dossier.id}/events?after=-1`, bearer('citizen'));
    expect(badCursor.status).toBe(400);
  });

  test('the applicant (token in the query) and the agency’s officer (header) see every growth of the history live', async () => {
    const detail = (await env.http.call('GET', `/api/dossiers/${dossier.id}`, env.tokens.citizen)).json();
    const start = detail.lastEventSeq as number;
    expect(start).toBeGreaterThan(0);
    const citizen = await open(`/api/dossiers/${dossier.id}/events?access_token=${env.tokens.citizen}&after=${start}`);
    const officer = await open(`/api/dossiers/${dossier.id}/events`, bearer('officer'));
    const auditor = await open(`/api/dossiers/${dossier.id}/events`, bearer('auditor'));
    expect([citizen.status, citizen.contentType]).toEqual([200, 'text/event-stream; charset=utf-8']);
    for (const stream of [citizen, officer, auditor]) {
      expect(await stream.next()).toEqual({ event: 'ready', id: String(start), data: { dossierId: dossier.id, seq: start, status: 1 } });
    }

    await actOn(env, 'officer', dossier.code, '1100');
    const received = await citizen.next((e) => e.event === 'dossier');
    expect(received.data).toMatchObject({ dossierId: dossier.id, status: 2 });
    expect(received.data.seq).toBeGreaterThan(start);
    expect(received.id).toBe(String(received.data.seq));
    expect((await officer.next((e) => e.event === 'dossier')).data).toEqual(received.data);
    expect((await auditor.next((e) => e.event === 'dossier')).data).toEqual(received.data);
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}`, env.tokens.citizen)).json().lastEventSeq).toBe(received.data.seq);

    // A claim changes no status but grows the history: an event too.
    const transfer = (await openTaskOf(env, 'officer', dossier.code))!;
    expect((await env.http.call('POST', `/api/tasks/${transfer.id}/claim`, env.tokens.officer)).statusCode).toBe(200);
    const claimed = await officer.next((e) => e.event === 'dossier' && e.data.seq > received.data.seq);
    expect(claimed.data.status).toBe(2);
    expect(citizen.events.filter((e) => e.event === 'dossier').length).toBeLessThanOrEqual(2);
  });

  test('a reconnecting client first gets what it missed (Last-Event-ID or after), then `ready`', async () => {
    const current = (await env.http.call('GET', `/api/dossiers/${dossier.id}`, env.tokens.citizen)).json().lastEventSeq as number;
    const missed = await open(`/api/dossiers/${dossier.id}/events?access_token=${env.tokens.citizen}`, { 'last-event-id': '1' });
    expect((await missed.next((e) => e.event === 'ready')).data.seq).toBe(current);
    expect(missed.events.map((e) => [e.event, e.data.seq])).toEqual([
      ['dossier', current],
      ['ready', current],
    ]);
    const upToDate = await open(`/api/dossiers/${dossier.id}/events?after=${current}`, bearer('citizen'));
    await upToDate.next((e) => e.event === 'ready');
    expect(upToDate.events.map((e) => e.event)).toEqual(['ready']);
  });

  test('a stream ends when its access token expires: the client comes back with a fresh one', async () => {
    const { sub, kind, name, roles } = env.app.jwt.decode<{ sub: string; kind: 'citizen'; name: string; roles: [] }>(env.tokens.citizen!)!;
    const shortLived = env.app.jwt.sign({ sub, kind, name, roles }, { expiresIn: 2 });
    const stream = await open(`/api/dossiers/${dossier.id}/events?access_token=${shortLived}`);
    await stream.next((e) => e.event === 'ready');
    const opened = Date.now();
    await stream.ended;
    expect(Date.now() - opened).toBeLessThan(4_000);
    expect((await open(`/api/dossiers/${dossier.id}/events?access_token=${shortLived}`)).status).toBe(401);
  });

  test('closing the server ends its open streams instead of waiting for them', async () => {
    const second = await buildApp({ db: env.t.db, backend: env.t.backend === 'postgres' ? 'postgresql' : 'pglite', logLevel: 'silent', jwtSecret: 'test-secret-0123456789' });
    const url = await second.listen({ host: '127.0.0.1', port: 0 });
    const stream = await openEventStream(`${url}/api/dossiers/${dossier.id}/events`, bearer('officer'));
    await stream.next((e) => e.event === 'ready');
    const closing = Date.now();
    await second.close();
    await stream.ended;
    expect(Date.now() - closing).toBeLessThan(3_000);
  });
});
