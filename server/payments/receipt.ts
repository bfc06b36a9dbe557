import type { Db } from '../../engine/db/database.js';
import type { SessionUser } from '../accounts/account.service.js';
import { fullNamesOf } from '../accounts/account.repository.js';
import { HttpProblem } from '../problems.js';
import { renderSlip, type SlipDocument } from '../slips/slip.pdf.js';
import { dateWords, moment, OFFICE } from '../slips/slip.forms.js';
import { applicantOf } from '../slips/slip.repository.js';
import type { FeeLine } from './payment.table.js';
import { PAYMENT_SYSTEM_ACTOR, readablePayment } from './payment.service.js';
import * as repo from './payment.repository.js';

// The e-receipt (biên lai điện tử) of a paid fee, laid out by the slips' renderer (A4, DejaVu Sans).

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const GROUPS = ['', 'nghìn', 'triệu', 'tỷ', 'nghìn tỷ', 'triệu tỷ'];

/** One group of three digits; `full` when a higher group precedes it ("không trăm linh năm"). */
function groupWords(n: number, full: boolean): string[] {
  const [h, t, u] = [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10];
  const words: string[] = [];
  if (h > 0 || full) words.push(DIGITS[h]!, 'trăm');
  if (t === 0 && u > 0 && (h > 0 || full)) words.push('linh');
  if (t === 1) words.push('mười');
  if (t > 1) words.push(DIGITS[t]!, 'mươi');
  if (u > 0) words.push(t > 1 && u === 1 ? 'mốt' : t >= 1 && u === 5 ? 'lăm' : t > 1 && u === 4 ? 'tư' : DIGITS[u]!);
  return words;
}

/** An amount in Vietnamese words, as receipts write it: 1.505.000 → "Một triệu năm trăm linh năm nghìn đồng". */
export function vndInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`not a whole amount: ${amount}`);
  const groups: number[] = [];
  for (let n = amount; n > 0; n = Math.floor(n / 1000)) groups.push(n % 1000);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    if (groups[i] === 0) continue;
    words.push(...groupWords(groups[i]!, i < groups.length - 1), GROUPS[i]!);
  }
  const text = (words.length ? words : ['không']).filter(Boolean).join(' ');
  return `${text.charAt(0).toLocaleUpperCase('vi')}${text.slice(1)} đồng`;
}

const vnd = (amount: number) => new Intl.NumberFormat('vi-VN').format(amount);
const ITEMS: Record<FeeLine['item'], string> = { fee: 'Lệ phí', service: 'Phí', ship: 'Phí chuyển phát kết quả qua bưu điện' };
const METHODS = { online: 'Trực tuyến qua cổng thanh toán', cash: 'Tiền mặt tại Bộ phận Một cửa', transfer: 'Chuyển khoản' };

export const receiptNotAvailable = () =>
  new HttpProblem(409, 'receipt-not-available', { vi: 'Biên lai chỉ có sau khi đã nộp phí', en: 'The receipt exists once the fee is paid' });

/** The e-receipt of a paid fee as a PDF, for those who may read the dossier. */
export async function receiptPdf(db: Db, user: SessionUser, dossierId: string, paymentId: string): Promise<{ content: Uint8Array; fileName: string }> {
  const payment = await readablePayment(db, user, dossierId, paymentId);
  if (payment.state !== 'paid') throw receiptNotAvailable();
  const dossier = (await repo.dossierForFee(db, dossierId))!;
  const [applicant, names] = await Promise.all([applicantOf(db, dossier.applicant_id), fullNamesOf(db, payment.confirmed_by === PAYMENT_SYSTEM_ACTOR ? [] : [payment.confirmed_by!])]);
  const rows = payment.lines.map((line, i) => [String(i + 1), line.label ?? ITEMS[line.item], line.quantity === null ? '' : String(line.quantity), vnd(line.amount)]);
  if (payment.amount !== payment.computed_amount) {
    rows.push([String(rows.length + 1), `Điều chỉnh của cán bộ: ${payment.override_reason ?? ''}`, '', vnd(payment.amount - payment.computed_amount)]);
  }
  rows.push(['', 'Tổng cộng', '', vnd(payment.amount)]);
  const paidAt = payment.paid_at!;
  const slip: SlipDocument = {
    agencyName: dossier.agency_name,
    office: OFFICE,
    number: `Số: ${payment.receipt_no}`,
    dateLine: dateWords(paidAt).replace(/^n/, 'N'),
    title: 'Biên lai thu phí, lệ phí',
    subtitle: '(Biên lai điện tử)',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Số biên lai', payment.receipt_no!],
          ['Họ tên người nộp', applicant.full_name],
          ['Mã hồ sơ', dossier.code ?? ''],
          ['Thủ tục', `${dossier.procedure_name} (mã ${dossier.procedure_code})`],
        ],
      },
      { kind: 'table', columns: [{ title: 'STT', width: 8 }, { title: 'Nội dung thu', width: 58 }, { title: 'Số lượng', width: 14 }, { title: 'Số tiền (đồng)', width: 20 }], rows },
      {
        kind: 'fields',
        rows: [
          ['Số tiền bằng chữ', vndInWords(payment.amount)],
          ['Hình thức thanh toán', METHODS[payment.method!]],
          ...(payment.reference ? ([['Mã giao dịch', payment.reference]] as [string, string][]) : []),
          ['Thời điểm nộp', moment(paidAt)],
        ],
      },
      {
        kind: 'signatures',
        blocks: [
          { title: 'Người nộp tiền', note: '(Đã nộp)', name: applicant.full_name },
          { title: 'Người thu tiền', note: payment.method === 'online' ? '(Thu qua cổng thanh toán)' : '(Đã thu)', ...(names.get(payment.confirmed_by!) ? { name: names.get(payment.confirmed_by!)! } : {}) },
        ],
      },
    ],
    subject: `Biên lai thu phí, lệ phí ${payment.receipt_no} — hồ sơ ${dossier.code}`,
    issuedAt: paidAt,
  };
  return { content: await renderSlip(slip), fileName: `bien-lai-${payment.receipt_no}.pdf` };
}
