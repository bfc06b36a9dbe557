import { ApiError, errorReport, NETWORK_ERROR, problemMessage, type ErrorReport, type FieldTarget, type ProblemField } from './api/problem.js';
import { i18n, t } from './i18n/index.svelte.js';
import { bilingual, translate, type MessageParams } from './i18n/translate.js';
import type { MessageKey } from './i18n/messages.js';

export { bilingual };

/** Errors found in the browser, shaped as the API's problem so that one summary shows both kinds. */
export function clientProblem(errors: ProblemField[]): ApiError {
  const { vi, en } = bilingual('error.fixFields');
  return new ApiError({ type: '/problems/client-validation', title: en, status: 0, detail: en, messageVi: vi, messageEn: en, errors });
}

/** `error` spread over the current page's controls, in the current language (see errorReport). */
export function describeError(error: unknown, targetOf: (path: string) => FieldTarget | undefined = () => undefined): ErrorReport {
  return errorReport(error, i18n.lang, targetOf, fallbackMessage(error));
}

const fallbackMessage = (error: unknown) => (error instanceof ApiError && error.code === NETWORK_ERROR ? t('error.network') : t('error.unexpected'));

/** The one-line message of an error, for places without a form: the problem's own message. */
export const errorMessage = (error: unknown): string =>
  (error instanceof ApiError && problemMessage(error.problem, i18n.lang)) || fallbackMessage(error);
