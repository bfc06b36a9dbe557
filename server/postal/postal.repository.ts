import type { Db } from '../../engine/db/database.js';
import { dossiersInContext } from '../dossiers/dossier.repository.js';
import type { PostalDirection, PostalOrderRow, PostalState } from './postal.table.js';

export async function ordersOf(db: Db, dossierId: string): Promise<PostalOrderRow[]> {
  return db.selectFrom('postal_order').selectAll().where('dossier_id', '=', dossierId).orderBy('direction').execute();
}

export async function findOrder(db: Db, dossierId: string, direction: PostalDirection, lock = false) {
  const query = db.selectFrom('postal_order').selectAll().where('dossier_id', '=', dossierId).where('direction', '=', direction);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function orderById(db: Db, id: string) {
  return db.selectFrom('postal_order').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function orderByTrackingCode(db: Db, trackingCode: string) {
  return db.selectFrom('postal_order').selectAll().where('tracking_code', '=', trackingCode).forUpdate().executeTakeFirst();
}

/** The draft's choice, replaced as a whole: directions not chosen any more are removed. */
export async function replaceChoice(
  db: Db,
  dossierId: string,
  directions: PostalDirection[],
  address: { recipient_name: string; phone: string; address: string },
  now: Date,
) {
  await db.deleteFrom('postal_order').where('dossier_id', '=', dossierId).where('state', '=', 'chosen').execute();
  if (!directions.length) return;
  await db
    .insertInto('postal_order')
    .values(directions.map((direction) => ({ dossier_id: dossierId, direction, ...address, updated_at: now })))
    .execute();
}

export async function markRequested(db: Db, id: string, at: Date) {
  await db.updateTable('postal_order').set({ state: 'requested', requested_at: at, updated_at: at }).where('id', '=', id).where('state', '=', 'chosen').execute();
}

export async function setState(db: Db, id: string, state: PostalState, at: Date, trackingCode?: string) {
  await db
    .updateTable('postal_order')
    .set({ state, updated_at: at, ...(trackingCode ? { tracking_code: trackingCode } : {}) })
    .where('id', '=', id)
    .execute();
}

/** What the post office is told of an order: the dossier, the agency, and the applicant's side of the parcel. */
export async function orderFacts(db: Db, orderId: string) {
  return dossiersInContext(db)
    .innerJoin('postal_order', 'postal_order.dossier_id', 'dossier.id')
    .select([
      'dossier.id as dossier_id',
      'dossier.instance_id',
      'postal_order.id',
      'postal_order.direction',
      'postal_order.state',
      'postal_order.recipient_name',
      'postal_order.phone',
      'postal_order.address',
      'postal_order.tracking_code',
    ])
    .where('postal_order.id', '=', orderId)
    .executeTakeFirst();
}
