import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// The suite runs on embedded PGlite always, and again on PostgreSQL when DATABASE_URL is set (as in CI).
// The PGlite run keeps no live engines, so every command restores from the stored state; the PostgreSQL run
// uses the engine cache: both paths of a command are exercised by every test.
const projects: TestProjectInlineConfiguration[] = [
  { extends: true, test: { name: 'pglite', env: { TEST_DB: 'pglite', ENGINE_CACHE_SIZE: '0' } } },
];
if (process.env.DATABASE_URL) {
  projects.push({
    extends: true,
    test: { name: 'postgres', env: { TEST_DB: 'postgres' }, globalSetup: ['test/support/pg-template.ts'] },
  });
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects,
  },
});
