/** The audit and statistics answers of the API (server/admin/*.routes.ts, server/reports/report.routes.ts) as the auditor's pages read them. */

export type { HistoryEvent } from '../api/types.js';

/** GET /api/dossiers/:id/history/verify: the recomputed hash chain. */
export type HistoryVerification =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; firstBadSeq: number; fault: 'missing' | 'unlinked' | 'altered' | 'truncated'; reason: string };

/** A deployed process version (GET /api/process-definitions). */
export interface ProcessDefinition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  procedureCode: string | null;
  sha256: string;
  deployedBy: string;
  deployedAt: string;
}

export interface ProcessDefinitionSource extends ProcessDefinition {
  xml: string;
}

export interface ElementStatistics {
  elementId: string;
  /** Dossiers that entered the element. */
  instances: number;
  /** Entries, counting re-entries (a dossier sent back for handling twice is two visits). */
  visits: number;
  /** Dossiers there now. */
  waiting: number;
  /** From entering to leaving, over the visits that left; null when none left yet. */
  avgDurationMs: number | null;
}

/** GET /api/process-definitions/:id/heatmap */
export interface Heatmap {
  elements: ElementStatistics[];
  flows: { flowId: string; taken: number }[];
}

export interface ReportColumn {
  key: string;
  vi: string;
  en: string;
}

/** The counts of one agency (or the total), keyed by the report's column keys; the on-time rate is null when nothing was resolved. */
export type ReportCounts = Record<string, number | null>;

/** An agency's line as the API sends it: the agency next to its counts. */
export interface AgencySummaryRow {
  agency: { code: string; name: string };
  [count: string]: number | null | { code: string; name: string };
}

/** GET /api/reports/agency-summary?format=json (form 06a). */
export interface AgencySummaryReport {
  from: string;
  to: string;
  generatedAt: string;
  rows: AgencySummaryRow[];
  total: ReportCounts;
  columns: ReportColumn[];
}

/** A label drawn over a diagram element (see BpmnDiagram.svelte). */
export interface DiagramBadge {
  elementId: string;
  /** Short lines such as "12 hồ sơ", "TB 2 giờ"; a sequence flow's badge sits on its middle. */
  lines: string[];
  /** Where on a shape the badge sits: over its top-left corner, or above its top edge. */
  place?: 'corner' | 'above';
  /** Styled by the page (`:global`); `style` carries what only the data decides, such as a heat colour. */
  className?: string;
  style?: string;
}

/** A dossier found by code prefix or applicant name (GET /api/audit/dossiers?q=). */
export interface AuditDossier {
  id: string;
  code: string | null;
  procedure: { code: string; name: string };
  agency: { code: string; name: string };
  applicantName: string;
  nationalStatus: number | null;
  definitionId: string | null;
  submittedAt: string | null;
  dueAt: string | null;
}
