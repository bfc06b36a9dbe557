import type { Db } from '../../engine/db/database.js';
import { dossiersInContext } from '../dossiers/dossier.repository.js';

/**
 * What the partner agency is told of a request: the outbox message, and the dossier it is about as it stands
 * (code, procedure, agency, the applicant's name and ID number, the eForm's answers).
 */
export async function requestFacts(db: Db, outboxMessageId: string) {
  return dossiersInContext(db)
    .innerJoin('outbox_message', 'outbox_message.instance_id', 'dossier.instance_id')
    .select([
      'dossier.id as dossier_id',
      'dossier.instance_id',
      'dossier.form_data',
      'applicant.id_number as applicant_id_number',
      'outbox_message.id',
      'outbox_message.topic',
      'outbox_message.state',
      'outbox_message.created_at as requested_at',
    ])
    .where('outbox_message.id', '=', outboxMessageId)
    .executeTakeFirst();
}

/** The dossier's instance, for its requests and their answers. */
export async function instanceOfDossier(db: Db, dossierId: string) {
  return db.selectFrom('dossier').select(['id', 'instance_id', 'agency_id']).where('id', '=', dossierId).executeTakeFirst();
}

/** The messages an instance correlated, oldest first: a partner's results are among them. */
export async function correlatedMessages(db: Db, instanceId: string) {
  return db
    .selectFrom('history_event')
    .select(['seq', 'at', 'data'])
    .where('instance_id', '=', instanceId)
    .where('type', '=', 'message.correlated')
    .orderBy('seq')
    .execute();
}
