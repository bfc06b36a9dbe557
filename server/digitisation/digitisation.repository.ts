import type { Insertable } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import { liveFilesWithComponents } from '../dossiers/dossier.repository.js';
import type { DossierFileDigitisationTable } from './digitisation.table.js';

const recordColumns = [
  'file_id',
  'kind',
  'scan_sha256',
  'scan_size',
  'scan_media_type',
  'scan_name',
  'signer',
  'signer_fingerprint',
  'certified_by',
  'certified_at',
] as const;

/** The marks in force on a dossier's files (at most one per file). */
export async function activeMarks(db: Db, dossierId: string) {
  return db.selectFrom('dossier_file_digitisation').select(recordColumns).where('dossier_id', '=', dossierId).where('revoked_at', 'is', null).execute();
}

export async function activeMark(db: Db, fileId: string) {
  return db.selectFrom('dossier_file_digitisation').select(recordColumns).where('file_id', '=', fileId).where('revoked_at', 'is', null).executeTakeFirst();
}

/** Records a mark; the triggers of migration 0015 recount the dossier's digitised components. */
export async function insertMark(db: Db, row: Insertable<DossierFileDigitisationTable>) {
  return db.insertInto('dossier_file_digitisation').values(row).returning(recordColumns).executeTakeFirstOrThrow();
}

/** Takes the file's mark in force back, keeping it with who, when and why; the number of marks revoked (0 or 1). */
export async function revokeMark(db: Db, fileId: string, revoked: { by: string; at: Date; reason: string }): Promise<number> {
  const result = await db
    .updateTable('dossier_file_digitisation')
    .set({ revoked_by: revoked.by, revoked_at: revoked.at, revoke_reason: revoked.reason })
    .where('file_id', '=', fileId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A live file of the dossier, with its component's kind (null when the code names no component of the procedure). */
export async function liveFile(db: Db, dossierId: string, fileId: string) {
  return liveFilesWithComponents(db, dossierId)
    .select([
      'dossier_file.id',
      'dossier_file.component_code',
      'dossier_file.sha256',
      'dossier_file.size',
      'dossier_file.media_type',
      'dossier_file.original_name',
      'dossier_file.created_at',
      'component.kind as component_kind',
    ])
    .where('dossier_file.id', '=', fileId)
    .executeTakeFirst();
}

/** Files the citizen put in one component are filed under another of the same dossier (the triggers recount). */
export async function moveFile(db: Db, fileId: string, componentCode: string) {
  await db.updateTable('dossier_file').set({ component_code: componentCode }).where('id', '=', fileId).where('deleted_at', 'is', null).execute();
}

/** The certified scan of a file in force, with its content. */
export async function scanOf(db: Db, dossierId: string, fileId: string) {
  return db
    .selectFrom('dossier_file_digitisation as mark')
    .innerJoin('file_blob', 'file_blob.sha256', 'mark.scan_sha256')
    .select(['mark.scan_name', 'mark.scan_media_type', 'file_blob.content'])
    .where('mark.dossier_id', '=', dossierId)
    .where('mark.file_id', '=', fileId)
    .where('mark.revoked_at', 'is', null)
    .executeTakeFirst();
}
