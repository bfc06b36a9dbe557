import type { RatingIndex } from '../../../../server/dossiers/dossier.table.js';
import type { WalletFile as ServerWalletFile } from '../../../../server/dossiers/dossier.api.js';

/** The API's answers as the web app reads them (the route schemas in server/); dates arrive as ISO 8601 strings. */

export interface Named {
  code: string;
  name: string;
}

export interface Agency extends Named {
  id: string;
  level: 'province' | 'district' | 'commune';
}

export interface Field extends Named {
  id: string;
}

export type ServiceLevel = 'full' | 'partial';

export interface ProcedureSummary {
  code: string;
  name: string;
  level: ServiceLevel;
  timeLimitDays: number;
  agency: Named;
  field: Named;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Component {
  code: string;
  name: string;
  kind: 'input' | 'result';
  required: boolean;
  manyFiles: boolean;
  signatureRequired: boolean;
  maxSizeMb: number;
  allowedTypes: string[];
}

/** A fee rule: `amount` per unit of a numeric eForm field and/or when an eForm field has a value, capped at `max`. */
export interface FeeRule {
  item: 'fee' | 'service' | 'ship';
  label: string;
  amount: number;
  perField?: string | null;
  when?: { field: string; equals: string | number | boolean } | null;
  max?: number | null;
}

export interface ProcedureDetail extends ProcedureSummary {
  description: string | null;
  legalBasis: string | null;
  processKey: string;
  fee: { feeAmount: number; serviceAmount: number; shipAmount: number; editable: number; rules?: FeeRule[] };
  eformSchema: Record<string, unknown>;
  components: Component[];
  /** Blank forms to download (GET /api/procedures/:code/forms/:id). */
  forms: { id: string; name: string; mediaType: string; size: number; fileName: string }[];
}

export interface DossierFile {
  id: string;
  componentCode: string;
  originalName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

export interface DossierSummary {
  id: string;
  code: string | null;
  state: 'draft' | 'submitted';
  procedure: Named;
  /** National status 1–10; null while a draft. */
  nationalStatus: number | null;
  submittedAt: string | null;
  dueAt: string | null;
  createdAt: string;
}

export interface TimelineEntry {
  at: string;
  kind: 'submitted' | 'action' | 'status' | 'postal' | 'apology';
  status?: number;
  /** An apology's new appointment (form 04). */
  newDueAt?: string;
  action?: string;
  actionName?: string;
  step?: string | null;
  /** An officer's note addressed to the applicant, e.g. what to supplement. */
  note?: string;
  postal?: { direction: PostalDirection; state: PostalState };
}

export type PostalDirection = 'collection' | 'return';
export type PostalState = 'chosen' | 'requested' | 'awaiting-confirmation' | 'accepted' | 'delivered';

export interface PostalOrder {
  state: PostalState;
  trackingCode: string | null;
  recipientName: string;
  phone: string;
  address: string;
  updatedAt: string;
}

export interface DossierDetail extends DossierSummary {
  agency: Named;
  channel: 'online' | 'counter' | 'post';
  form: Record<string, unknown>;
  files: DossierFile[];
  /** The receipt's lookup PIN, once submitted. */
  pin: string | null;
  /** The new appointment an apology for lateness gave (form 04), which replaces dueAt for the applicant. */
  rescheduledDueAt: string | null;
  timeline: TimelineEntry[];
  /** Collection of the paper dossier and return of the result by post, where the applicant chose them. */
  postal: { collection: PostalOrder | null; result: PostalOrder | null };
  /** Where the dossier's history ended when read (null while a draft): `after` for its live events. */
  lastEventSeq?: number | null;
}

export interface LookupResult {
  code: string;
  procedure: Named;
  agency: Named;
  nationalStatus: number | null;
  submittedAt: string;
  dueAt: string;
  rescheduledDueAt: string | null;
}

export type Satisfaction = 'very-satisfied' | 'satisfied' | 'not-satisfied';

/** The nine indices of the citizen evaluation, each scored 2, 1 or 0: the API's own list. */
export { RATING_INDICES, type RatingIndex } from '../../../../server/dossiers/dossier.table.js';

export interface Rating {
  indices: Record<RatingIndex, 0 | 1 | 2>;
  satisfaction: Satisfaction;
  comment?: string;
}

/** One event of a dossier's hash-chained history (GET /api/dossiers/:id/history). */
export interface HistoryEvent {
  seq: number;
  /** The instance version the event committed; events that move nothing (a claim, a deadline) keep the current one. */
  version: number;
  type: string;
  /** The BPMN element (a sequence flow's id for `flow.taken`), or null for instance-wide events. */
  elementId: string | null;
  actorId: string | null;
  /** The acting user's full name; null for the system's own actors. */
  actorName: string | null;
  at: string;
  data: Record<string, unknown>;
  hash: string;
}

/** A result issued to the citizen, reusable in later dossiers (GET /api/wallet). */
export type WalletFile = ServerWalletFile<string>;
