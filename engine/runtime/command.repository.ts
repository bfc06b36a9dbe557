import { sql, type OperationNodeSource } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Runs a command's writes as ONE statement of data-modifying CTEs (`with w0 as (update …), w1 as (insert …) …`):
 * one round trip instead of one per write. An action used to send seven writes one after the other (task closed,
 * task opened, jobs closed and added, instance, version, history), each costing both sides CPU and waking the
 * database; under load (`npm run bench`) the socket writes alone took a third of the server's main thread.
 *
 * `guard` is the instance's optimistic update and must return its row; the result says how many rows it updated
 * (0: someone else moved the instance on, and the caller throws, rolling everything back). The parts share one
 * snapshot, so none may read or write another's rows — each writes rows of its own — while constraints and
 * triggers work as for separate statements.
 */
export async function writeTogether(trx: Db, guard: OperationNodeSource, writes: OperationNodeSource[]): Promise<number> {
  const parts = [guard, ...writes].map((write, i) => sql`${sql.raw(`w${i}`)} as (${write})`);
  const { rows } = await sql<{ guarded: number }>`with ${sql.join(parts)} select count(*)::int as guarded from w0`.execute(trx);
  return rows[0]!.guarded;
}
