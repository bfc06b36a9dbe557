/**
 * Loaded into the benchmarked server (`node --import tsx --import ./test/bench/server-probe.ts server/main.ts`),
 * never in production: counts what a command costs inside the server — engine-cache hits, time inside
 * bpmn-engine, SQL statements and their round-trip time, CPU and event-loop use. On SIGWINCH (SIGUSR2 is taken:
 * close-with-grace shuts down on it) it writes the figures since the previous SIGWINCH to BENCH_PROBE_FILE and
 * starts counting afresh. With BENCH_PROFILE_DIR set, the V8 CPU profiler (what `node --cpu-prof` runs, here limited to the measured phases) records each such
 * interval into `<dir>/interval-<n>.cpuprofile`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { engineCache } from '../../engine/runtime/engine-cache.js';
import { timeEngineSessions } from './measure.js';

export interface ProbeSnapshot {
  seq: number;
  seconds: number;
  cache: { hits: number; misses: number };
  engine: ReturnType<typeof timeEngineSessions>['times'];
  sql: { statements: number; ms: number; transactions: number };
  /** CPU seconds of the whole server process (all its threads) and the main thread's busy share. */
  cpu: { user: number; system: number; eventLoopUtilization: number };
  /** MB when asked: the JavaScript heap in use and reserved, and memory outside it (buffers). */
  memory: { heapUsed: number; heapTotal: number; external: number };
}

const file = process.env.BENCH_PROBE_FILE;
if (!file) throw new Error('server-probe needs BENCH_PROBE_FILE');

const engine = timeEngineSessions();
const cache = { hits: 0, misses: 0 };
const take = engineCache.take.bind(engineCache);
engineCache.take = (instanceId, version) => {
  const session = take(instanceId, version);
  if (session) cache.hits++;
  else cache.misses++;
  return session;
};

// Kysely's pg dialect sends every statement through Client#query with a promise.
const sql = { statements: 0, ms: 0, transactions: 0 };
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as any).query = function timedQuery(this: pg.Client, ...args: unknown[]) {
  const t0 = performance.now();
  const result = query.apply(this, args);
  sql.statements++;
  const text = typeof args[0] === 'string' ? args[0] : '';
  if (/^begin/i.test(text)) sql.transactions++;
  if (result instanceof Promise) result.then(() => (sql.ms += performance.now() - t0), () => (sql.ms += performance.now() - t0));
  return result;
};

const profileDir = process.env.BENCH_PROFILE_DIR;
const inspector = profileDir ? new Session() : null;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}

let seq = 0;
let since = { at: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };

process.on('SIGWINCH', async () => {
  // The figures first, so that stopping the profiler and writing its file are charged to no interval.
  const used = process.cpuUsage(since.cpu);
  const snapshot: ProbeSnapshot = {
    seq: seq + 1,
    seconds: (performance.now() - since.at) / 1000,
    cache: { ...cache },
    engine: structuredClone(engine.times),
    sql: { ...sql },
    cpu: { user: used.user / 1e6, system: used.system / 1e6, eventLoopUtilization: performance.eventLoopUtilization(since.elu).utilization },
    memory: (({ heapUsed, heapTotal, external }) => ({ heapUsed: heapUsed / 1048576, heapTotal: heapTotal / 1048576, external: external / 1048576 }))(process.memoryUsage()),
  };
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(join(profileDir!, `interval-${snapshot.seq}.cpuprofile`), JSON.stringify(profile));
    await inspector.post('Profiler.start');
  }
  cache.hits = cache.misses = 0;
  sql.statements = sql.ms = sql.transactions = 0;
  engine.reset();
  since = { at: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
  seq = snapshot.seq;
  // Written last: the benchmark reads the profile once it sees this sequence number.
  writeFileSync(file, JSON.stringify(snapshot));
});
