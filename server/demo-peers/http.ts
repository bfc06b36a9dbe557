import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verifyRequest } from '../deliveries/signature.js';

/** The plumbing the demo's stand-in peers share (mock portal, payment sandbox, post office): loopback HTTP. */

export interface LocalServer {
  port: number;
  /** `http://host:port`, usable from this machine. */
  origin: string;
  close(): Promise<void>;
}

export class BodyTooLarge extends Error {}

/** How this machine reaches a server listening on `host`: a wildcard address listens on loopback too. */
export function reachableHost(host: string): string {
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return local.includes(':') ? `[${local}]` : local;
}

/**
 * Starts a demo stand-in; null when its port is taken, which on a demo machine means another server of the demo
 * runs the stand-in already: this server then uses that one (the peers' secrets are shared through the database).
 */
export async function unlessPortTaken<T>(start: () => Promise<T>): Promise<T | null> {
  try {
    return await start();
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    return null;
  }
}

/** Listens on loopback (port 0: any free one); a handler's error answers 413 or 400 with its message. */
export async function startLocalServer(
  handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>,
  options: { port?: number; host?: string },
): Promise<LocalServer> {
  const server = createServer((req, res) => {
    handle(req, res, new URL(req.url ?? '/', 'http://peer.invalid')).catch((err: Error) => sendJson(res, err instanceof BodyTooLarge ? 413 : 400, { error: err.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    origin: `http://${reachableHost(address.address)}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function readBody(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLarge('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, body: string) {
  if (res.headersSent || res.destroyed) return;
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    })
    .end(body);
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A signed request's key and body, as the system sends them (see deliveries/signed-request.ts); a request without
 * its Idempotency-Key or with a bad signature is answered (400, 401) here and gives null.
 */
export async function readSigned(req: IncomingMessage, res: ServerResponse, secret: string): Promise<{ key: string; body: string } | null> {
  const body = await readBody(req);
  const key = headerOf(req, IDEMPOTENCY_HEADER);
  if (!key) {
    sendJson(res, 400, { error: 'Idempotency-Key required' });
    return null;
  }
  if (!verifyRequest(secret, key, body, headerOf(req, SIGNATURE_HEADER))) {
    sendJson(res, 401, { error: 'bad signature' });
    return null;
  }
  return { key, body };
}
