import type { Db } from '../../engine/db/database.js';

/** Submitted dossiers whose code starts with `q` or whose applicant's name contains it, newest first. */
export async function findDossiers(db: Db, filter: { q: string; agencyIds: string[] | null; limit: number }) {
  let query = db
    .selectFrom('dossier')
    .innerJoin('procedure', 'procedure.id', 'dossier.procedure_id')
    .innerJoin('agency', 'agency.id', 'dossier.agency_id')
    .innerJoin('app_user', 'app_user.id', 'dossier.applicant_id')
    .leftJoin('process_instance', 'process_instance.id', 'dossier.instance_id')
    .select([
      'dossier.id',
      'dossier.code',
      'dossier.submitted_at',
      'dossier.due_at',
      'procedure.code as procedure_code',
      'procedure.name as procedure_name',
      'agency.code as agency_code',
      'agency.name as agency_name',
      'app_user.full_name as applicant_name',
      'process_instance.dossier_status',
      'process_instance.definition_id',
    ])
    .where('dossier.state', '=', 'submitted');
  if (filter.agencyIds) query = query.where('dossier.agency_id', 'in', filter.agencyIds);
  const q = filter.q.trim();
  if (q) {
    const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where((eb) => eb.or([eb('dossier.code', 'like', `${escaped}%`), eb('app_user.full_name', 'ilike', `%${escaped}%`)]));
  }
  return query.orderBy('dossier.submitted_at', 'desc').limit(filter.limit).execute();
}
