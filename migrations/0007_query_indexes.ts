import { sql, type Kysely } from 'kysely';

/**
 * What the busiest reads need at a province's volume (measured by `npm run bench:data`: 1 million dossiers,
 * 10 million history events).
 *
 * Officer inbox. Which open tasks an officer sees depends on the dossier's agency, and the list is ordered by
 * the step's deadline or else the dossier's. Joined at read time, every open task of the officer's groups in the
 * whole province costs a dossier lookup, three times per page. So each task carries its dossier's agency and due
 * date (`agency_id`, `dossier_due_at`), kept by triggers: set when the task is created, and again when the
 * dossier is linked to its instance (its first tasks exist by then) or its due date moves (the paused clock).
 * One index then serves the inbox's counts and, in order, its first page.
 *
 * Agency summary (form 06a). It needs each dossier's status at the period's start and end and the first time it
 * was resolved, withdrawn or refused reception. Read from the status events, that is several index probes and
 * heap reads per dossier of the agency since the beginning. So the dossier keeps its current status, since when,
 * and those first times (`national_status`, `status_changed_at`, `resolved_at`, `withdrawn_at`, `rejected_at`),
 * kept by a trigger on the status events; the report reads the history only for dossiers whose status changed
 * after the moment it asks about. A covering index lets the report read an agency's dossiers without their rows.
 * (COPY in replica mode, as `bench:data` loads, skips these triggers: the loader writes the columns itself.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table task add column agency_id uuid, add column dossier_due_at timestamptz`.execute(db);
  await sql`alter table dossier
    add column national_status smallint,
    add column status_changed_at timestamptz,
    add column resolved_at timestamptz,
    add column withdrawn_at timestamptz,
    add column rejected_at timestamptz`.execute(db);

  // A new task takes its dossier's agency and due date (none yet while the instance is being started).
  await sql`create function task_dossier_scope() returns trigger language plpgsql as $$
    begin
      select d.agency_id, d.due_at into new.agency_id, new.dossier_due_at from dossier d where d.instance_id = new.instance_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger task_dossier_scope before insert on task for each row execute function task_dossier_scope()`.execute(db);

  // A dossier linked to its instance passes its agency and due date to the tasks already created, and takes
  // the status events already written (the start's); a moved due date reaches its tasks.
  await sql`create function dossier_instance_sync() returns trigger language plpgsql as $$
    begin
      if new.instance_id is null then return new; end if;
      update task set agency_id = new.agency_id, dossier_due_at = new.due_at
        where instance_id = new.instance_id and (agency_id is distinct from new.agency_id or dossier_due_at is distinct from new.due_at);
      if old.instance_id is distinct from new.instance_id then
        select s.national_status, s.status_changed_at, s.resolved_at, s.withdrawn_at, s.rejected_at
          into new.national_status, new.status_changed_at, new.resolved_at, new.withdrawn_at, new.rejected_at
          from (${statusSummary(sql`h.instance_id = new.instance_id`)}) s;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger dossier_instance_sync before update of instance_id, due_at on dossier
    for each row execute function dossier_instance_sync()`.execute(db);

  // Every status change: the current status and since when; the first resolution, withdrawal, refusal.
  await sql`create function dossier_status_sync() returns trigger language plpgsql as $$
    declare
      reached smallint := (new.data->>'to')::smallint;
    begin
      update dossier set
        national_status = reached,
        status_changed_at = new.at,
        resolved_at = case when resolved_at is null and reached in (9, 10) then new.at else resolved_at end,
        withdrawn_at = case when withdrawn_at is null and reached = 7 then new.at else withdrawn_at end,
        rejected_at = case when rejected_at is null and reached = 3 then new.at else rejected_at end
      where instance_id = new.instance_id;
      return null;
    end $$`.execute(db);
  await sql`create trigger dossier_status_sync after insert on history_event
    for each row when (new.type = 'status.changed') execute function dossier_status_sync()`.execute(db);

  // Rows written before this migration.
  await sql`update task t set agency_id = d.agency_id, dossier_due_at = d.due_at from dossier d where d.instance_id = t.instance_id`.execute(db);
  await sql`update dossier d set national_status = s.national_status, status_changed_at = s.status_changed_at, resolved_at = s.resolved_at, withdrawn_at = s.withdrawn_at, rejected_at = s.rejected_at
    from (${statusSummary(sql`true`, true)}) s where s.instance_id = d.instance_id`.execute(db);

  // The inbox: an agency's open tasks in the order of the page, with what its filters and counts read.
  await sql`create index task_open_agency_idx on task (agency_id, (coalesce(due_at, dossier_due_at)), created_at)
    include (id, candidate_groups, assignee, due_at, dossier_due_at) where state = 'open'`.execute(db);
  // The agency summary: an agency's submitted dossiers with every field the report counts (replaces the index
  // of 0006 on the same key).
  await sql`drop index dossier_agency_submitted_idx`.execute(db);
  await sql`create index dossier_agency_summary_idx on dossier (agency_id, submitted_at)
    include (channel, due_at, national_status, status_changed_at, resolved_at, withdrawn_at, rejected_at, instance_id) where submitted_at is not null`.execute(db);
}

/** Per instance: the last status, when it was set, and the first times it reached 9/10, 7 and 3. */
function statusSummary(where: ReturnType<typeof sql>, grouped = false) {
  return sql`select ${grouped ? sql`h.instance_id,` : sql``}
      (array_agg((h.data->>'to')::smallint order by h.at desc, h.seq desc))[1] as national_status,
      max(h.at) as status_changed_at,
      min(h.at) filter (where (h.data->>'to')::smallint in (9, 10)) as resolved_at,
      min(h.at) filter (where (h.data->>'to')::smallint = 7) as withdrawn_at,
      min(h.at) filter (where (h.data->>'to')::smallint = 3) as rejected_at
    from history_event h where h.type = 'status.changed' and ${where}
    ${grouped ? sql`group by h.instance_id` : sql``}`;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index dossier_agency_summary_idx`.execute(db);
  await sql`create index dossier_agency_submitted_idx on dossier (agency_id, submitted_at) where submitted_at is not null`.execute(db);
  await sql`drop index task_open_agency_idx`.execute(db);
  await sql`drop trigger dossier_status_sync on history_event`.execute(db);
  await sql`drop function dossier_status_sync()`.execute(db);
  await sql`drop trigger dossier_instance_sync on dossier`.execute(db);
  await sql`drop function dossier_instance_sync()`.execute(db);
  await sql`drop trigger task_dossier_scope on task`.execute(db);
  await sql`drop function task_dossier_scope()`.execute(db);
  await sql`alter table dossier drop column national_status, drop column status_changed_at, drop column resolved_at, drop column withdrawn_at, drop column rejected_at`.execute(db);
  await sql`alter table task drop column agency_id, drop column dossier_due_at`.execute(db);
}
