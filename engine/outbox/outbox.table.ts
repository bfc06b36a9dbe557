import type { ColumnType, Generated } from 'kysely';

export interface OutboxMessageTable {
  id: Generated<string>;
  instance_id: string | null;
  topic: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  state: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: ColumnType<Date, never, never>;
  sent_at: Date | null;
}
