import type { QuestionStatus } from './question.table.js';

// The API's shapes of questions and answers (Hỏi đáp), shared with the web app, which reads dates as ISO strings (D).

/** A published question with its answer, as anyone reads it. */
export interface PublishedQuestion<D = Date> {
  id: string;
  askerName: string;
  question: string;
  askedAt: D;
  answer: string;
  answeredAt: D;
  procedure: { code: string; name: string };
  agencyName: string;
}

/** A question as the agency's staff handle it. The asker's email stays private: staff only see that one was left. */
export interface StaffQuestion<D = Date> {
  id: string;
  procedure: { code: string; name: string };
  agency: { code: string; name: string };
  askerName: string;
  askerRegistered: boolean;
  notifyByEmail: boolean;
  question: string;
  askedAt: D;
  status: QuestionStatus;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: D | null;
  publishedAt: D | null;
  rejectedAt: D | null;
  notifiedAt: D | null;
}
