import { sql, type Kysely } from 'kysely';

// The durable process core: immutable definition versions, instances with every committed engine state
// (for undo and audit), open tasks, timer/deadline jobs, an outbox and a hash-chained history.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('process_definition')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('procedure_code', 'text')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('xml', 'text', (c) => c.notNull())
    .addColumn('model', 'jsonb', (c) => c.notNull())
    .addColumn('deployed_by', 'text', (c) => c.notNull())
    .addColumn('deployed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('process_definition_key_version_uq', ['key', 'version'])
    .addUniqueConstraint('process_definition_key_sha_uq', ['key', 'sha256'])
    .execute();

  await db.schema
    .createTable('process_instance')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('process_definition.id'))
    .addColumn('business_key', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('dossier_status', 'smallint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('last_event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_event_hash', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('process_instance_business_key_idx').on('process_instance').column('business_key').execute();

  // One row per committed version: the engine state (without its XML source) and the command that made it.
  await db.schema
    .createTable('instance_version')
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('process_instance.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'uuid')
    .addColumn('undoable', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('dossier_status', 'smallint')
    .addColumn('engine_version', 'text', (c) => c.notNull())
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('variables', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('instance_version_pk', ['instance_id', 'version'])
    .execute();

  await db.schema
    .createTable('task')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('process_instance.id'))
    .addColumn('execution_id', 'text', (c) => c.notNull())
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('candidate_groups', sql`text[]`, (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('step_code', 'text')
    .addColumn('form_key', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('due_at', 'timestamptz')
    .addColumn('overdue', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .addColumn('action_code', 'text')
    .addUniqueConstraint('task_instance_execution_uq', ['instance_id', 'execution_id'])
    .execute();
  await sql`create index task_open_idx on task (instance_id) where state = 'open'`.execute(db);
  await sql`create index task_open_groups_idx on task using gin (candidate_groups) where state = 'open'`.execute(db);

  await db.schema
    .createTable('history_event')
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('process_instance.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('element_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_event_pk', ['instance_id', 'seq'])
    .execute();
  // Append-only: the application never changes an event. Someone with the rights to drop this trigger could,
  // and the hash chain (verifyHistory) is what catches that.
  await sql`create function history_event_append_only() returns trigger language plpgsql as $$
    begin raise exception 'history events are append-only'; end $$`.execute(db);
  await sql`create trigger history_event_append_only before update or delete on history_event
    for each statement execute function history_event_append_only()`.execute(db);

  await db.schema
    .createTable('job')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instance_id', 'uuid', (c) => c.notNull().references('process_instance.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'uuid')
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await sql`create index job_due_idx on job (due_at) where state = 'pending'`.execute(db);
  await sql`create index job_instance_pending_idx on job (instance_id) where state = 'pending'`.execute(db);

  // Messages for other systems (inter-agency send tasks now; notifications and portal sync later),
  // written in the same transaction as the state change that causes them.
  await db.schema
    .createTable('outbox_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instance_id', 'uuid', (c) => c.references('process_instance.id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await sql`create index outbox_pending_idx on outbox_message (created_at) where state = 'pending'`.execute(db);

  // Exceptions to the Monday–Friday working week: public holidays (Tết included) and compensatory working days.
  await db.schema
    .createTable('calendar_day')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger history_event_append_only on history_event`.execute(db);
  await sql`drop function history_event_append_only()`.execute(db);
  for (const table of ['calendar_day', 'outbox_message', 'job', 'history_event', 'task', 'instance_version', 'process_instance', 'process_definition']) {
    await db.schema.dropTable(table).execute();
  }
}
