import type { Db } from '../../engine/db/database.js';
import { HttpProblem } from '../problems.js';
import type { FeeConfig } from './catalogue.table.js';
import { foldVietnamese } from './search-text.js';
import * as repo from './catalogue.repository.js';

export interface ProcedureSummary {
  code: string;
  name: string;
  level: 'full' | 'partial';
  timeLimitDays: number;
  agency: { code: string; name: string };
  field: { code: string; name: string };
}

export interface ComponentView {
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
  published: boolean;
  forms: { id: string; name: string; mediaType: string; size: number; fileName: string }[];
  description: string | null;
  legalBasis: string | null;
  processKey: string;
  fee: FeeConfig;
  eformSchema: Record<string, unknown>;
  components: ComponentView[];
}

export const listAgencies = repo.listAgencies;
export const listFields = repo.listFields;

function toSummary(row: {
  code: string;
  name: string;
  level: 'full' | 'partial';
  time_limit_days: string;
  agency_code: string;
  agency_name: string;
  field_code: string;
  field_name: string;
}): ProcedureSummary {
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    timeLimitDays: Number(row.time_limit_days),
    agency: { code: row.agency_code, name: row.agency_name },
    field: { code: row.field_code, name: row.field_name },
  };
}

export async function searchProcedures(
  db: Db,
  query: { q?: string; agency?: string; field?: string; page: number; pageSize: number },
): Promise<{ items: ProcedureSummary[]; total: number; page: number; pageSize: number }> {
  const folded = query.q ? foldVietnamese(query.q) : '';
  const { rows, total } = await repo.searchProcedures(db, {
    folded: folded || null,
    agencyCode: query.agency,
    fieldCode: query.field,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return {
    items: rows.map(toSummary),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** A published procedure (or any, for its admin) with its template, fee, eForm and downloadable forms. */
export async function procedureByCode(db: Db, code: string, options: { includeUnpublished?: boolean } = {}): Promise<ProcedureDetail> {
  const row = await repo.findProcedure(db, code, options.includeUnpublished);
  if (!row) throw new HttpProblem(404, 'procedure-not-found', { vi: `Không tìm thấy thủ tục ${code}`, en: `No published procedure ${code}` });
  const [components, forms] = await Promise.all([repo.componentsOf(db, row.id), repo.formsOf(db, row.id)]);
  return {
    ...toSummary(row),
    published: row.published,
    forms: forms.map((f) => ({ id: f.id, name: f.name, mediaType: f.media_type, size: f.size, fileName: f.original_name })),
    description: row.description,
    legalBasis: row.legal_basis,
    processKey: row.process_key,
    fee: row.fee,
    eformSchema: row.eform_schema,
    components: components.map((c) => ({
      code: c.code,
      name: c.name,
      kind: c.kind,
      required: c.required,
      manyFiles: c.many_files,
      signatureRequired: c.signature_required,
      maxSizeMb: c.max_size_mb,
      allowedTypes: c.allowed_types,
    })),
  };
}
