/**
 * Browser end-to-end journeys: `npm run test:e2e [name-filter]`. Builds the web app if stale, starts the real
 * server on a free port against a fresh database, and drives the system Chromium through every journey in
 * test/e2e/*.e2e.ts (one file per actor, each exporting `journeys`). Screenshots go to test/e2e/artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ARTIFACTS, freshDatabase, newJourneyPage, REPO, screenshotter, startServer, type Journey } from './harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const filter = process.argv[2];
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

execFileSync(process.execPath, ['--import', 'tsx', 'web/scripts/build-if-stale.ts'], { cwd: REPO, stdio: 'inherit' });

const journeys: Journey[] = [];
for (const file of readdirSync(join(REPO, 'test', 'e2e')).filter((f) => f.endsWith('.e2e.ts')).sort()) {
  const module = (await import(pathToFileURL(join(REPO, 'test', 'e2e', file)).href)) as { journeys: Journey[] };
  journeys.push(...module.journeys.filter((j) => !filter || j.name.includes(filter)));
}

rmSync(ARTIFACTS, { recursive: true, force: true });
// The browser first: without one, there is no database or server to clean up.
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
const database = await freshDatabase();
const server = await startServer(database.env);
console.log(`e2e: server at ${server.baseUrl}, ${server.accounts.length} demo accounts, ready after ${seconds()} s`);

let passed = 0;
let failed = 0;
try {
  for (const journey of journeys) {
    const journeyStarted = Date.now();
    const { context, page, problems } = await newJourneyPage(browser);
    const screenshot = screenshotter(page, journey.name);
    try {
      await journey.run({
        baseUrl: server.baseUrl,
        accounts: server.accounts,
        account(description) {
          const found = server.accounts.find((a) => a.description.startsWith(description));
          if (!found) throw new Error(`no demo account "${description}" in the server's output`);
          return found;
        },
        page,
        context,
        screenshot,
        async api(method, path, options = {}) {
          const response = await fetch(`${server.baseUrl}${path}`, {
            method,
            headers: {
              ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
              ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
              ...options.headers,
            },
            body: options.body === undefined ? undefined : JSON.stringify(options.body),
          });
          const text = await response.text();
          return { status: response.status, body: text ? JSON.parse(text) : undefined };
        },
      });
      if (problems.length) throw new Error(`the browser reported:\n  ${problems.join('\n  ')}`);
      passed++;
      console.log(`✓ ${journey.name} (${((Date.now() - journeyStarted) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failed++;
      console.log(`✗ ${journey.name}\n  at ${page.url()}\n  ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      await page.screenshot({ path: join(ARTIFACTS, `FAILED-${journey.name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
  await database.drop();
}

if (failed) console.log(`\nserver output:\n${server.output()}`);
console.log(`\ne2e: ${journeys.length} journeys in ${seconds()} s; screenshots in ${ARTIFACTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || !journeys.length ? 1 : 0);
