import type { Insertable } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import type { AgencyCertificateTable } from './certificate.table.js';

const publicColumns = ['id', 'agency_id', 'subject', 'issuer', 'serial', 'fingerprint', 'not_before', 'not_after', 'created_at', 'retired_at'] as const;

/** The agency's certificate in use, with its sealed key material. */
export async function activeCertificate(db: Db, agencyId: string) {
  return db.selectFrom('agency_certificate').selectAll().where('agency_id', '=', agencyId).where('retired_at', 'is', null).executeTakeFirst();
}

/** Retires the agency's certificate in use (if any) and makes `row` the one in use, in the caller's transaction. */
export async function replaceCertificate(db: Db, row: Insertable<AgencyCertificateTable>, at: Date) {
  await db.updateTable('agency_certificate').set({ retired_at: at }).where('agency_id', '=', row.agency_id).where('retired_at', 'is', null).execute();
  return db.insertInto('agency_certificate').values(row).returning(publicColumns).executeTakeFirstOrThrow();
}

export async function certificatesOf(db: Db, agencyId: string) {
  return db.selectFrom('agency_certificate').select(publicColumns).where('agency_id', '=', agencyId).orderBy('created_at', 'desc').execute();
}

/** Whether the agency ever registered the certificate with this fingerprint (retired ones still vouch for what they signed). */
export async function isAgencyCertificate(db: Db, agencyId: string, fingerprint: string): Promise<boolean> {
  return Boolean(await db.selectFrom('agency_certificate').select('id').where('agency_id', '=', agencyId).where('fingerprint', '=', fingerprint).executeTakeFirst());
}
