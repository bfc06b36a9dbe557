import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDb, type Db } from '../../engine/db/database.js';
import { databaseUrl, ignoreDropTermination, withAdmin } from './pg-admin.js';
import { engineCache } from '../../engine/runtime/engine-cache.js';
import { variantFor, type TemplateVariant } from './templates.js';

export interface TestDb {
  db: Db;
  backend: 'pglite' | 'postgres';
  /** Connection string of this file's database (PostgreSQL only), for a second process or pool. */
  url: string | null;
  /** Closes every connection and opens the same database anew, as a restarted server would. */
  reopen(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A fresh database for one test file, a copy of the template the global setup migrated once: a PGlite data
 * directory copied on disk, or on PostgreSQL CREATE DATABASE … TEMPLATE (milliseconds).
 */
export async function createTestDb(variant: TemplateVariant = 'migrated'): Promise<TestDb> {
  if (process.env.TEST_DB !== 'postgres') {
    // On disk rather than in memory, so that a test can close it and open it again like a restarted server.
    const dir = await mkdtemp(join(tmpdir(), 'dvc-pglite-'));
    await cp(inject('testTemplates')[variant], dir, { recursive: true });
    const result: TestDb = {
      db: createDb({ pgliteDataDir: dir }),
      backend: 'pglite',
      url: null,
      reopen: async () => {
        await result.db.destroy();
        engineCache.clear();
        result.db = createDb({ pgliteDataDir: dir });
      },
      destroy: async () => {
        await result.db.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
    return result;
  }
  const template = inject('testTemplates')[variant];
  const adminUrl = process.env.DATABASE_URL!;
  const name = `dvc_test_${randomUUID().replaceAll('-', '')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(adminUrl, name);
  const result: TestDb = {
    db: createDb({ databaseUrl: url, poolSize: 25, onConnectionError: ignoreDropTermination }),
    backend: 'postgres',
    url,
    reopen: async () => {
      await result.db.destroy();
      engineCache.clear();
      result.db = createDb({ databaseUrl: url, poolSize: 25, onConnectionError: ignoreDropTermination });
    },
    destroy: async () => {
      await result.db.destroy();
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
  return result;
}

/**
 * A fresh database for the calling test file, made before its tests and dropped after them; optionally with the
 * bundled processes deployed, or with them and the demo seed. The returned handle follows the database across
 * `reopen()`.
 */
export function useTestDb(options: { processes?: boolean; seed?: boolean } = {}): TestDb {
  let inner: TestDb | undefined;
  beforeAll(async () => {
    inner = await createTestDb(variantFor(options));
  });
  afterAll(() => inner?.destroy());
  return {
    get db() {
      return inner!.db;
    },
    get backend() {
      return inner!.backend;
    },
    get url() {
      return inner!.url;
    },
    reopen: () => inner!.reopen(),
    destroy: () => inner!.destroy(),
  };
}
