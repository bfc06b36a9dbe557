import type { Migration, MigrationProvider } from 'kysely';
import * as processCore from './0001_process_core.js';

// Listed statically so the same set runs from tsx, the test runner and a bundled server.
const migrations: Record<string, Migration> = {
  '0001_process_core': processCore,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
