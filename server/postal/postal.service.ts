import type { Db } from '../../engine/db/database.js';
import { actIn, onStatusChange, openTasks, type StatusChange } from '../../engine/process-core.js';
import { appendHistoryOnly, inTransaction } from '../../engine/runtime/command.js';
import { lockInstance } from '../../engine/instances/instance.repository.js';
import { isUuid } from '../../engine/json.js';
import { HttpProblem, type ProblemField } from '../problems.js';
import { insertDeliveries } from '../deliveries/delivery.repository.js';
import { onAction } from '../tasks/action-hooks.js';
import * as repo from './postal.repository.js';
import type { PostalDirection, PostalOrderRow, PostalState } from './postal.table.js';

/** Actor of what the post office reports, in the dossier's history. */
export const POSTAL_SYSTEM_ACTOR = 'system:postal';
/** Action code of the return step (Trả kết quả), which waits for the post when the result goes by post. */
export const RETURN_ACTION = '4000';
/** National status "Đã giải quyết, chờ trả kết quả": the result is ready, the return order is placed. */
export const RESULT_READY_STATUS = 9;

const RANK: Record<PostalState, number> = { chosen: 0, requested: 1, 'awaiting-confirmation': 2, accepted: 3, delivered: 4 };

export interface PostalChoice {
  /** Thu gom hồ sơ giấy tại địa chỉ: the post picks the paper dossier up and brings it to the agency. */
  collection: boolean;
  /** Nhận kết quả qua bưu chính: the post brings the result to the address. */
  result: boolean;
  recipientName?: string;
  phone?: string;
  address?: string;
}

export interface PostalOrderView {
  state: PostalState;
  trackingCode: string | null;
  recipientName: string;
  phone: string;
  address: string;
  updatedAt: Date;
}

export interface PostalView {
  collection: PostalOrderView | null;
  result: PostalOrderView | null;
}

const PHONE = /^\+?[0-9][0-9 .-]{7,18}[0-9]$/;

/** Checks a draft's choice; the address is required once either service is chosen. */
function choiceProblems(choice: PostalChoice): ProblemField[] {
  if (!choice.collection && !choice.result) return [];
  const problems: ProblemField[] = [];
  if (!choice.recipientName?.trim()) problems.push({ path: '/body/recipientName', message: { vi: 'Nhập họ tên người gửi/nhận', en: 'Enter the name on the parcel' } });
  if (!choice.phone?.trim() || !PHONE.test(choice.phone.trim())) {
    problems.push({ path: '/body/phone', message: { vi: 'Nhập số điện thoại hợp lệ để bưu tá liên hệ', en: 'Enter a valid phone number for the postman' } });
  }
  if (!choice.address?.trim() || choice.address.trim().length < 10) {
    problems.push({ path: '/body/address', message: { vi: 'Nhập địa chỉ đầy đủ (số nhà, đường, xã/phường, huyện, tỉnh)', en: 'Enter the full address' } });
  }
  return problems;
}

/** Replaces a draft's postal choice (the caller checked the dossier is the user's draft, under its lock). */
export async function saveChoice(trx: Db, dossierId: string, choice: PostalChoice, now = new Date()): Promise<void> {
  const problems = choiceProblems(choice);
  if (problems.length) throw new HttpProblem(422, 'postal-choice-invalid', { vi: 'Thông tin chuyển phát chưa hợp lệ', en: 'The postal details are invalid' }, problems);
  const directions: PostalDirection[] = [...(choice.collection ? ['collection' as const] : []), ...(choice.result ? ['return' as const] : [])];
  const address = { recipient_name: choice.recipientName?.trim().normalize('NFC') ?? '', phone: choice.phone?.trim() ?? '', address: choice.address?.trim().normalize('NFC') ?? '' };
  await repo.replaceChoice(trx, dossierId, directions, address, now);
}

const viewOf = (order: PostalOrderRow | undefined): PostalOrderView | null =>
  order
    ? { state: order.state, trackingCode: order.tracking_code, recipientName: order.recipient_name, phone: order.phone, address: order.address, updatedAt: order.updated_at }
    : null;

export async function postalOf(db: Db, dossierId: string): Promise<PostalView> {
  const orders = await repo.ordersOf(db, dossierId);
  return { collection: viewOf(orders.find((o) => o.direction === 'collection')), result: viewOf(orders.find((o) => o.direction === 'return')) };
}

/** Whether the applicant chose to receive the result by post (shipping is charged then). */
export async function resultByPost(db: Db, dossierId: string): Promise<boolean> {
  return (await repo.findOrder(db, dossierId, 'return')) !== undefined;
}

/**
 * Places the orders a status change calls for, in the command's transaction: the collection when the dossier is
 * submitted, the return when its result is ready (status 9). The order goes to the post through the delivery
 * queue, so a post office that is down delays it and never loses it.
 */
async function placeOnStatusChange(trx: Db, change: StatusChange): Promise<void> {
  if (!change.businessKey || !isUuid(change.businessKey) || change.to === null) return;
  const direction: PostalDirection | null = change.from === null ? 'collection' : change.to === RESULT_READY_STATUS ? 'return' : null;
  if (!direction) return;
  const order = await repo.findOrder(trx, change.businessKey, direction, true);
  if (order?.state !== 'chosen') return;
  await repo.markRequested(trx, order.id, change.at);
  await insertDeliveries(trx, [
    { channel: 'postal', dossier_id: order.dossier_id, payload: { status: change.to, from: change.from, at: change.at.toISOString(), postalOrderId: order.id }, next_attempt_at: change.at },
  ]);
}

/** An officer may not take the return step by hand while the result is on its way by post. */
async function waitForDelivery({ trx, dossierId }: { trx: Db; dossierId: string }): Promise<void> {
  const order = await repo.findOrder(trx, dossierId, 'return');
  if (order && order.state !== 'delivered') {
    throw new HttpProblem(409, 'postal-return-pending', {
      vi: 'Kết quả được chuyển trả qua bưu chính: bước này tự hoàn thành khi bưu điện báo đã phát cho người nhận',
      en: 'The result goes by post: this step completes itself when the post office reports it delivered',
    });
  }
}

/** Installs the postal work of every command (idempotent). */
export function installPostal(): void {
  onStatusChange(placeOnStatusChange);
  onAction(RETURN_ACTION, waitForDelivery);
}

export const postalOrderNotFound = () => new HttpProblem(404, 'postal-order-not-found', { vi: 'Không tìm thấy bưu gửi', en: 'Postal order not found' });

/**
 * Records a state the post office reached, once, in the dossier's history. States only move forward, so a
 * replayed or late report changes nothing. When the result is delivered, the return step waiting for it is taken
 * in the same transaction, as the system.
 */
export async function recordPostalState(
  db: Db,
  orderId: string,
  report: { state: Exclude<PostalState, 'chosen' | 'requested'>; trackingCode: string; at: Date; reportedAt?: string },
): Promise<{ changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const facts = await repo.orderFacts(trx, orderId);
    if (!facts?.instance_id) throw postalOrderNotFound();
    // Commands lock the instance first and the order after (the status listener): so must this, or two deadlock.
    await lockInstance(trx, facts.instance_id);
    const order = (await repo.orderById(trx, orderId))!;
    if (order.tracking_code && order.tracking_code !== report.trackingCode) {
      throw new HttpProblem(409, 'postal-tracking-mismatch', { vi: 'Mã bưu gửi không khớp với đơn hàng', en: 'The tracking code does not match the order' });
    }
    if (order.state === 'chosen' || RANK[report.state] <= RANK[order.state]) return { changed: false };
    await repo.setState(trx, order.id, report.state, report.at, report.trackingCode);
    await appendHistoryOnly(trx, facts.instance_id, POSTAL_SYSTEM_ACTOR, report.at, [
      { type: 'postal.state', elementId: null, data: { direction: order.direction, state: report.state, trackingCode: report.trackingCode, ...(report.reportedAt ? { reportedAt: report.reportedAt } : {}) } },
    ]);
    if (order.direction === 'return' && report.state === 'delivered') {
      const task = (await openTasks(trx, facts.instance_id)).find((t) => t.actions.some((a) => a.code === RETURN_ACTION));
      if (task) {
        await actIn(trx, {
          instanceId: facts.instance_id,
          taskId: task.id,
          actionCode: RETURN_ACTION,
          actor: { id: POSTAL_SYSTEM_ACTOR, groups: task.candidateGroups },
          system: true,
          now: report.at,
          note: `Bưu điện đã phát kết quả cho người nhận (mã bưu gửi ${report.trackingCode})`,
        });
      }
    }
    return { changed: true };
  });
}
