/**
 * Crash test: the real server (server/main.ts, a child process) on a fresh PostgreSQL database takes concurrent
 * citizens' submissions (draft with Idempotency-Key, eForm, upload, submit) and is killed with SIGKILL once ~40%
 * are acknowledged. It is restarted, every unacknowledged submission is sent again with the same keys, and the
 * database must then show each acknowledged submission exactly once with the code it was given, codes unique
 * and gapless per agency and day, one process instance per dossier, and every history hash chain intact.
 *
 *   npm run test:crash -- --submissions 2000 --clients 50
 *
 * DATABASE_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres; the role needs
 * CREATEDB): the run creates `crash_<timestamp>` there and drops it at the end. Exits non-zero on any violation.
 * `runCrashScenario` is also the vitest suite's scaled-down crash test (test/resilience/crash.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createDb } from '../../engine/db/database.js';
import { verifyHistory } from '../../engine/process-core.js';
import { freePort, startServer, type RunningServer } from '../e2e/harness.js';
import { databaseUrl, withAdmin } from '../support/pg-admin.js';
import { login, NetworkFailure, PROCEDURES, submitDossier, type Submitted } from './http-client.js';

export interface CrashOptions {
  submissions: number;
  clients: number;
  /** The database both server runs use: empty or migrated (the server migrates and seeds the demo at boot). */
  databaseUrl: string;
  /** The share of submissions acknowledged when the server is killed. */
  killAfter?: number;
  log?: (line: string) => void;
}

export interface CrashFigures {
  submissions: number;
  clients: number;
  /** Acknowledged by the first server, before it died. */
  acknowledgedBeforeKill: number;
  /** In flight when it died: sent again with the same keys after the restart. */
  retried: number;
  /** Of those, already submitted before the kill: the retry answered the code given then. */
  retriedAlreadySubmitted: number;
  /** Not yet started when it died: submitted to the restarted server. */
  startedAfterRestart: number;
  /** Acknowledged submissions sent once more after the restart, to check a repeated submit answers the same code. */
  repeatedAcknowledged: number;
  restartMs: number;
  /** From the first request to the last acknowledgement, restart included. */
  durationMs: number;
  submissionsPerSecond: number;
  /** Submissions per second while a server was up (the restart's downtime left out). */
  submissionsPerSecondUp: number;
  gracefulStopMs: number;
  agencyDays: number;
  historiesVerified: number;
}

export interface CrashResult {
  figures: CrashFigures;
  violations: string[];
}

/**
 * The environment of a server under test: the demo seeded (its citizen submits), rate limits raised for the
 * many clients of one address, and a free port for each of the demo's local stand-ins (SMTP catcher, mock
 * national portal, payment sandbox… every `*_PORT` setting server/config.ts reads), so that servers can run side
 * by side and next to other runs on the machine.
 */
export async function serverEnv(url: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const config = readFileSync(new URL('../../server/config.ts', import.meta.url), 'utf8');
  const portSettings = new Set([...config.matchAll(/env\.([A-Z_]+_PORT)\b/g)].map((m) => m[1]!));
  const ports: Record<string, string> = {};
  for (const name of portSettings) ports[name] = String(await freePort());
  return { DATABASE_URL: url, SEED_DEMO: 'true', RATE_LIMIT_SCALE: '100', LOG_LEVEL: 'warn', ...ports, ...extra };
}

/** Runs `fn` over `items` with `concurrency` closed-loop workers. */
async function eachConcurrently<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function runCrashScenario(options: CrashOptions): Promise<CrashResult> {
  const { submissions, clients } = options;
  const log = options.log ?? (() => undefined);
  const violations: string[] = [];
  const run = randomUUID().slice(0, 8);
  const keyOf = (i: number) => `crash-${run}-${String(i).padStart(6, '0')}`;
  const procedureOf = (i: number) => PROCEDURES[i % PROCEDURES.length]!;
  const env = await serverEnv(options.databaseUrl);

  let server: RunningServer = await startServer(env);
  const citizen = server.accounts.find((a) => a.description.startsWith('citizen'));
  if (!citizen) throw new Error(`the server printed no demo citizen:\n${server.output()}`);
  const token = await login(server, citizen);
  log(`crash: server up at ${server.baseUrl}; ${submissions} submissions by ${clients} clients`);

  // Phase 1: submissions until ~40% are acknowledged, then SIGKILL with requests in flight.
  const acknowledged = new Map<number, Submitted>();
  const inFlight: number[] = [];
  const notStarted: number[] = [];
  const killAt = Math.max(1, Math.round(submissions * (options.killAfter ?? 0.4)));
  let killed = false;
  let killedAt = 0;
  const started = performance.now();
  const firstServer = server;
  await eachConcurrently(
    Array.from({ length: submissions }, (_, i) => i),
    clients,
    async (i) => {
      if (killed) {
        notStarted.push(i);
        return;
      }
      try {
        const submitted = await submitDossier(firstServer, token, procedureOf(i), keyOf(i));
        acknowledged.set(i, submitted);
        if (!killed && acknowledged.size >= killAt) {
          killed = true;
          killedAt = performance.now();
          process.kill(firstServer.pid, 'SIGKILL');
        }
      } catch (err) {
        // Before the kill nothing may fail; after it, the connection's loss is the expected outcome.
        if (!(killed && err instanceof NetworkFailure)) violations.push(`before the kill, ${keyOf(i)}: ${(err as Error).message}`);
        inFlight.push(i);
      }
    },
  );
  await firstServer.stop();
  const acknowledgedBeforeKill = acknowledged.size;
  log(`crash: killed after ${acknowledgedBeforeKill} acknowledged; ${inFlight.length} in flight, ${notStarted.length} not started`);

  // Phase 2: restart on the same database, send every unacknowledged submission again with its key.
  const restartStarted = performance.now();
  server = await startServer(env);
  const restartMs = performance.now() - restartStarted;
  const secondServer = server;
  log(`crash: restarted in ${(restartMs / 1000).toFixed(1)} s at ${server.baseUrl}`);
  let retriedAlreadySubmitted = 0;
  const neverSent = new Set(notStarted);
  await eachConcurrently([...inFlight, ...notStarted], clients, async (i) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const submitted = await submitDossier(secondServer, token, procedureOf(i), keyOf(i));
        acknowledged.set(i, submitted);
        if (submitted.alreadySubmitted) {
          if (neverSent.has(i)) violations.push(`${keyOf(i)} was never sent before the kill, yet was already submitted`);
          retriedAlreadySubmitted++;
        }
        return;
      } catch (err) {
        if (!(err instanceof NetworkFailure) || attempt === 3) {
          violations.push(`after the restart, ${keyOf(i)}: ${(err as Error).message}`);
          return;
        }
      }
    }
  });
  const durationMs = performance.now() - started;

  // Acknowledged submissions sent once more: the same dossier and the same code, never a second one.
  const repeated = [...acknowledged.keys()].slice(0, Math.min(acknowledgedBeforeKill, 100));
  await eachConcurrently(repeated, clients, async (i) => {
    try {
      const again = await submitDossier(secondServer, token, procedureOf(i), keyOf(i));
      const first = acknowledged.get(i)!;
      if (!again.alreadySubmitted || again.id !== first.id || again.code !== first.code) {
        violations.push(`${keyOf(i)} sent again answered ${again.id} ${again.code}, first ${first.id} ${first.code}`);
      }
    } catch (err) {
      violations.push(`${keyOf(i)} sent again: ${(err as Error).message}`);
    }
  });

  const stopStarted = performance.now();
  await server.stop();
  const gracefulStopMs = performance.now() - stopStarted;

  const checks = await checkDatabase(options.databaseUrl, `crash-${run}-`, submissions, (i) => acknowledged.get(i), keyOf);
  violations.push(...checks.violations);
  // From the kill until the restarted server answered, no server was up.
  const upMs = durationMs - (restartStarted + restartMs - killedAt);
  return {
    figures: {
      submissions,
      clients,
      acknowledgedBeforeKill,
      retried: inFlight.length,
      retriedAlreadySubmitted,
      startedAfterRestart: notStarted.length,
      repeatedAcknowledged: repeated.length,
      restartMs,
      durationMs,
      submissionsPerSecond: submissions / (durationMs / 1000),
      submissionsPerSecondUp: submissions / (upMs / 1000),
      gracefulStopMs,
      agencyDays: checks.agencyDays,
      historiesVerified: checks.historiesVerified,
    },
    violations,
  };
}

/**
 * What the database must show: each submission once, with the acknowledged id and code; codes unique and, per
 * agency and day, numbered 1..n with the counter at n; one process instance per dossier; every chain intact.
 */
async function checkDatabase(
  url: string,
  keyPrefix: string,
  submissions: number,
  acknowledgedOf: (i: number) => Submitted | undefined,
  keyOf: (i: number) => string,
) {
  const violations: string[] = [];
  const db = createDb({ databaseUrl: url, poolSize: 8 });
  try {
    const rows = await db
      .selectFrom('dossier')
      .select(['id', 'code', 'state', 'idempotency_key', 'instance_id'])
      .where('idempotency_key', 'like', `${keyPrefix}%`)
      .execute();
    const byKey = new Map<string, typeof rows>();
    for (const row of rows) byKey.set(row.idempotency_key!, [...(byKey.get(row.idempotency_key!) ?? []), row]);
    for (let i = 0; i < submissions; i++) {
      const key = keyOf(i);
      const ack = acknowledgedOf(i);
      const found = byKey.get(key) ?? [];
      if (!ack) violations.push(`${key} was never acknowledged`);
      if (found.length !== 1) {
        violations.push(`${key} is stored ${found.length} times`);
        continue;
      }
      const row = found[0]!;
      if (row.state !== 'submitted' || !row.code) violations.push(`${key} is stored as ${row.state} without a code`);
      if (ack && (row.id !== ack.id || row.code !== ack.code)) violations.push(`${key} was acknowledged as ${ack.id} ${ack.code}, stored as ${row.id} ${row.code}`);
    }
    if (rows.length !== submissions) violations.push(`${rows.length} dossiers carry this run's keys, ${submissions} were submitted`);

    const duplicateCodes = await db.selectFrom('dossier').select(['code', (eb) => eb.fn.countAll<number>().as('n')]).where('code', 'is not', null).groupBy('code').having((eb) => eb.fn.countAll(), '>', 1).execute();
    for (const d of duplicateCodes) violations.push(`code ${d.code} is given ${d.n} times`);

    const instancesPerDossier = await sql<{ business_key: string; n: number }>`
      select business_key, count(*)::int as n from process_instance group by business_key having count(*) > 1`.execute(db);
    for (const r of instancesPerDossier.rows) violations.push(`dossier ${r.business_key} has ${r.n} process instances`);
    const strayInstances = await sql<{ n: number }>`
      select count(*)::int as n from process_instance i left join dossier d on d.instance_id = i.id where d.id is null`.execute(db);
    if (strayInstances.rows[0]!.n) violations.push(`${strayInstances.rows[0]!.n} process instances belong to no dossier`);

    // Circular 01/2018 Art. 19: <agency>-<YYMMDD>-<sequence>, per agency and day 1..n, the counter at n.
    const codes = await db.selectFrom('dossier').select('code').where('code', 'is not', null).execute();
    const sequences = new Map<string, number[]>();
    for (const { code } of codes) {
      const match = /^(.+)-(\d{6})-(\d{4,})$/.exec(code!);
      if (!match) {
        violations.push(`code ${code} does not read <agency>-<YYMMDD>-<sequence>`);
        continue;
      }
      const group = `${match[1]}-${match[2]}`;
      sequences.set(group, [...(sequences.get(group) ?? []), Number(match[3])]);
    }
    const counters = await sql<{ agency: string; day: string; last: number }>`
      select a.code as agency, to_char(s.day, 'YYMMDD') as day, s.last from dossier_code_sequence s join agency a on a.id = s.agency_id`.execute(db);
    const lastOf = new Map(counters.rows.map((c) => [`${c.agency}-${c.day}`, c.last]));
    for (const [group, numbers] of sequences) {
      numbers.sort((a, b) => a - b);
      const gap = numbers.findIndex((n, index) => n !== index + 1);
      if (gap >= 0) violations.push(`${group}: sequence ${numbers[gap]} where ${gap + 1} was due`);
      if (lastOf.get(group) !== numbers.length) violations.push(`${group}: the counter stands at ${lastOf.get(group)}, ${numbers.length} codes were given`);
    }

    const instances = rows.flatMap((r) => (r.instance_id ? [r.instance_id] : []));
    let historiesVerified = 0;
    await eachConcurrently(instances, 8, async (instanceId) => {
      const verdict = await verifyHistory(db, instanceId);
      if (verdict.ok) historiesVerified++;
      else violations.push(`history of ${instanceId}: ${verdict.reason}`);
    });
    return { violations, agencyDays: sequences.size, historiesVerified };
  } finally {
    await db.destroy();
  }
}

export function describeFigures(f: CrashFigures): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `submissions                      ${f.submissions} by ${f.clients} concurrent clients`,
    `acknowledged before the SIGKILL  ${f.acknowledgedBeforeKill}`,
    `retried with the same keys       ${f.retried} in flight at the kill (${f.retriedAlreadySubmitted} had been submitted: the retry got the same code)`,
    `started after the restart        ${f.startedAfterRestart}`,
    `acknowledged ones sent again     ${f.repeatedAcknowledged} (same dossier, same code)`,
    `restart                          ${s(f.restartMs)}`,
    `duration                         ${s(f.durationMs)}`,
    `submissions/s                    ${f.submissionsPerSecond.toFixed(1)} overall, ${f.submissionsPerSecondUp.toFixed(1)} while a server was up`,
    `graceful stop (SIGTERM)          ${s(f.gracefulStopMs)}`,
    `checked                          ${f.submissions} submissions stored once, codes unique and gapless over ${f.agencyDays} agency-days, ${f.historiesVerified} history chains verified`,
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { submissions: { type: 'string', default: '2000' }, clients: { type: 'string', default: '50' } } });
  const submissions = Number(values.submissions);
  const clients = Number(values.clients);
  if (![submissions, clients].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--submissions and --clients take positive whole numbers');
  const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `crash_${Date.now()}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  let result: CrashResult;
  try {
    result = await runCrashScenario({ submissions, clients, databaseUrl: databaseUrl(adminUrl, name), log: (line) => console.log(line) });
  } finally {
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  console.log(`\n${describeFigures(result.figures)}`);
  if (result.violations.length) {
    console.error(`\n${result.violations.length} violations:\n  ${result.violations.slice(0, 50).join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nno violations');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
