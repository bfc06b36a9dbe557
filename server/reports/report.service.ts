import ExcelJS from 'exceljs';
import type { Db } from '../../engine/db/database.js';
import { startOfLocalDay } from '../../engine/calendar/working-time.js';
import { HttpProblem } from '../problems.js';
import type { SessionUser } from '../accounts/account.service.js';
import { agencyIdByCode } from '../catalogue/catalogue.repository.js';
import * as repo from './report.repository.js';

/** The counts of one agency (or the total) for a period, in the order and with the labels of form 06a. */
export interface SummaryCounts {
  carriedOver: number;
  receivedOnline: number;
  receivedCounter: number;
  receivedPost: number;
  totalToResolve: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  pendingReception: number;
  inProgressWithinDeadline: number;
  inProgressOverdue: number;
  nearlyDue: number;
  supplement: number;
  feeRequested: number;
  paused: number;
  withdrawn: number;
  notReceived: number;
  /** (early + on time) / resolved, in percent; null when nothing was resolved. */
  onTimeRate: number | null;
  /** Components of the dossiers received in the period (files under "other documents" are none), and those digitised. */
  receivedComponents: number;
  receivedComponentsDigitised: number;
  /** Digitised / received components, in percent; null when nothing was received. */
  receivedDigitisationRate: number | null;
  /** Results issued: the dossiers resolved in the period; digitised: those whose result files are all digitised. */
  resultsIssued: number;
  resultsDigitised: number;
  /** Digitised / issued results, in percent; null when nothing was resolved. */
  resultDigitisationRate: number | null;
}

export interface AgencySummary {
  from: string;
  to: string;
  generatedAt: Date;
  rows: ({ agency: { code: string; name: string } } & SummaryCounts)[];
  total: SummaryCounts;
}

/** Column labels (Vietnamese first), shared by the CSV and Excel downloads and the web table. */
export const SUMMARY_COLUMNS: { key: keyof SummaryCounts; vi: string; en: string }[] = [
  { key: 'carriedOver', vi: 'Kỳ trước chuyển qua', en: 'Carried over' },
  { key: 'receivedOnline', vi: 'Tiếp nhận trực tuyến', en: 'Received online' },
  { key: 'receivedCounter', vi: 'Tiếp nhận trực tiếp', en: 'Received at the counter' },
  { key: 'receivedPost', vi: 'Tiếp nhận qua bưu chính', en: 'Received by post' },
  { key: 'totalToResolve', vi: 'Tổng số phải giải quyết', en: 'Total to resolve' },
  { key: 'resolvedEarly', vi: 'Đã giải quyết trước hạn', en: 'Resolved early' },
  { key: 'resolvedOnTime', vi: 'Đã giải quyết đúng hạn', en: 'Resolved on time' },
  { key: 'resolvedLate', vi: 'Đã giải quyết quá hạn', en: 'Resolved late' },
  { key: 'pendingReception', vi: 'Chờ tiếp nhận', en: 'Awaiting reception' },
  { key: 'inProgressWithinDeadline', vi: 'Đang giải quyết trong hạn', en: 'In progress, within deadline' },
  { key: 'inProgressOverdue', vi: 'Đang giải quyết quá hạn', en: 'In progress, overdue' },
  { key: 'nearlyDue', vi: 'Sắp đến hạn (< 24 giờ)', en: 'Nearly due (< 24 h)' },
  { key: 'supplement', vi: 'Chờ bổ sung', en: 'Waiting for supplement' },
  { key: 'feeRequested', vi: 'Chờ thực hiện nghĩa vụ tài chính', en: 'Fee requested' },
  { key: 'paused', vi: 'Tạm dừng', en: 'Paused' },
  { key: 'withdrawn', vi: 'Rút hồ sơ', en: 'Withdrawn' },
  { key: 'notReceived', vi: 'Không được tiếp nhận', en: 'Reception refused' },
  { key: 'onTimeRate', vi: 'Tỷ lệ đúng hạn (%)', en: 'On time (%)' },
  { key: 'receivedComponents', vi: 'Thành phần hồ sơ tiếp nhận', en: 'Components received' },
  { key: 'receivedComponentsDigitised', vi: 'Thành phần hồ sơ đã số hóa', en: 'Components digitised' },
  { key: 'receivedDigitisationRate', vi: 'Tỷ lệ số hóa hồ sơ (%)', en: 'Components digitised (%)' },
  { key: 'resultsIssued', vi: 'Kết quả đã cấp', en: 'Results issued' },
  { key: 'resultsDigitised', vi: 'Kết quả đã số hóa', en: 'Results digitised' },
  { key: 'resultDigitisationRate', vi: 'Tỷ lệ số hóa kết quả (%)', en: 'Results digitised (%)' },
];

/** The columns in percent: null when there is nothing to divide by. */
export const RATE_COLUMNS: ReadonlySet<keyof SummaryCounts> = new Set(['onTimeRate', 'receivedDigitisationRate', 'resultDigitisationRate']);

/** part / whole in percent, one decimal; null for an empty whole. */
const percentOf = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

const REPORT_ROLES = ['auditor', 'admin'];
const AGENCY_REPORT_ROLES = ['agency-leader', 'dept-leader'];

/** Auditors and admins read every agency; leaders read the agencies they lead. */
async function agenciesFor(db: Db, user: SessionUser, agencyCode: string | undefined): Promise<string[] | null> {
  const everywhere = user.roles.some((r) => REPORT_ROLES.includes(r.role));
  const led = user.roles.filter((r) => AGENCY_REPORT_ROLES.includes(r.role) && r.agencyId).map((r) => r.agencyId!);
  if (!agencyCode) return everywhere ? null : [...new Set(led)];
  const agencyId = await agencyIdByCode(db, agencyCode);
  if (!agencyId || !(everywhere || led.includes(agencyId))) {
    throw new HttpProblem(404, 'agency-not-found', { vi: `Không có cơ quan ${agencyCode} trong phạm vi của bạn`, en: `No agency ${agencyCode} within your reach` }, [
      { path: '/querystring/agency', message: { vi: 'Cơ quan không hợp lệ', en: 'Unknown agency' } },
    ]);
  }
  return [agencyId];
}

function countsOf(r: repo.Counts): SummaryCounts {
  const received = r.received_online + r.received_counter + r.received_post;
  const resolved = r.resolved_early + r.resolved_on_time + r.resolved_late;
  return {
    carriedOver: r.carried_over,
    receivedOnline: r.received_online,
    receivedCounter: r.received_counter,
    receivedPost: r.received_post,
    totalToResolve: r.carried_over + received,
    resolvedEarly: r.resolved_early,
    resolvedOnTime: r.resolved_on_time,
    resolvedLate: r.resolved_late,
    pendingReception: r.pending_reception,
    inProgressWithinDeadline: r.in_progress_within,
    inProgressOverdue: r.in_progress_overdue,
    nearlyDue: r.nearly_due,
    supplement: r.supplement,
    feeRequested: r.fee_requested,
    paused: r.paused,
    withdrawn: r.withdrawn,
    notReceived: r.not_received,
    onTimeRate: percentOf(r.resolved_early + r.resolved_on_time, resolved),
    receivedComponents: r.received_components,
    receivedComponentsDigitised: r.received_components_digitised,
    receivedDigitisationRate: percentOf(r.received_components_digitised, r.received_components),
    resultsIssued: resolved,
    resultsDigitised: r.results_digitised,
    resultDigitisationRate: percentOf(r.results_digitised, resolved),
  };
}

/** The agency summary (form 06a style) for the local dates from..to, both included. */
export async function agencySummary(db: Db, user: SessionUser, query: { agency?: string; from: string; to: string }, now = new Date()): Promise<AgencySummary> {
  if (query.from > query.to) {
    throw new HttpProblem(422, 'period-invalid', { vi: 'Ngày bắt đầu phải trước ngày kết thúc', en: 'The period must start before it ends' }, [
      { path: '/querystring/to', message: { vi: 'Phải từ ngày bắt đầu trở đi', en: 'Must not be before from' } },
    ]);
  }
  const from = startOfLocalDay(query.from);
  const to = new Date(startOfLocalDay(query.to).getTime() + 86_400_000);
  const agencyIds = await agenciesFor(db, user, query.agency);
  const rows = agencyIds && !agencyIds.length ? [] : await repo.agencySummary(db, { agencyIds, from, to, asOf: to < now ? to : now });
  const total = Object.fromEntries(repo.COUNT_COLUMNS.map((k) => [k, rows.reduce((sum, r) => sum + r[k], 0)])) as repo.Counts;
  return {
    from: query.from,
    to: query.to,
    generatedAt: now,
    rows: rows.map((r) => ({ agency: { code: r.agency_code, name: r.agency_name }, ...countsOf(r) })),
    total: countsOf(total),
  };
}

/** Rows of the table as downloaded: header, one line per agency, the total. */
function table(report: AgencySummary): (string | number | null)[][] {
  const line = (code: string, name: string, counts: SummaryCounts) => [code, name, ...SUMMARY_COLUMNS.map((c) => counts[c.key])];
  return [
    ['Mã cơ quan', 'Cơ quan', ...SUMMARY_COLUMNS.map((c) => c.vi)],
    ...report.rows.map((r) => line(r.agency.code, r.agency.name, r)),
    line('', 'Tổng cộng', report.total),
  ];
}

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** CSV with a byte-order mark, so that Excel opens the Vietnamese labels as UTF-8. */
export function summaryCsv(report: AgencySummary): string {
  return `\uFEFF${table(report).map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function summaryXlsx(report: AgencySummary): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = report.generatedAt;
  const sheet = workbook.addWorksheet('Báo cáo 06a');
  sheet.addRow([`Tình hình giải quyết thủ tục hành chính từ ${report.from} đến ${report.to}`]).font = { bold: true, size: 13 };
  const [header, ...rest] = table(report);
  const headerRow = sheet.addRow(header!);
  headerRow.font = { bold: true };
  headerRow.alignment = { wrapText: true, vertical: 'top' };
  for (const row of rest) sheet.addRow(row);
  sheet.lastRow!.font = { bold: true };
  sheet.columns.forEach((column, i) => {
    column.width = i === 1 ? 40 : 14;
  });
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: 2 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
