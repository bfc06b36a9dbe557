import roleCatalogue from '../../schemas/roles.json' with { type: 'json' };
import type { Db } from '../../engine/db/database.js';
import { isUuid } from '../../engine/json.js';
import { instance } from '../../engine/process-core.js';
import { appendHistoryOnly, inTransaction } from '../../engine/runtime/command.js';
import { grantsOf, isAuditor } from '../accounts/grants.js';
import type { SessionUser } from '../accounts/account.service.js';
import { APOLOGY_EVENT, dossierNotFound, findDossier, namedHistory, readableDossier, type NamedHistoryEvent } from '../dossiers/dossier.service.js';
import { fullNamesOf } from '../accounts/account.repository.js';
import { componentsOfProcedure, liveFiles, setRescheduledDueAt } from '../dossiers/dossier.repository.js';
import { queueLatestState } from '../deliveries/delivery.service.js';
import { HttpProblem } from '../problems.js';
import * as repo from './slip.repository.js';
import { slipDocument, SLIP_TITLES, timeliness, type HandOver, type SlipData } from './slip.forms.js';
import { renderSlip } from './slip.pdf.js';

export const SLIP_KINDS = ['receipt', 'supplement', 'refusal', 'apology', 'control'] as const;
export type SlipKind = (typeof SLIP_KINDS)[number];

/** Action codes whose slips are printed (schemas/action-codes.json). */
const RECEIVE = '1100';
const REQUEST_SUPPLEMENT = '5200';
const REJECT_RECEPTION = '4200';
const REFUSE_RESOLUTION = '4400';
/** Where a supplement request (5200) names the components it asks for: the action's `input.supplementComponents` (codes). */
export const SUPPLEMENT_COMPONENTS_INPUT = 'supplementComponents';

/** National statuses after which nothing more is due: not received, withdrawn, stopped, result returned. */
const CLOSED_STATUSES = new Set([3, 7, 8, 10]);
/** Waiting for the applicant stops the clock: no lateness to apologise for then. */
const PAUSED_STATUSES = new Set([5, 6]);
/** An apology is offered from a day before the appointment (the reports' "nearly due"). */
const APOLOGY_NOTICE_MS = 24 * 3_600_000;

const slipNotApplicable = (kind: SlipKind) =>
  new HttpProblem(404, 'slip-not-applicable', {
    vi: `Hồ sơ này không có ${SLIP_TITLES[kind].toLocaleLowerCase('vi')}`,
    en: `This dossier has no ${kind} slip`,
  });

type Dossier = NonNullable<Awaited<ReturnType<typeof findDossier>>>;

interface Context {
  dossier: Dossier & { instance_id: string; code: string };
  events: NamedHistoryEvent[];
  /** Completed actions that no undo took back, in order. */
  actions: NamedHistoryEvent[];
  /** Versions an undo took back. */
  undone: Set<number>;
  status: number | null;
  running: boolean;
  /** Agency staff and auditors: they also read the control slip. */
  staff: boolean;
  /** Staff of the dossier's agency: they may issue an apology. */
  agencyStaff: boolean;
}

/** The dossier as its slips see it, if `user` may read it (its files' rule); a draft has no slips. */
async function context(db: Db, user: SessionUser, id: string): Promise<Context> {
  await readableDossier(db, user, id);
  const dossier = (await findDossier(db, id))!;
  if (!dossier.instance_id || !dossier.code) throw dossierNotFound();
  const [events, view] = await Promise.all([namedHistory(db, dossier.instance_id), instance(db, dossier.instance_id)]);
  const undone = new Set(events.filter((e) => e.type === 'command.undone').map((e) => e.data.undoneVersion as number));
  const agencyStaff = grantsOf(user).some((g) => g.agencyId === dossier.agency_id);
  return {
    dossier: dossier as Context['dossier'],
    events,
    actions: events.filter((e) => e.type === 'task.completed' && !undone.has(e.version)),
    undone,
    status: view.dossierStatus,
    running: view.state === 'running',
    staff: agencyStaff || isAuditor(user),
    agencyStaff,
  };
}

const lastAction = (ctx: Context, ...codes: string[]) => ctx.actions.findLast((e) => codes.includes(e.data.action as string));
const latestApology = (ctx: Context) => ctx.events.findLast((e) => e.type === APOLOGY_EVENT);

/** Whether the dossier is, or within a day will be, past its appointment while still being resolved. */
function apologyOffered(ctx: Context, now: Date): boolean {
  const due = ctx.dossier.rescheduled_due_at ?? ctx.dossier.due_at;
  if (!due || !ctx.running || ctx.status === null || CLOSED_STATUSES.has(ctx.status) || PAUSED_STATUSES.has(ctx.status)) return false;
  return now.getTime() >= due.getTime() - APOLOGY_NOTICE_MS;
}

function applies(ctx: Context, kind: SlipKind): boolean {
  switch (kind) {
    case 'receipt':
      return Boolean(lastAction(ctx, RECEIVE));
    case 'supplement':
      return Boolean(lastAction(ctx, REQUEST_SUPPLEMENT));
    case 'refusal':
      return Boolean(lastAction(ctx, REJECT_RECEPTION, REFUSE_RESOLUTION));
    case 'apology':
      return Boolean(latestApology(ctx));
    case 'control':
      return ctx.staff;
  }
}

export interface SlipList {
  slips: { kind: SlipKind; title: string }[];
  apology: { offered: boolean; canIssue: boolean };
}

/** The slips a reader can print for a dossier now, and whether an apology is due. */
export async function listSlips(db: Db, user: SessionUser, id: string): Promise<SlipList> {
  const ctx = await context(db, user, id);
  const offered = apologyOffered(ctx, new Date());
  return {
    slips: SLIP_KINDS.filter((kind) => applies(ctx, kind)).map((kind) => ({ kind, title: SLIP_TITLES[kind] })),
    apology: { offered, canIssue: offered && ctx.agencyStaff },
  };
}

/** One slip as a PDF; 404 when it does not apply to this dossier (or, the control slip, to this reader). */
export async function slipPdf(db: Db, user: SessionUser, id: string, kind: SlipKind, publicUrl: string): Promise<{ content: Uint8Array; fileName: string }> {
  const ctx = await context(db, user, id);
  if (!applies(ctx, kind)) throw slipNotApplicable(kind);
  const data = await slipData(db, ctx, kind, publicUrl);
  return { content: await renderSlip(slipDocument(data)), fileName: `${SLIP_FILE_NAMES[kind]}-${ctx.dossier.code}.pdf` };
}

const SLIP_FILE_NAMES: Record<SlipKind, string> = {
  receipt: 'phieu-tiep-nhan',
  supplement: 'phieu-yeu-cau-bo-sung',
  refusal: 'phieu-tu-choi',
  apology: 'phieu-xin-loi-hen-lai',
  control: 'phieu-kiem-soat',
};

async function slipData(db: Db, ctx: Context, kind: SlipKind, publicUrl: string): Promise<SlipData> {
  const { dossier } = ctx;
  const [applicant, components] = await Promise.all([repo.applicantOf(db, dossier.applicant_id), componentsOfProcedure(db, dossier.procedure_id)]);
  const received = lastAction(ctx, RECEIVE);
  const base = {
    agency: dossier.agency_name,
    code: dossier.code,
    procedure: { code: dossier.procedure_code, name: dossier.procedure_name },
    applicant: {
      name: applicant.full_name,
      phone: applicant.phone,
      email: applicant.email,
      organization: typeof dossier.form_data.organizationName === 'string' ? dossier.form_data.organizationName : null,
      address: typeof dossier.form_data.address === 'string' ? dossier.form_data.address : null,
    },
    receivedAt: received?.at ?? dossier.submitted_at!,
    issuedAt: new Date(),
  };
  const nameOf = (event: NamedHistoryEvent | undefined) => event?.actorName ?? null;
  switch (kind) {
    case 'receipt': {
      const files = await liveFiles(db, dossier.id);
      return {
        kind,
        ...base,
        channel: dossier.channel,
        timeLimitDays: Number(dossier.time_limit_days),
        dueAt: dossier.due_at!,
        pin: dossier.pin!,
        lookupUrl: `${publicUrl.replace(/\/+$/, '')}/lookup?code=${encodeURIComponent(dossier.code)}#pin=${dossier.pin}`,
        components: components
          .filter((c) => c.kind === 'input')
          .map((c) => ({ code: c.code, name: c.name, files: files.filter((f) => f.component_code === c.code).length }))
          .filter((c) => c.files > 0),
        receiver: nameOf(received),
      };
    }
    case 'supplement': {
      const request = lastAction(ctx, REQUEST_SUPPLEMENT)!;
      const asked = (request.data.input as Record<string, unknown> | undefined)?.[SUPPLEMENT_COMPONENTS_INPUT];
      const codes = Array.isArray(asked) ? asked.filter((c): c is string => typeof c === 'string') : [];
      return {
        kind,
        ...base,
        requestedAt: request.at,
        reason: (request.data.note as string | null) ?? '',
        components: components.filter((c) => codes.includes(c.code)).map((c) => ({ code: c.code, name: c.name })),
        officer: nameOf(request),
      };
    }
    case 'refusal': {
      const refusal = lastAction(ctx, REJECT_RECEPTION, REFUSE_RESOLUTION)!;
      return {
        kind,
        ...base,
        stage: refusal.data.action === REJECT_RECEPTION ? 'reception' : 'resolution',
        refusedAt: refusal.at,
        reason: (refusal.data.note as string | null) ?? '',
        officer: nameOf(refusal),
      };
    }
    case 'apology': {
      const apology = latestApology(ctx)!;
      return {
        kind,
        ...base,
        reason: apology.data.reason as string,
        previousDueAt: new Date(apology.data.previousDueAt as string),
        newDueAt: new Date(apology.data.newDueAt as string),
        officer: nameOf(apology),
      };
    }
    case 'control':
      return { kind, ...base, dueAt: dossier.due_at, handOvers: await handOvers(db, ctx, base.issuedAt), resolvedAt: resolvedAt(ctx) };
  }
}

/** When the dossier reached "resolved" (9) for the last time, if it did. */
const resolvedAt = (ctx: Context) => ctx.events.findLast((e) => e.type === 'status.changed' && e.data.to === 9)?.at ?? null;


/** A step held by a group, not a person: the group's name (schemas/roles.json). */
const roleLabels = new Map(roleCatalogue.roles.map((r) => [r.code, r.vi]));

/**
 * Every hand-over of the dossier, from its history: each step from when it reached someone to when they passed it
 * on, with who held it (by name: the one who acted, else the one it was assigned to, else the group that had it).
 * An undone action stays listed, marked as taken back.
 */
async function handOvers(db: Db, ctx: Context, now: Date): Promise<HandOver[]> {
  type Open = { step: string; receivedAt: Date; dueAt: Date | null; holder: string | null; groups: string[] };
  const created = new Map<string, Open>();
  const open = new Map<string, Open>();
  const rows: (Open & { holderName: string | null; handedAt: Date | null; action: string | null; version: number | null; cancelled: boolean })[] = [];
  for (const e of ctx.events) {
    const taskId = e.data.taskId as string | undefined;
    if (!taskId) continue;
    if (e.type === 'task.created') {
      const dueAt = e.data.dueAt ? new Date(e.data.dueAt as string) : null;
      created.set(taskId, { step: (e.data.name as string | null) ?? e.elementId ?? '', receivedAt: e.at, dueAt, holder: (e.data.assignee as string | null) ?? null, groups: (e.data.candidateGroups as string[]) ?? [] });
      open.set(taskId, { ...created.get(taskId)! });
    } else if ((e.type === 'task.claimed' || e.type === 'task.reassigned') && open.has(taskId)) {
      open.get(taskId)!.holder = (e.data.to as string | null) ?? null;
    } else if ((e.type === 'task.completed' || e.type === 'task.cancelled') && open.has(taskId)) {
      const task = open.get(taskId)!;
      const completed = e.type === 'task.completed';
      rows.push({ ...task, holder: completed ? e.actorId : task.holder, holderName: completed ? e.actorName : null, handedAt: e.at, action: completed ? (e.data.actionName as string) : null, version: e.version, cancelled: !completed });
      open.delete(taskId);
    } else if (e.type === 'task.reopened' && created.has(taskId)) {
      // An undo gives the step back to whoever held it: a new hold from now.
      open.set(taskId, { ...created.get(taskId)!, receivedAt: e.at });
    }
  }
  for (const task of open.values()) rows.push({ ...task, holderName: null, handedAt: null, action: null, version: null, cancelled: false });
  const names = await fullNamesOf(db, [...new Set(rows.flatMap((r) => (!r.holderName && r.holder && isUuid(r.holder) ? [r.holder] : [])))]);
  return rows
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
    .map((r) => ({
      step: r.step,
      holder: r.holderName ?? (r.holder && names.get(r.holder)) ?? (r.groups.map((g) => roleLabels.get(g) ?? g).join(', ') || '—'),
      receivedAt: r.receivedAt,
      handedAt: r.handedAt,
      dueAt: r.dueAt,
      action: r.action,
      outcome: r.version !== null && ctx.undone.has(r.version) ? 'undone' : r.cancelled ? 'cancelled' : timeliness(r.handedAt, r.dueAt, now),
    }));
}

/**
 * An officer of the dossier's agency apologises for a late dossier and sets a new appointment (form 04). It is
 * appended to the dossier's hash-chained history, so the slip, the timeline and the audit read the same record;
 * the new appointment is what the applicant and the national portal are shown from then on (the report still
 * measures against the original).
 */
export async function issueApology(db: Db, user: SessionUser, id: string, input: { reason: string; newDueAt: Date }): Promise<SlipList> {
  const ctx = await context(db, user, id);
  if (!ctx.agencyStaff) throw dossierNotFound();
  const now = new Date();
  if (!apologyOffered(ctx, now)) {
    throw new HttpProblem(409, 'apology-not-needed', {
      vi: 'Hồ sơ chưa đến gần hạn trả hoặc đã kết thúc, không cần phiếu xin lỗi',
      en: 'The dossier is neither late nor nearly due, or it is closed: no apology is needed',
    });
  }
  const previousDueAt = ctx.dossier.rescheduled_due_at ?? ctx.dossier.due_at!;
  if (input.newDueAt <= now || input.newDueAt <= previousDueAt) {
    throw new HttpProblem(422, 'new-appointment-invalid', { vi: 'Ngày hẹn mới phải sau ngày hẹn cũ và sau hiện tại', en: 'The new appointment must be after the old one and in the future' }, [
      { path: '/body/newDueAt', message: { vi: 'Chọn ngày hẹn muộn hơn', en: 'Choose a later date' } },
    ]);
  }
  await inTransaction(db, async (trx) => {
    await setRescheduledDueAt(trx, ctx.dossier.id, input.newDueAt);
    await appendHistoryOnly(trx, ctx.dossier.instance_id, user.id, now, [
      { type: APOLOGY_EVENT, elementId: null, data: { reason: input.reason.trim(), previousDueAt: previousDueAt.toISOString(), newDueAt: input.newDueAt.toISOString() } },
    ]);
    await queueLatestState(trx, { dossierId: ctx.dossier.id, instanceId: ctx.dossier.instance_id, status: ctx.status!, resync: false }, now);
  });
  return listSlips(db, user, id);
}
