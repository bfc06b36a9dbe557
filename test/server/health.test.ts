import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { buildApp } from '../../server/app.js';
import { deployBundledProcesses } from '../../server/processes.js';

let t: TestDb;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestDb();
  app = await buildApp({ db: t.db, backend: t.backend === 'postgres' ? 'postgresql' : 'pglite', logLevel: 'silent', jwtSecret: 'test-secret-0123456789' });
});
afterAll(async () => {
  await app.close();
  await t.destroy();
});

test('boot deploys the bundled processes once, and health reports the database', async () => {
  const first = await deployBundledProcesses(t.db);
  expect(first.map((d) => [d.key, d.version, d.created])).toEqual([
    ['inter-agency', 1, true],
    ['standard-one-stop', 1, true],
  ]);
  // A restart redeploys nothing: unchanged files keep their version.
  expect((await deployBundledProcesses(t.db)).map((d) => d.created)).toEqual([false, false]);

  const res = await app.inject({ method: 'GET', url: '/api/health' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ status: 'ok', database: t.backend === 'postgres' ? 'postgresql' : 'pglite', processDefinitions: 2 });
});
