import type { Migration, MigrationProvider } from 'kysely';
import * as processCore from './0001_process_core.js';
import * as accounts from './0002_accounts.js';
import * as catalogue from './0003_catalogue.js';
import * as dossiers from './0004_dossiers.js';
import * as ratings from './0005_ratings.js';
import * as counterFormsClock from './0006_counter_forms_clock.js';

// Listed statically so the same set runs from tsx, the test runner and a bundled server.
const migrations: Record<string, Migration> = {
  '0001_process_core': processCore,
  '0002_accounts': accounts,
  '0003_catalogue': catalogue,
  '0004_dossiers': dossiers,
  '0005_ratings': ratings,
  '0006_counter_forms_clock': counterFormsClock,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
