import { sql } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import type { DeliveryChannel, DeliveryPayload, DeliveryRow, QuestionAnsweredEvent } from './delivery.table.js';
import { dossiersInContext, liveFilesWithComponents } from '../dossiers/dossier.repository.js';

export async function insertDeliveries(db: Db, rows: { channel: DeliveryChannel; dossier_id: string; payload: Exclude<DeliveryPayload, QuestionAnsweredEvent>; next_attempt_at: Date }[]) {
  if (!rows.length) return [];
  return db
    .insertInto('delivery')
    .values(rows.map((r) => ({ ...r, payload: JSON.stringify(r.payload) })))
    .returning('id')
    .execute();
}

/** The asker's email about a question (Hỏi đáp): a message about no dossier, so it waits behind none. */
export async function insertQuestionDelivery(db: Db, row: { question_id: string; payload: QuestionAnsweredEvent; next_attempt_at: Date }) {
  return db
    .insertInto('delivery')
    .values({ channel: 'email', question_id: row.question_id, payload: JSON.stringify(row.payload), next_attempt_at: row.next_attempt_at })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * Claims up to `limit` due deliveries of `channels` in one statement and leases them until `leaseUntil`: other
 * servers skip the locked rows while it runs, and pass over them until the lease ends. A delivery waits while an
 * older one of the same dossier and channel is still pending, so that the portal learns a dossier's statuses in
 * the order they happened — and one claim never holds two deliveries of a dossier's channel, so the rows it
 * returns can be sent side by side.
 */
export async function claimDue(db: Db, now: Date, channels: DeliveryChannel[], leaseUntil: Date, limit = 1): Promise<DeliveryRow[]> {
  if (!channels.length) return [];
  const due = db
    .selectFrom('delivery as d')
    .select('d.id')
    .where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', now)]))
    .where('d.channel', 'in', channels)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('delivery as e')
            .select(sql.lit(1).as('one'))
            .whereRef('e.dossier_id', '=', 'd.dossier_id')
            .whereRef('e.channel', '=', 'd.channel')
            .where('e.state', '=', 'pending')
            .whereRef('e.seq', '<', 'd.seq'),
        ),
      ),
    )
    // Oldest first, along the pending index: the walk stops at the first `limit` claimable rows.
    .orderBy('d.seq')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('delivery')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), lease_until: leaseUntil, last_attempt_at: now }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

/**
 * Outcomes are recorded only by the holder of the latest claim (`attempts` as claimed): a worker whose lease ran
 * out while it was sending cannot overwrite what the next claimant recorded.
 */
const claimedBy = (claim: { id: string; attempts: number }) => (db: Db) =>
  db.updateTable('delivery').where('id', '=', claim.id).where('attempts', '=', claim.attempts).where('state', '=', 'pending');

export async function recordSent(db: Db, claim: { id: string; attempts: number }, now: Date) {
  await claimedBy(claim)(db).set({ state: 'sent', sent_at: now, lease_until: null, last_error: null }).execute();
}

export async function recordRetry(db: Db, claim: { id: string; attempts: number }, error: string, retryAt: Date) {
  await claimedBy(claim)(db).set({ next_attempt_at: retryAt, lease_until: null, last_error: error }).execute();
}

export async function recordFailed(db: Db, claim: { id: string; attempts: number }, error: string, now: Date) {
  await claimedBy(claim)(db).set({ state: 'failed', failed_at: now, lease_until: null, last_error: error }).execute();
}

/** The dossier's latest delivery on a channel, and its oldest pending one (the one the others wait behind). */
export async function latestAndHead(db: Db, dossierId: string, channel: DeliveryChannel) {
  const ofDossier = db.selectFrom('delivery').selectAll().where('dossier_id', '=', dossierId).where('channel', '=', channel);
  const [latest, head] = await Promise.all([
    ofDossier.orderBy('seq', 'desc').limit(1).executeTakeFirst(),
    ofDossier.where('state', '=', 'pending').orderBy('seq').limit(1).executeTakeFirst(),
  ]);
  return { latest, head };
}

/** A resync should not wait out the backoff of the dossier's earlier deliveries (leases are left alone). */
export async function bringForward(db: Db, dossierId: string, channel: DeliveryChannel, now: Date) {
  await db
    .updateTable('delivery')
    .set({ next_attempt_at: now })
    .where('dossier_id', '=', dossierId)
    .where('channel', '=', channel)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '>', now)
    .execute();
}

/** A delivery given up is tried again from now, with a fresh count of attempts (its last error is kept until then). */
export async function requeueFailed(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('delivery').set({ state: 'pending', attempts: 0, next_attempt_at: now }).where('id', '=', id).where('state', '=', 'failed').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deliveriesOf(db: Db, dossierId: string) {
  return db.selectFrom('delivery').selectAll().where('dossier_id', '=', dossierId).orderBy('seq').execute();
}

/** Events of the command that produced the instance's current version: read within that command's transaction. */
export async function currentCommandEvents(db: Db, instanceId: string) {
  return db
    .selectFrom('history_event')
    .innerJoin('process_instance', (join) => join.onRef('process_instance.id', '=', 'history_event.instance_id').onRef('process_instance.version', '=', 'history_event.version'))
    .select(['history_event.type', 'history_event.data'])
    .where('history_event.instance_id', '=', instanceId)
    .orderBy('history_event.seq')
    .execute();
}

/** When the instance's current national status was reached. */
export async function lastStatusChange(db: Db, instanceId: string) {
  const row = await db
    .selectFrom('history_event')
    .select('at')
    .where('instance_id', '=', instanceId)
    .where('type', '=', 'status.changed')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.at;
}

/** What a message about a dossier tells: its code, procedure, agency, dates, status and applicant. */
export async function dossierFacts(db: Db, dossierId: string) {
  return dossiersInContext(db)
    .select(['dossier.id', 'dossier.agency_id', 'dossier.instance_id', 'dossier.channel', 'applicant.email as applicant_email'])
    .where('dossier.id', '=', dossierId)
    .executeTakeFirst();
}

/** The dossier's current documents with their components' names. */
export async function documentsOf(db: Db, dossierId: string) {
  return liveFilesWithComponents(db, dossierId)
    .select([
      'dossier_file.component_code',
      'component.name as component_name',
      'dossier_file.original_name',
      'dossier_file.sha256',
      'dossier_file.size',
      'dossier_file.media_type',
    ])
    .orderBy('dossier_file.component_code')
    .orderBy('dossier_file.created_at')
    .execute();
}
