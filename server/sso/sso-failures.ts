/**
 * Why a login through the national portal failed: the reason codes the callback puts in the web app's failure
 * page (/login/sso?reason=…), which explains each in both languages with what to do next. No imports: the web
 * app reads this type.
 */
export type SsoFailureReason =
  | 'sso-not-configured'
  | 'sso-provider-unavailable'
  | 'sso-provider-error'
  | 'sso-cancelled'
  | 'sso-state-mismatch'
  | 'sso-attempt-expired'
  | 'sso-code-invalid'
  | 'sso-invalid-response'
  | 'sso-missing-claims'
  | 'sso-id-number-bound'
  | 'sso-identity-mismatch'
  | 'sso-staff-account'
  | 'sso-account-locked'
  | 'sso-rate-limited'
  | 'sso-internal';
