import { sql, type Kysely } from 'kysely';

/**
 * Digitisation (số hóa, Decree 45/2020/NĐ-CP): a one-stop officer or clerk certifies a dossier file as digitised —
 * a certified electronic copy of a paper original (bản sao điện tử chứng thực, optionally with the scan itself
 * attached), or an electronic original (bản gốc điện tử: a PDF whose signature verifies). A mark is never
 * deleted: undoing it records who, when and why (`revoked_*`), so a file has at most one mark in force.
 *
 * The agency summary counts, per period, the received components digitised and the results digitised. Joining
 * every file of an agency's dossiers would cost the report more than it costs now (it reads an index of the
 * dossiers only; see 0007), so each dossier keeps its counts — components holding files and those whose files are
 * all digitised, input and result apart — kept by triggers on its files and marks, and the report's covering
 * index carries them. Files under "other documents" (TP99, tài liệu khác) are no component of the template and
 * count only once an officer reclassifies them. (COPY in replica mode, as `bench:data` loads, skips the triggers:
 * the loader writes the counts itself.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dossier_file_digitisation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('file_id', 'uuid', (c) => c.notNull().references('dossier_file.id'))
    .addColumn('dossier_id', 'uuid', (c) => c.notNull().references('dossier.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('scanned-copy', 'electronic-original')`))
    // The certified scan of the paper original, when the officer attached one (else the file itself is the copy).
    .addColumn('scan_sha256', 'text', (c) => c.references('file_blob.sha256'))
    .addColumn('scan_size', 'integer')
    .addColumn('scan_media_type', 'text')
    .addColumn('scan_name', 'text')
    // An electronic original's signer, as its signature names them.
    .addColumn('signer', 'text')
    .addColumn('signer_fingerprint', 'text')
    .addColumn('certified_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('certified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoke_reason', 'text')
    .addCheckConstraint('dossier_file_digitisation_scan_ck', sql`scan_sha256 is null or (kind = 'scanned-copy' and scan_size is not null and scan_media_type is not null and scan_name is not null)`)
    .addCheckConstraint('dossier_file_digitisation_revoked_ck', sql`(revoked_at is null) = (revoked_by is null) and (revoked_at is null) = (revoke_reason is null)`)
    .execute();
  await sql`create unique index dossier_file_digitisation_active_idx on dossier_file_digitisation (file_id) where revoked_at is null`.execute(db);
  await db.schema.createIndex('dossier_file_digitisation_dossier_idx').on('dossier_file_digitisation').column('dossier_id').execute();

  await sql`alter table dossier
    add column input_components smallint not null default 0,
    add column input_components_digitised smallint not null default 0,
    add column result_components smallint not null default 0,
    add column result_components_digitised smallint not null default 0`.execute(db);

  // Results the signing step signed before this migration are electronic originals (recorded since at signing):
  // the citizens' wallets, which now offer digitised results, keep them.
  await sql`insert into dossier_file_digitisation (file_id, dossier_id, kind, signer, signer_fingerprint, certified_by, certified_at)
    select distinct on (f.id) f.id, f.dossier_id, 'electronic-original', h.data->>'signer', h.data->>'certificate', u.id, h.at
    from history_event h
    cross join lateral jsonb_array_elements(h.data->'files') as signed(file)
    join dossier_file f on f.id::text = signed.file->>'fileId' and f.deleted_at is null
    join app_user u on u.id::text = h.actor_id
    where h.type = 'result.signed'
    order by f.id, h.at desc`.execute(db);

  // A dossier's counts from its live files: a component counts once, and as digitised when all its files are.
  const counts = (where: ReturnType<typeof sql>) => sql`
    select p.dossier_id,
      count(*) filter (where p.kind = 'input')::smallint as inputs,
      count(*) filter (where p.kind = 'input' and p.done)::smallint as inputs_done,
      count(*) filter (where p.kind = 'result')::smallint as results,
      count(*) filter (where p.kind = 'result' and p.done)::smallint as results_done
    from (
      select f.dossier_id, pc.kind, bool_and(g.id is not null) as done
      from dossier_file f
      join dossier x on x.id = f.dossier_id
      join procedure_component pc on pc.procedure_id = x.procedure_id and pc.code = f.component_code
      left join dossier_file_digitisation g on g.file_id = f.id and g.revoked_at is null
      where ${where} and f.deleted_at is null and f.component_code <> 'TP99'
      group by f.dossier_id, f.component_code, pc.kind
    ) p
    group by p.dossier_id`;
  const assign = sql`input_components = c.inputs, input_components_digitised = c.inputs_done,
    result_components = c.results, result_components_digitised = c.results_done`;
  // Files attached before this migration.
  await sql`update dossier d set ${assign} from (${counts(sql`true`)}) c where c.dossier_id = d.id`.execute(db);
  await sql`create function dossier_digitisation_recount(target uuid) returns void language plpgsql as $$
    begin
      update dossier d set ${assign}
      from (select coalesce(max(n.inputs), 0) as inputs, coalesce(max(n.inputs_done), 0) as inputs_done,
          coalesce(max(n.results), 0) as results, coalesce(max(n.results_done), 0) as results_done
        from (${counts(sql`f.dossier_id = target`)}) n) c
      where d.id = target
        and (d.input_components, d.input_components_digitised, d.result_components, d.result_components_digitised)
          is distinct from (c.inputs, c.inputs_done, c.results, c.results_done);
    end $$`.execute(db);
  // Both tables name the dossier in dossier_id.
  await sql`create function dossier_digitisation_counts() returns trigger language plpgsql as $$
    begin
      perform dossier_digitisation_recount(new.dossier_id);
      return null;
    end $$`.execute(db);
  await sql`create trigger dossier_file_digitisation_counts after insert or update of deleted_at, component_code on dossier_file
    for each row execute function dossier_digitisation_counts()`.execute(db);
  await sql`create trigger dossier_digitisation_mark_counts after insert or update of revoked_at on dossier_file_digitisation
    for each row execute function dossier_digitisation_counts()`.execute(db);

  // The agency summary's covering index (0007), with the counts.
  await sql`drop index dossier_agency_summary_idx`.execute(db);
  await sql`create index dossier_agency_summary_idx on dossier (agency_id, submitted_at)
    include (channel, due_at, national_status, status_changed_at, resolved_at, withdrawn_at, rejected_at, instance_id,
      input_components, input_components_digitised, result_components, result_components_digitised) where submitted_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index dossier_agency_summary_idx`.execute(db);
  await sql`create index dossier_agency_summary_idx on dossier (agency_id, submitted_at)
    include (channel, due_at, national_status, status_changed_at, resolved_at, withdrawn_at, rejected_at, instance_id) where submitted_at is not null`.execute(db);
  await sql`drop trigger dossier_digitisation_mark_counts on dossier_file_digitisation`.execute(db);
  await sql`drop trigger dossier_file_digitisation_counts on dossier_file`.execute(db);
  await sql`drop function dossier_digitisation_counts()`.execute(db);
  await sql`drop function dossier_digitisation_recount(uuid)`.execute(db);
  await sql`alter table dossier drop column input_components, drop column input_components_digitised, drop column result_components, drop column result_components_digitised`.execute(db);
  await db.schema.dropTable('dossier_file_digitisation').execute();
}
