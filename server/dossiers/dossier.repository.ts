import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.js';

export async function findByIdempotencyKey(db: Db, applicantId: string, key: string) {
  return db.selectFrom('dossier').select('id').where('applicant_id', '=', applicantId).where('idempotency_key', '=', key).executeTakeFirst();
}

export async function insertDossier(
  db: Db,
  row: { procedure_id: string; agency_id: string; applicant_id: string; channel: 'online' | 'counter' | 'post'; idempotency_key: string | null; received_by?: string },
) {
  return db
    .insertInto('dossier')
    .values({ ...row, state: 'draft', code: null, instance_id: null, pin: null, submitted_at: null, due_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** A dossier with its procedure and agency; `lock` holds it for the rest of the transaction. */
export async function findDossier(db: Db, id: string, lock = false) {
  let query = db
    .selectFrom('dossier')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .innerJoin('agency', 'agency.id', 'dossier.agency_id')
    .selectAll('dossier')
    .select([
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'procedure.process_key',
      'procedure.time_limit_days',
      'procedure.eform_schema',
      'agency.code as agency_code',
      'agency.name as agency_name',
    ])
    .where('dossier.id', '=', id);
  if (lock) query = query.forUpdate('dossier');
  return query.executeTakeFirst();
}

function summaries(db: Db) {
  return db
    .selectFrom('dossier')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .leftJoin('process_instance', 'process_instance.id', 'dossier.instance_id')
    .select([
      'dossier.id',
      'dossier.code',
      'dossier.state',
      'dossier.submitted_at',
      'dossier.due_at',
      'dossier.created_at',
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'process_instance.dossier_status',
    ]);
}

export async function listOfApplicant(db: Db, applicantId: string) {
  return summaries(db).where('dossier.applicant_id', '=', applicantId).orderBy('dossier.created_at', 'desc').limit(200).execute();
}

export async function counterDrafts(db: Db, agencyIds: string[]) {
  return summaries(db)
    .innerJoin('app_user as applicant', 'applicant.id', 'dossier.applicant_id')
    .select('applicant.full_name as applicant_name')
    .where('dossier.agency_id', 'in', agencyIds)
    .where('dossier.channel', '=', 'counter')
    .where('dossier.state', '=', 'draft')
    .orderBy('dossier.created_at', 'desc')
    .limit(200)
    .execute();
}

/** A draft and its file records go; the files' content stays, shared by content hash with other dossiers. */
export async function deleteDraft(db: Db, id: string) {
  await db.deleteFrom('dossier_file').where('dossier_id', '=', id).execute();
  await db.deleteFrom('dossier').where('id', '=', id).where('state', '=', 'draft').execute();
}

export async function updateForm(db: Db, id: string, data: Record<string, unknown>) {
  await db.updateTable('dossier').set({ form_data: JSON.stringify(data), updated_at: new Date() }).where('id', '=', id).execute();
}

export async function markSubmitted(db: Db, id: string, values: { code: string; pin: string; instance_id: string; submitted_at: Date; due_at: Date }) {
  await db.updateTable('dossier').set({ ...values, state: 'submitted', updated_at: values.submitted_at }).where('id', '=', id).execute();
}

/** The next number of the agency's day, atomically; a rolled-back transaction gives it back. */
export async function nextSequence(db: Db, agencyId: string, day: string): Promise<number> {
  const row = await db
    .insertInto('dossier_code_sequence')
    .values({ agency_id: agencyId, day, last: 1 })
    .onConflict((oc) => oc.columns(['agency_id', 'day']).doUpdateSet({ last: sql`dossier_code_sequence.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

export async function componentsOfProcedure(db: Db, procedureId: string) {
  return db.selectFrom('procedure_component').selectAll().where('procedure_id', '=', procedureId).orderBy('position').execute();
}

export async function liveFiles(db: Db, dossierId: string) {
  return db
    .selectFrom('dossier_file')
    .select(['id', 'component_code', 'sha256', 'size', 'media_type', 'original_name', 'created_at'])
    .where('dossier_id', '=', dossierId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** A dossier's live files, each beside its component in the procedure (`component`, absent when the code names none). */
export function liveFilesWithComponents(db: Db, dossierId: string) {
  return db
    .selectFrom('dossier_file')
    .innerJoin('dossier', 'dossier.id', 'dossier_file.dossier_id')
    .leftJoin('procedure_component as component', (join) =>
      join.onRef('component.procedure_id', '=', 'dossier.procedure_id').onRef('component.code', '=', 'dossier_file.component_code'),
    )
    .where('dossier_file.dossier_id', '=', dossierId)
    .where('dossier_file.deleted_at', 'is', null);
}

/** A live file of the dossier with its content. */
export async function fileWithContent(db: Db, dossierId: string, fileId: string) {
  return db
    .selectFrom('dossier_file')
    .innerJoin('file_blob', 'file_blob.sha256', 'dossier_file.sha256')
    .select(['dossier_file.original_name', 'dossier_file.media_type', 'file_blob.content'])
    .where('dossier_file.id', '=', fileId)
    .where('dossier_file.dossier_id', '=', dossierId)
    .where('dossier_file.deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * The citizen's document wallet (kho giấy tờ): digitised result files (server/digitisation: the signed electronic
 * original, or a certified copy — its certified scan when one was attached) issued on their dossiers that were
 * resolved or returned (national status 9, 10), newest first.
 */
export async function walletFiles(db: Db, applicantId: string, fileId?: string) {
  let query = db
    .selectFrom('dossier_file')
    .innerJoin('dossier', 'dossier.id', 'dossier_file.dossier_id')
    .innerJoin('process_instance', 'process_instance.id', 'dossier.instance_id')
    .innerJoin('procedure_component as component', (join) =>
      join.onRef('component.procedure_id', '=', 'dossier.procedure_id').onRef('component.code', '=', 'dossier_file.component_code'),
    )
    .innerJoin('dossier_file_digitisation as digitised', (join) => join.onRef('digitised.file_id', '=', 'dossier_file.id').on('digitised.revoked_at', 'is', null))
    .select((eb) => [
      'dossier_file.id',
      eb.fn.coalesce('digitised.scan_name', 'dossier_file.original_name').as('original_name'),
      eb.fn.coalesce('digitised.scan_media_type', 'dossier_file.media_type').as('media_type'),
      eb.fn.coalesce('digitised.scan_size', 'dossier_file.size').as('size'),
      eb.fn.coalesce('digitised.scan_sha256', 'dossier_file.sha256').as('sha256'),
      'dossier_file.created_at',
      'dossier.id as dossier_id',
      'dossier.code as dossier_code',
      'component.name as component_name',
    ])
    .where('dossier.applicant_id', '=', applicantId)
    .where('component.kind', '=', 'result')
    .where('process_instance.dossier_status', 'in', [9, 10])
    .where('dossier_file.deleted_at', 'is', null);
  if (fileId) query = query.where('dossier_file.id', '=', fileId);
  return query.orderBy('dossier_file.created_at', 'desc').limit(200).execute();
}

export async function blobContent(db: Db, sha256: string) {
  return (await db.selectFrom('file_blob').select('content').where('sha256', '=', sha256).executeTakeFirstOrThrow()).content;
}

export async function storeBlob(db: Db, blob: { sha256: string; size: number; media_type: string; content: Buffer }) {
  await db.insertInto('file_blob').values(blob).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}

export async function insertFile(db: Db, row: { dossier_id: string; component_code: string; sha256: string; size: number; media_type: string; original_name: string }) {
  return db.insertInto('dossier_file').values({ ...row, deleted_at: null }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
}

export async function deleteFiles(db: Db, dossierId: string, filter: { id?: string; componentCode?: string }, at: Date): Promise<number> {
  let query = db.updateTable('dossier_file').set({ deleted_at: at }).where('dossier_id', '=', dossierId).where('deleted_at', 'is', null);
  if (filter.id) query = query.where('id', '=', filter.id);
  if (filter.componentCode) query = query.where('component_code', '=', filter.componentCode);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

export async function findProcedureForDraft(db: Db, code: string) {
  return db.selectFrom('procedure').select(['id', 'agency_id']).where('code', '=', code).where('published', '=', true).executeTakeFirst();
}

/**
 * A dossier as others describe it (the audit search, notifications and portal sync): its code,
 * dates and status with its procedure, agency and applicant. Callers add what else they need and the filter.
 */
export function dossiersInContext(db: Db) {
  return dossiersWithCatalogue(db)
    .innerJoin('app_user as applicant', 'applicant.id', 'dossier.applicant_id')
    .leftJoin('process_instance', 'process_instance.id', 'dossier.instance_id')
    .select(['applicant.full_name as applicant_name', 'process_instance.dossier_status']);
}

/** A dossier's code and dates with its procedure's and agency's codes and names (small, cached tables). */
function dossiersWithCatalogue(db: Db) {
  return db
    .selectFrom('dossier')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .innerJoin('agency', 'agency.id', 'dossier.agency_id')
    .select([
      'dossier.code',
      'dossier.submitted_at',
      'dossier.due_at',
      'dossier.rescheduled_due_at',
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'agency.code as agency_code',
      'agency.name as agency_name',
    ]);
}

/**
 * What the public lookup shows of a dossier, by its code: one index probe and the dossier's row (its status kept
 * on it, so neither the applicant nor the instance is read).
 */
export async function findForLookup(db: Db, code: string) {
  return dossiersWithCatalogue(db).select(['dossier.pin', 'dossier.national_status']).where('dossier.code', '=', code).executeTakeFirst();
}

export async function pauseClock(db: Db, id: string, at: Date) {
  await db.updateTable('dossier').set({ clock_paused_at: at }).where('id', '=', id).where('clock_paused_at', 'is', null).execute();
}

export async function findClock(db: Db, id: string) {
  return db.selectFrom('dossier').select(['due_at', 'rescheduled_due_at', 'clock_paused_at']).where('id', '=', id).executeTakeFirst();
}

export async function resumeClock(db: Db, id: string, moved: { due_at: Date; rescheduled_due_at: Date | null }) {
  await db.updateTable('dossier').set({ ...moved, clock_paused_at: null, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function setRescheduledDueAt(db: Db, id: string, at: Date) {
  await db.updateTable('dossier').set({ rescheduled_due_at: at, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function insertRating(
  db: Db,
  row: { dossier_id: string; indices: Record<string, number>; score: number; satisfaction: 'very-satisfied' | 'satisfied' | 'not-satisfied'; comment: string | null },
) {
  return db.insertInto('dossier_rating').values({ ...row, indices: JSON.stringify(row.indices) }).returning('created_at').executeTakeFirstOrThrow();
}

/** Where a submitted dossier's history ends and its national status, in one statement (so the two agree). */
export async function historyEnd(db: Db, dossierId: string) {
  return db
    .selectFrom('dossier')
    .innerJoin('process_instance', 'process_instance.id', 'dossier.instance_id')
    .select([
      'process_instance.dossier_status',
      (eb) => eb.selectFrom('history_event').select((h) => h.fn.max('history_event.seq').as('seq')).whereRef('history_event.instance_id', '=', 'process_instance.id').as('last_seq'),
    ])
    .where('dossier.id', '=', dossierId)
    .executeTakeFirst();
}
