import type { Db } from '../../engine/db/database.js';
import type { SessionUser } from '../accounts/account.service.js';
import { grantsOf } from '../accounts/grants.js';
import { agencyIdByCode } from '../catalogue/catalogue.repository.js';
import { foldVietnamese } from '../catalogue/search-text.js';
import { insertQuestionDelivery } from '../deliveries/delivery.repository.js';
import { PermanentDeliveryError } from '../deliveries/permanent-error.js';
import { questionAnsweredMail, type MailContent } from '../mail/mail.templates.js';
import { HttpProblem, type Bilingual, type ProblemField } from '../problems.js';
import * as repo from './question.repository.js';
import type { StaffQuestionRow } from './question.repository.js';
import { QUESTION_LIMITS, QUESTION_STATUSES, type QuestionStatus } from './question.table.js';
import type { PublishedQuestion, StaffQuestion } from './question.api.js';

interface Paging {
  page: number;
  pageSize: number;
}

const invalid = (errors: ProblemField[]) => new HttpProblem(400, 'validation', { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is invalid' }, errors);
const questionNotFound = () => new HttpProblem(404, 'question-not-found', { vi: 'Không tìm thấy câu hỏi', en: 'No such question' });
const procedureNotFound = (code: string) =>
  new HttpProblem(404, 'procedure-not-found', { vi: `Không tìm thấy thủ tục ${code}`, en: `No published procedure ${code}` });
const conflict = (code: string, message: Bilingual) => new HttpProblem(409, code, message);

/** Text as stored: Unicode NFC (one form for search and display), without surrounding blanks. */
const clean = (text: string) => text.normalize('NFC').trim();

/** The trimmed text's length within bounds, or a field error at `path`. */
function lengthProblem(path: string, text: string, limits: { min: number; max: number }): ProblemField | undefined {
  if (text.length < limits.min) return { path, message: { vi: `Cần ít nhất ${limits.min} ký tự`, en: `must have at least ${limits.min} characters` } };
  if (text.length > limits.max) return { path, message: { vi: `Tối đa ${limits.max} ký tự`, en: `must have at most ${limits.max} characters` } };
  return undefined;
}

/** What the search matches a question by: its text and answer, folded (see search-text.ts). */
export const questionSearchText = (question: string, answer: string | null) => foldVietnamese(`${question} ${answer ?? ''}`);

/**
 * Anyone asks a question about a published procedure; a logged-in asker's account is linked to it. The question
 * stays private until the agency's staff answer and publish it; the email, when given, is told of the answer.
 */
export async function ask(
  db: Db,
  procedureCode: string,
  input: { name: string; email?: string; question: string },
  user: SessionUser | null,
  now = new Date(),
): Promise<{ id: string; status: QuestionStatus; askedAt: Date }> {
  const name = clean(input.name);
  const question = clean(input.question);
  const errors = [lengthProblem('/body/name', name, QUESTION_LIMITS.name), lengthProblem('/body/question', question, QUESTION_LIMITS.question)].filter(
    (e): e is ProblemField => !!e,
  );
  if (errors.length) throw invalid(errors);
  const procedure = await repo.publishedProcedure(db, procedureCode);
  if (!procedure) throw procedureNotFound(procedureCode);
  const row = await repo.insertQuestion(db, {
    procedure_id: procedure.id,
    asker_name: name,
    asker_email: input.email ? input.email.trim().toLowerCase() : null,
    asker_id: user?.id ?? null,
    question,
    created_at: now,
    search_text: questionSearchText(question, null),
  });
  return { id: row.id, status: row.status, askedAt: row.created_at };
}

function toPublished(row: Awaited<ReturnType<typeof repo.publishedOf>>['rows'][number]): PublishedQuestion {
  return {
    id: row.id,
    askerName: row.asker_name,
    question: row.question,
    askedAt: row.created_at,
    // Published rows always have both (the table's checks).
    answer: row.answer!,
    answeredAt: row.published_at!,
    procedure: { code: row.procedure_code, name: row.procedure_name },
    agencyName: row.agency_name,
  };
}

/** A published procedure's published questions and answers, the latest first. */
export async function publishedFor(db: Db, procedureCode: string, paging: Paging) {
  const procedure = await repo.publishedProcedure(db, procedureCode);
  if (!procedure) throw procedureNotFound(procedureCode);
  const { rows, total } = await repo.publishedOf(db, procedure.id, { limit: paging.pageSize, offset: (paging.page - 1) * paging.pageSize });
  return { items: rows.map(toPublished), total, ...paging };
}

/** Published questions and answers matching `q` (diacritics optional, typos tolerated); the latest without `q`. */
export async function searchPublished(db: Db, query: { q?: string; agency?: string; field?: string } & Paging) {
  const folded = query.q ? foldVietnamese(query.q) : '';
  const { rows, total } = await repo.searchPublished(db, {
    folded: folded || null,
    agencyCode: query.agency,
    fieldCode: query.field,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: rows.map(toPublished), total, page: query.page, pageSize: query.pageSize };
}

const isAdmin = (user: SessionUser) => user.roles.some((r) => r.role === 'admin');

/** The agencies whose questions `user` handles: null for an admin (every agency). */
const agenciesOf = (user: SessionUser): string[] | null => (isAdmin(user) ? null : grantsOf(user).map((g) => g.agencyId));

function toStaff(row: StaffQuestionRow): StaffQuestion {
  return {
    id: row.id,
    procedure: { code: row.procedure_code, name: row.procedure_name },
    agency: { code: row.agency_code, name: row.agency_name },
    askerName: row.asker_name,
    askerRegistered: row.asker_id !== null,
    notifyByEmail: row.asker_email !== null,
    question: row.question,
    askedAt: row.created_at,
    status: row.status,
    answer: row.answer,
    answeredBy: row.answerer_name,
    answeredAt: row.answered_at,
    publishedAt: row.published_at,
    rejectedAt: row.rejected_at,
    notifiedAt: row.notified_at,
  };
}

/**
 * The questions of the procedures of `user`'s agencies (an admin's: every agency's, or one `agency`'s), of one
 * status or all but rejected, unanswered first; with how many there are of each status.
 */
export async function staffQuestions(db: Db, user: SessionUser, query: { status?: QuestionStatus; agency?: string } & Paging) {
  let agencyIds = agenciesOf(user);
  if (query.agency) {
    const id = await agencyIdByCode(db, query.agency);
    agencyIds = id && (agencyIds === null || agencyIds.includes(id)) ? [id] : [];
  }
  const { rows, counts } = await repo.staffList(db, {
    agencyIds,
    status: query.status ?? null,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const byStatus = Object.fromEntries(QUESTION_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.count ?? 0])) as Record<QuestionStatus, number>;
  const total = query.status ? byStatus[query.status] : byStatus.pending + byStatus.answered + byStatus.published;
  return { items: rows.map(toStaff), total, page: query.page, pageSize: query.pageSize, counts: byStatus };
}

/**
 * One change to a question by the staff of its procedure's agency (or an admin), on the locked row; anyone else is
 * told it does not exist. `change` returns the columns to set, or null when there is nothing to do.
 */
async function moderate(
  db: Db,
  user: SessionUser,
  id: string,
  change: (row: NonNullable<Awaited<ReturnType<typeof repo.lockQuestion>>>, trx: Db) => Promise<Parameters<typeof repo.updateQuestion>[2] | null>,
): Promise<StaffQuestion> {
  await db.transaction().execute(async (trx) => {
    const row = await repo.lockQuestion(trx, id);
    const agencies = agenciesOf(user);
    if (!row || (agencies !== null && !agencies.includes(row.agency_id))) throw questionNotFound();
    const columns = await change(row, trx);
    if (columns) await repo.updateQuestion(trx, id, columns);
  });
  return toStaff((await repo.findForStaff(db, id))!);
}

const rejectedConflict = () =>
  conflict('question-rejected', { vi: 'Câu hỏi đã bị ẩn; hãy khôi phục trước khi thao tác', en: 'The question was rejected; restore it first' });

/** Writes or edits the answer: a pending question becomes answered; a published one shows the new answer at once. */
export async function answer(db: Db, user: SessionUser, id: string, text: string, now = new Date()): Promise<StaffQuestion> {
  const answerText = clean(text);
  const problem = lengthProblem('/body/answer', answerText, QUESTION_LIMITS.answer);
  if (problem) throw invalid([problem]);
  return moderate(db, user, id, async (row) => {
    if (row.status === 'rejected') throw rejectedConflict();
    return {
      answer: answerText,
      answered_by: user.id,
      answered_at: now,
      status: row.status === 'pending' ? 'answered' : row.status,
      search_text: questionSearchText(row.question, answerText),
    };
  });
}

/**
 * Publishes the answer: the question and answer appear on the procedure's page and in search. The first
 * publication queues the asker's email (when they left one) in the same transaction.
 */
export async function publish(db: Db, user: SessionUser, id: string, now = new Date()): Promise<StaffQuestion> {
  return moderate(db, user, id, async (row, trx) => {
    if (row.status === 'published') return null;
    if (row.status === 'rejected') throw rejectedConflict();
    if (row.status === 'pending') throw conflict('question-not-answered', { vi: 'Câu hỏi chưa có câu trả lời để công khai', en: 'The question has no answer to publish yet' });
    const notify = row.asker_email !== null && row.notified_at === null;
    if (notify) await insertQuestionDelivery(trx, { question_id: id, payload: { kind: 'question-answered', to: row.asker_email!, at: now.toISOString() }, next_attempt_at: now });
    return { status: 'published', published_at: now, published_by: user.id, ...(notify ? { notified_at: now } : {}) };
  });
}

/** Takes a published answer off the portal; it stays answered, to be edited and published again. */
export async function unpublish(db: Db, user: SessionUser, id: string): Promise<StaffQuestion> {
  return moderate(db, user, id, async (row) => {
    if (row.status === 'answered') return null;
    if (row.status !== 'published') throw conflict('question-not-published', { vi: 'Câu hỏi chưa được công khai', en: 'The question is not published' });
    return { status: 'answered', published_at: null, published_by: null };
  });
}

/** Hides a question (abusive, off-topic, personal data): never shown, even if it was published. */
export async function reject(db: Db, user: SessionUser, id: string, now = new Date()): Promise<StaffQuestion> {
  return moderate(db, user, id, async (row) => {
    if (row.status === 'rejected') return null;
    return { status: 'rejected', published_at: null, published_by: null, rejected_at: now, rejected_by: user.id };
  });
}

/** Undoes a rejection made by mistake: the question is back, answered if it had an answer (not published). */
export async function restore(db: Db, user: SessionUser, id: string): Promise<StaffQuestion> {
  return moderate(db, user, id, async (row) => {
    if (row.status !== 'rejected') throw conflict('question-not-rejected', { vi: 'Câu hỏi không bị ẩn', en: 'The question is not rejected' });
    return { status: row.answer === null ? 'pending' : 'answered', rejected_at: null, rejected_by: null };
  });
}

/**
 * The asker's email for a question's delivery, composed when sent from the question as it stands: an answer taken
 * off the portal meanwhile is not sent (the delivery ends as failed, with that reason).
 */
export async function answeredQuestionMail(db: Db, questionId: string, publicUrl: string): Promise<MailContent> {
  const facts = await repo.mailFacts(db, questionId);
  if (!facts) throw new PermanentDeliveryError(`question ${questionId} no longer exists`);
  if (facts.status !== 'published' || facts.answer === null || facts.published_at === null) {
    throw new PermanentDeliveryError(`the answer to question ${questionId} is no longer published`);
  }
  return questionAnsweredMail({
    askerName: facts.asker_name,
    procedureCode: facts.procedure_code,
    procedureName: facts.procedure_name,
    agencyName: facts.agency_name,
    question: facts.question,
    answer: facts.answer,
    publishedAt: facts.published_at,
    url: new URL(`/procedures/${encodeURIComponent(facts.procedure_code)}#question-${facts.id}`, publicUrl).toString(),
  });
}
