import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import { foldedRank, matchesFolded, searching } from '../catalogue/catalogue.repository.js';
import type { ProcedureQuestionTable, QuestionStatus } from './question.table.js';

/** A published procedure, as a question about it needs it. */
export async function publishedProcedure(db: Db, code: string) {
  return db.selectFrom('procedure').select(['id', 'agency_id']).where('code', '=', code).where('published', '=', true).executeTakeFirst();
}

export async function insertQuestion(db: Db, row: Insertable<ProcedureQuestionTable>) {
  return db.insertInto('procedure_question').values(row).returning(['id', 'status', 'created_at']).executeTakeFirstOrThrow();
}

/** A published question as the public reads it, with its procedure and the agency that answered. */
function publishedQuestions(db: Db) {
  return db
    .selectFrom('procedure_question as q')
    .innerJoin('procedure', 'procedure.id', 'q.procedure_id')
    .innerJoin('agency', 'agency.id', 'procedure.agency_id')
    .innerJoin('field', 'field.id', 'procedure.field_id')
    .where('q.status', '=', 'published')
    .where('procedure.published', '=', true);
}

const publicColumns = [
  'q.id',
  'q.asker_name',
  'q.question',
  'q.created_at',
  'q.answer',
  'q.published_at',
  'procedure.code as procedure_code',
  'procedure.name as procedure_name',
  'agency.name as agency_name',
] as const;

/** A procedure's published questions, the latest published first. */
export async function publishedOf(db: Db, procedureId: string, page: { limit: number; offset: number }) {
  const query = publishedQuestions(db).where('q.procedure_id', '=', procedureId);
  const [{ total }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    query.select(publicColumns).orderBy('q.published_at', 'desc').orderBy('q.id').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { total: Number(total), rows };
}

/**
 * Published questions of published procedures matching the folded query in their question or answer (with or
 * without diacritics, typos tolerated), best matches first; without a query, the latest published.
 */
export async function searchPublished(db: Db, filter: { folded: string | null; agencyCode?: string; fieldCode?: string; limit: number; offset: number }) {
  return searching(db, async (trx) => {
    let query = publishedQuestions(trx);
    if (filter.agencyCode) query = query.where('agency.code', '=', filter.agencyCode);
    if (filter.fieldCode) query = query.where('field.code', '=', filter.fieldCode);
    const folded = filter.folded;
    if (folded) query = query.where(matchesFolded('q.search_text', folded));
    const { total } = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    const rows = await query
      .select(publicColumns)
      .$if(Boolean(folded), (q) => q.orderBy(foldedRank('q.search_text', folded!), 'desc'))
      .orderBy('q.published_at', 'desc')
      .orderBy('q.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return { total: Number(total), rows };
  });
}

/** The staff's view of questions: every column, with the procedure, its agency and the answerer's name. */
function staffQuestions(db: Db) {
  return db
    .selectFrom('procedure_question as q')
    .innerJoin('procedure', 'procedure.id', 'q.procedure_id')
    .innerJoin('agency', 'agency.id', 'procedure.agency_id')
    .leftJoin('app_user as answerer', 'answerer.id', 'q.answered_by')
    .selectAll('q')
    .select([
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'procedure.agency_id',
      'agency.code as agency_code',
      'agency.name as agency_name',
      'answerer.full_name as answerer_name',
    ]);
}
export type StaffQuestionRow = NonNullable<Awaited<ReturnType<typeof findForStaff>>>;

export async function findForStaff(db: Db, id: string) {
  return staffQuestions(db).where('q.id', '=', id).executeTakeFirst();
}

/** The row, locked for a change by staff; with its procedure's agency, which decides who may change it. */
export async function lockQuestion(db: Db, id: string) {
  return db
    .selectFrom('procedure_question as q')
    .innerJoin('procedure', 'procedure.id', 'q.procedure_id')
    .select(['q.id', 'q.status', 'q.answer', 'q.question', 'q.asker_email', 'q.notified_at', 'procedure.agency_id'])
    .where('q.id', '=', id)
    .forUpdate('q')
    .executeTakeFirst();
}

export async function updateQuestion(db: Db, id: string, change: Updateable<ProcedureQuestionTable>) {
  await db.updateTable('procedure_question').set(change).where('id', '=', id).execute();
}

/** Rank of a status in the staff's list: what waits for them first. */
const statusRank = sql<number>`case q.status when 'pending' then 0 when 'answered' then 1 when 'published' then 2 else 3 end`;

/**
 * The questions of the agencies' procedures (`agencyIds` null: every agency), of one status or, without one, every
 * status but rejected: unanswered first, then answered awaiting publication (both oldest first, as a queue), then
 * published (newest first). With the count of each status.
 */
export async function staffList(db: Db, filter: { agencyIds: string[] | null; status: QuestionStatus | null; limit: number; offset: number }) {
  const { agencyIds } = filter;
  const inScope = agencyIds === null ? sql<boolean>`true` : agencyIds.length ? sql<boolean>`procedure.agency_id in (${sql.join(agencyIds)})` : sql<boolean>`false`;
  const counts = db
    .selectFrom('procedure_question as q')
    .innerJoin('procedure', 'procedure.id', 'q.procedure_id')
    .where(inScope)
    .select(['q.status', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('q.status')
    .execute();
  const rows = staffQuestions(db)
    .where(inScope)
    .where((eb) => (filter.status ? eb('q.status', '=', filter.status) : eb('q.status', '<>', 'rejected')))
    .orderBy(statusRank)
    .orderBy(sql`case when q.status in ('pending', 'answered') then q.created_at end`, 'asc')
    .orderBy('q.created_at', 'desc')
    .orderBy('q.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const [list, byStatus] = await Promise.all([rows, counts]);
  return { rows: list, counts: byStatus.map((c) => ({ status: c.status, count: Number(c.count) })) };
}

/** What the asker's email tells: the question as it stands when the email is sent. */
export async function mailFacts(db: Db, id: string) {
  return db
    .selectFrom('procedure_question as q')
    .innerJoin('procedure', 'procedure.id', 'q.procedure_id')
    .innerJoin('agency', 'agency.id', 'procedure.agency_id')
    .select(['q.id', 'q.status', 'q.asker_name', 'q.question', 'q.answer', 'q.published_at', 'procedure.code as procedure_code', 'procedure.name as procedure_name', 'agency.name as agency_name'])
    .where('q.id', '=', id)
    .executeTakeFirst();
}
