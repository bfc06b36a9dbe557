import { ApiError } from './api/problem.js';
import type { MessageKey } from './i18n/messages.js';
import type { SsoFailureReason } from '../../../server/sso/sso-failures.js';

/** Why a login through the national portal failed: the callback's reasons, and the finish page's own. */
export type SsoReason = SsoFailureReason | 'sso-login-code-invalid';

/** What the citizen can do next: start again, use the password instead, ask the desk. */
export type SsoStep = 'retry' | 'password' | 'support';

export const SSO_REASONS: Record<SsoReason, { message: MessageKey; steps: SsoStep[] }> = {
  'sso-not-configured': { message: 'sso.reason.sso-not-configured', steps: ['password'] },
  'sso-provider-unavailable': { message: 'sso.reason.sso-provider-unavailable', steps: ['retry', 'password', 'support'] },
  'sso-provider-error': { message: 'sso.reason.sso-provider-error', steps: ['retry', 'password', 'support'] },
  'sso-cancelled': { message: 'sso.reason.sso-cancelled', steps: ['retry', 'password'] },
  'sso-state-mismatch': { message: 'sso.reason.sso-state-mismatch', steps: ['retry', 'password'] },
  'sso-attempt-expired': { message: 'sso.reason.sso-attempt-expired', steps: ['retry', 'password'] },
  'sso-code-invalid': { message: 'sso.reason.sso-code-invalid', steps: ['retry', 'password'] },
  'sso-invalid-response': { message: 'sso.reason.sso-invalid-response', steps: ['retry', 'password', 'support'] },
  'sso-missing-claims': { message: 'sso.reason.sso-missing-claims', steps: ['password', 'support'] },
  'sso-id-number-bound': { message: 'sso.reason.sso-id-number-bound', steps: ['password', 'support'] },
  'sso-identity-mismatch': { message: 'sso.reason.sso-identity-mismatch', steps: ['password', 'support'] },
  'sso-staff-account': { message: 'sso.reason.sso-staff-account', steps: ['password'] },
  'sso-account-locked': { message: 'sso.reason.sso-account-locked', steps: ['support'] },
  'sso-rate-limited': { message: 'sso.reason.sso-rate-limited', steps: ['retry', 'password'] },
  'sso-internal': { message: 'sso.reason.sso-internal', steps: ['retry', 'password', 'support'] },
  'sso-login-code-invalid': { message: 'sso.reason.sso-login-code-invalid', steps: ['retry', 'password'] },
};

/** The reason of the page's `?reason=`; anything unknown reads as a system error. */
export function ssoReason(value: string | null): SsoReason {
  return value !== null && Object.hasOwn(SSO_REASONS, value) ? (value as SsoReason) : 'sso-internal';
}

/** The reason a failed exchange of the one-time code stands for. */
export function ssoReasonOfError(error: unknown): SsoReason {
  if (!(error instanceof ApiError)) return 'sso-internal';
  if (error.code === 'account-locked') return 'sso-account-locked';
  if (error.status === 429) return 'sso-rate-limited';
  return ssoReason(error.code);
}

/** The start of a login through the portal, coming back to `returnTo` (a full navigation: the API redirects). */
export const ssoStartHref = (returnTo: string): string => `/api/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}`;
