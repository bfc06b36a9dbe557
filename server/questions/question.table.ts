import type { ColumnType, Generated, Selectable } from 'kysely';

/**
 * A public question about a procedure (Hỏi đáp) and where it stands: `pending` until the agency's staff answer it,
 * `answered` (not public yet), `published` (on the procedure page and in search), `rejected` (hidden: abusive or
 * off-topic; it can be restored).
 */
export const QUESTION_STATUSES = ['pending', 'answered', 'published', 'rejected'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** Lengths the API accepts, after trimming (shared with the web app's form checks). */
export const QUESTION_LIMITS = { name: { min: 2, max: 100 }, question: { min: 10, max: 2000 }, answer: { min: 2, max: 5000 } } as const;

export interface ProcedureQuestionTable {
  id: Generated<string>;
  procedure_id: string;
  asker_name: string;
  /** Where to tell the asker that the answer is published; never shown to anyone. */
  asker_email: string | null;
  /** The account of an asker who was logged in. */
  asker_id: string | null;
  question: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  status: ColumnType<QuestionStatus, QuestionStatus | undefined, QuestionStatus>;
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  published_at: Date | null;
  published_by: string | null;
  rejected_at: Date | null;
  rejected_by: string | null;
  /** When the asker's email was queued: once, at the first publication. */
  notified_at: Date | null;
  /** Question and answer folded to ASCII lower case, for the diacritic-insensitive search. */
  search_text: string;
}
export type ProcedureQuestionRow = Selectable<ProcedureQuestionTable>;
