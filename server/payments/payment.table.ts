import type { ColumnType, Generated } from 'kysely';
import type { FeeRule } from '../catalogue/catalogue.table.js';

/** Which amount of the fee configuration a line belongs to: lệ phí, phí, or shipping of the result by post. */
export type FeeItem = FeeRule['item'];

/** One line of what the applicant pays: a configured amount, or a rule's amount (× quantity). */
export interface FeeLine {
  item: FeeItem;
  /** The rule's label as the admin wrote it; null for the configuration's base amounts. */
  label: string | null;
  /** Units counted by a per-unit rule (copies, pages); null for a fixed amount. */
  quantity: number | null;
  amount: number;
}

export type PaymentState = 'pending' | 'paid' | 'cancelled';
export type PaymentMethod = 'online' | 'cash' | 'transfer';

// bigint columns come back from PostgreSQL as strings; the repository turns them into numbers (VND < 2^53).
export interface PaymentTable {
  id: Generated<string>;
  dossier_id: string;
  state: Generated<PaymentState>;
  amount: ColumnType<string, number, never>;
  computed_amount: ColumnType<string, number, never>;
  lines: ColumnType<FeeLine[], string, never>;
  override_reason: string | null;
  requested_by: string;
  requested_at: Date;
  method: PaymentMethod | null;
  reference: string | null;
  paid_at: Date | null;
  confirmed_by: string | null;
  confirmed_version: number | null;
  receipt_no: string | null;
  cancelled_at: Date | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type AttemptState = 'started' | 'paid' | 'failed' | 'expired';

export interface PaymentAttemptTable {
  id: Generated<string>;
  payment_id: string;
  txn_ref: string;
  amount: ColumnType<string, number, never>;
  state: Generated<AttemptState>;
  ip_addr: string;
  created_at: Date;
  expires_at: Date;
  reconcile_after: Date;
  reconcile_count: Generated<number>;
  response_code: string | null;
  transaction_no: string | null;
  bank_code: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface PaymentReceiptSequenceTable {
  agency_id: string;
  year: number;
  last: number;
}
