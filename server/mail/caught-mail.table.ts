import type { ColumnType, Generated } from 'kysely';

/** A message the demo's local SMTP catcher received. */
export interface CaughtMailTable {
  id: Generated<string>;
  message_id: string;
  mail_from: string;
  recipients: ColumnType<string[], string, never>;
  subject: string;
  text_body: string;
  html_body: string | null;
  size: number;
  received_at: ColumnType<Date, never, never>;
}
