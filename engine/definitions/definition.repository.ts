import type { Db } from '../db/database.js';
import type { ProcessModel } from '../bpmn/model.js';

const summaryColumns = ['id', 'key', 'version', 'name', 'procedure_code', 'sha256', 'deployed_by', 'deployed_at'] as const;

export async function findDefinitionBySha(db: Db, key: string, sha256: string) {
  return db.selectFrom('process_definition').select(summaryColumns).where('key', '=', key).where('sha256', '=', sha256).executeTakeFirst();
}

export async function latestVersionNumber(db: Db, key: string): Promise<number> {
  const row = await db
    .selectFrom('process_definition')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

export async function insertDefinition(
  db: Db,
  row: { key: string; version: number; name: string | null; procedure_code: string | null; sha256: string; xml: string; model: ProcessModel; deployed_by: string },
) {
  return db
    .insertInto('process_definition')
    .values({ ...row, model: JSON.stringify(row.model) })
    .returning(summaryColumns)
    .executeTakeFirstOrThrow();
}

export async function findDefinition(db: Db, id: string) {
  return db.selectFrom('process_definition').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function definitionExists(db: Db, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('process_definition').select('id').where('id', '=', id).executeTakeFirst());
}

export async function findLatestDefinition(db: Db, key: string) {
  return db
    .selectFrom('process_definition')
    .select(summaryColumns)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listDefinitions(db: Db, key?: string) {
  let query = db.selectFrom('process_definition').select(summaryColumns).orderBy('key').orderBy('version', 'desc');
  if (key) query = query.where('key', '=', key);
  return query.execute();
}
