/**
 * bench:engine — N dossiers through the standard procedure's happy path (8 actions each) with C concurrent
 * workers, straight through the engine interface (no HTTP), on the configured database (DATABASE_URL, else an
 * embedded PGlite in memory). Prints act()/s, p50/p99 of one act(), stored state bytes per instance, peak heap.
 *
 *   npm run bench:engine -- --dossiers 400 --concurrency 16
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { createDb, type Db } from '../../engine/db/database.js';
import { migrateToLatest } from '../../engine/db/migrate.js';
import { act, deploy, openTasks, start, type Actor } from '../../engine/process-core.js';
import { databaseUrl, ignoreDropTermination, withAdmin } from '../support/pg-admin.js';
import { HAPPY_PATH, percentile, pool, timeEngineSessions } from './measure.js';

const { values } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '20' },
  },
});
const dossiers = Number(values.dossiers);
const concurrency = Number(values.concurrency);
const warmup = Number(values.warmup);

async function openDatabase(): Promise<{ db: Db; label: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const db = createDb({ pgliteDataDir: 'memory://' });
    return { db, label: 'PGlite (embedded, in memory)', drop: () => db.destroy() };
  }
  // A scratch database on the server, so the figures do not depend on what else lives there.
  const name = `dvc_bench_${randomUUID().slice(0, 8)}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const db = createDb({ databaseUrl: databaseUrl(adminUrl, name), poolSize: concurrency + 2, onConnectionError: ignoreDropTermination });
  const version = await withAdmin(adminUrl, async (c) => (await c.query('show server_version')).rows[0].server_version as string);
  return {
    db,
    label: `PostgreSQL ${version}`,
    drop: async () => {
      await db.destroy();
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
    },
  };
}

// Time spent inside bpmn-engine (restore, signal, serialise), to tell the engine's share from the database's.
const engine = timeEngineSessions();
const engineMs = () => Object.values(engine.times).reduce((sum, t) => sum + t.ms, 0);

let peakHeap = 0;
const sampleHeap = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));

async function runDossier(db: Db, latencies: number[] | null) {
  const { instanceId } = await start(db, { processKey: 'standard-one-stop', actor: { id: 'citizen', groups: ['citizen'] }, variables: { applicant: 'citizen' } });
  let version = 1;
  for (const { elementId, actionCode, role, assigns } of HAPPY_PATH) {
    // The role name stands for the user id: one user per group is enough for the engine.
    const actor: Actor = { id: role, groups: [role] };
    const input = assigns ? { assignee: assigns } : undefined;
    const task = (await openTasks(db, instanceId)).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open ${elementId}`);
    const t0 = performance.now();
    const outcome = await act(db, { instanceId, taskId: task.id, actionCode, input, actor, expectedVersion: version });
    latencies?.push(performance.now() - t0);
    version = outcome.version;
  }
  sampleHeap();
}

const { db, label, drop } = await openDatabase();
try {
  await migrateToLatest(db);
  await deploy(db, await readFile(new URL('../../processes/standard-one-stop.bpmn', import.meta.url), 'utf8'), 'bench');
  await pool(warmup, concurrency, () => runDossier(db, null));

  global.gc?.();
  const heapAtStart = process.memoryUsage().heapUsed;
  peakHeap = heapAtStart;
  const sampler = setInterval(sampleHeap, 20);
  const latencies: number[] = [];
  engine.reset();
  const t0 = performance.now();
  await pool(dossiers, concurrency, () => runDossier(db, latencies));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);

  const sorted = [...latencies].sort((a, b) => a - b);
  const state = await sql<{ avg: string; latest: string }>`
    select avg(octet_length(v.state::text))::int as avg,
           avg(octet_length(v.state::text)) filter (where v.version = i.version)::int as latest
    from instance_version v join process_instance i on i.id = v.instance_id`.execute(db);
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  console.log(`bench:engine on ${label}: ${dossiers} dossiers × ${HAPPY_PATH.length} actions, ${concurrency} concurrent workers`);
  console.log(`  act()/s              ${(latencies.length / seconds).toFixed(1)}   (plus ${(dossiers / seconds).toFixed(1)} start()/s in the same run)`);
  console.log(`  act() latency        p50 ${percentile(sorted, 50).toFixed(2)} ms   p99 ${percentile(sorted, 99).toFixed(2)} ms   max ${sorted.at(-1)!.toFixed(2)} ms`);
  console.log(`  engine time          ${(engineMs() / (latencies.length + dossiers)).toFixed(2)} ms per command inside bpmn-engine (restore, signal, getState)`);
  console.log(`  state per version    ${state.rows[0]!.avg} bytes stored (JSON, without the XML source)`);
  console.log(`  heap                 ${mb(heapAtStart)} at start, ${mb(peakHeap)} peak during the run`);
} finally {
  await drop();
}
