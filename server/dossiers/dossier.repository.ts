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
    .where('dossier.agency_id', 'in', agencyIds)
    .where('dossier.channel', '=', 'counter')
    .where('dossier.state', '=', 'draft')
    .orderBy('dossier.created_at', 'desc')
    .limit(200)
    .execute();
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

export async function findByCode(db: Db, code: string) {
  return db
    .selectFrom('dossier')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .innerJoin('agency', 'agency.id', 'dossier.agency_id')
    .leftJoin('process_instance', 'process_instance.id', 'dossier.instance_id')
    .select([
      'dossier.code',
      'dossier.pin',
      'dossier.submitted_at',
      'dossier.due_at',
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'agency.code as agency_code',
      'agency.name as agency_name',
      'process_instance.dossier_status',
    ])
    .where('dossier.code', '=', code)
    .executeTakeFirst();
}

export async function pauseClock(db: Db, id: string, at: Date) {
  await db.updateTable('dossier').set({ clock_paused_at: at }).where('id', '=', id).where('clock_paused_at', 'is', null).execute();
}

export async function findClock(db: Db, id: string) {
  return db.selectFrom('dossier').select(['due_at', 'clock_paused_at']).where('id', '=', id).executeTakeFirst();
}

export async function resumeClock(db: Db, id: string, dueAt: Date) {
  await db.updateTable('dossier').set({ due_at: dueAt, clock_paused_at: null, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function insertRating(
  db: Db,
  row: { dossier_id: string; indices: Record<string, number>; score: number; satisfaction: 'very-satisfied' | 'satisfied' | 'not-satisfied'; comment: string | null },
) {
  return db.insertInto('dossier_rating').values({ ...row, indices: JSON.stringify(row.indices) }).returning('created_at').executeTakeFirstOrThrow();
}
