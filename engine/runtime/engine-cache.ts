import type { EngineSession } from './session.js';

/**
 * A bounded, version-checked cache of live engine sessions, purely an optimisation: restoring bpmn-engine from
 * its JSON state costs ~10 ms for the standard procedure, most of a command's CPU. A session is put back only
 * after its transaction committed, tagged with the version it committed, and handed out only for that exact
 * version; a session in use is out of the cache, so two commands never share one. Anything else (another
 * server moved the instance on, a rollback, eviction) falls back to restoring from the database.
 */
export class EngineCache {
  private readonly entries = new Map<string, { version: number; session: EngineSession }>();

  constructor(private readonly capacity: number) {}

  take(instanceId: string, version: number): EngineSession | undefined {
    const entry = this.entries.get(instanceId);
    if (!entry) return undefined;
    this.entries.delete(instanceId);
    return entry.version === version ? entry.session : undefined;
  }

  keep(instanceId: string, version: number, session: EngineSession) {
    if (this.capacity <= 0) return;
    this.entries.delete(instanceId);
    this.entries.set(instanceId, { version, session });
    // Map iteration is insertion order: the first key is the least recently used.
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets every live engine, as a restarted server would have none. */
  clear() {
    this.entries.clear();
  }
}

/** Each waiting engine holds about 1–1.5 MB of heap, so the default bounds the cache near 100 MB. */
const configured = Number.parseInt(process.env.ENGINE_CACHE_SIZE ?? '', 10);
export const engineCache = new EngineCache(Number.isFinite(configured) && configured >= 0 ? configured : 64);
