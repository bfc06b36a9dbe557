import { randomInt, timingSafeEqual } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { eformAjv } from '../eform.js';
import type { Db } from '../../engine/db/database.js';
import { inTransaction } from '../../engine/runtime/command.js';
import { act, actIn, correlate, history, instance, openTasks, startIn, type HistoryEventView } from '../../engine/process-core.js';
import { actorAt, grantsOf, isAuditor } from '../accounts/grants.js';
import { findOrCreateApplicant, type WalkInApplicant } from '../accounts/account.service.js';
import { fullNamesOf } from '../accounts/account.repository.js';
import { actionCodes } from '../../engine/bpmn/moddle.js';
import { workingCalendarFor } from '../../engine/calendar/calendar.service.js';
import { addWorkingHours, HOURS_PER_WORKING_DAY, localDate } from '../../engine/calendar/working-time.js';
import { HttpProblem, validationFields, type ProblemField } from '../problems.js';
import type { SessionUser } from '../accounts/account.service.js';
import * as repo from './dossier.repository.js';
import type { WalletFile } from './dossier.api.js';
import { checkedContent, safeOriginalName } from '../files.js';
import { RATING_INDICES, type RatingIndex } from './dossier.table.js';
import { isUniqueViolation } from '../../engine/db/errors.js';
import { isUuid } from '../../engine/json.js';
import { postalOf, saveChoice, type PostalChoice, type PostalView } from '../postal/postal.service.js';
import type { PostalDirection, PostalState } from '../postal/postal.table.js';

export interface DossierFileView {
  id: string;
  componentCode: string;
  originalName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: Date;
}

/** The history event of an apology and new appointment for a late dossier (form 04; server/slips). */
export const APOLOGY_EVENT = 'apology.issued';

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
  /** The new appointment of an apology for lateness (form 04), which the applicant now goes by. */
  rescheduledDueAt: Date | null;
  /** Notes appear only where the action's note is addressed to the applicant (a supplement request's reason). */
  timeline: {
    at: Date;
    kind: 'submitted' | 'action' | 'status' | 'postal' | 'apology';
    status?: number;
    /** An apology's new appointment. */
    newDueAt?: Date;
    action?: string;
    actionName?: string;
    step?: string | null;
    note?: string;
    postal?: { direction: PostalDirection; state: PostalState };
  }[];
  /** The post office's part: collection of the paper dossier, return of the result. */
  postal: PostalView;
  /** Where the dossier's history ended when read (null while a draft): the cursor for its live events. */
  lastEventSeq: number | null;
}

export const findDossier = repo.findDossier;

export interface NamedHistoryEvent extends HistoryEventView {
  /** The acting user's full name, so that readers who cannot list the agency's staff (auditors) see who acted. */
  actorName: string | null;
}

/** A dossier's history with each actor's name (system actors such as the scheduler have none). */
export async function namedHistory(db: Db, instanceId: string): Promise<NamedHistoryEvent[]> {
  const events = await history(db, instanceId);
  const userIds = [...new Set(events.flatMap((e) => (e.actorId && isUuid(e.actorId) ? [e.actorId] : [])))];
  const names = await fullNamesOf(db, userIds);
  return events.map((e) => ({ ...e, actorName: (e.actorId && names.get(e.actorId)) ?? null }));
}

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

/** The counter drafts of the officer's agencies, to resume after a break, with whom each is for. */
export async function counterDrafts(db: Db, officer: SessionUser): Promise<(DossierSummary & { applicantName: string })[]> {
  const agencies = grantsOfRole(officer, COUNTER_ROLE);
  return agencies.length ? (await repo.counterDrafts(db, agencies)).map((r) => ({ ...summaryOf(r), applicantName: r.applicant_name })) : [];
}

/** A draft abandoned by its applicant, or at the counter; a submitted dossier is withdrawn instead. */
export async function discardDraft(db: Db, user: SessionUser, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    requireDraft(await ownDossier(trx, user, id, true));
    await repo.deleteDraft(trx, id);
  });
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

/** The applicant's choice of postal services for a draft (the counter records it for a walk-in applicant). */
export async function choosePostal(db: Db, user: SessionUser, id: string, choice: PostalChoice): Promise<DossierDetail> {
  await db.transaction().execute(async (trx) => {
    const dossier = await ownDossier(trx, user, id, true);
    requireDraft(dossier);
    await saveChoice(trx, id, choice);
  });
  return dossierDetail(db, user, id);
}

export async function saveForm(db: Db, user: SessionUser, id: string, data: Record<string, unknown>): Promise<DossierDetail> {
  // Under the dossier's lock, as `submit` takes it: a submission in between cannot be left with another form.
  await db.transaction().execute(async (trx) => {
    const dossier = await ownDossier(trx, user, id, true);
    await requireEditable(trx, dossier);
    const problems = formProblems(dossier.eform_schema, data, dossier.state === 'draft');
    if (problems.length) throw new HttpProblem(422, 'form-invalid', { vi: 'Tờ khai có trường chưa hợp lệ', en: 'Some form fields are invalid' }, problems);
    await repo.updateForm(trx, id, data);
  });
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
  return attachFile(db, dossier, 'input', upload, async (trx) => requireEditable(trx, await ownDossier(trx, user, id, true)));
}

/**
 * Checks an upload against a component of `kind` and stores it (see `addFile`); `recheck` runs again under the
 * dossier's lock, in the storing transaction, so that the right to attach cannot lapse in between.
 */
export async function attachFile(
  db: Db,
  dossier: { id: string; procedure_id: string },
  kind: 'input' | 'result',
  upload: { componentCode: string; originalName: string; content: Buffer },
  recheck: (trx: Db) => Promise<void>,
): Promise<DossierFileView> {
  const id = dossier.id;
  const component = (await repo.componentsOfProcedure(db, dossier.procedure_id)).find((c) => c.code === upload.componentCode && c.kind === kind);
  if (!component) {
    throw new HttpProblem(422, 'unknown-component', { vi: 'Thành phần hồ sơ không tồn tại', en: `No such ${kind} component for this procedure` }, [
      { path: '/body/componentCode', message: { vi: `Không có thành phần ${upload.componentCode}`, en: `Unknown component ${upload.componentCode}` } },
    ]);
  }
  const { sha256, mediaType, size } = await checkedContent(upload.content, { maxSizeMb: component.max_size_mb, allowedTypes: component.allowed_types, path: '/body/file' });
  const originalName = safeOriginalName(upload.originalName, 'file');
  return db.transaction().execute(async (trx) => {
    await recheck(trx);
    await repo.storeBlob(trx, { sha256, size, media_type: mediaType, content: upload.content });
    if (!component.many_files) await repo.deleteFiles(trx, id, { componentCode: component.code }, new Date());
    const row = await repo.insertFile(trx, { dossier_id: id, component_code: component.code, sha256, size, media_type: mediaType, original_name: originalName });
    return { id: row.id, componentCode: component.code, originalName, mediaType, size, sha256, uploadedAt: row.created_at };
  });
}

/** The citizen's document wallet: results issued to them, reusable in later dossiers without uploading again. */
export async function wallet(db: Db, user: SessionUser): Promise<WalletFile[]> {
  return (await repo.walletFiles(db, user.id)).map((r) => ({
    id: r.id,
    originalName: r.original_name,
    mediaType: r.media_type,
    size: r.size,
    sha256: r.sha256,
    issuedAt: r.created_at,
    name: r.component_name,
    dossier: { id: r.dossier_id, code: r.dossier_code },
  }));
}

/** Attaches a wallet file to a component of the citizen's draft (or supplement), with the same checks as an upload. */
export async function attachFromWallet(db: Db, user: SessionUser, id: string, input: { componentCode: string; walletFileId: string }): Promise<DossierFileView> {
  const dossier = await ownDossier(db, user, id);
  const [issued] = dossier.applicant_id === user.id ? await repo.walletFiles(db, user.id, input.walletFileId) : [];
  if (!issued) {
    throw new HttpProblem(422, 'wallet-file-unknown', { vi: 'Giấy tờ không có trong kho của bạn', en: 'No such document in your wallet' }, [
      { path: '/body/walletFileId', message: { vi: 'Chọn giấy tờ khác', en: 'Choose another document' } },
    ]);
  }
  const content = await repo.blobContent(db, issued.sha256);
  return attachFile(db, dossier, 'input', { componentCode: input.componentCode, originalName: issued.original_name, content }, async (trx) =>
    requireEditable(trx, await ownDossier(trx, user, id, true)),
  );
}

/**
 * A file's content for those who may read the dossier: its applicant, the staff of its agency, the officer who
 * received it at the counter, and auditors. Anyone else is told it does not exist.
 */
export async function fileContent(db: Db, user: SessionUser, id: string, fileId: string) {
  const dossier = await repo.findDossier(db, id);
  const file = dossier && mayRead(user, dossier) ? await repo.fileWithContent(db, id, fileId) : undefined;
  if (!file) throw new HttpProblem(404, 'file-not-found', { vi: 'Không tìm thấy tệp', en: 'File not found' });
  return { content: file.content, mediaType: file.media_type, originalName: file.original_name };
}

/** Who may read a dossier: its applicant, the officer who received it at the counter, its agency's staff, auditors. */
function mayRead(user: SessionUser, dossier: { applicant_id: string; channel: string; state: string; agency_id: string; received_by: string | null }) {
  return dossier.applicant_id === user.id || receivesAtCounter(user, dossier) || isAuditor(user) || grantsOf(user).some((g) => g.agencyId === dossier.agency_id);
}

/** The dossier's id if `user` may read it (see `mayRead`); anyone else is told it does not exist. */
export async function readableDossier(db: Db, user: SessionUser, id: string): Promise<string> {
  const dossier = await repo.findDossier(db, id);
  if (!dossier || !mayRead(user, dossier)) throw dossierNotFound();
  return dossier.id;
}

export async function removeFile(db: Db, user: SessionUser, id: string, fileId: string): Promise<void> {
  // Under the dossier's lock, as `submit` takes it: a submitted dossier cannot lose a paper it was checked with.
  await db.transaction().execute(async (trx) => {
    requireDraft(await ownDossier(trx, user, id, true));
    if (!(await repo.deleteFiles(trx, id, { id: fileId }, new Date()))) {
      throw new HttpProblem(404, 'file-not-found', { vi: 'Không tìm thấy tệp', en: 'File not found' });
    }
  });
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
    const dueAt = addWorkingHours(now, Number(dossier.time_limit_days) * HOURS_PER_WORKING_DAY, await workingCalendarFor(trx, day));
    const atCounter = dossier.applicant_id !== user.id;
    const actor = atCounter ? actorAt(user, dossier.agency_id) : { id: user.id, groups: ['citizen'] };
    const started = await startIn(trx, {
      processKey: dossier.process_key,
      actor,
      businessKey: dossier.id,
      now,
      variables: { applicant: dossier.applicant_id, dossierId: dossier.id, procedureCode: dossier.procedure_code, agencyCode: dossier.agency_code },
    });
    // The agency's daily number is taken last: its counter row stays locked until commit, and every submission
    // of the agency that day waits on it, so the engine's start runs before it, not while it is held.
    const sequence = await repo.nextSequence(trx, dossier.agency_id, day);
    const code = `${dossier.agency_code}-${day.slice(2).replaceAll('-', '')}-${String(sequence).padStart(4, '0')}`;
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
  const [files, events, postal] = await Promise.all([
    repo.liveFiles(db, id),
    preloaded ?? (dossier.instance_id ? history(db, dossier.instance_id) : Promise.resolve([])),
    postalOf(db, id),
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
    if (e.type === APOLOGY_EVENT) timeline.push({ at: e.at, kind: 'apology', note: e.data.reason as string, newDueAt: new Date(e.data.newDueAt as string) });
    if (e.type === 'postal.state') timeline.push({ at: e.at, kind: 'postal', postal: { direction: e.data.direction as PostalDirection, state: e.data.state as PostalState } });
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
    rescheduledDueAt: dossier.rescheduled_due_at,
    files: files.map((f) => ({ id: f.id, componentCode: f.component_code, originalName: f.original_name, mediaType: f.media_type, size: f.size, sha256: f.sha256, uploadedAt: f.created_at })),
    timeline,
    postal,
    lastEventSeq: events.at(-1)?.seq ?? null,
  };
}

/**
 * Public lookup by dossier code and receipt PIN: non-personal fields only, and one answer for "no such code" and
 * "wrong PIN", so the endpoint tells nothing about which codes exist.
 */
export async function lookup(db: Db, code: string, pin: string) {
  const row = await repo.findForLookup(db, code);
  if (!row || !row.pin || !timingSafeEqual(Buffer.from(row.pin.padEnd(6)), Buffer.from(pin.padEnd(6)))) {
    throw new HttpProblem(404, 'lookup-not-found', { vi: 'Mã hồ sơ hoặc mã tra cứu không đúng', en: 'Unknown dossier code or wrong PIN' });
  }
  return {
    code: row.code!,
    procedure: { code: row.procedure_code, name: row.procedure_name },
    agency: { code: row.agency_code, name: row.agency_name },
    nationalStatus: row.national_status,
    submittedAt: row.submitted_at!,
    dueAt: row.due_at!,
    rescheduledDueAt: row.rescheduled_due_at,
  };
}
