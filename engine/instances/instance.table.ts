import type { ColumnType, Generated, Selectable } from 'kysely';

export type InstanceState = 'running' | 'completed';

export interface InstanceTable {
  id: ColumnType<string, string, never>;
  definition_id: ColumnType<string, string, never>;
  business_key: string | null;
  state: InstanceState;
  dossier_status: number | null;
  version: number;
  last_event_seq: number;
  last_event_hash: string;
  started_by: ColumnType<string, string, never>;
  started_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  ended_at: Date | null;
}
export type InstanceRow = Selectable<InstanceTable>;

export type CommandKind = 'start' | 'act' | 'correlate' | 'timer' | 'undo';

export interface InstanceVersionTable {
  instance_id: string;
  version: number;
  command: CommandKind;
  actor_id: string;
  task_id: string | null;
  undoable: boolean;
  dossier_status: number | null;
  engine_version: string;
  state: ColumnType<unknown, string, never>;
  variables: ColumnType<Record<string, unknown>, string, never>;
  created_at: Generated<Date>;
}
