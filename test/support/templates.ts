import type { Db } from '../../engine/db/database.js';
import { migrateToLatest } from '../../engine/db/migrate.js';
import { deployBundledProcesses } from '../../server/processes.js';
import { seedDemo } from '../../server/seed/seed.js';

/**
 * What a test file's database starts with. Each variant is prepared once per run by the global setup, every one
 * built on the one before, and copied per file: initdb, the migrations and the demo seed (scrypt hashes for two
 * dozen accounts, a certificate per agency) cost seconds that would otherwise be paid by every file.
 */
export type TemplateVariant = 'migrated' | 'processes' | 'seeded';
export const TEMPLATE_VARIANTS: readonly TemplateVariant[] = ['migrated', 'processes', 'seeded'];

/** Brings a copy of the previous variant's database to `variant`. */
export async function prepareVariant(db: Db, variant: TemplateVariant): Promise<void> {
  if (variant === 'migrated') await migrateToLatest(db);
  if (variant === 'processes') await deployBundledProcesses(db);
  if (variant === 'seeded') await seedDemo(db);
}

export function variantFor(options: { processes?: boolean; seed?: boolean }): TemplateVariant {
  if (options.seed) return 'seeded';
  return options.processes ? 'processes' : 'migrated';
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Per variant: the PostgreSQL template database's name, or the PGlite template's data directory. */
    testTemplates: Record<TemplateVariant, string>;
  }
}
