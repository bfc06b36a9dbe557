/**
 * bench — the whole system over HTTP: the real server (server/main.ts, a child process) on a fresh PostgreSQL
 * database, C concurrent clients driving dossiers of the demo procedure 2.000331 through the standard process:
 * the citizen's draft, form, upload and submission, then each officer's inbox search and action up to the
 * returned result (test/support/api.ts `openTaskOf`/`actOn` over real sockets).
 *
 *   phase 1  maximum load: N dossiers by C closed-loop clients (each waits for its answer) — completions/s
 *   phase 2  half that load for S seconds, open loop: dossiers start on a fixed schedule whatever the answers'
 *            pace (so a slow answer cannot hide the queue behind it) — latency percentiles
 *   baseline pgbench TPC-B (scale 10, C clients, S seconds) on the same PostgreSQL, when pgbench is on PATH
 *
 *   npm run bench -- --clients 16 --dossiers 300 --duration 10 [--profile | --profile-dir DIR] [--no-pgbench]
 *
 * DATABASE_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); the role needs
 * CREATEDB. `--profile` records the server's CPU profile during each phase and prints where the time went;
 * `--profile-dir DIR` also keeps the profiles there (interval-2 is phase 1, interval-3 phase 2).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { freePort, startServer, type RunningServer } from '../e2e/harness.js';
import { databaseUrl, withAdmin } from '../support/pg-admin.js';
import { business, multipartFile, PDF } from '../support/fixtures.js';
import { HAPPY_PATH, percentile, pool } from './measure.js';
import { summarizeProfile, type CpuProfile } from './cpu-profile.js';
import type { ProbeSnapshot } from './server-probe.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    dossiers: { type: 'string', default: '300' },
    duration: { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
    'no-pgbench': { type: 'boolean', default: false },
  },
});
const clients = Number(args.clients);
const dossiers = Number(args.dossiers);
const duration = Number(args.duration);
if (![clients, dossiers, duration].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--clients, --dossiers and --duration take positive whole numbers');
}
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PROCEDURE = '2.000331';
const AGENCY = 'H20.11';
const began = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const CORES = availableParallelism();

// ---------------------------------------------------------------------------------------------------- HTTP client

/** Keep-alive sockets as a browser or a gateway keeps them; node:http costs the client less CPU than fetch. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const REQUEST_TIMEOUT_MS = 30_000;
let base: URL;

interface Answer {
  status: number;
  body: any;
}

function send(method: string, path: string, token: string | undefined, body: Buffer | object | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
          ...(payload ? { 'content-length': String(payload.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          try {
            resolve({ status: res.statusCode!, body: /json/.test(res.headers['content-type'] ?? '') && text ? JSON.parse(text) : text });
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      },
    );
    // A request the server never answers is an error of the run, not a stall of it.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ------------------------------------------------------------------------------------------------ measurements

type Kind = 'draft' | 'form' | 'upload' | 'submit' | 'inbox' | 'action';
const KINDS: Kind[] = ['draft', 'form', 'upload', 'submit', 'inbox', 'action'];

class Failed extends Error {}

/** One phase's answers: latency per request kind, completed actions and submissions, errors by kind and cause. */
class Phase {
  readonly latencies = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  readonly errors = new Map<string, number>();
  completions = 0;
  submissions = 0;
  dossiersDone = 0;
  seconds = 0;
  /** CPU seconds of this client process and of the database's backends during the phase. */
  clientCpu = 0;
  postgresCpu = 0;

  error(cause: string): never {
    this.errors.set(cause, (this.errors.get(cause) ?? 0) + 1);
    throw new Failed(cause);
  }

  get errorCount() {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }

  async call(kind: Kind, method: string, path: string, token: string, body?: Buffer | object, headers?: Record<string, string>) {
    const t0 = performance.now();
    let answer: Answer;
    try {
      answer = await send(method, path, token, body, headers);
    } catch (err) {
      return this.error(`${kind}: ${(err as Error).message}`);
    }
    this.latencies.get(kind)!.push(performance.now() - t0);
    if (answer.status < 200 || answer.status > 299) {
      return this.error(`${kind}: HTTP ${answer.status} ${typeof answer.body === 'object' ? (answer.body?.type ?? '') : ''}`);
    }
    return answer.body;
  }
}

interface Actors {
  citizens: string[];
  /** Access token and user id of the demo staff of the agency, by role. */
  staff: Record<string, { token: string; id: string }>;
}

/** A citizen applies online; each officer in turn finds the dossier in their inbox and takes the next action. */
async function runDossier(phase: Phase, actors: Actors, citizen: string) {
  try {
    const draft = await phase.call('draft', 'POST', '/api/dossiers', citizen, { procedureCode: PROCEDURE }, { 'idempotency-key': randomUUID() });
    await phase.call('form', 'PUT', `/api/dossiers/${draft.id}/form`, citizen, { data: business });
    const file = multipartFile('TP05', { name: 'de-nghi.pdf', content: PDF });
    await phase.call('upload', 'POST', `/api/dossiers/${draft.id}/files`, citizen, file.body, { 'content-type': file.contentType });
    const { code } = await phase.call('submit', 'POST', `/api/dossiers/${draft.id}/submit`, citizen, { declarationAccepted: true });
    phase.submissions++;
    for (const step of HAPPY_PATH) {
      const officer = actors.staff[step.role]!;
      const inbox = await phase.call('inbox', 'GET', `/api/tasks?view=group&q=${encodeURIComponent(code)}`, officer.token);
      const task = inbox.items.find((i: { dossier: { code: string }; step: { elementId: string } }) => i.dossier.code === code && i.step.elementId === step.elementId);
      if (!task) phase.error(`inbox: ${step.elementId} of the dossier not listed`);
      const body = { actionCode: step.actionCode, note: `bench ${step.actionCode}`, ...(step.assigns ? { assignee: actors.staff[step.assigns]!.id } : {}) };
      await phase.call('action', 'POST', `/api/tasks/${task.id}/actions`, officer.token, body, { 'if-match': `"${task.version}"` });
      phase.completions++;
    }
    phase.dossiersDone++;
  } catch (err) {
    if (!(err instanceof Failed)) throw err;
  }
}

async function closedLoop(actors: Actors, total: number, workers: number): Promise<Phase> {
  const phase = new Phase();
  const t0 = performance.now();
  await pool(total, workers, (i) => runDossier(phase, actors, actors.citizens[i % actors.citizens.length]!));
  phase.seconds = (performance.now() - t0) / 1000;
  return phase;
}

/** Dossiers start every 1/rate s for `seconds`, however long the earlier ones take; then the last ones finish. */
async function openLoop(actors: Actors, dossiersPerSecond: number, seconds: number): Promise<Phase & { late: number }> {
  const phase = Object.assign(new Phase(), { late: 0 });
  const total = Math.max(1, Math.round(dossiersPerSecond * seconds));
  const running: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / dossiersPerSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // The client itself could not keep the schedule (more than 10 ms behind): said, so the figure is not trusted blindly.
    else if (wait < -10) phase.late++;
    running.push(runDossier(phase, actors, actors.citizens[i % actors.citizens.length]!));
  }
  await Promise.all(running);
  phase.seconds = (performance.now() - t0) / 1000;
  return phase;
}

// ------------------------------------------------------------------------------------------------------ server

/** CPU seconds (user + system) of PostgreSQL's backends serving `database`, by process id, from /proc. */
async function postgresCpu(database: string): Promise<Map<number, number>> {
  const { rows } = await withAdmin(adminUrl, (c) => c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]));
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (utime, stime) in clock ticks; the command name in parentheses may hold spaces.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // PostgreSQL on another machine, or the backend just ended: not counted.
    }
  }
  return ticks;
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

/** CPU seconds the backends spent between two readings (a backend that ended meanwhile is missed). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>) {
  let seconds = 0;
  for (const [pid, t] of after) seconds += t - (before.get(pid) ?? 0);
  return seconds;
}

/** Runs a phase and charges it the CPU the client and PostgreSQL used meanwhile. */
async function measured<P extends Phase>(database: string, run: () => Promise<P>): Promise<P> {
  const backends = await postgresCpu(database);
  const client = process.cpuUsage();
  const phase = await run();
  const used = process.cpuUsage(client);
  phase.clientCpu = (used.user + used.system) / 1e6;
  phase.postgresCpu = cpuBetween(backends, await postgresCpu(database));
  return phase;
}

function memory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Asks the probe inside the server for its figures since the last ask (and, with --profile, that interval's profile). */
async function probe(server: RunningServer, file: string): Promise<ProbeSnapshot> {
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProbeSnapshot).seq : 0;
  process.kill(server.pid, 'SIGWINCH');
  const deadline = Date.now() + 30_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    if (existsSync(file) && statSync(file).size > 0) {
      try {
        const snapshot = JSON.parse(readFileSync(file, 'utf8')) as ProbeSnapshot;
        if (snapshot.seq > before) return snapshot;
      } catch {
        // Read while being written: try again.
      }
    }
    if (Date.now() > deadline) throw new Error(`the server probe did not answer:\n${server.output()}`);
  }
}

async function prepareActors(server: RunningServer, count: number): Promise<Actors> {
  const staff: Actors['staff'] = {};
  for (const role of new Set(HAPPY_PATH.map((s) => s.role))) {
    const account = server.accounts.find((a) => a.description === `${role} @ ${AGENCY}`);
    if (!account) throw new Error(`no demo account "${role} @ ${AGENCY}" in the server's output:\n${server.output()}`);
    const login = await send('POST', '/api/auth/login', undefined, { username: account.login, password: account.password });
    if (login.status !== 200) throw new Error(`login of ${account.login}: HTTP ${login.status}`);
    const me = await send('GET', '/api/me', login.body.accessToken, undefined);
    staff[role] = { token: login.body.accessToken, id: me.body.id };
  }
  // One citizen per client, registered as anyone would (the registration limit is raised for the run).
  const citizens = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const n = String(i + 1).padStart(6, '0');
      const res = await send('POST', '/api/auth/register', undefined, {
        fullName: `Công dân thử tải ${i + 1}`,
        idNumber: `079199${n}`,
        phone: `0912${n}`,
        email: `bench-${n}@example.vn`,
        password: randomUUID(),
      });
      if (res.status !== 201) throw new Error(`registration ${i + 1}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    }),
  );
  return { citizens, staff };
}

// ----------------------------------------------------------------------------------------------------- pgbench

const run = promisify(execFile);

function onPath(command: string) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, command)));
}

/** TPC-B-like tps of pgbench on a scratch database of the same server; null when pgbench is not installed. */
async function pgbench(workers: number, seconds: number): Promise<{ tps: number; version: string } | null> {
  if (!onPath('pgbench')) return null;
  const url = new URL(adminUrl);
  const name = 'bench_pgbench';
  const connection = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username) || 'postgres'];
  const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
  await withAdmin(adminUrl, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  try {
    await run('pgbench', [...connection, '-i', '-s', '10', '-q', name], { env });
    const { stdout } = await run('pgbench', [...connection, '-c', String(workers), '-j', '2', '-T', String(seconds), name], { env, maxBuffer: 16 << 20 });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    const { stdout: version } = await run('pgbench', ['--version']);
    return { tps: Number(tps), version: version.trim() };
  } finally {
    await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
  }
}

// ------------------------------------------------------------------------------------------------------ report

const heap = (p: ProbeSnapshot) => `${p.memory.heapUsed.toFixed(0)}/${p.memory.heapTotal.toFixed(0)} MB`;
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      –');

function latencyTable(phase: Phase): string[] {
  const rows = KINDS.map((kind) => [kind, [...phase.latencies.get(kind)!].sort((a, b) => a - b)] as const);
  const all = rows.flatMap(([, l]) => l).sort((a, b) => a - b);
  return [
    `    ${'request'.padEnd(8)} ${'count'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}`,
    ...[...rows, ['all', all] as const].map(
      ([kind, l]) => `    ${kind.padEnd(8)} ${String(l.length).padStart(7)} ${ms(percentile(l, 50))} ${ms(percentile(l, 95))} ${ms(percentile(l, 99))} ${ms(l.at(-1) ?? NaN)}`,
    ),
  ];
}

function phaseReport(title: string, phase: Phase, snapshot: ProbeSnapshot): string[] {
  const commands = phase.completions + phase.submissions;
  const engineMs = Object.values(snapshot.engine).reduce((sum, t) => sum + t.ms, 0);
  const lookups = snapshot.cache.hits + snapshot.cache.misses;
  const requests = [...phase.latencies.values()].reduce((sum, l) => sum + l.length, 0);
  const cpu = snapshot.cpu.user + snapshot.cpu.system;
  const perCompletion = (seconds: number) => (seconds * 1000) / Math.max(1, phase.completions);
  const machineMs = perCompletion(cpu + phase.postgresCpu + phase.clientCpu);
  return [
    title,
    `  task completions/s   ${(phase.completions / phase.seconds).toFixed(1)}   (${phase.completions} actions in ${phase.seconds.toFixed(1)} s)`,
    `  submissions/s        ${(phase.submissions / phase.seconds).toFixed(1)}   (${phase.dossiersDone} dossiers through to the returned result)`,
    `  requests/s           ${(requests / phase.seconds).toFixed(1)}`,
    `  errors               ${phase.errorCount}${phase.errorCount ? `  ${[...phase.errors].map(([cause, n]) => `${n}× ${cause}`).join('; ')}` : ''}`,
    ...latencyTable(phase),
    `  server, per command (action or submission): ${(engineMs / commands).toFixed(2)} ms in bpmn-engine ` +
      `(restore ${(snapshot.engine.resume.ms / commands).toFixed(2)}, signal ${(snapshot.engine.signal.ms / commands).toFixed(2)}, ` +
      `getState ${(snapshot.engine.state.ms / commands).toFixed(2)}, start ${(snapshot.engine.start.ms / commands).toFixed(2)})`,
    `  server, per request: ${(snapshot.sql.statements / requests).toFixed(1)} SQL statements, ${(snapshot.sql.ms / requests).toFixed(2)} ms awaiting them ` +
      `(${(snapshot.sql.transactions / requests).toFixed(2)} transactions)`,
    `  server CPU           ${((cpu / phase.seconds) * 100).toFixed(0)} % of one core (${((cpu * 1000) / requests).toFixed(2)} ms per request, ` +
      `${((cpu * 1000) / Math.max(1, phase.completions)).toFixed(2)} ms per completion incl. its share of inbox and citizen requests); ` +
      `event loop busy ${(snapshot.cpu.eventLoopUtilization * 100).toFixed(0)} %`,
    `  CPU per completion   ${machineMs.toFixed(2)} ms in all: server ${perCompletion(cpu).toFixed(2)}, PostgreSQL ${perCompletion(phase.postgresCpu).toFixed(2)}, ` +
      `this client ${perCompletion(phase.clientCpu).toFixed(2)} (each completion carries its share of the inbox and citizen requests); ` +
      `${CORES} cores at 100 % would allow ~${((CORES * 1000) / machineMs).toFixed(0)} completions/s`,
    `  engine cache         ${lookups ? ((snapshot.cache.hits / lookups) * 100).toFixed(1) : '–'} % hits (${snapshot.cache.hits} of ${lookups} restores avoided)`,
  ];
}

/** The issue's targets: ≥ 500 completions/s, p99 < 50 ms of every request at half that load, no error. */
function targets(maxRate: number, half: Phase, errors: number) {
  const p99 = percentile([...half.latencies.values()].flat().sort((a, b) => a - b), 99);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return (
    `targets: ≥ 500 completions/s ${mark(maxRate >= 500)} (${maxRate.toFixed(0)}); p99 < 50 ms at half load ${mark(p99 < 50)} ` +
    `(${p99.toFixed(1)} ms); no errors ${mark(errors === 0)} (${errors})`
  );
}

// --------------------------------------------------------------------------------------------------------- sinks

/** An SMTP server and an HTTP endpoint on loopback that accept whatever the server delivers, and count it. */
async function startSinks() {
  let mails = 0;
  let syncs = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      stream.on('end', () => {
        mails++;
        done();
      });
      stream.resume();
    },
  });
  const portal = http.createServer((req, res) => {
    req.on('end', () => {
      syncs++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
    req.resume();
  });
  const listen = (server: { listen(port: number, host: string, done: () => void): unknown }) =>
    new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  await Promise.all([listen(smtp.server), listen(portal)]);
  const portOf = (server: http.Server | SMTPServer['server']) => (server.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${portOf(smtp.server)}`,
    portalUrl: `http://127.0.0.1:${portOf(portal)}/sync`,
    delivered: () => ({ mails, syncs }),
    close: () => Promise.all([new Promise<void>((done) => smtp.close(() => done())), new Promise<void>((done) => portal.close(() => done()))]),
  };
}

// -------------------------------------------------------------------------------------------------------- main

const dbName = `bench_http_${Date.now()}`;
const probeFile = join(tmpdir(), `${dbName}.probe.json`);
// --profile-dir keeps the .cpuprofile files (for Chrome DevTools or speedscope); --profile only summarises them.
const profileDir = args['profile-dir'] ? resolve(args['profile-dir']) : args.profile ? mkdtempSync(join(tmpdir(), 'bench-profile-')) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
await withAdmin(adminUrl, (c) => c.query(`create database ${dbName}`));
const sinks = await startSinks();
let server: RunningServer | undefined;
const report: string[] = [];
try {
  log(`starting the server on database ${dbName}…`);
  server = await startServer(
    {
      DATABASE_URL: databaseUrl(adminUrl, dbName),
      // One connection per concurrent client, as a deployment sized for this load would have.
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? String(Math.max(10, clients)),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_SCALE: '100000',
      SCHEDULER_INTERVAL_MS: '1000',
      // The mail server and the national portal outside the server, as in production: sinks in this process
      // that take every message and keep nothing (the demo's stand-ins would parse and store each one inside the
      // server). The payment sandbox, unused here, on a port of its own.
      SMTP_URL: sinks.smtpUrl,
      PORTAL_SYNC_URL: sinks.portalUrl,
      PORTAL_SYNC_SECRET: 'bench-portal-secret',
      PAYMENT_SANDBOX_PORT: String(await freePort()),
      BENCH_PROBE_FILE: probeFile,
      ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}),
    },
    // As `npm start` runs it, plus the probe.
    { nodeArgs: ['--max-semi-space-size=64', '--import', './test/bench/server-probe.ts'] },
  );
  base = new URL(server.baseUrl);
  const atBoot = memory(server.pid);
  log(`preparing ${clients} citizens and the officers of ${AGENCY}…`);
  const actors = await prepareActors(server, clients);

  log(`warming up (${clients} dossiers)…`);
  await closedLoop(actors, clients, clients);
  const atStart = memory(server.pid);

  const startProbe = await probe(server, probeFile);
  log(`phase 1: ${dossiers} dossiers, ${clients} clients…`);
  const max = await measured(dbName, () => closedLoop(actors, dossiers, clients));
  const maxProbe = await probe(server, probeFile);
  const maxRate = max.completions / max.seconds;

  const halfRate = maxRate / 2;
  log(`phase 2: ${halfRate.toFixed(0)} completions/s for ${duration} s…`);
  const half = await measured(dbName, () => openLoop(actors, halfRate / HAPPY_PATH.length, duration));
  const halfProbe = await probe(server, probeFile);
  const atEnd = memory(server.pid);

  report.push(
    `bench on PostgreSQL at ${new URL(adminUrl).host}: server/main.ts, ${clients} clients, procedure ${PROCEDURE} (${HAPPY_PATH.length} officer actions per dossier)`,
    ...phaseReport(`phase 1 — maximum load, ${dossiers} dossiers by ${clients} closed-loop clients`, max, maxProbe),
    ...phaseReport(`phase 2 — half that load, open loop: ${(halfRate / HAPPY_PATH.length).toFixed(1)} dossiers started per second for ${duration} s`, half, halfProbe),
    ...(half.late ? [`  (the client started ${half.late} dossiers more than 10 ms late: its own CPU was short)`] : []),
    `  server RSS           ${atBoot.rss.toFixed(0)} MB after boot, ${atStart.rss.toFixed(0)} MB at start (after warm-up), ${atEnd.rss.toFixed(0)} MB at end, ${atEnd.peak.toFixed(0)} MB peak`,
    `  server heap          ${heap(startProbe)} at start, ${heap(maxProbe)} after phase 1, ${heap(halfProbe)} at end (used of reserved)`,
    `  delivered            ${sinks.delivered().mails} emails and ${sinks.delivered().syncs} national-portal sync messages, to sinks outside the server`,
    targets(maxRate, half, max.errorCount + half.errorCount),
  );
  log('stopping the server…');
  await server.stop();
  server = undefined;

  if (profileDir) {
    // Interval 2 is phase 1 (interval 1 is boot and warm-up).
    for (const [n, label, phase] of [[2, 'phase 1', max], [3, 'phase 2', half]] as const) {
      const profile = JSON.parse(readFileSync(join(profileDir, `interval-${n}.cpuprofile`), 'utf8')) as CpuProfile;
      report.push(`server CPU profile, ${label}:`, summarizeProfile(profile, { top: 25, per: { label: 'completion', count: phase.completions } }));
    }
  }

  if (!args['no-pgbench']) {
    log(`pgbench baseline (${clients} clients, ${duration} s)…`);
    const baseline = await pgbench(clients, duration);
    report.push(
      baseline
        ? `baseline: ${baseline.version}, TPC-B scale 10, -c ${clients} -j 2 -T ${duration}: ${baseline.tps.toFixed(0)} tps; ` +
            `completions/s ÷ pgbench tps = ${(maxRate / baseline.tps).toFixed(3)}`
        : 'baseline: pgbench is not on PATH; skipped',
    );
  }
  console.log(report.join('\n'));
} finally {
  await server?.stop();
  await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${dbName} with (force)`));
  rmSync(probeFile, { force: true });
  await sinks.close();
  if (profileDir && !args['profile-dir']) rmSync(profileDir, { recursive: true, force: true });
  agent.destroy();
}
