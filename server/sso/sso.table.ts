import type { ColumnType, Generated } from 'kysely';

/** A citizen account's link to its subject at an identity provider (the national portal). */
export interface SsoIdentityTable {
  id: Generated<string>;
  user_id: string;
  issuer: string;
  subject: string;
  linked_at: ColumnType<Date, never, never>;
  last_login_at: ColumnType<Date, Date | undefined, Date>;
}

/** One single sign-on attempt: what was sent to the provider, then the one-time code that completes the login. */
export interface SsoLoginTable {
  id: Generated<string>;
  state: string;
  /** SHA-256 of the cookie of the browser that started the attempt; only that browser may finish it. */
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: ColumnType<Date, never, never>;
  expires_at: Date;
  callback_at: Date | null;
  user_id: string | null;
  login_code_hash: string | null;
  login_code_expires_at: Date | null;
  completed_at: Date | null;
}
