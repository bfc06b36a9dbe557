import type { RatingIndex } from '../../../../server/dossiers/dossier.table.js';

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

export interface ProcedureDetail extends ProcedureSummary {
  description: string | null;
  legalBasis: string | null;
  processKey: string;
  fee: { feeAmount: number; serviceAmount: number; shipAmount: number; editable: number };
  eformSchema: Record<string, unknown>;
  components: Component[];
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
  kind: 'submitted' | 'action' | 'status';
  status?: number;
  action?: string;
  actionName?: string;
  step?: string | null;
  /** An officer's note addressed to the applicant, e.g. what to supplement. */
  note?: string;
}

export interface DossierDetail extends DossierSummary {
  agency: Named;
  channel: 'online' | 'counter' | 'post';
  form: Record<string, unknown>;
  files: DossierFile[];
  /** The receipt's lookup PIN, once submitted. */
  pin: string | null;
  timeline: TimelineEntry[];
}

export interface LookupResult {
  code: string;
  procedure: Named;
  agency: Named;
  nationalStatus: number | null;
  submittedAt: string;
  dueAt: string;
}

export type Satisfaction = 'very-satisfied' | 'satisfied' | 'not-satisfied';

/** The nine indices of the citizen evaluation, each scored 2, 1 or 0: the API's own list. */
export { RATING_INDICES, type RatingIndex } from '../../../../server/dossiers/dossier.table.js';

export interface Rating {
  indices: Record<RatingIndex, 0 | 1 | 2>;
  satisfaction: Satisfaction;
  comment?: string;
}
