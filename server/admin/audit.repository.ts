import type { Db } from '../../engine/db/database.js';
import { dossiersInContext } from '../dossiers/dossier.repository.js';

/** Submitted dossiers whose code starts with `q` or whose applicant's name contains it, newest first. */
export async function findDossiers(db: Db, filter: { q: string; agencyIds: string[] | null; limit: number }) {
  let query = dossiersInContext(db).select(['dossier.id', 'process_instance.definition_id']).where('dossier.state', '=', 'submitted');
  if (filter.agencyIds) query = query.where('dossier.agency_id', 'in', filter.agencyIds);
  const q = filter.q.trim();
  if (q) {
    const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where((eb) => eb.or([eb('dossier.code', 'like', `${escaped}%`), eb('applicant.full_name', 'ilike', `%${escaped}%`)]));
  }
  return query.orderBy('dossier.submitted_at', 'desc').limit(filter.limit).execute();
}
