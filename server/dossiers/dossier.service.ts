import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { eformAjv } from '../eform.js';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../../engine/db/database.js';
import { inTransaction } from '../../engine/runtime/command.js';
import { act, actIn, correlate, history, instance, openTasks, startIn, type HistoryEventView } from '../../engine/process-core.js';
import { actorAt, grantsOf, isAuditor } from '../accounts/grants.js';
import { findOrCreateApplicant, type WalkInApplicant } from '../accounts/account.service.js';
import { actionCodes } from '../../engine/bpmn/moddle.js';
import { workingCalendarFor } from '../../engine/calendar/calendar.service.js';
import { addWorkingHours, HOURS_PER_WORKING_DAY, localDate } from '../../engine/calendar/working-time.js';
import { HttpProblem, validationFields, type ProblemField } from '../problems.js';
import type { SessionUser } from '../accounts/account.service.js';
import * as repo from './dossier.repository.js';
import { safeOriginalName } from '../files.js';
import { RATING_INDICES, type RatingIndex } from './dossier.table.js';
import { isUniqueViolation } from '../../engine/db/errors.js';

export interface DossierFileView {
  id: string;
  componentCode: string;
  originalName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: Date;
}

export interface DossierSummary {
  id: string;
  code: string | null;
  state: 'draft' | 'submitted';
  procedure: { code: string; name: string };
  /** National status 1–10 (null while a draft). */
  nationalStatus: number | null;
  submittedAt: Date | null;
  dueAt: Date | null;
  createdAt: Date;
}

export interface DossierDetail extends DossierSummary {
  agency: { code: string; name: string };
  channel: 'online' | 'counter' | 'post';
  form: Record<string, unknown>;
  files: DossierFileView[];
  pin: string | null;
  /** Notes appear only where the action's note is addressed to the applicant (a supplement request's reason). */
  timeline: { at: Date; kind: 'submitted' | 'action' | 'status'; status?: number; action?: string; actionName?: string; step?: string | null; note?: string }[];
}

export const findDossier = repo.findDossier;

export const dossierNotFound = () => new HttpProblem(404, 'dossier-not-found', { vi: 'Không tìm thấy hồ sơ', en: 'Dossier not found' });

/**
 * The dossier, if `user` is its applicant or, for a dossier received at the counter, a one-stop officer of its
 * agency (while a draft) or the officer who received it. Anyone else is told it does not exist.
 */
async function ownDossier(db: Db, user: SessionUser, id: string, lock = false) {
  const dossier = await repo.findDossier(db, id, lock);
  if (!dossier || !(dossier.applicant_id === user.id || receivesAtCounter(user, dossier))) throw dossierNotFound();
  return dossier;
}

const COUNTER_ROLE = 'one-stop-officer';

function receivesAtCounter(user: SessionUser, dossier: { channel: string; state: string; agency_id: string; received_by: string | null }) {
  if (dossier.channel !== 'counter') return false;
  if (dossier.received_by === user.id) return true;
  return dossier.state === 'draft' && actorAt(user, dossier.agency_id).groups.includes(COUNTER_ROLE);
}

function requireDraft(dossier: { state: string }) {
  if (dossier.state !== 'draft') {
    throw new HttpProblem(409, 'dossier-submitted', { vi: 'Hồ sơ đã nộp, không sửa được nữa', en: 'The dossier is submitted and can no longer be changed' });
  }
}

/** The applicant's open task on a submitted dossier (supplement requested), if any. */
async function citizenTask(db: Db, dossier: { instance_id: string | null }) {
  if (!dossier.instance_id) return undefined;
  return (await openTasks(db, dossier.instance_id)).find((t) => t.candidateGroups.includes('citizen'));
}

/** A draft, or a submitted dossier whose applicant was asked to supplement it, may take form data and files. */
async function requireEditable(db: Db, dossier: { state: string; instance_id: string | null }) {
  if (dossier.state === 'draft' || (await citizenTask(db, dossier))) return;
  requireDraft(dossier);
}

/** A draft for a procedure; with an idempotency key, a retried request returns the dossier the first created. */
export async function createDraft(db: Db, user: SessionUser, procedureCode: string, idempotencyKey: string | null): Promise<DossierDetail> {
  const procedure = await repo.findProcedureForDraft(db, procedureCode);
  if (!procedure) throw new HttpProblem(404, 'procedure-not-found', { vi: `Không tìm thấy thủ tục ${procedureCode}`, en: `No published procedure ${procedureCode}` });
  if (idempotencyKey) {
    const existing = await repo.findByIdempotencyKey(db, user.id, idempotencyKey);
    if (existing) return dossierDetail(db, user, existing.id);
  }
  try {
    const { id } = await repo.insertDossier(db, { procedure_id: procedure.id, agency_id: procedure.agency_id, applicant_id: user.id, channel: 'online', idempotency_key: idempotencyKey });
    return dossierDetail(db, user, id);
  } catch (err) {
    // Two retries raced: the other one created it.
    const existing = idempotencyKey ? await repo.findByIdempotencyKey(db, user.id, idempotencyKey) : undefined;
    if (existing) return dossierDetail(db, user, existing.id);
    throw err;
  }
}

/** Action code of reception (Tiếp nhận hồ sơ), taken at once for a dossier received at the counter. */
const RECEIVE_ACTION = '1100';

/**
 * A one-stop officer opens a draft for an applicant standing at the desk (tiếp nhận trực tiếp): the applicant's
 * account is found by ID number or created without a password; the officer then fills the form, scans the
 * papers and submits, which receives the dossier at once.
 */
export async function createCounterDraft(
  db: Db,
  officer: SessionUser,
  input: { procedureCode: string; applicant: WalkInApplicant; form?: Record<string, unknown> },
): Promise<DossierDetail> {
  const procedure = await repo.findProcedureForDraft(db, input.procedureCode);
  if (!procedure || !actorAt(officer, procedure.agency_id).groups.includes(COUNTER_ROLE)) {
    throw new HttpProblem(404, 'procedure-not-found', { vi: `Thủ tục ${input.procedureCode} không thuộc cơ quan của bạn`, en: `No procedure ${input.procedureCode} at your agency` }, [
      { path: '/body/procedureCode', message: { vi: 'Không có thủ tục này tại cơ quan của bạn', en: 'Not a procedure of your agency' } },
    ]);
  }
  const id = await inTransaction(db, async (trx) => {
    const applicantId = await findOrCreateApplicant(trx, input.applicant);
    const row = await repo.insertDossier(trx, { procedure_id: procedure.id, agency_id: procedure.agency_id, applicant_id: applicantId, channel: 'counter', idempotency_key: null, received_by: officer.id });
    return row.id;
  });
  if (input.form) return saveForm(db, officer, id, input.form);
  return dossierDetail(db, officer, id);
}

/** The counter drafts of the officer's agencies, to resume after a break. */
export async function counterDrafts(db: Db, officer: SessionUser): Promise<DossierSummary[]> {
  const agencies = grantsOfRole(officer, COUNTER_ROLE);
  return agencies.length ? (await repo.counterDrafts(db, agencies)).map(summaryOf) : [];
}

const grantsOfRole = (user: SessionUser, role: string) => user.roles.filter((r) => r.role === role && r.agencyId).map((r) => r.agencyId!);

const validators = new Map<string, ValidateFunction>();

/** eForm validation with ajv; a draft may leave required fields empty, a submission may not. */
function formProblems(schema: Record<string, unknown>, data: Record<string, unknown>, partial: boolean): ProblemField[] {
  const effective = partial ? { ...schema, required: [] } : schema;
  const key = JSON.stringify(effective);
  let validate = validators.get(key);
  if (!validate) {
    validate = eformAjv.compile(effective);
    validators.set(key, validate);
  }
  return validate(data) ? [] : validationFields(validate.errors ?? [], 'body/form');
}

export async function saveForm(db: Db, user: SessionUser, id: string, data: Record<string, unknown>): Promise<DossierDetail> {
  const dossier = await ownDossier(db, user, id);
  await requireEditable(db, dossier);
  const problems = formProblems(dossier.eform_schema, data, dossier.state === 'draft');
  if (problems.length) throw new HttpProblem(422, 'form-invalid', { vi: 'Tờ khai có trường chưa hợp lệ', en: 'Some form fields are invalid' }, problems);
  await repo.updateForm(db, id, data);
  return dossierDetail(db, user, id);
}

/**
 * Stores an uploaded file under its sha-256, after checking its size against the component and its type by
 * content (the name and the declared type are not trusted). A component without "many files" keeps one file.
 */
export async function addFile(
  db: Db,
  user: SessionUser,
  id: string,
  upload: { componentCode: string; originalName: string; content: Buffer },
): Promise<DossierFileView> {
  const dossier = await ownDossier(db, user, id);
  await requireEditable(db, dossier);
  const component = (await repo.componentsOfProcedure(db, dossier.procedure_id)).find((c) => c.code === upload.componentCode && c.kind === 'input');
  if (!component) {
    throw new HttpProblem(422, 'unknown-component', { vi: 'Thành phần hồ sơ không tồn tại', en: 'No such input component for this procedure' }, [
      { path: '/body/componentCode', message: { vi: `Không có thành phần ${upload.componentCode}`, en: `Unknown component ${upload.componentCode}` } },
    ]);
  }
  if (upload.content.length === 0 || upload.content.length > component.max_size_mb * 1024 * 1024) {
    throw new HttpProblem(413, 'file-too-large', { vi: `Tệp rỗng hoặc lớn hơn ${component.max_size_mb} MB`, en: `The file is empty or larger than ${component.max_size_mb} MB` }, [
      { path: '/body/file', message: { vi: `Tối đa ${component.max_size_mb} MB`, en: `At most ${component.max_size_mb} MB` } },
    ]);
  }
  const detected = await fileTypeFromBuffer(upload.content);
  if (!detected || !component.allowed_types.includes(detected.mime)) {
    throw new HttpProblem(415, 'file-type-not-allowed', { vi: `Chỉ nhận tệp: ${component.allowed_types.join(', ')}`, en: `Accepted file types: ${component.allowed_types.join(', ')}` }, [
      { path: '/body/file', message: { vi: 'Loại tệp không được chấp nhận', en: `Detected ${detected?.mime ?? 'unknown'} content` } },
    ]);
  }
  const sha256 = createHash('sha256').update(upload.content).digest('hex');
  const originalName = safeOriginalName(upload.originalName, 'file');
  return db.transaction().execute(async (trx) => {
    await requireEditable(trx, await ownDossier(trx, user, id, true));
    await repo.storeBlob(trx, { sha256, size: upload.content.length, media_type: detected.mime, content: upload.content });
    if (!component.many_files) await repo.deleteFiles(trx, id, { componentCode: component.code }, new Date());
    const row = await repo.insertFile(trx, { dossier_id: id, component_code: component.code, sha256, size: upload.content.length, media_type: detected.mime, original_name: originalName });
    return { id: row.id, componentCode: component.code, originalName, mediaType: detected.mime, size: upload.content.length, sha256, uploadedAt: row.created_at };
  });
}

/**
 * A file's content for those who may read the dossier: its applicant, the staff of its agency, the officer who
 * received it at the counter, and auditors. Anyone else is told it does not exist.
 */
export async function fileContent(db: Db, user: SessionUser, id: string, fileId: string) {
  const dossier = await repo.findDossier(db, id);
  const readable =
    dossier &&
    (dossier.applicant_id === user.id || receivesAtCounter(user, dossier) || isAuditor(user) || grantsOf(user).some((g) => g.agencyId === dossier.agency_id));
  const file = readable ? await repo.fileWithContent(db, id, fileId) : undefined;
  if (!file) throw new HttpProblem(404, 'file-not-found', { vi: 'Không tìm thấy tệp', en: 'File not found' });
  return { content: file.content, mediaType: file.media_type, originalName: file.original_name };
}

export async function removeFile(db: Db, user: SessionUser, id: string, fileId: string): Promise<void> {
  const dossier = await ownDossier(db, user, id);
  requireDraft(dossier);
  if (!(await repo.deleteFiles(db, id, { id: fileId }, new Date()))) {
    throw new HttpProblem(404, 'file-not-found', { vi: 'Không tìm thấy tệp', en: 'File not found' });
  }
}

/**
 * Submits a complete draft in one transaction: its code (agency-YYMMDD-daily sequence), appointment date in
 * working time, lookup PIN and process instance commit together or not at all. Submitting twice answers the
 * first submission again.
 */
export async function submit(db: Db, user: SessionUser, id: string, declarationAccepted: boolean): Promise<DossierDetail> {
  if (!declarationAccepted) {
    throw new HttpProblem(422, 'declaration-required', { vi: 'Cần cam đoan lời khai là đúng sự thật', en: 'The sworn declaration must be accepted' }, [
      { path: '/body/declarationAccepted', message: { vi: 'Đánh dấu vào ô cam đoan', en: 'Tick the declaration' } },
    ]);
  }
  await inTransaction(db, async (trx) => {
    const dossier = await ownDossier(trx, user, id, true);
    if (dossier.state === 'submitted') return;
    const problems = formProblems(dossier.eform_schema, dossier.form_data, false);
    const files = await repo.liveFiles(trx, id);
    for (const component of await repo.componentsOfProcedure(trx, dossier.procedure_id)) {
      if (component.kind === 'input' && component.required && !files.some((f) => f.component_code === component.code)) {
        problems.push({ path: `/files/${component.code}`, message: { vi: `Thiếu thành phần: ${component.name}`, en: `Missing required component ${component.code}` } });
      }
    }
    if (problems.length) {
      throw new HttpProblem(422, 'dossier-incomplete', { vi: 'Hồ sơ chưa đầy đủ, vui lòng bổ sung', en: 'The dossier is incomplete' }, problems);
    }
    const now = new Date();
    const day = localDate(now);
    const sequence = await repo.nextSequence(trx, dossier.agency_id, day);
    const code = `${dossier.agency_code}-${day.slice(2).replaceAll('-', '')}-${String(sequence).padStart(4, '0')}`;
    const dueAt = addWorkingHours(now, Number(dossier.time_limit_days) * HOURS_PER_WORKING_DAY, await workingCalendarFor(trx, day));
    const atCounter = dossier.applicant_id !== user.id;
    const actor = atCounter ? actorAt(user, dossier.agency_id) : { id: user.id, groups: ['citizen'] };
    const started = await startIn(trx, {
      processKey: dossier.process_key,
      actor,
      businessKey: dossier.id,
      now,
      variables: { applicant: dossier.applicant_id, dossierId: dossier.id, dossierCode: code, procedureCode: dossier.procedure_code, agencyCode: dossier.agency_code },
    });
    await repo.markSubmitted(trx, id, { code, pin: String(randomInt(0, 1_000_000)).padStart(6, '0'), instance_id: started.instanceId, submitted_at: now, due_at: dueAt });
    // In person, the officer checked the papers at the desk: the reception step is taken in the same transaction.
    if (atCounter) {
      const reception = (await openTasks(trx, started.instanceId)).find((t) => t.actions.some((a) => a.code === RECEIVE_ACTION));
      if (reception) {
        await actIn(trx, { instanceId: started.instanceId, taskId: reception.id, actionCode: RECEIVE_ACTION, note: 'Tiếp nhận trực tiếp tại Bộ phận Một cửa', actor, now });
      }
    }
  });
  return dossierDetail(db, user, id);
}

/** The applicant answers a supplement request: their open task takes its one action (1101 in the standard flow). */
export async function supplement(db: Db, user: SessionUser, id: string, note: string | null): Promise<DossierDetail> {
  const dossier = await ownDossier(db, user, id);
  const task = await citizenTask(db, dossier);
  if (!task || !task.actions[0]) {
    throw new HttpProblem(409, 'no-supplement-requested', { vi: 'Hồ sơ không ở trạng thái chờ bổ sung', en: 'No supplement is requested for this dossier' });
  }
  const current = await instance(db, dossier.instance_id!);
  // The due date moves by the time the request stood: see dossier-clock.ts.
  await act(db, { instanceId: current.id, taskId: task.id, actionCode: task.actions[0].code, note, actor: { id: user.id, groups: ['citizen'] }, expectedVersion: current.version });
  return dossierDetail(db, user, id);
}

/** The applicant asks to withdraw; an officer decides (standard flow: Xét duyệt đề nghị rút hồ sơ). */
export async function withdraw(db: Db, user: SessionUser, id: string, reason: string): Promise<DossierDetail> {
  const dossier = await ownDossier(db, user, id);
  if (!dossier.instance_id) {
    throw new HttpProblem(409, 'dossier-not-submitted', { vi: 'Hồ sơ chưa nộp nên không cần rút', en: 'A draft has nothing to withdraw' });
  }
  await correlate(db, { instanceId: dossier.instance_id!, messageName: WITHDRAW_MESSAGE, actor: { id: user.id, groups: ['citizen'] }, payload: { withdrawReason: reason } });
  return dossierDetail(db, user, id);
}

/** National status 10: the result was returned to the applicant. */
const RESULT_RETURNED = 10;

export interface RatingInput {
  indices: Record<RatingIndex, 0 | 1 | 2>;
  satisfaction: 'very-satisfied' | 'satisfied' | 'not-satisfied';
  comment?: string;
}

/** The applicant rates the service once, after the result was returned. */
export async function rate(db: Db, user: SessionUser, id: string, rating: RatingInput) {
  const dossier = await ownDossier(db, user, id);
  const status = dossier.instance_id ? (await instance(db, dossier.instance_id)).dossierStatus : null;
  if (status !== RESULT_RETURNED) {
    throw new HttpProblem(409, 'not-rateable-yet', { vi: 'Chỉ đánh giá được sau khi đã nhận kết quả', en: 'A dossier can be rated once its result is returned' });
  }
  const score = RATING_INDICES.reduce((sum, index) => sum + rating.indices[index], 0);
  try {
    const row = await repo.insertRating(db, { dossier_id: id, indices: rating.indices, score, satisfaction: rating.satisfaction, comment: rating.comment ?? null });
    return { ...rating, score, ratedAt: row.created_at };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new HttpProblem(409, 'already-rated', { vi: 'Hồ sơ đã được đánh giá', en: 'This dossier was already rated' });
  }
}

/** National status 5: the applicant is asked to supplement. */
const SUPPLEMENT_REQUESTED = 5;

/** The BPMN message a withdrawal request sends (standard-one-stop.bpmn). */
export const WITHDRAW_MESSAGE = 'dossier.withdraw';

export async function listMine(db: Db, user: SessionUser): Promise<DossierSummary[]> {
  return (await repo.listOfApplicant(db, user.id)).map(summaryOf);
}

function summaryOf(r: Awaited<ReturnType<typeof repo.listOfApplicant>>[number]): DossierSummary {
  return {
    id: r.id,
    code: r.code,
    state: r.state,
    procedure: { code: r.procedure_code, name: r.procedure_name },
    nationalStatus: r.dossier_status,
    submittedAt: r.submitted_at,
    dueAt: r.due_at,
    createdAt: r.created_at,
  };
}

export async function dossierDetail(db: Db, user: SessionUser, id: string): Promise<DossierDetail> {
  return describeDossier(db, await ownDossier(db, user, id));
}

/** The dossier as its applicant or an officer handling it sees it; `preloaded`: its history, if already read. */
export async function describeDossier(
  db: Db,
  dossier: NonNullable<Awaited<ReturnType<typeof repo.findDossier>>>,
  preloaded?: HistoryEventView[],
): Promise<DossierDetail> {
  const id = dossier.id;
  const [files, events] = await Promise.all([
    repo.liveFiles(db, id),
    preloaded ?? (dossier.instance_id ? history(db, dossier.instance_id) : Promise.resolve([])),
  ]);
  let nationalStatus: number | null = null;
  const timeline: DossierDetail['timeline'] = [];
  for (const e of events) {
    if (e.type === 'instance.started') timeline.push({ at: e.at, kind: 'submitted' });
    if (e.type === 'status.changed') {
      nationalStatus = e.data.to as number | null;
      timeline.push({ at: e.at, kind: 'status', status: e.data.to as number });
    }
    if (e.type === 'task.completed') {
      const action = e.data.action as string;
      const note = actionCodes.get(action)?.citizenNote && e.data.note ? { note: e.data.note as string } : {};
      timeline.push({ at: e.at, kind: 'action', action, actionName: e.data.actionName as string, step: e.elementId, ...note });
    }
  }
  return {
    id: dossier.id,
    code: dossier.code,
    state: dossier.state,
    procedure: { code: dossier.procedure_code, name: dossier.procedure_name },
    agency: { code: dossier.agency_code, name: dossier.agency_name },
    channel: dossier.channel,
    nationalStatus,
    submittedAt: dossier.submitted_at,
    dueAt: dossier.due_at,
    createdAt: dossier.created_at,
    form: dossier.form_data,
    pin: dossier.pin,
    files: files.map((f) => ({ id: f.id, componentCode: f.component_code, originalName: f.original_name, mediaType: f.media_type, size: f.size, sha256: f.sha256, uploadedAt: f.created_at })),
    timeline,
  };
}

/**
 * Public lookup by dossier code and receipt PIN: non-personal fields only, and one answer for "no such code" and
 * "wrong PIN", so the endpoint tells nothing about which codes exist.
 */
export async function lookup(db: Db, code: string, pin: string) {
  const row = await repo.findByCode(db, code);
  if (!row || !row.pin || !timingSafeEqual(Buffer.from(row.pin.padEnd(6)), Buffer.from(pin.padEnd(6)))) {
    throw new HttpProblem(404, 'lookup-not-found', { vi: 'Mã hồ sơ hoặc mã tra cứu không đúng', en: 'Unknown dossier code or wrong PIN' });
  }
  return {
    code: row.code!,
    procedure: { code: row.procedure_code, name: row.procedure_name },
    agency: { code: row.agency_code, name: row.agency_name },
    nationalStatus: row.dossier_status,
    submittedAt: row.submitted_at!,
    dueAt: row.due_at!,
  };
}
