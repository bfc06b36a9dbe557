import { sql } from 'kysely';
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
 * Published procedures matching every word of the folded query as a substring, or close to it by trigram word
 * similarity (typos), best matches first.
 */
export async function searchProcedures(
  db: Db,
  filter: { folded: string | null; agencyCode?: string; fieldCode?: string; limit: number; offset: number },
) {
  let query = db
    .selectFrom('procedure')
    .innerJoin('agency', 'agency.id', 'procedure.agency_id')
    .innerJoin('field', 'field.id', 'procedure.field_id')
    .where('procedure.published', '=', true);
  if (filter.agencyCode) query = query.where('agency.code', '=', filter.agencyCode);
  if (filter.fieldCode) query = query.where('field.code', '=', filter.fieldCode);
  const folded = filter.folded;
  if (folded) {
    const words = folded.split(' ');
    query = query.where((eb) =>
      eb.or([
        eb.and(words.map((w) => eb('procedure.search_text', 'like', `%${escapeLike(w)}%`))),
        eb(sql<number>`word_similarity(${folded}, procedure.search_text)`, '>=', SIMILARITY),
      ]),
    );
  }
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
    .$if(Boolean(folded), (q) => q.orderBy(sql`word_similarity(${folded}, procedure.search_text)`, 'desc'))
    .orderBy('procedure.name')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { total: Number(total), rows };
}

export async function findProcedure(db: Db, code: string) {
  return db
    .selectFrom('procedure')
    .innerJoin('agency', 'agency.id', 'procedure.agency_id')
    .innerJoin('field', 'field.id', 'procedure.field_id')
    .selectAll('procedure')
    .select(['agency.code as agency_code', 'agency.name as agency_name', 'field.code as field_code', 'field.name as field_name'])
    .where('procedure.code', '=', code)
    .where('procedure.published', '=', true)
    .executeTakeFirst();
}

export async function componentsOf(db: Db, procedureId: string) {
  return db.selectFrom('procedure_component').selectAll().where('procedure_id', '=', procedureId).orderBy('position').execute();
}
