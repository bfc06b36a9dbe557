import type { ColumnType, Generated, Selectable } from 'kysely';

export type TaskState = 'open' | 'completed' | 'cancelled';

export interface TaskTable {
  id: Generated<string>;
  instance_id: string;
  execution_id: string;
  element_id: string;
  name: string | null;
  candidate_groups: string[];
  assignee: string | null;
  step_code: string | null;
  form_key: string | null;
  state: TaskState;
  created_at: ColumnType<Date, Date | undefined, never>;
  due_at: Date | null;
  overdue: Generated<boolean>;
  closed_at: Date | null;
  closed_by: string | null;
  action_code: string | null;
}
export type TaskRow = Selectable<TaskTable>;
