import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  instanceId: string;
  seq: number;
  version: number;
  type: string;
  elementId: string | null;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/** sha-256 over the previous hash and the event in canonical JSON (keys sorted, so jsonb round trips agree). */
export function eventHash(prevHash: string, event: ChainedEvent): string {
  const canonical = canonicalJson({ ...event, at: event.at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
