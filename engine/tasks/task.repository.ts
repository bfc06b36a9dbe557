import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { TaskTable } from './task.table.js';

export async function tasksOfInstance(db: Db, instanceId: string, state?: 'open') {
  let query = db.selectFrom('task').selectAll().where('instance_id', '=', instanceId).orderBy('created_at');
  if (state) query = query.where('state', '=', state);
  return query.execute();
}

export async function findTask(db: Db, id: string) {
  return db.selectFrom('task').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTaskByExecution(db: Db, instanceId: string, executionId: string) {
  return db.selectFrom('task').selectAll().where('instance_id', '=', instanceId).where('execution_id', '=', executionId).executeTakeFirst();
}

/** A task's insert as a query, joined into a command's single write (engine/runtime/command.repository.ts). */
export function insertTaskQuery(db: Db, row: Insertable<TaskTable>) {
  return db.insertInto('task').values(row);
}

export type TaskClosure = { state: 'completed' | 'cancelled'; closed_at: Date; closed_by: string | null; action_code: string | null };

/** A task's closing as a query, joined into a command's single write (engine/runtime/command.repository.ts). */
export function closeTaskQuery(db: Db, id: string, values: TaskClosure) {
  return db.updateTable('task').set(values).where('id', '=', id);
}

/** Undo brings a task back exactly as it was (same id, group, assignee, due time). */
export async function reopenTask(db: Db, id: string) {
  return db
    .updateTable('task')
    .set({ state: 'open', closed_at: null, closed_by: null, action_code: null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markTaskOverdue(db: Db, id: string) {
  await db.updateTable('task').set({ overdue: true }).where('id', '=', id).execute();
}

export async function setAssignee(db: Db, id: string, assignee: string | null) {
  await db.updateTable('task').set({ assignee }).where('id', '=', id).execute();
}
