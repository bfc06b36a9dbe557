import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody, readSigned, sendJson as send, startLocalServer } from '../demo-peers/http.js';

/** Path the mock takes sync messages on. */
export const PORTAL_SYNC_PATH = '/api/dossiers/sync';

export interface ReceivedSync {
  idempotencyKey: string;
  receivedAt: string;
  /** How many times this key arrived (a retried delivery arrives again and is kept once). */
  deliveries: number;
  message: Record<string, unknown>;
}

export interface PortalControl {
  /** The next n sync requests fail (with `failStatus`, 503 by default) before anything is stored. */
  failNext: number;
  failStatus: number;
  /** Every sync request is stored, then answered only after this delay (a slow portal). */
  delayMs: number;
}

export interface PortalMock {
  port: number;
  /** The sync endpoint: what PORTAL_SYNC_URL names. */
  url: string;
  /** Base URL (for `/__control`, `/__received`). */
  baseUrl: string;
  received(): ReceivedSync[];
  close(): Promise<void>;
}

/**
 * A stand-in for the national public-service portal's sync endpoint, for the demo and the tests: it checks each
 * request's HMAC signature, keeps each message once by its Idempotency-Key, and can be told to fail or to be slow
 * (`POST /__control {failNext, failStatus, delayMs}`). `GET /__received` lists what it kept, in arrival order;
 * `GET /api/dossiers/:code` the latest message about a dossier. Listens on loopback only.
 */
export async function startPortalMock(options: { port: number; host?: string; secret: string; control?: Partial<PortalControl> }): Promise<PortalMock> {
  const host = options.host ?? '127.0.0.1';
  const control: PortalControl = { failNext: 0, failStatus: 503, delayMs: 0, ...options.control };
  const byKey = new Map<string, ReceivedSync>();
  const latestByDossier = new Map<string, ReceivedSync>();

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === 'POST' && url.pathname === PORTAL_SYNC_PATH) return sync(req, res);
    if (req.method === 'POST' && url.pathname === '/__control') {
      const body = JSON.parse((await readBody(req)) || '{}') as Partial<PortalControl>;
      for (const key of ['failNext', 'failStatus', 'delayMs'] as const) {
        if (body[key] !== undefined) {
          if (!Number.isInteger(body[key]) || body[key]! < 0) return send(res, 400, { error: `${key} must be a non-negative integer` });
          control[key] = body[key]!;
        }
      }
      return send(res, 200, control);
    }
    if (req.method === 'GET' && url.pathname === '/__received') return send(res, 200, [...byKey.values()]);
    const dossier = /^\/api\/dossiers\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && dossier) {
      const latest = latestByDossier.get(decodeURIComponent(dossier[1]!));
      return latest ? send(res, 200, latest.message) : send(res, 404, { error: 'Không tìm thấy hồ sơ / no such dossier' });
    }
    return send(res, 404, { error: 'not found' });
  }

  async function sync(req: IncomingMessage, res: ServerResponse) {
    const signed = await readSigned(req, res, options.secret);
    if (!signed) return;
    const { key, body } = signed;
    if (control.failNext > 0) {
      control.failNext--;
      return send(res, control.failStatus, { error: 'Cổng tạm thời không phản hồi / portal unavailable (mock)' });
    }
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
    const known = byKey.get(key);
    if (known) known.deliveries++;
    else {
      const entry = { idempotencyKey: key, receivedAt: new Date().toISOString(), deliveries: 1, message };
      byKey.set(key, entry);
      if (typeof message.dossierCode === 'string') latestByDossier.set(message.dossierCode, entry);
    }
    if (control.delayMs) await sleep(control.delayMs);
    return send(res, 200, { accepted: true, duplicate: known !== undefined });
  }

  const server = await startLocalServer(handle, { port: options.port, host });
  const port = server.port;
  const baseUrl = `http://${host}:${port}`;
  return {
    port,
    url: `${baseUrl}${PORTAL_SYNC_PATH}`,
    baseUrl,
    received: () => [...byKey.values()],
    close: () => server.close(),
  };
}
