import type { TestProject } from 'vitest/node';
import { createDb } from '../../engine/db/database.js';
import { databaseUrl, withAdmin } from './pg-admin.js';
import { prepareVariant, TEMPLATE_VARIANTS, type TemplateVariant } from './templates.js';

/** Prepares the template databases that every PostgreSQL test file copies (Immich's pattern). */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.DATABASE_URL!;
  const prefix = `dvc_template_${process.pid}_${Date.now()}`;
  const names = {} as Record<TemplateVariant, string>;
  let previous: string | undefined;
  for (const variant of TEMPLATE_VARIANTS) {
    const name = `${prefix}_${variant}`;
    await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}${previous ? ` TEMPLATE ${previous}` : ''}`));
    names[variant] = previous = name;
    const db = createDb({ databaseUrl: databaseUrl(adminUrl, name) });
    try {
      await prepareVariant(db, variant);
    } finally {
      await db.destroy();
    }
  }
  project.provide('testTemplates', names);
  return async () => {
    for (const name of Object.values(names).reverse()) {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  };
}
