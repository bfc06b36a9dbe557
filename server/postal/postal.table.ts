import type { ColumnType, Generated, Selectable } from 'kysely';

/** Thu gom hồ sơ (collection: applicant → agency) or chuyển trả kết quả (return: agency → applicant). */
export type PostalDirection = 'collection' | 'return';

/**
 * 'chosen': the applicant asked for it, nothing sent yet; 'requested': queued for the post office; then what the
 * post reports (domain.md): chờ bưu điện xác nhận, đã nhận bưu gửi, đã phát (to the agency or to the applicant).
 */
export const POSTAL_STATES = ['chosen', 'requested', 'awaiting-confirmation', 'accepted', 'delivered'] as const;
export type PostalState = (typeof POSTAL_STATES)[number];

export interface PostalOrderTable {
  id: Generated<string>;
  dossier_id: string;
  direction: PostalDirection;
  state: Generated<PostalState>;
  recipient_name: string;
  phone: string;
  address: string;
  tracking_code: string | null;
  requested_at: Date | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  created_at: ColumnType<Date, never, never>;
}
export type PostalOrderRow = Selectable<PostalOrderTable>;
