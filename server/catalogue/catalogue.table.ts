import type { ColumnType, Generated } from 'kysely';

export interface FieldTable {
  id: Generated<string>;
  code: string;
  name: string;
}

/** Fee configuration per procedure (domain.md): editable 3 = officer may change fee and charge, 2 = charge only. */
export interface FeeConfig {
  feeAmount: number;
  serviceAmount: number;
  shipAmount: number;
  editable: 0 | 1 | 2 | 3;
  /** Amounts added by rule (server/payments/fee-rules.ts); saved with every configuration since migration 0009. */
  rules?: FeeRule[];
}

/**
 * A fee rule: `amount` added to one item — per unit of a numeric eForm field (`perField`: copies, pages), only
 * when an eForm field has a value (`when`), or both — and capped at `max`.
 */
export interface FeeRule {
  item: 'fee' | 'service' | 'ship';
  label: string;
  amount: number;
  perField?: string | null;
  when?: { field: string; equals: string | number | boolean } | null;
  max?: number | null;
}

export interface ProcedureTable {
  id: Generated<string>;
  code: string;
  name: string;
  agency_id: string;
  field_id: string;
  level: 'full' | 'partial';
  time_limit_days: ColumnType<string, number, number>;
  fee: ColumnType<FeeConfig, string, string>;
  process_key: string;
  eform_schema: ColumnType<Record<string, unknown>, string, string>;
  description: string | null;
  legal_basis: string | null;
  published: Generated<boolean>;
  search_text: string;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ProcedureComponentTable {
  id: Generated<string>;
  procedure_id: string;
  code: string;
  name: string;
  kind: 'input' | 'result';
  required: boolean;
  many_files: boolean;
  signature_required: boolean;
  max_size_mb: number;
  allowed_types: string[];
  position: number;
}

/** A downloadable form of a procedure (mẫu đơn, tờ khai), its content stored once in file_blob. */
export interface ProcedureFormTable {
  id: Generated<string>;
  procedure_id: string;
  name: string;
  sha256: string;
  size: number;
  media_type: string;
  original_name: string;
  created_at: ColumnType<Date, never, never>;
}
