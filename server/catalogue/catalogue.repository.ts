import { sql, type Insertable, type Updateable } from 'kysely';
import type { AgencyTable } from '../accounts/account.table.js';
import type { ProcedureComponentTable, ProcedureFormTable, ProcedureTable } from './catalogue.table.js';
import type { Db } from '../../engine/db/database.js';

export async function listAgencies(db: Db) {
  return db.selectFrom('agency').select(['id', 'code', 'name', 'level']).orderBy('level').orderBy('name').execute();
}

export async function listFields(db: Db) {
  return db.selectFrom('field').select(['id', 'code', 'name']).orderBy('name').execute();
}

const SIMILARITY = 0.45;
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A folded search column (see search-text.ts) matching a folded query: every word as a substring, or close to it
 * by trigram word similarity (typos). Both arms are operators the trigram index serves (a word_similarity() call
 * compared with a number would read every row); the operator's threshold is set by `searching`, within which every
 * query using this must run. Shared by the procedure and the Q&A searches.
 */
export function matchesFolded(column: string, folded: string) {
  const text = sql.ref(column);
  const words = sql.join(folded.split(' ').map((w) => sql`${text} like ${`%${escapeLike(w)}%`}`), sql` and `);
  return sql<boolean>`((${words}) or ${folded} <% ${text})`;
}

/** Runs a search's queries in one transaction whose trigram word-similarity threshold is SIMILARITY. */
export async function searching<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(SIMILARITY)}, true)`.execute(trx);
    return run(trx);
  });
}

/** How closely a folded search column matches a folded query, for ordering the best matches first. */
export const foldedRank = (column: string, folded: string) => sql<number>`word_similarity(${folded}, ${sql.ref(column)})`;

/**
 * Published procedures matching every word of the folded query as a substring, or close to it by trigram word
 * similarity (typos), best matches first.
 */
export async function searchProcedures(
  db: Db,
  filter: { folded: string | null; agencyCode?: string; fieldCode?: string; limit: number; offset: number },
) {
  return searching(db, async (trx) => {
    let query = trx
      .selectFrom('procedure')
      .innerJoin('agency', 'agency.id', 'procedure.agency_id')
      .innerJoin('field', 'field.id', 'procedure.field_id')
      .where('procedure.published', '=', true);
    if (filter.agencyCode) query = query.where('agency.code', '=', filter.agencyCode);
    if (filter.fieldCode) query = query.where('field.code', '=', filter.fieldCode);
    const folded = filter.folded;
    if (folded) query = query.where(matchesFolded('procedure.search_text', folded));
    const { total } = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    const rows = await query
      .select([
        'procedure.code',
        'procedure.name',
        'procedure.level',
        'procedure.time_limit_days',
        'agency.code as agency_code',
        'agency.name as agency_name',
        'field.code as field_code',
        'field.name as field_name',
      ])
      .$if(Boolean(folded), (q) => q.orderBy(foldedRank('procedure.search_text', folded!), 'desc'))
      .orderBy('procedure.name')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return { total: Number(total), rows };
  });
}

export async function findProcedure(db: Db, code: string, includeUnpublished = false) {
  return db
    .selectFrom('procedure')
    .innerJoin('agency', 'agency.id', 'procedure.agency_id')
    .innerJoin('field', 'field.id', 'procedure.field_id')
    .selectAll('procedure')
    .select(['agency.code as agency_code', 'agency.name as agency_name', 'field.code as field_code', 'field.name as field_name'])
    .where('procedure.code', '=', code)
    .$if(!includeUnpublished, (q) => q.where('procedure.published', '=', true))
    .executeTakeFirst();
}

export async function componentsOf(db: Db, procedureId: string) {
  return db.selectFrom('procedure_component').selectAll().where('procedure_id', '=', procedureId).orderBy('position').execute();
}

export async function agencyIdByCode(db: Db, code: string) {
  return (await db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export async function fieldIdByCode(db: Db, code: string) {
  return (await db.selectFrom('field').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export async function insertAgency(db: Db, row: Insertable<AgencyTable>) {
  return db.insertInto('agency').values(row).returning(['id', 'code', 'name', 'level']).executeTakeFirstOrThrow();
}

export async function updateAgency(db: Db, code: string, row: { name: string; level: AgencyTable['level'] }) {
  return db.updateTable('agency').set(row).where('code', '=', code).returning(['id', 'code', 'name', 'level']).executeTakeFirst();
}

export async function insertField(db: Db, row: { code: string; name: string }) {
  return db.insertInto('field').values(row).returning(['id', 'code', 'name']).executeTakeFirstOrThrow();
}

export async function updateField(db: Db, code: string, name: string) {
  return db.updateTable('field').set({ name }).where('code', '=', code).returning(['id', 'code', 'name']).executeTakeFirst();
}

/** Every procedure, published or not, for the admin's list. */
export async function allProcedures(db: Db) {
  return db
    .selectFrom('procedure')
    .innerJoin('agency', 'agency.id', 'procedure.agency_id')
    .innerJoin('field', 'field.id', 'procedure.field_id')
    .select([
      'procedure.code',
      'procedure.name',
      'procedure.level',
      'procedure.time_limit_days',
      'procedure.published',
      'agency.code as agency_code',
      'agency.name as agency_name',
      'field.code as field_code',
      'field.name as field_name',
    ])
    .orderBy('agency.code')
    .orderBy('procedure.code')
    .execute();
}

export async function insertProcedure(db: Db, row: Insertable<ProcedureTable>) {
  return db.insertInto('procedure').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateProcedure(db: Db, code: string, row: Updateable<ProcedureTable>) {
  return db.updateTable('procedure').set(row).where('code', '=', code).returning('id').executeTakeFirst();
}

export async function deleteProcedure(db: Db, id: string) {
  await db.deleteFrom('procedure').where('id', '=', id).execute();
}

export async function hasDossiers(db: Db, procedureId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('dossier').select('id').where('procedure_id', '=', procedureId).limit(1).executeTakeFirst());
}

/** The dossier template is replaced as a whole: files already uploaded keep their component code as text. */
export async function replaceComponents(db: Db, procedureId: string, rows: Omit<Insertable<ProcedureComponentTable>, 'procedure_id'>[]) {
  await db.deleteFrom('procedure_component').where('procedure_id', '=', procedureId).execute();
  if (rows.length) await db.insertInto('procedure_component').values(rows.map((r) => ({ ...r, procedure_id: procedureId }))).execute();
}

export async function formsOf(db: Db, procedureId: string) {
  return db.selectFrom('procedure_form').select(['id', 'name', 'media_type', 'size', 'original_name']).where('procedure_id', '=', procedureId).orderBy('created_at').execute();
}

export async function insertForm(db: Db, row: Insertable<ProcedureFormTable>) {
  return db.insertInto('procedure_form').values(row).returning(['id', 'name', 'media_type', 'size', 'original_name']).executeTakeFirstOrThrow();
}

export async function deleteForm(db: Db, procedureId: string, formId: string): Promise<boolean> {
  const result = await db.deleteFrom('procedure_form').where('id', '=', formId).where('procedure_id', '=', procedureId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A downloadable form of a published procedure, with its content. */
export async function formContent(db: Db, procedureCode: string, formId: string) {
  return db
    .selectFrom('procedure_form')
    .innerJoin('procedure', 'procedure.id', 'procedure_form.procedure_id')
    .innerJoin('file_blob', 'file_blob.sha256', 'procedure_form.sha256')
    .select(['procedure_form.original_name', 'procedure_form.media_type', 'file_blob.content'])
    .where('procedure.code', '=', procedureCode)
    .where('procedure.published', '=', true)
    .where('procedure_form.id', '=', formId)
    .executeTakeFirst();
}
