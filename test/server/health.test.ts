import { beforeAll, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { useApiTest } from '../support/api.js';
import { deployBundledProcesses } from '../../server/processes.js';

const env = useApiTest({ processes: false });
const { t } = env;
let app: FastifyInstance;
beforeAll(() => {
  app = env.app;
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
