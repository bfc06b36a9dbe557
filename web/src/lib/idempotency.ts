/**
 * A fresh Idempotency-Key. crypto.getRandomValues works on plain-HTTP intranet addresses too, where
 * crypto.randomUUID (secure contexts only) does not.
 */
export function idempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
