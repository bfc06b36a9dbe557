import type { ColumnType, Selectable } from 'kysely';

export interface HistoryEventTable {
  instance_id: string;
  seq: number;
  version: number;
  type: string;
  element_id: string | null;
  actor_id: string | null;
  at: Date;
  data: ColumnType<Record<string, unknown>, string, string>;
  prev_hash: string;
  hash: string;
}
export type HistoryEventRow = Selectable<HistoryEventTable>;
