import { withQuery } from '../api/client.js';
import type { Page } from '../api/types.js';
import type { MessageKey } from '../i18n/messages.js';
import { api, session } from '../session.svelte.js';
import type { QuestionStatus } from '../../../../server/questions/question.table.js';
import type { PublishedQuestion as ServerPublishedQuestion, StaffQuestion as ServerStaffQuestion } from '../../../../server/questions/question.api.js';

export { QUESTION_LIMITS, type QuestionStatus } from '../../../../server/questions/question.table.js';

/** The API's answers about questions and answers (Hỏi đáp), as server/questions/question.routes.ts gives them. */
export type PublishedQuestion = ServerPublishedQuestion<string>;
export type StaffQuestion = ServerStaffQuestion<string>;

export interface StaffQuestionPage extends Page<StaffQuestion> {
  counts: Record<QuestionStatus, number>;
}

/** The element id of a question on its procedure's page: the asker's email links there. */
export const questionAnchor = (id: string) => `question-${id}`;

const procedurePath = (code: string) => `/api/procedures/${encodeURIComponent(code)}/questions`;

export const publishedQuestions = (code: string, page = 1, pageSize = 5) =>
  api.get<Page<PublishedQuestion>>(withQuery(procedurePath(code), { page, pageSize }), { auth: false });

/** Published questions and answers matching `q` (with or without diacritics); the latest without it. */
export const searchQuestions = (query: { q?: string; agency?: string; field?: string; page?: number; pageSize?: number }) => api.get<Page<PublishedQuestion>>(withQuery('/api/questions', query), { auth: false });

/** Asks a question; a logged-in asker's account is linked to it (the API takes the token if there is one). */
export const askQuestion = (code: string, body: { name: string; email?: string; question: string }) =>
  api.post<{ id: string; status: QuestionStatus; askedAt: string }>(procedurePath(code), body, { auth: !!session.user });

/** The staff's page: one tab per status, or all but hidden ones. */
export type StaffView = QuestionStatus | 'all';
export const STAFF_VIEWS: readonly StaffView[] = ['all', 'pending', 'answered', 'published', 'rejected'];
export const STAFF_VIEW_LABELS: Record<StaffView, MessageKey> = {
  all: 'questions.status.all',
  pending: 'questions.status.pending',
  answered: 'questions.status.answered',
  published: 'questions.status.published',
  rejected: 'questions.status.rejected',
};
export const STAFF_PAGE_SIZE = 10;
export const STAFF_QUESTIONS_DEPENDENCY = 'app:staff-questions';

export interface StaffQuery {
  view: StaffView;
  page: number;
}

/** The staff page's state lives in the URL; anything unknown falls back to every question. */
export function staffQuery(params: URLSearchParams): StaffQuery {
  const view = params.get('status') as StaffView | null;
  return { view: view && STAFF_VIEWS.includes(view) ? view : 'all', page: Math.max(1, Math.floor(Number(params.get('page'))) || 1) };
}

export const staffHref = (query: StaffQuery) =>
  withQuery('/staff/questions', { status: query.view === 'all' ? undefined : query.view, page: query.page > 1 ? query.page : undefined });

export const staffQuestions = (query: StaffQuery) =>
  api.get<StaffQuestionPage>(withQuery('/api/staff/questions', { status: query.view === 'all' ? undefined : query.view, page: query.page, pageSize: STAFF_PAGE_SIZE }));

/** A tab's count: every status but hidden ones for "all". */
export const countOf = (counts: Record<QuestionStatus, number>, view: StaffView) => (view === 'all' ? counts.pending + counts.answered + counts.published : counts[view]);

export const saveAnswer = (id: string, answer: string) => api.put<StaffQuestion>(`/api/staff/questions/${id}/answer`, { answer });
export const changeQuestion = (id: string, action: 'publish' | 'unpublish' | 'reject' | 'restore') => api.post<StaffQuestion>(`/api/staff/questions/${id}/${action}`);
