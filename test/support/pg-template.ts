import type { TestProject } from 'vitest/node';
import { createDb } from '../../engine/db/database.js';
import { migrateToLatest } from '../../engine/db/migrate.js';
import { databaseUrl, withAdmin } from './pg-admin.js';

/** Migrates once into a template database that every PostgreSQL test file copies (Immich's pattern). */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.DATABASE_URL!;
  const template = `dvc_template_${process.pid}_${Date.now()}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${template}`));
  const db = createDb({ databaseUrl: databaseUrl(adminUrl, template) });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  project.provide('pgTemplateDatabase', template);
  return async () => {
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
  };
}
