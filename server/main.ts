import closeWithGrace from 'close-with-grace';
import { createDb } from '../engine/db/database.js';
import { migrateToLatest } from '../engine/db/migrate.js';
import { startScheduler } from '../engine/process-core.js';
import { buildApp } from './app.js';
import { configFromEnv } from './config.js';
import { deployBundledProcesses } from './processes.js';
import { jwtSecret } from './accounts/account.service.js';
import { seedDemo } from './seed/seed.js';
import { seedPublicHolidays } from './seed/holidays.js';

const config = configFromEnv();
const backend = config.database.databaseUrl ? 'postgresql' : 'pglite';
const db = createDb(config.database);
const applied = await migrateToLatest(db);
const app = await buildApp({ db, backend, logLevel: config.logLevel, rateLimitScale: config.rateLimitScale, jwtSecret: await jwtSecret(db, config.jwtSecret) });
app.log.info({ backend, applied }, 'database ready');
if (config.deployBundledProcesses) {
  for (const d of await deployBundledProcesses(db)) {
    app.log.info({ key: d.key, version: d.version, created: d.created }, 'process definition');
  }
}
const thisYear = new Date().getFullYear();
app.log.info({ added: await seedPublicHolidays(db, [thisYear, thisYear + 1]) }, 'public holidays');
if (config.seedDemo) {
  const demo = await seedDemo(db);
  app.log.info({ created: demo.created }, 'demo data');
  // Printed, not logged: demo passwords belong on the operator's screen, not in log storage.
  console.log(`\nTài khoản dùng thử / demo accounts (SEED_DEMO=false turns this off):`);
  for (const a of demo.accounts) console.log(`  ${a.login.padEnd(42)} ${a.password}   ${a.description}`);
  console.log('');
}
const stopScheduler = startScheduler(db, {
  intervalMs: config.schedulerIntervalMs,
  onError: (err) => app.log.error({ err }, 'job scheduler round failed'),
});

// On SIGTERM/SIGINT: stop taking requests, let the scheduler finish its round, then close the database.
closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await stopScheduler();
  await db.destroy();
});

await app.listen({ host: config.host, port: config.port });
