import type { Lang } from '../i18n/messages.js';
// The API's one error shape (RFC 7807): the server's own types, so the two cannot drift apart.
import type { Bilingual, Problem, ProblemField } from '../../../../server/problems.js';

export type { Bilingual, Problem, ProblemField };

/** A failed API call. Network failures and non-problem answers get a problem too, with an empty message. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** The stable problem code: `/problems/form-invalid` → `form-invalid`. */
  get code(): string {
    return this.problem.type.replace(/^\/problems\//, '');
  }
}

export const NETWORK_ERROR = 'network';

function isProblem(body: unknown): body is Problem {
  const p = body as Partial<Problem> | null;
  return typeof p === 'object' && p !== null && typeof p.type === 'string' && typeof p.status === 'number' && typeof p.messageVi === 'string';
}

/** The problem of an error answer; anything else (a proxy's HTML page, an empty body) becomes `/problems/http-<status>`. */
export function problemOf(status: number, text: string): Problem {
  try {
    const body: unknown = JSON.parse(text);
    if (isProblem(body)) return body;
  } catch {
    // not JSON: fall through
  }
  return { type: `/problems/http-${status}`, title: '', status, detail: '', messageVi: '', messageEn: '' };
}

export function networkError(): ApiError {
  return new ApiError({ type: `/problems/${NETWORK_ERROR}`, title: '', status: 0, detail: '', messageVi: '', messageEn: '' });
}

const pick = (lang: Lang, text: Bilingual): string => text[lang];

/** The problem's message in `lang`; empty when the API sent none (then the caller shows a generic one). */
export function problemMessage(problem: Problem, lang: Lang): string {
  return lang === 'vi' ? problem.messageVi : problem.messageEn;
}

/** Where a field error is shown: the id of its control and its label; `href` when the control is on another page. */
export interface FieldTarget {
  id: string;
  label: string;
  href?: string;
}

export interface ErrorReport {
  /** The error summary's items, in the problem's order; `href` links to the control (`#id` on this page). */
  summary: { message: string; href?: string }[];
  /** The message under each control, by control id. */
  byField: Record<string, string>;
}

/**
 * Spreads an error over a form: each field error under its control (found by `targetOf` from the API path) and
 * in the summary, prefixed with the field's label; errors this page has no control for, and a problem without
 * field errors, appear in the summary only. `fallback` is the text for an error with no message of its own.
 */
export function errorReport(error: unknown, lang: Lang, targetOf: (path: string) => FieldTarget | undefined, fallback: string): ErrorReport {
  const report: ErrorReport = { summary: [], byField: {} };
  const problem = error instanceof ApiError ? error.problem : undefined;
  for (const field of problem?.errors ?? []) {
    const message = pick(lang, field.message);
    const target = field.path ? targetOf(field.path) : undefined;
    if (!target) {
      report.summary.push({ message });
      continue;
    }
    if (!target.href) report.byField[target.id] = report.byField[target.id] ? `${report.byField[target.id]}; ${message}` : message;
    report.summary.push({ message: `${target.label}: ${message}`, href: target.href ?? `#${target.id}` });
  }
  if (!report.summary.length) report.summary.push({ message: (problem && problemMessage(problem, lang)) || fallback });
  return report;
}
