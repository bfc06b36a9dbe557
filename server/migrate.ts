import { createDb } from '../engine/db/database.js';
import { migrateToLatest } from '../engine/db/migrate.js';
import { configFromEnv } from './config.js';

// `npm run migrate`: applies pending migrations to the configured database and exits.
const config = configFromEnv();
const db = createDb(config.database);
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.destroy();
}
