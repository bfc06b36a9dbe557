import { createHash } from 'node:crypto';
import { asyncKeywordPaths, eformAjv } from '../eform.js';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../../engine/db/database.js';
import { latestDefinition } from '../../engine/process-core.js';
import { NotFound } from '../../engine/errors.js';
import { isUniqueViolation } from '../../engine/db/errors.js';
import { HttpProblem, type ProblemField } from '../problems.js';
import type { AgencyTable } from '../accounts/account.table.js';
import { storeBlob } from '../dossiers/dossier.repository.js';
import type { FeeConfig } from './catalogue.table.js';
import { foldVietnamese } from './search-text.js';
import { procedureByCode, type ComponentView, type ProcedureDetail } from './catalogue.service.js';
import * as repo from './catalogue.repository.js';
import { safeOriginalName } from '../files.js';
import { feeProblems } from '../payments/fee-rules.js';

// Catalogue administration (quản trị danh mục): agencies, fields, procedures with their dossier template,
// fee and eForm, and the forms citizens download. Writers pass a transaction: a procedure and its template
// change together.

/** A component of the dossier template, as the admin declares it and the catalogue shows it. */
export type ComponentInput = ComponentView;

export interface ProcedureInput {
  name: string;
  agencyCode: string;
  fieldCode: string;
  level: 'full' | 'partial';
  timeLimitDays: number;
  fee: FeeConfig;
  processKey: string;
  eformSchema: Record<string, unknown>;
  description: string | null;
  legalBasis: string | null;
  published: boolean;
  components: ComponentInput[];
}

const invalid = (fields: ProblemField[]) =>
  new HttpProblem(422, 'procedure-invalid', { vi: 'Cấu hình thủ tục chưa hợp lệ', en: 'The procedure configuration is invalid' }, fields);

/** Every problem of a procedure's configuration at once, with the body path of each. */
async function problemsOf(db: Db, input: ProcedureInput): Promise<{ problems: ProblemField[]; agencyId?: string; fieldId?: string }> {
  const problems: ProblemField[] = [];
  const [agencyId, fieldId] = await Promise.all([repo.agencyIdByCode(db, input.agencyCode), repo.fieldIdByCode(db, input.fieldCode)]);
  if (!agencyId) problems.push({ path: '/body/agencyCode', message: { vi: `Không có cơ quan ${input.agencyCode}`, en: `Unknown agency ${input.agencyCode}` } });
  if (!fieldId) problems.push({ path: '/body/fieldCode', message: { vi: `Không có lĩnh vực ${input.fieldCode}`, en: `Unknown field ${input.fieldCode}` } });
  try {
    await latestDefinition(db, input.processKey);
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    problems.push({ path: '/body/processKey', message: { vi: `Chưa triển khai quy trình ${input.processKey}`, en: `No process ${input.processKey} is deployed` } });
  }
  if (input.eformSchema.type !== 'object') {
    problems.push({ path: '/body/eformSchema/type', message: { vi: 'Tờ khai phải là một đối tượng (type: object)', en: 'The eForm schema must have type "object"' } });
  }
  for (const path of asyncKeywordPaths(input.eformSchema)) {
    problems.push({ path: `/body/eformSchema${path}`, message: { vi: 'Tờ khai không được dùng $async', en: 'An eForm schema may not use $async' } });
  }
  try {
    eformAjv.compile(input.eformSchema);
  } catch (err) {
    problems.push({ path: '/body/eformSchema', message: { vi: `Lược đồ tờ khai không hợp lệ: ${(err as Error).message}`, en: `Invalid JSON Schema: ${(err as Error).message}` } });
  }
  const seen = new Set<string>();
  input.components.forEach((c, i) => {
    if (seen.has(c.code)) problems.push({ path: `/body/components/${i}/code`, message: { vi: `Mã thành phần ${c.code} bị trùng`, en: `Duplicate component code ${c.code}` } });
    seen.add(c.code);
  });
  problems.push(...(await feeProblems(db, input.fee, input.eformSchema, input.processKey)));
  return { problems, agencyId, fieldId };
}

/** Creates the procedure `code`, or replaces its configuration when `existing`; answers its admin view. */
export async function saveProcedure(trx: Db, code: string, input: ProcedureInput, existing: boolean): Promise<ProcedureDetail> {
  const { problems, agencyId, fieldId } = await problemsOf(trx, input);
  if (problems.length) throw invalid(problems);
  const row = {
    name: input.name.trim().normalize('NFC'),
    agency_id: agencyId!,
    field_id: fieldId!,
    level: input.level,
    time_limit_days: input.timeLimitDays,
    fee: JSON.stringify({ ...input.fee, rules: input.fee.rules ?? [] }),
    process_key: input.processKey,
    eform_schema: JSON.stringify(input.eformSchema),
    description: input.description,
    legal_basis: input.legalBasis,
    published: input.published,
    search_text: foldVietnamese(`${code} ${input.name}`),
  };
  let id: string;
  if (existing) {
    const updated = await repo.updateProcedure(trx, code, { ...row, updated_at: new Date() });
    if (!updated) throw procedureNotFound(code);
    id = updated.id;
  } else {
    if (await repo.findProcedure(trx, code, true)) {
      throw new HttpProblem(409, 'procedure-exists', { vi: `Mã thủ tục ${code} đã tồn tại`, en: `Procedure ${code} already exists` }, [
        { path: '/body/code', message: { vi: 'Mã đã được dùng', en: 'Code already in use' } },
      ]);
    }
    id = (await repo.insertProcedure(trx, { code, ...row })).id;
  }
  await repo.replaceComponents(
    trx,
    id,
    input.components.map((c, position) => ({
      code: c.code,
      name: c.name,
      kind: c.kind,
      required: c.required,
      many_files: c.manyFiles,
      signature_required: c.signatureRequired,
      max_size_mb: c.maxSizeMb,
      allowed_types: c.allowedTypes,
      position,
    })),
  );
  return procedureByCode(trx, code, { includeUnpublished: true });
}

const procedureNotFound = (code: string) => new HttpProblem(404, 'procedure-not-found', { vi: `Không tìm thấy thủ tục ${code}`, en: `No procedure ${code}` });

/** A procedure without dossiers may be deleted; one with dossiers is unpublished instead, to keep their history. */
export async function deleteProcedure(db: Db, code: string): Promise<void> {
  const procedure = await repo.findProcedure(db, code, true);
  if (!procedure) throw procedureNotFound(code);
  if (await repo.hasDossiers(db, procedure.id)) {
    throw new HttpProblem(409, 'procedure-in-use', {
      vi: 'Thủ tục đã có hồ sơ nên không xóa được; hãy ngừng công bố (published = false)',
      en: 'The procedure has dossiers and cannot be deleted; unpublish it instead',
    });
  }
  await repo.deleteProcedure(db, procedure.id);
}

export async function listAllProcedures(db: Db) {
  return (await repo.allProcedures(db)).map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    timeLimitDays: Number(r.time_limit_days),
    published: r.published,
    agency: { code: r.agency_code, name: r.agency_name },
    field: { code: r.field_code, name: r.field_name },
  }));
}

/** Form templates citizens download: PDF, Word, Excel or OpenDocument, checked by content. */
const FORM_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/x-cfb', // .doc and .xls (OLE compound file)
];
const FORM_MAX_BYTES = 10 * 1024 * 1024;

export async function addForm(db: Db, code: string, upload: { name: string; originalName: string; content: Buffer }) {
  const procedure = await repo.findProcedure(db, code, true);
  if (!procedure) throw procedureNotFound(code);
  if (upload.content.length === 0 || upload.content.length > FORM_MAX_BYTES) {
    throw new HttpProblem(413, 'file-too-large', { vi: 'Tệp rỗng hoặc lớn hơn 10 MB', en: 'The file is empty or larger than 10 MB' }, [
      { path: '/body/file', message: { vi: 'Tối đa 10 MB', en: 'At most 10 MB' } },
    ]);
  }
  const detected = await fileTypeFromBuffer(upload.content);
  if (!detected || !FORM_TYPES.includes(detected.mime)) {
    throw new HttpProblem(415, 'file-type-not-allowed', { vi: 'Chỉ nhận biểu mẫu PDF, Word, Excel hoặc ODT', en: 'Forms must be PDF, Word, Excel or ODT' }, [
      { path: '/body/file', message: { vi: 'Loại tệp không được chấp nhận', en: `Detected ${detected?.mime ?? 'unknown'} content` } },
    ]);
  }
  const sha256 = createHash('sha256').update(upload.content).digest('hex');
  await storeBlob(db, { sha256, size: upload.content.length, media_type: detected.mime, content: upload.content });
  const row = await repo.insertForm(db, {
    procedure_id: procedure.id,
    name: upload.name.trim().normalize('NFC'),
    sha256,
    size: upload.content.length,
    media_type: detected.mime,
    original_name: safeOriginalName(upload.originalName, 'form'),
  });
  return { id: row.id, name: row.name, mediaType: row.media_type, size: row.size, fileName: row.original_name };
}

export async function removeForm(db: Db, code: string, formId: string): Promise<void> {
  const procedure = await repo.findProcedure(db, code, true);
  if (!procedure || !(await repo.deleteForm(db, procedure.id, formId))) {
    throw new HttpProblem(404, 'form-not-found', { vi: 'Không tìm thấy biểu mẫu', en: 'Form not found' });
  }
}

export async function formContent(db: Db, code: string, formId: string) {
  const form = await repo.formContent(db, code, formId);
  if (!form) throw new HttpProblem(404, 'form-not-found', { vi: 'Không tìm thấy biểu mẫu', en: 'Form not found' });
  return { content: form.content, mediaType: form.media_type, originalName: form.original_name };
}

const taken = (what: string) =>
  new HttpProblem(409, 'code-exists', { vi: `Mã ${what} đã tồn tại`, en: `That ${what} code already exists` }, [{ path: '/body/code', message: { vi: 'Mã đã được dùng', en: 'Code already in use' } }]);

async function uniquely<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(what);
    throw err;
  }
}

export const createAgency = (db: Db, input: { code: string; name: string; level: AgencyTable['level'] }) => uniquely('cơ quan', () => repo.insertAgency(db, input));
export const createField = (db: Db, input: { code: string; name: string }) => uniquely('lĩnh vực', () => repo.insertField(db, input));

export async function updateAgency(db: Db, code: string, input: { name: string; level: AgencyTable['level'] }) {
  const row = await repo.updateAgency(db, code, input);
  if (!row) throw new HttpProblem(404, 'agency-not-found', { vi: `Không có cơ quan ${code}`, en: `No agency ${code}` });
  return row;
}

export async function updateField(db: Db, code: string, name: string) {
  const row = await repo.updateField(db, code, name);
  if (!row) throw new HttpProblem(404, 'field-not-found', { vi: `Không có lĩnh vực ${code}`, en: `No field ${code}` });
  return row;
}
