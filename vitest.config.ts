import { availableParallelism } from 'node:os';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// The suite runs on embedded PGlite always, and again on PostgreSQL when DATABASE_URL is set (as in CI).
// The PGlite run keeps no live engines, so every command restores from the stored state; the PostgreSQL run
// uses the engine cache: both paths of a command are exercised by every test.
// The web app's own logic (test/web) needs no database and runs once; the browser journeys (test/e2e) have
// their own runner, `npm run test:e2e`.
const databaseTests = { include: ['test/**/*.test.ts'], exclude: ['test/web/**', 'test/e2e/**', '**/node_modules/**'] };
const projects: TestProjectInlineConfiguration[] = [
  { extends: true, test: { name: 'web', include: ['test/web/**/*.test.ts'] } },
  { extends: true, test: { ...databaseTests, name: 'pglite', env: { TEST_DB: 'pglite', ENGINE_CACHE_SIZE: '0' }, globalSetup: ['test/support/pglite-template.ts'] } },
];
if (process.env.DATABASE_URL) {
  projects.push({
    extends: true,
    test: { ...databaseTests, name: 'postgres', env: { TEST_DB: 'postgres' }, globalSetup: ['test/support/pg-template.ts'] },
  });
}

export default defineConfig({
  test: {
    // The files wait on databases and sockets much of the time: one more worker than vitest's default of cores − 1.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects,
  },
});
