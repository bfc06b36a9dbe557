import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// The suite runs on embedded PGlite always, and again on PostgreSQL when DATABASE_URL is set (as in CI).
const projects: TestProjectInlineConfiguration[] = [{ extends: true, test: { name: 'pglite', env: { TEST_DB: 'pglite' } } }];
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
