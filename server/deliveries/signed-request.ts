import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem, type Bilingual } from '../problems.js';
import { PermanentDeliveryError } from './permanent-error.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signRequest, verifyRequest } from './signature.js';

/**
 * The signed JSON exchange every peer of the system speaks (national portal, post office, partner agencies): a
 * POST keyed by `Idempotency-Key` and signed with the shared secret (`x-dvc-signature`, see signature.ts), in both
 * directions — our deliveries to the peer, and the peer's reports to our callback routes.
 */

/** POSTs `body` (JSON) to `url`, keyed and signed; the answer as it came. */
export function postSigned(url: string, options: { secret: string; key: string; body: string; timeoutMs?: number }): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: options.key, [SIGNATURE_HEADER]: signRequest(options.secret, options.key, options.body) },
    body: options.body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  });
}

/**
 * A delivery's signed POST: resolves with the body of a 2xx answer; 408, 429 and 5xx throw to have the delivery
 * retried, any other answer is final (PermanentDeliveryError).
 */
export async function deliverSigned(url: string, options: { secret: string; key: string; body: string; timeoutMs?: number }): Promise<string> {
  const response = await postSigned(url, options);
  const text = await response.text().catch(() => '');
  if (response.ok) return text;
  const detail = `HTTP ${response.status}: ${text.slice(0, 300)}`;
  if (response.status === 408 || response.status === 429 || response.status >= 500) throw new Error(detail);
  throw new PermanentDeliveryError(detail);
}

/**
 * Has the plugin's JSON bodies parsed with their bytes kept (the signature covers the body as sent), for the
 * routes of that plugin only; returns the reader of a request's raw body.
 */
export function keepRawJsonBodies(app: Pick<FastifyInstance, 'addContentTypeParser'>, bodyLimit = 16 * 1024): (request: FastifyRequest) => string {
  const rawBodies = new WeakMap<FastifyRequest, string>();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    rawBodies.set(request, body as string);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new HttpProblem(400, 'body-not-json', { vi: 'Nội dung không phải JSON hợp lệ', en: 'The body is not valid JSON' }), undefined);
    }
  });
  return (request) => rawBodies.get(request) ?? '';
}

/**
 * A peer's report must be signed with the shared secret and keyed by its own event id; otherwise 401 with the
 * peer's `problem`. Without a secret (no such peer configured) every report is refused.
 */
export function assertSignedReport(
  secret: string | undefined,
  request: FastifyRequest,
  rawBody: string,
  eventId: string,
  problem: { code: string; message: Bilingual },
): void {
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (!secret || key !== eventId || !verifyRequest(secret, key, rawBody, request.headers[SIGNATURE_HEADER] as string | undefined)) {
    throw new HttpProblem(401, problem.code, problem.message);
  }
}
