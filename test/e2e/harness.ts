import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** The browser journeys' shared equipment: a server on a fresh database, its demo accounts, screenshots. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(REPO, 'test', 'e2e', 'artifacts');

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 780 };

export interface DemoAccount {
  login: string;
  password: string;
  /** As server/main.ts prints it: `citizen (ID 001090000001)`, `one-stop-officer @ H20.11`, `admin`. */
  description: string;
}

export interface JourneyContext {
  baseUrl: string;
  accounts: DemoAccount[];
  /** The demo account whose description starts with `description`. */
  account(description: string): DemoAccount;
  page: Page;
  context: BrowserContext;
  /** Saves the page at desktop and at 360 px phone width: artifacts/<journey>/<nn>-<name>-{desktop,phone}.png. */
  screenshot(name: string): Promise<void>;
  /** A call to the API outside the browser, e.g. an officer acting on a dossier to set up the next step. */
  api<T = unknown>(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
}

export interface Journey {
  name: string;
  run(ctx: JourneyContext): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A fresh database for one run: on the PostgreSQL server of DATABASE_URL a new database (dropped afterwards),
 * else an embedded PGlite directory in the temp folder.
 */
export async function freshDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'dvc-e2e-'));
    return { env: { PGLITE_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `e2e_${Date.now()}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

const ACCOUNT_LINE = /^ {2}(\S+@\S+)\s+(\S+) {3}(.+)$/;

export interface RunningServer {
  baseUrl: string;
  /** The server's own process (node itself, no npm in between): the benchmark reads its memory. */
  pid: number;
  accounts: DemoAccount[];
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `server/main.ts` as `npm start` does, and reads the demo logins it prints. `env` may override the log
 * level and rate-limit scale; `nodeArgs` go to node after tsx (a profiler flag, another `--import`).
 */
export async function startServer(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), 'server/main.ts'], {
    cwd: REPO,
    // Every journey logs in several demo users from one address: the login limit is raised for the run.
    // The demo's SMTP catcher and mock portal take free ports, so that servers started side by side do not meet.
    // The demo identity provider sends the browser back to PUBLIC_URL: this server.
    env: { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '20', SMTP_CATCHER_PORT: '0', PORTAL_MOCK_PORT: '0', SSO_DEMO_PORT: '0', PAYMENT_SANDBOX_PORT: '0', POSTAL_MOCK_PORT: '0', PARTNER_MOCK_PORT: '0', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer /api/health within 90 s:\n${output}`);
    const healthy = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    // The accounts are printed before the server listens.
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const accounts = output
    .split('\n')
    .map((line) => ACCOUNT_LINE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ login: m[1]!, password: m[2]!, description: m[3]!.trim() }));
  return {
    baseUrl,
    pid: child.pid!,
    accounts,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Console errors and uncaught exceptions of a page; HTTP 4xx answers the journey provokes on purpose are not errors. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

export function screenshotter(page: Page, journey: string) {
  const dir = join(ARTIFACTS, journey.replace(/[^a-z0-9-]+/gi, '-').toLowerCase());
  mkdirSync(dir, { recursive: true });
  let count = 0;
  return async (name: string) => {
    const prefix = join(dir, `${String(++count).padStart(2, '0')}-${name}`);
    await page.screenshot({ path: `${prefix}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    // Let the layout settle at the new width before the page is measured.
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${prefix}-phone.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.waitForTimeout(50);
  };
}

export async function newJourneyPage(browser: Browser) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page, problems: watchConsole(page) };
}
