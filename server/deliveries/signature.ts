import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed portal-sync request. */
export const SIGNATURE_HEADER = 'x-dvc-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** How far a signature's time may be from the receiver's clock: an old captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const mac = (secret: string, timestamp: number, key: string, body: string) => createHmac('sha256', secret).update(`${timestamp}.${key}.${body}`).digest('hex');

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.idempotencyKey.body">`: binds the body, its key and its time. */
export function signRequest(secret: string, key: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, key, body)}`;
}

export function verifyRequest(secret: string, key: string, body: string, header: string | undefined, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const match = header ? /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header.trim()) : null;
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return timingSafeEqual(Buffer.from(match[2]!, 'hex'), Buffer.from(mac(secret, timestamp, key, body), 'hex'));
}
