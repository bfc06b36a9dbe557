import type { ColumnType, Generated } from 'kysely';

export interface DossierTable {
  id: Generated<string>;
  code: string | null;
  procedure_id: string;
  agency_id: string;
  applicant_id: string;
  channel: 'online' | 'counter' | 'post';
  state: 'draft' | 'submitted';
  form_data: ColumnType<Record<string, unknown>, string | undefined, string>;
  instance_id: string | null;
  idempotency_key: string | null;
  /** The receipt's lookup PIN (mã tra cứu), shown to the applicant and printed on the receipt. */
  pin: string | null;
  submitted_at: Date | null;
  due_at: Date | null;
  /** The new appointment of the latest apology for lateness (form 04); due_at keeps the one the law sets. */
  rescheduled_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The one-stop officer who received the dossier in person (counter channel). */
  received_by: ColumnType<string | null, string | null | undefined, never>;
  /** The current national status, kept from the status events by a trigger (migration 0007). */
  national_status: ColumnType<number | null, never, never>;
  /** Since when the clock stands still, waiting for the applicant (supplement, fee). */
  clock_paused_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface FileBlobTable {
  sha256: string;
  size: number;
  media_type: string;
  content: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface DossierFileTable {
  id: Generated<string>;
  dossier_id: string;
  component_code: string;
  sha256: string;
  size: number;
  media_type: string;
  /** As the citizen named it: metadata only, never a path. */
  original_name: string;
  created_at: ColumnType<Date, never, never>;
  deleted_at: Date | null;
}

export interface DossierCodeSequenceTable {
  agency_id: string;
  day: ColumnType<string, string, string>;
  last: number;
}

export const RATING_INDICES = [
  'totalTime', // tổng thời gian so với quy định
  'agencyTime', // thời gian tại từng cơ quan
  'contacts', // số lần phải liên hệ
  'agenciesContacted', // số cơ quan phải liên hệ
  'oneStopDesk', // giải quyết tại bộ phận một cửa
  'published', // thủ tục được công khai
  'attitude', // thái độ cán bộ
  'feedback', // tiếp nhận, xử lý phản ánh
  'onlineUse', // sử dụng dịch vụ công trực tuyến
] as const;
export type RatingIndex = (typeof RATING_INDICES)[number];

export interface DossierRatingTable {
  dossier_id: string;
  indices: ColumnType<Record<RatingIndex, 0 | 1 | 2>, string, never>;
  score: number;
  satisfaction: 'very-satisfied' | 'satisfied' | 'not-satisfied';
  comment: string | null;
  created_at: ColumnType<Date, never, never>;
}
