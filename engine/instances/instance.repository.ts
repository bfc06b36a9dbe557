import type { Db } from '../db/database.js';
import type { CommandKind, InstanceState } from './instance.table.js';

const instanceColumns = [
  'process_instance.id',
  'process_instance.definition_id',
  'process_instance.business_key',
  'process_instance.state',
  'process_instance.dossier_status',
  'process_instance.version',
  'process_instance.last_event_seq',
  'process_instance.last_event_hash',
  'process_instance.started_by',
  'process_instance.started_at',
  'process_instance.updated_at',
  'process_instance.ended_at',
] as const;

export async function insertInstance(
  db: Db,
  row: { id: string; definition_id: string; business_key: string | null; started_by: string; genesis_hash: string },
) {
  await db
    .insertInto('process_instance')
    .values({
      id: row.id,
      definition_id: row.definition_id,
      business_key: row.business_key,
      started_by: row.started_by,
      state: 'running',
      version: 0,
      last_event_seq: 0,
      last_event_hash: row.genesis_hash,
    })
    .execute();
}

export async function findInstance(db: Db, id: string) {
  return db.selectFrom('process_instance').select(instanceColumns).where('id', '=', id).executeTakeFirst();
}

/**
 * The instance row, locked for the rest of the transaction. The lock only saves wasted engine work: correctness
 * comes from the version check in `updateInstance`, which holds without locks.
 */
export async function lockInstance(db: Db, id: string) {
  return db.selectFrom('process_instance').select(instanceColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks the instance row if nobody holds it; undefined when it is busy (the caller tries again later). */
export async function tryLockInstance(db: Db, id: string) {
  return db.selectFrom('process_instance').select('id').where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
}

/** Optimistic update: true only when nobody committed a newer version or history event meanwhile. */
export async function updateInstance(db: Db, id: string, expected: ExpectedInstance, values: InstanceUpdate): Promise<boolean> {
  const result = await updateInstanceQuery(db, id, expected, values).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type ExpectedInstance = { version: number; lastEventSeq: number };
export type InstanceUpdate = {
  version: number;
  state: InstanceState;
  dossier_status: number | null;
  last_event_seq: number;
  last_event_hash: string;
  ended_at: Date | null;
};

/** The optimistic update as a query: executed here, or joined into a command's single write (runtime/command.repository.ts). */
export function updateInstanceQuery(db: Db, id: string, expected: ExpectedInstance, values: InstanceUpdate) {
  return db
    .updateTable('process_instance')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', expected.version)
    .where('last_event_seq', '=', expected.lastEventSeq);
}

export type NewVersion = {
  instance_id: string;
  version: number;
  command: CommandKind;
  actor_id: string;
  task_id: string | null;
  undoable: boolean;
  dossier_status: number | null;
  engine_version: string;
  state: unknown;
  variables: Record<string, unknown>;
};

/** A version's insert as a query, joined into a command's single write (engine/runtime/command.repository.ts). */
export function insertVersionQuery(db: Db, row: NewVersion) {
  return db.insertInto('instance_version').values({ ...row, state: JSON.stringify(row.state), variables: JSON.stringify(row.variables) });
}

export async function findVersion(db: Db, instanceId: string, version: number) {
  return db
    .selectFrom('instance_version')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('version', '=', version)
    .executeTakeFirst();
}
