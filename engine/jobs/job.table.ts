import type { ColumnType, Generated, Selectable } from 'kysely';

/** `timer`: a BPMN timer (boundary, intermediate catch); `deadline`: a step's working-time deadline. */
export type JobKind = 'timer' | 'deadline';
/** `failed`: given up after MAX_JOB_ATTEMPTS; left for an operator, with its last error. */
export type JobState = 'pending' | 'done' | 'cancelled' | 'failed';

export interface JobTable {
  id: Generated<string>;
  instance_id: string;
  kind: JobKind;
  element_id: string;
  task_id: string | null;
  due_at: Date;
  state: JobState;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: ColumnType<Date, never, never>;
  closed_at: Date | null;
}
export type JobRow = Selectable<JobTable>;
