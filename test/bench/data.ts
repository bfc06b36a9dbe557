/**
 * bench:data — the read paths at a province's volume: a PostgreSQL database `bench_data` with the demo catalogue
 * and accounts, N dossiers over two years and about M history events (generated from templates the real engine
 * recorded, loaded with COPY), then p50/p95/p99 of the real routes through `app.inject` (JWT check, handler, SQL,
 * serialisation): public lookup by code and PIN, an officer's first inbox page (group and mine), a dossier's
 * history as auditor, the agency summary report for a year; compared with their targets.
 *
 *   npm run bench:data -- [--dossiers 1000000] [--events 10000000] [--runs 200] [--report-runs 10] [--keep]
 *   npm run bench:data -- --reuse [--keep] [--explain]     (measure a kept bench_data again, after migrating it)
 *
 * DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); the role must be a
 * superuser (COPY loads with the foreign-key triggers off, then checks the references itself).
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { createDb, type Database, type Db } from '../../engine/db/database.js';
import { migrateToLatest } from '../../engine/db/migrate.js';
import { verifyHistory } from '../../engine/process-core.js';
import { buildApp } from '../../server/app.js';
import { deployBundledProcesses } from '../../server/processes.js';
import { seedDemo, type DemoAccount } from '../../server/seed/seed.js';
import { seedPublicHolidays } from '../../server/seed/holidays.js';
import { databaseUrl, ignoreDropTermination, withAdmin } from '../support/pg-admin.js';
import { percentile } from './measure.js';
import { TemplateRecorder } from './dataset/templates.js';
import { checkReferences, generate } from './dataset/generate.js';

const { values } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '1000000' },
    events: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '200' },
    'report-runs': { type: 'string', default: '10' },
    warmup: { type: 'string', default: '20' },
    seed: { type: 'string', default: '20240821' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
});
const DATABASE = 'bench_data';
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const url = databaseUrl(adminUrl, DATABASE);
const runs = Number(values.runs);
const reportRuns = Number(values['report-runs']);
const warmup = Number(values.warmup);
const log = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

if (!values.reuse) {
  await withAdmin(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${DATABASE}`);
  });
}
const db = createDb({ databaseUrl: url, poolSize: 10, onConnectionError: ignoreDropTermination });
let failed = false;
try {
  const migrated = await migrateToLatest(db);
  if (migrated.length) log(`migrated: ${migrated.join(', ')}`);
  if (!values.reuse) await load(db);
  const accounts = (await seedDemo(db)).accounts;
  await printSizes(db);
  failed = !(await measure(db, accounts));
} finally {
  await db.destroy();
  if (!values.keep) {
    await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
    log(`dropped ${DATABASE} (--keep keeps it)`);
  }
}
process.exit(failed ? 1 : 0);

async function load(db: Db) {
  const now = new Date();
  const t0 = performance.now();
  await deployBundledProcesses(db);
  const year = now.getFullYear();
  await seedPublicHolidays(db, [year - 3, year - 2, year - 1, year, year + 1]);
  await seedDemo(db);
  const recorder = new TemplateRecorder();
  try {
    log(`generating ${values.dossiers} dossiers, ~${values.events} history events into ${DATABASE}`);
    const result = await generate(db, url, recorder, { dossiers: Number(values.dossiers), events: Number(values.events), now, days: 730, seed: Number(values.seed), log });
    log(`  loaded in ${seconds(t0)} (planning ${result.seconds.plan.toFixed(1)} s, COPY ${result.seconds.load.toFixed(1)} s)`);
    log(`  rows: ${Object.entries(result.rows).map(([t, n]) => `${t} ${n}`).join(', ')}`);
    log(`  histories: ${result.historyLevels.full} complete, ${result.historyLevels.business} business events only, ${result.historyLevels.status} status trail only`);
    log(`  national status now: ${Object.entries(result.statuses).sort().map(([s, n]) => `${s}: ${n}`).join(', ')}; open tasks ${result.openTasks}`);
  } finally {
    await recorder.close();
  }
  const t1 = performance.now();
  await sql`vacuum (analyze)`.execute(db);
  // The load leaves gigabytes of dirty pages: written now, not by the checkpointer while the queries are timed.
  await sql`checkpoint`.execute(db);
  log(`  vacuum analyze and checkpoint ${seconds(t1)}`);
  const orphans = await checkReferences(db);
  if (Object.values(orphans).some((n) => n > 0)) throw new Error(`inconsistent references: ${JSON.stringify(orphans)}`);
  // The generated hash chains are the engine's own: its verification must accept them.
  const sample = await sql<{ id: string }>`select id from process_instance order by random() limit 20`.execute(db);
  for (const { id } of sample.rows) {
    const verdict = await verifyHistory(db, id);
    if (!verdict.ok) throw new Error(`history of ${id} does not verify: ${verdict.reason}`);
  }
  log(`  references checked, ${sample.rows.length} sampled hash chains verify; total ${seconds(t0)}`);
}

async function printSizes(db: Db) {
  const sizes = await sql<{ name: string; rows: string; total: string }>`
    select c.relname as name, c.reltuples::bigint::text as rows, pg_size_pretty(pg_total_relation_size(c.oid)) as total
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname in ('dossier', 'process_instance', 'task', 'history_event', 'instance_version', 'job', 'app_user')
    order by pg_total_relation_size(c.oid) desc`.execute(db);
  const database = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(db);
  log(`database ${database.rows[0]!.size}: ${sizes.rows.map((r) => `${r.name} ${r.rows} rows ${r.total}`).join('; ')}`);
}

async function measure(db: Db, accounts: DemoAccount[]): Promise<boolean> {
  const captured: CompiledQuery[] = [];
  // With --explain a second pool logs the SQL of one request of each kind, to show its plan afterwards.
  const explainDb = values.explain
    ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 4 }) }), log: (e) => void captured.push(e.query) })
    : null;
  const app = await buildApp({ db, backend: 'postgresql', logLevel: 'silent', jwtSecret: randomBytes(32).toString('hex'), rateLimitScale: 1e6 });
  const explainApp = explainDb ? await buildApp({ db: explainDb, backend: 'postgresql', logLevel: 'silent', jwtSecret: randomBytes(32).toString('hex'), rateLimitScale: 1e6 }) : null;
  try {
    const login = async (target: FastifyInstance, account: DemoAccount) => {
      const res = await target.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.login, password: account.password } });
      if (res.statusCode !== 200) throw new Error(`login ${account.login}: ${res.statusCode} ${res.body}`);
      return res.json().accessToken as string;
    };
    const byEmail = (email: string) => accounts.find((a) => a.login === email)!;

    // The busiest inbox: the agency and role with the most open tasks; the officer with most tasks assigned.
    const busiest = await sql<{ email: string; open: number }>`
      select u.email, count(*)::int as open from task t
      join dossier d on d.instance_id = t.instance_id
      join user_role ur on ur.agency_id = d.agency_id and ur.role = any(t.candidate_groups)
      join app_user u on u.id = ur.user_id
      where t.state = 'open' group by u.email order by 2 desc limit 1`.execute(db);
    const assigned = await sql<{ email: string; open: number }>`
      select u.email, count(*)::int as open from task t join app_user u on u.id::text = t.assignee
      where t.state = 'open' and u.kind = 'staff' group by u.email order by 2 desc limit 1`.execute(db);
    const bigAgency = await sql<{ code: string; dossiers: number }>`
      select a.code, count(*)::int as dossiers from dossier d join agency a on a.id = d.agency_id group by a.code order by 2 desc limit 1`.execute(db);
    const lookups = await sql<{ code: string; pin: string }>`select code, pin from dossier where code is not null order by random() limit ${runs + warmup}`.execute(db);
    const histories = await sql<{ id: string; events: number }>`
      select d.id, i.last_event_seq as events from dossier d join process_instance i on i.id = d.instance_id
      where i.last_event_seq >= 30 order by random() limit ${runs + warmup}`.execute(db);
    const year = new Date().getFullYear() - 1;
    const group = busiest.rows[0]!;
    const mine = assigned.rows[0]!;
    const agency = bigAgency.rows[0]!;
    log(`inbox: ${group.email} sees ${group.open} open tasks; ${mine.email} has ${mine.open} assigned; report: ${agency.code} (${agency.dossiers} dossiers), ${year}`);

    const tokens = new Map<FastifyInstance, Map<string, string>>();
    const tokenOf = async (target: FastifyInstance, email: string) => {
      const known = tokens.get(target) ?? new Map<string, string>();
      tokens.set(target, known);
      if (!known.has(email)) known.set(email, await login(target, byEmail(email)));
      return known.get(email)!;
    };
    const auditor = accounts.find((a) => a.description === 'auditor')!.login;
    const plans: { name: string; target: number | null; count: number; requests: (i: number) => { url: string; as: string | null } }[] = [
      // The same harness around a request that does almost nothing: the share of the tails that is not the query.
      { name: 'baseline: GET /api/health', target: null, count: runs, requests: () => ({ url: '/api/health', as: null }) },
      { name: 'lookup by code + PIN', target: 5, count: runs, requests: (i) => ({ url: `/api/lookup?code=${encodeURIComponent(lookups.rows[i % lookups.rows.length]!.code)}&pin=${lookups.rows[i % lookups.rows.length]!.pin}`, as: null }) },
      { name: 'inbox, group view, page 1', target: 30, count: runs, requests: () => ({ url: '/api/tasks?view=group', as: group.email }) },
      { name: 'inbox, mine view, page 1', target: 30, count: runs, requests: () => ({ url: '/api/tasks?view=mine', as: mine.email }) },
      { name: 'dossier history (auditor)', target: null, count: runs, requests: (i) => ({ url: `/api/dossiers/${histories.rows[i % histories.rows.length]!.id}/history`, as: auditor }) },
      { name: `agency summary ${agency.code} ${year}`, target: 2000, count: reportRuns, requests: () => ({ url: `/api/reports/agency-summary?agency=${encodeURIComponent(agency.code)}&from=${year}-01-01&to=${year}-12-31&format=json`, as: auditor }) },
    ];

    const results: { name: string; runs: number; p50: number; p95: number; p99: number; max: number; target: number | null }[] = [];
    for (const plan of plans) {
      const call = async (target: FastifyInstance, i: number) => {
        const { url: path, as } = plan.requests(i);
        const headers = as ? { authorization: `Bearer ${await tokenOf(target, as)}` } : undefined;
        const t0 = performance.now();
        const res = await target.inject({ method: 'GET', url: path, headers });
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${plan.name}: GET ${path} answered ${res.statusCode} ${res.body.slice(0, 300)}`);
        return ms;
      };
      const warm = plan.target === 2000 ? 2 : warmup;
      for (let i = 0; i < warm; i++) await call(app, runs + i);
      // The garbage of the plans before is collected now, not in the middle of this one's timings.
      globalThis.gc?.();
      const latencies: number[] = [];
      for (let i = 0; i < plan.count; i++) latencies.push(await call(app, i));
      latencies.sort((a, b) => a - b);
      results.push({ name: plan.name, runs: plan.count, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1)!, target: plan.target });
      if (explainApp) {
        captured.length = 0;
        await call(explainApp, 0);
        log(`\n— ${plan.name}: ${captured.length} queries`);
        // In one transaction, with the settings the request made (the report turns JIT off), as it ran them.
        await db.transaction().execute(async (trx) => {
          for (const query of captured) {
            if (/^\s*set /i.test(query.sql)) await sql.raw(inline(query)).execute(trx);
            if (!/^\s*(select|with)/i.test(query.sql)) continue;
            const plan = await sql.raw<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${inline(query)}`).execute(trx);
            log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
          }
        });
      }
    }

    // Other work on the machine shows in the tails: say how busy it was.
    log(`\nload average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${cpus().length} CPUs while measuring`);
    const pad = (text: string, width: number) => text.padEnd(width);
    const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`.padStart(11);
    log(`${pad('measurement', 36)}${pad('runs', 6)}${'p50'.padStart(11)}${'p95'.padStart(11)}${'p99'.padStart(11)}${'max'.padStart(11)}  target (p99)`);
    let ok = true;
    for (const r of results) {
      const verdict = r.target === null ? '—' : r.p99 < r.target ? `< ${r.target} ms  ok` : `< ${r.target} ms  MISSED`;
      if (r.target !== null && r.p99 >= r.target) ok = false;
      log(`${pad(r.name, 36)}${pad(String(r.runs), 6)}${ms(r.p50)}${ms(r.p95)}${ms(r.p99)}${ms(r.max)}  ${verdict}`);
    }
    return ok;
  } finally {
    await app.close();
    await explainApp?.close();
    await explainDb?.destroy();
  }
}

/** The query with its parameters written in, for EXPLAIN (which takes no bind parameters). */
function inline(query: CompiledQuery): string {
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.parameters[Number(n) - 1];
    if (value === null || value === undefined) return 'null';
    if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return `array[${value.map((v) => `'${String(v).replaceAll("'", "''")}'`).join(',')}]`;
    return `'${String(value).replaceAll("'", "''")}'`;
  });
}
