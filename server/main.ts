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
import { resolvePeerSecrets, startDeliveries } from './deliveries/boot.js';
import { setUpPayments } from './payments/setup.js';
import { setUpSso } from './sso/setup.js';

const config = configFromEnv();
const backend = config.database.databaseUrl ? 'postgresql' : 'pglite';
const db = createDb(config.database);
const applied = await migrateToLatest(db);
const payments = await setUpPayments(db, config);
const sso = await setUpSso(db, config);
// Resolved once: the app checks the peers' reports with them, the delivery worker signs with them.
const peerSecrets = await resolvePeerSecrets(db, config);
const app = await buildApp({
  db,
  backend,
  logLevel: config.logLevel,
  rateLimitScale: config.rateLimitScale,
  jwtSecret: await jwtSecret(db, config.jwtSecret),
  databaseUrl: config.database.databaseUrl,
  publicUrl: config.publicUrl,
  signingSecret: config.signingSecret,
  payments: payments.settings,
  sso: sso.settings,
  postalSecret: peerSecrets.postal,
  partnerSecret: peerSecrets.partner,
});
app.log.info({ backend, applied }, 'database ready');
if (sso.demo) app.log.info({ issuer: sso.demo.issuer, reused: sso.demo.reused }, 'demo identity provider (national portal stand-in): log in with its demo identities');
else if (!sso.settings) app.log.warn('SSO_ISSUER_URL is not set: the login page offers no login through the national portal');
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
const stopDeliveries = await startDeliveries(db, config, app.log, peerSecrets);
const stopPayments = payments.start(db, app.log);

// On SIGTERM/SIGINT: stop taking requests, let the scheduler and the delivery worker finish their rounds, then close the database.
closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await stopScheduler();
  await stopDeliveries();
  await stopPayments();
  await sso.close();
  await db.destroy();
});

await app.listen({ host: config.host, port: config.port });
