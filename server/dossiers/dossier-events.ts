import { PassThrough } from 'node:stream';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../../engine/db/database.js';
import { onHistoryAppended, type HistoryAppended } from '../../engine/process-core.js';
import { afterCommit } from '../../engine/runtime/command.js';
import { problems } from '../schemas.js';
import { IdParams } from './dossier.routes.js';
import { readableDossier } from './dossier.service.js';
import * as repo from './dossier.repository.js';

/**
 * Live dossier status (GET /api/dossiers/:id/events, text/event-stream): an event whenever the dossier's history
 * grows, with its new status and last event seq.
 *
 * Notifications only wake streams up; what a stream sends it always reads from the database, from the client's
 * cursor (Last-Event-ID or `?after=`) on. So a lost notification, a dropped listener or a server restart delays
 * an event (at most until the next heartbeat's check) but never loses it. Where the wake-ups come from:
 * - every command that appends history issues `pg_notify` in its own transaction (delivered only on commit) and,
 *   once committed, wakes this process's streams directly (PGlite: one process, this is the whole fan-out);
 * - on PostgreSQL each server process keeps one dedicated connection that LISTENs and wakes its own streams, so a
 *   change made through one server reaches pages connected to another.
 */

export const DOSSIER_EVENTS_CHANNEL = 'dossier_events';
const HEARTBEAT_MS = 15_000;

export interface DossierEvent {
  dossierId: string;
  /** The history's last event seq: the SSE id, and `after` when reconnecting. */
  seq: number;
  /** National status 1–10 (null before the first is set). */
  status: number | null;
}

// Wake-up functions by dossier id, for every app of this process (dossier ids are UUIDs: no two databases share one).
const watchers = new Map<string, Set<() => void>>();

function watch(dossierId: string, wake: () => void): () => void {
  let set = watchers.get(dossierId);
  if (!set) watchers.set(dossierId, (set = new Set()));
  set.add(wake);
  return () => {
    set.delete(wake);
    if (!set.size) watchers.delete(dossierId);
  };
}

function wake(dossierId: string) {
  for (const fn of watchers.get(dossierId) ?? []) fn();
}

function wakeAll() {
  for (const set of watchers.values()) for (const fn of set) fn();
}

/** Runs in the command's transaction: the NOTIFY leaves on commit, and a rolled-back command announces nothing. */
async function announce(trx: Db, appended: HistoryAppended): Promise<void> {
  const dossierId = appended.businessKey;
  if (!dossierId) return;
  const event: DossierEvent = { dossierId, seq: appended.lastSeq, status: appended.dossierStatus };
  await sql`select pg_notify(${DOSSIER_EVENTS_CHANNEL}, ${JSON.stringify(event)})`.execute(trx);
  afterCommit(trx, () => wake(dossierId));
}

/**
 * The process's one LISTEN connection (a pooled connection cannot hold a LISTEN). Reconnects with backoff when
 * dropped, then wakes every stream, since notifications committed meanwhile were not heard.
 */
class DatabaseListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private delayMs = 500;

  constructor(
    private readonly url: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  start() {
    void this.connect();
  }

  private async connect() {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'dvc dossier events' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== DOSSIER_EVENTS_CHANNEL || !message.payload) return;
      try {
        wake((JSON.parse(message.payload) as DossierEvent).dossierId);
      } catch (err) {
        this.log.warn({ err }, 'malformed dossier event notification');
      }
    });
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${DOSSIER_EVENTS_CHANNEL}`);
    } catch (err) {
      this.dropped(client, err as Error);
      return;
    }
    if (this.client !== client) return;
    this.delayMs = 500;
    wakeAll();
  }

  private dropped(client: pg.Client, err?: Error) {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.log.warn({ err, retryInMs: this.delayMs }, 'dossier event listener disconnected; reconnecting');
    this.retry = setTimeout(() => void this.connect(), this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, 30_000);
  }

  async close() {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

/** One client's stream: sends what the history table says changed since its cursor, never the same seq twice. */
class DossierStream {
  readonly out = new PassThrough();
  private lastSeq: number | null;
  private started = false;
  private reading = false;
  private again = false;
  private closed = false;
  private readonly unwatch: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly dossierId: string,
    cursor: number | null,
    private readonly log: FastifyBaseLogger,
  ) {
    this.lastSeq = cursor;
    // Watching starts before the first read, so that no commit falls between the two.
    this.unwatch = watch(dossierId, () => this.wake());
    // The comment keeps proxies from timing the connection out; the read catches up on any wake-up that was lost.
    this.heartbeat = setInterval(() => {
      this.write(': heartbeat\n\n');
      this.wake();
    }, HEARTBEAT_MS);
    this.write('retry: 3000\n\n');
    this.wake();
  }

  wake() {
    if (this.closed) return;
    this.again = true;
    if (!this.reading) void this.catchUp();
  }

  private async catchUp() {
    this.reading = true;
    try {
      // A wake-up during a read means another read: the loop's check and the flag's reset happen in one tick.
      while (this.again && !this.closed) {
        this.again = false;
        await this.readOnce();
      }
    } finally {
      this.reading = false;
    }
  }

  private async readOnce() {
    let end: Awaited<ReturnType<typeof repo.historyEnd>>;
    try {
      end = await repo.historyEnd(this.db, this.dossierId);
    } catch (err) {
      // The database is unreachable for now: the next heartbeat tries again.
      this.log.warn({ err, dossierId: this.dossierId }, 'dossier event stream could not read the history');
      return;
    }
    if (this.closed) return;
    const event: DossierEvent = { dossierId: this.dossierId, seq: end?.last_seq ?? 0, status: end?.dossier_status ?? null };
    // A reconnecting client first gets what it missed; `ready` then says the stream is live.
    if (event.seq !== this.lastSeq && (this.started || this.lastSeq !== null)) this.send('dossier', event);
    if (!this.started) this.send('ready', event);
    this.started = true;
    this.lastSeq = event.seq;
  }

  private send(name: 'ready' | 'dossier', event: DossierEvent) {
    this.write(`event: ${name}\nid: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  private write(chunk: string) {
    if (!this.closed) this.out.write(chunk);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.unwatch();
    this.out.end();
  }
}

/** The client's cursor: the browser's Last-Event-ID on an automatic reconnect, else `?after=`. */
function cursorOf(lastEventId: string | undefined, after: number | undefined): number | null {
  const fromHeader = lastEventId !== undefined && /^\d{1,12}$/.test(lastEventId) ? Number(lastEventId) : undefined;
  const candidates = [fromHeader, after].filter((n): n is number => n !== undefined);
  return candidates.length ? Math.max(...candidates) : null;
}

/**
 * EventSource cannot send an Authorization header, so this one route also takes the access token as
 * `?access_token=`; it is then checked by the same guard as a header would be. The route logs at warn level only,
 * so that URLs carrying a token stay out of the request log.
 */
async function tokenFromQuery(request: FastifyRequest) {
  const token = (request.query as { access_token?: unknown }).access_token;
  if (typeof token === 'string' && token && !request.headers.authorization) request.headers.authorization = `Bearer ${token}`;
}

export interface DossierEventsOptions {
  /** PostgreSQL connection string: one connection LISTENs for changes made by other server processes. */
  databaseUrl?: string;
}

const dossierEvents: FastifyPluginAsyncTypebox<DossierEventsOptions> = async (app, options) => {
  onHistoryAppended(announce);
  const listener = options.databaseUrl ? new DatabaseListener(options.databaseUrl, app.log) : undefined;
  listener?.start();
  const streams = new Set<DossierStream>();
  // Open streams would keep app.close() waiting for ever: they end first, and clients reconnect elsewhere.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.close();
  });
  app.addHook('onClose', async () => listener?.close());

  app.get(
    '/api/dossiers/:id/events',
    {
      onRequest: [tokenFromQuery, app.authenticate],
      logLevel: 'warn',
      schema: {
        tags: ['dossiers'],
        security: [{ bearer: [] }],
        summary: 'Trạng thái hồ sơ trực tiếp — live status (text/event-stream) for the applicant and staff who may read the dossier',
        description:
          'Events: `ready` once the stream is live, `dossier` whenever the history grows; data `{dossierId, seq, status}`, id = seq. ' +
          'A reconnecting client sends Last-Event-ID (or `after`) and first gets what it missed. A comment every 15 s keeps the ' +
          'connection open. The stream ends when the access token expires: reconnect with a fresh one.',
        params: IdParams,
        querystring: Type.Object(
          {
            access_token: Type.Optional(Type.String({ maxLength: 4096, description: 'For EventSource, which cannot send an Authorization header' })),
            after: Type.Optional(Type.Integer({ minimum: 0, description: 'The last seq the client has seen' })),
          },
          { additionalProperties: false },
        ),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 20 })) }),
        produces: ['text/event-stream'],
        response: { 200: Type.Unsafe({ type: 'string', description: 'text/event-stream' }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const dossierId = await readableDossier(app.db, request.user, request.params.id);
      const stream = new DossierStream(app.db, dossierId, cursorOf(request.headers['last-event-id'], request.query.after), request.log);
      streams.add(stream);
      // Access is judged when the stream opens; it ends with the token, and the client comes back with a fresh one.
      const { exp } = await request.jwtDecode<{ exp?: number }>();
      const expiry = exp ? setTimeout(() => stream.close(), Math.max(0, exp * 1000 - Date.now())) : undefined;
      reply.raw.on('close', () => {
        clearTimeout(expiry);
        stream.close();
        streams.delete(stream);
      });
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream.out);
    },
  );
};

export default dossierEvents;
