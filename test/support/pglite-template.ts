import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../engine/db/database.js';
import { prepareVariant, TEMPLATE_VARIANTS, type TemplateVariant } from './templates.js';

/**
 * PGlite's counterpart of pg-template.ts: data directories that every test file copies (a fresh PGlite spends
 * ~5 s in initdb; a copy opens in about one).
 */
export default async function setup(project: TestProject) {
  const root = await mkdtemp(join(tmpdir(), 'dvc-pglite-templates-'));
  const dirs = {} as Record<TemplateVariant, string>;
  let previous: string | undefined;
  for (const variant of TEMPLATE_VARIANTS) {
    const dir = join(root, variant);
    if (previous) await cp(previous, dir, { recursive: true });
    dirs[variant] = previous = dir;
    const db = createDb({ pgliteDataDir: dir });
    try {
      await prepareVariant(db, variant);
    } finally {
      await db.destroy();
    }
  }
  project.provide('testTemplates', dirs);
  return () => rm(root, { recursive: true, force: true });
}
