import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.js';
import { GENESIS_HASH } from '../../../engine/history/hash.js';
import { loadWorkingCalendar } from '../../../engine/calendar/calendar.repository.js';
import { addWorkingHours, HOURS_PER_WORKING_DAY, isWorkingDay, localDate, workingHoursBetween, type WorkingCalendar } from '../../../engine/calendar/working-time.js';
import { hashPassword } from '../../../server/accounts/password.js';
import { storeBlob } from '../../../server/dossiers/dossier.repository.js';
import { eformAjv } from '../../../server/eform.js';
import { copyInto, copyText, copyTextArray, type CopyWriter } from './copy.js';
import { PATHS, SCHEDULER_ACTOR, SLA_TASK, TOKEN, type PathDefinition, type StaffRole, type Template, type TemplateRecorder, type WaitKind } from './templates.js';
import { fakeForm, personName } from './people.js';

/**
 * Generates a province's dossiers over the last two years straight into the tables with COPY, shaped by the
 * templates the real engine recorded: each dossier follows one path of its procedure's diagram, with working-time
 * waits between steps, and stops where "now" finds it (so recent dossiers are in progress, some overdue, some
 * waiting for a supplement). History hash chains are computed as the engine computes them.
 */

export interface GenerateOptions {
  dossiers: number;
  /** Target number of history events (see `chooseHistoryLevels`). */
  events: number;
  now: Date;
  /** Days of submissions before now. */
  days: number;
  seed: number;
  log: (line: string) => void;
}

export interface GenerateResult {
  rows: Record<string, number>;
  historyLevels: { full: number; business: number; status: number };
  statuses: Record<string, number>;
  openTasks: number;
  seconds: { plan: number; load: number };
}

const ROLES: StaffRole[] = ['one-stop-officer', 'dept-leader', 'handler', 'agency-leader', 'clerk'];

interface Procedure {
  id: string;
  code: string;
  agency: number;
  level: 'full' | 'partial';
  timeLimitDays: number;
  processKey: 'standard-one-stop' | 'inter-agency';
  hasFee: boolean;
  eform: Record<string, unknown>;
  requiredInputs: string[];
  /** The result component (KQ01), whose file a resolved dossier holds. */
  resultComponent: string | null;
}

interface Catalogue {
  agencies: { id: string; code: string; name: string; staff: Record<StaffRole, string> }[];
  procedures: Procedure[];
  /** Cumulative weights over `procedures`. */
  cumulative: number[];
  definitions: Record<string, { id: string; version: number }>;
  calendar: WorkingCalendar;
}

/**
 * How often each demo procedure is asked for, relative to the others: certification of copies and contracts at
 * the ward dwarfs everything (as in every province's statistics), then civil status and food safety.
 */
const PROCEDURE_WEIGHTS: Record<string, number> = {
  CT01: 30, CT02: 12, HT02: 10, HT01: 4, ATTP03: 6, ATTP02: 3, ATTP01: 2, MAU_10696: 3, '2.002604': 0.5, '2.000331': 1,
  BC01: 1, BC02: 1.5, BC03: 0.5, BC05: 0.5, PTTT01: 1, PTTT02: 0.5, '1.000564': 0.3, '1.000871': 0.2, '1.000971': 0.3, '1.001837': 0.5,
};

async function loadCatalogue(db: Db, from: string): Promise<Catalogue> {
  const agencies = await db.selectFrom('agency').select(['id', 'code', 'name']).orderBy('code').execute();
  const roles = await db.selectFrom('user_role').select(['user_id', 'role', 'agency_id']).where('agency_id', 'is not', null).execute();
  const procedures = await db.selectFrom('procedure').select(['id', 'code', 'agency_id', 'level', 'time_limit_days', 'process_key', 'fee', 'eform_schema']).orderBy('code').execute();
  const components = await db.selectFrom('procedure_component').select(['procedure_id', 'code']).where('kind', '=', 'input').where('required', '=', true).orderBy('position').execute();
  const results = await db.selectFrom('procedure_component').select(['procedure_id', 'code']).where('kind', '=', 'result').where('code', '<>', 'KQTC').orderBy('position').execute();
  const definitions = await db.selectFrom('process_definition').select(['id', 'key', 'version']).orderBy('version').execute();
  const catalogue: Catalogue = {
    agencies: agencies.map((a) => {
      const staff = {} as Record<StaffRole, string>;
      for (const role of ROLES) {
        const holder = roles.find((r) => r.agency_id === a.id && r.role === role);
        if (!holder) throw new Error(`no ${role} at ${a.code}: the demo seed is incomplete`);
        staff[role] = holder.user_id;
      }
      return { id: a.id, code: a.code, name: a.name, staff };
    }),
    procedures: procedures.map((p) => ({
      id: p.id,
      code: p.code,
      agency: agencies.findIndex((a) => a.id === p.agency_id),
      level: p.level,
      timeLimitDays: Number(p.time_limit_days),
      processKey: p.process_key as Procedure['processKey'],
      hasFee: (p.fee as { feeAmount?: number }).feeAmount! > 0,
      eform: p.eform_schema as Record<string, unknown>,
      requiredInputs: components.filter((c) => c.procedure_id === p.id).map((c) => c.code),
      resultComponent: results.find((c) => c.procedure_id === p.id)?.code ?? null,
    })),
    cumulative: [],
    definitions: Object.fromEntries(definitions.map((d) => [d.key, { id: d.id, version: d.version }])),
    calendar: await loadWorkingCalendar(db, from),
  };
  let total = 0;
  catalogue.cumulative = catalogue.procedures.map((p) => (total += PROCEDURE_WEIGHTS[p.code] ?? 1));
  catalogue.cumulative = catalogue.cumulative.map((c) => c / total);
  return catalogue;
}

/** sfc32 seeded through splitmix32: fast, and the same stream for a dossier in both passes. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next();
  let b = next();
  let c = next();
  let d = next();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const between = (r: () => number, min: number, max: number) => min + (max - min) * r();

enum Channel {
  Online = 0,
  Counter = 1,
  Post = 2,
}
const CHANNELS = ['online', 'counter', 'post'] as const;

/** When, where and by whom each dossier was submitted: in submission order, with the agency's daily sequence. */
interface Schedule {
  submittedAt: Float64Array;
  procedure: Uint8Array;
  channel: Uint8Array;
  sequence: Int32Array;
  applicant: Int32Array;
}

const LOCAL_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Citizens with an online account (the rest were received at the counter and have none). */
const onlineShare = 0.6;

function schedule(n: number, citizens: number, catalogue: Catalogue, options: GenerateOptions): Schedule {
  const r = random(options.seed);
  const out: Schedule = {
    submittedAt: new Float64Array(n),
    procedure: new Uint8Array(n),
    channel: new Uint8Array(n),
    sequence: new Int32Array(n),
    applicant: new Int32Array(n),
  };
  const nowMs = options.now.getTime();
  const today = Math.floor((nowMs + LOCAL_OFFSET_MS) / DAY_MS) * DAY_MS - LOCAL_OFFSET_MS;
  const firstDay = today - (options.days - 1) * DAY_MS;
  // Volume grows ~40% over the period (more procedures go online); weekends and holidays see only online filings.
  const weights: number[] = [];
  const working: boolean[] = [];
  for (let d = 0; d < options.days; d++) {
    working.push(isWorkingDay(localDate(new Date(firstDay + d * DAY_MS + 12 * HOUR_MS)), catalogue.calendar));
    const growth = 1 + (0.4 * d) / options.days;
    const todayShare = d === options.days - 1 ? Math.max(0.05, (nowMs - today) / DAY_MS) : 1;
    weights.push(growth * (working[d] ? 1 : 0.06) * todayShare);
  }
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  let index = 0;
  let carried = 0;
  for (let d = 0; d < options.days; d++) {
    const exact = (weights[d]! / totalWeight) * n + carried;
    const count = d === options.days - 1 ? n - index : Math.min(n - index, Math.round(exact));
    carried = exact - count;
    const dayStart = firstDay + d * DAY_MS;
    const dayEnd = Math.min(dayStart + DAY_MS, nowMs);
    const entries: { at: number; procedure: number; channel: Channel }[] = [];
    for (let k = 0; k < count; k++) {
      const u = r();
      const procedure = Math.max(0, catalogue.cumulative.findIndex((c) => u <= c));
      const level = catalogue.procedures[procedure]!.level;
      const c = r();
      let channel = level === 'full' ? (c < 0.85 ? Channel.Online : c < 0.98 ? Channel.Counter : Channel.Post) : c < 0.35 ? Channel.Online : c < 0.95 ? Channel.Counter : Channel.Post;
      if (!working[d]) channel = Channel.Online;
      // The desk and the mail room work 07:30–11:30 and 13:00–17:00; citizens file online from 6 am to midnight.
      let minute: number;
      if (channel === Channel.Online) minute = r() < 0.8 ? between(r, 7 * 60, 17.5 * 60) : between(r, 6 * 60, 24 * 60);
      else minute = r() < 0.6 ? between(r, 7.5 * 60, 11.5 * 60) : between(r, 13 * 60, 17 * 60);
      let at = dayStart + Math.floor(minute * 60_000) + Math.floor(r() * 60_000);
      if (at >= dayEnd) at = dayStart + Math.floor(r() * (dayEnd - dayStart));
      entries.push({ at, procedure, channel });
    }
    entries.sort((a, b) => a.at - b.at);
    const sequences = new Map<number, number>();
    for (const e of entries) {
      const agency = catalogue.procedures[e.procedure]!.agency;
      const seq = (sequences.get(agency) ?? 0) + 1;
      sequences.set(agency, seq);
      out.submittedAt[index] = e.at;
      out.procedure[index] = e.procedure;
      out.channel[index] = e.channel;
      out.sequence[index] = seq;
      // Some citizens file many dossiers (businesses, repeat visitors): a skewed pick.
      const online = Math.floor(citizens * onlineShare);
      const skew = r() ** 1.4;
      out.applicant[index] = e.channel === Channel.Online || r() < 0.3 ? Math.floor(skew * online) : online + Math.floor(skew * (citizens - online));
      index++;
    }
  }
  return out;
}

/** One dossier's way through its template up to now. */
interface Plan {
  template: Template;
  /** Time of each template command (ms); Infinity for commands after the dossier stalled. */
  times: number[];
  /** Commands done by now. */
  done: number;
  /** Events at the three history levels. */
  counts: [number, number, number];
  lastActivity: number;
  overdue: { task: number; at: number; version: number }[];
  taskDue: (number | null)[];
}

/** The history kept for a dossier: every event, the ones its readers use, or its status trail only. */
enum Level {
  Full = 0,
  Business = 1,
  Status = 2,
}
const BUSINESS_EVENTS = new Set(['instance.started', 'task.completed', 'task.overdue', 'status.changed', 'instance.completed', 'message.correlated']);
const STATUS_EVENTS = new Set(['instance.started', 'status.changed', 'instance.completed']);

/** Path shares of a province's dossiers (the rest take the happy path). */
function choosePath(r: () => number, procedure: Procedure, channel: Channel): PathDefinition {
  const u = r();
  // A counter officer receives what they accept at the desk: those dossiers are never rejected afterwards.
  const rejected = u < 0.02 && channel !== Channel.Counter;
  if (procedure.processKey === 'inter-agency') return rejected ? PATHS.interAgencyRejected! : PATHS.interAgency!;
  if (u < 0.02) return rejected ? PATHS.rejected! : PATHS.happy!;
  if (u < 0.026) return PATHS.refused!;
  if (u < 0.034) return PATHS.withdrawn!;
  if (u < 0.114) return PATHS.supplement!;
  if (u < 0.134 && procedure.hasFee) return PATHS.fee!;
  if (u < 0.174) return PATHS.rehandle!;
  return PATHS.happy!;
}

/** Dossiers that stop at some step and stay there (forgotten, waiting on another body): the overdue backlog. */
const STALLED = 0.01;

class Planner {
  private readonly templates = new Map<string, Template>();

  constructor(
    private readonly catalogue: Catalogue,
    private readonly options: GenerateOptions,
  ) {}

  /** Records every template a plan may need (paths × SLA masks), so that planning stays synchronous. */
  async prepare(recorder: TemplateRecorder) {
    for (const path of Object.values(PATHS)) {
      const base = await recorder.get(path.name, 0);
      const occurrences = base.tasks.filter((t) => t.elementId === SLA_TASK).length;
      for (let mask = 0; mask < 1 << occurrences; mask++) this.templates.set(`${path.name}/${mask}`, await recorder.get(path.name, mask));
    }
  }

  plan(i: number, s: Schedule): Plan {
    const r = random(this.options.seed * 7919 + i + 1);
    const procedure = this.catalogue.procedures[s.procedure[i]!]!;
    const channel = s.channel[i] as Channel;
    const path = choosePath(r, procedure, channel);
    const base = this.templates.get(`${path.name}/0`)!;
    const nowMs = this.options.now.getTime();
    const calendar = this.catalogue.calendar;
    const work = (t: number, hours: number) => (hours === Infinity || t === Infinity ? Infinity : addWorkingHours(new Date(t), hours, calendar).getTime());
    const limitHours = procedure.timeLimitDays * HOURS_PER_WORKING_DAY;
    // Short procedures have short steps: a one-day certification is received, signed and returned within hours.
    const scale = Math.min(1, Math.max(0.08, procedure.timeLimitDays / 10));

    // Working hours to resolution (issue of the result): mostly early, some on the last day, some late.
    const outcome = r();
    const target = limitHours * (outcome < 0.72 ? between(r, 0.15, 0.85) : outcome < 0.9 ? between(r, 0.85, 1) : between(r, 1, 1.8));
    const stalledAt = r() < STALLED ? Math.floor(r() * path.steps.length) : -1;
    const waits = path.steps.map((step) => waitHours(step.wait, r, scale, channel));
    const handling = path.steps.flatMap((step, j) => (step.wait === 'handling' ? [j] : []));
    const fixed = waits.reduce((sum, w, j) => sum + (path.steps[j]!.wait === 'office' || path.steps[j]!.wait === 'leader' || path.steps[j]!.wait === 'reception' ? w : 0), 0);
    const handlingTotal = Math.max(limitHours * 0.05, target - fixed);
    handling.forEach((j, k) => (waits[j] = handlingTotal * (handling.length === 1 ? 1 : k === 0 ? 0.6 : 0.4 / (handling.length - 1))));
    if (stalledAt >= 0) waits[stalledAt] = Infinity;

    const stepTimes: number[] = [];
    let t = s.submittedAt[i]!;
    for (const [j, step] of path.steps.entries()) {
      const wait = waits[j]!;
      if (step.wait === 'citizen' || step.wait === 'withdrawal') t = wait === Infinity ? Infinity : t + wait * HOUR_MS;
      else t = wait === 0 ? t : work(t, wait);
      if (step.wait === 'partner') t = Math.min(t, stepTimes[j - 1]! + 5 * 24 * HOUR_MS - HOUR_MS);
      stepTimes.push(t);
    }
    const commandTime = (template: Template, index: number) => {
      const step = template.commands[index]!.step;
      return step === -1 ? s.submittedAt[i]! : stepTimes[step!]!;
    };

    // The handling SLA timer (P3D) fires when its task is still open three days after it began.
    let mask = 0;
    const fires: number[] = [];
    base.tasks
      .filter((task) => task.elementId === SLA_TASK)
      .forEach((task, occurrence) => {
        const created = commandTime(base, task.createdVersion - 1);
        const closingStep = base.commands[task.closed!.version - 1]!.step!;
        const timer = base.timers.find((x) => x.createdVersion === task.createdVersion)!;
        const due = created + timer.afterMs;
        // A withdrawal decided after the timer's due time would have followed its firing: it comes just before.
        if (path.name === 'withdrawn' && due > stepTimes[closingStep - 1]! && due < stepTimes[closingStep]!) stepTimes[closingStep] = Math.max(stepTimes[closingStep - 1]! + 30_000, due - 60_000);
        const end = Math.min(stepTimes[closingStep]!, nowMs);
        if (due + 500 < end) {
          mask |= 1 << occurrence;
          fires.push(due + 500);
        }
      });
    const template = this.templates.get(`${path.name}/${mask}`)!;
    const times: number[] = [];
    let fired = 0;
    for (const [index, command] of template.commands.entries()) times.push(command.step === null ? fires[fired++]! : commandTime(template, index));
    let done = 0;
    while (done < times.length && times[done]! <= nowMs) done++;

    // Deadlines that passed while the task waited: the scheduler marked the task overdue and said so in the history.
    const overdue: Plan['overdue'] = [];
    const taskDue: (number | null)[] = template.tasks.map((task) => {
      if (task.createdVersion > done || task.deadlineHours === null) return null;
      return work(times[task.createdVersion - 1]!, task.deadlineHours);
    });
    template.tasks.forEach((task, index) => {
      const due = taskDue[index];
      if (due === null || due === undefined) return;
      const end = task.closed && task.closed.version <= done ? times[task.closed.version - 1]! : nowMs;
      if (due + 1000 < end) {
        let version = task.createdVersion;
        while (version < done && times[version]! <= due + 1000) version++;
        overdue.push({ task: index, at: due + 1000, version });
      }
    });
    const counts: [number, number, number] = [overdue.length, overdue.length, 0];
    for (let c = 0; c < done; c++) {
      for (const e of template.commands[c]!.events) {
        counts[Level.Full]++;
        if (BUSINESS_EVENTS.has(e.type)) counts[Level.Business]++;
        if (STATUS_EVENTS.has(e.type)) counts[Level.Status]++;
      }
    }
    const lastActivity = Math.max(times[done - 1]!, ...overdue.map((o) => o.at));
    return { template, times, done, counts, lastActivity, overdue, taskDue };
  }
}

function waitHours(kind: WaitKind, r: () => number, scale: number, channel: Channel): number {
  switch (kind) {
    case 'reception':
      return channel === Channel.Counter ? 0 : scale * between(r, channel === Channel.Post ? 1 : 0.3, 8);
    case 'office':
      return scale * between(r, 0.1, 3);
    case 'leader':
      return scale * between(r, 0.3, 5);
    case 'handling':
      return 0; // set from the resolution target
    case 'citizen':
      return between(r, 4, 200);
    case 'pickup':
      return between(r, 0.3, 24);
    case 'partner':
      return between(r, 1, 20);
    case 'withdrawal':
      return between(r, 2, 40);
  }
}

/**
 * Which dossiers keep which history, to meet the events target: the status trail for all (what the reports
 * read), then every event for open dossiers and those active in the last 30 days (what officers and auditors
 * open), then the business events (actions, deadlines) for the newest of the rest, while the target allows.
 */
function chooseHistoryLevels(counts: Int32Array, lastActivity: Float64Array, open: Uint8Array, target: number, now: number): Uint8Array {
  const n = lastActivity.length;
  const level = new Uint8Array(n).fill(Level.Status);
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i * 3 + Level.Status]!;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => lastActivity[b]! - lastActivity[a]!);
  const upgrade = (i: number, to: Level) => {
    const extra = counts[i * 3 + to]! - counts[i * 3 + level[i]!]!;
    if (total + extra > target) return false;
    total += extra;
    level[i] = to;
    return true;
  };
  const recent = now - 30 * DAY_MS;
  for (const i of order) if (open[i] || lastActivity[i]! >= recent) upgrade(i, Level.Full);
  for (const i of order) if (level[i] === Level.Status) upgrade(i, Level.Business);
  for (const i of order) if (level[i] === Level.Business) upgrade(i, Level.Full);
  return level;
}

/** A stand-in for the fingerprint of the agency's signing certificate. */
const agencyFingerprint = (code: string) => createHash('sha256').update(`certificate of ${code}`).digest('hex');

/** Ms since the epoch → ISO 8601 (what COPY reads for timestamptz). */
const iso = (ms: number) => new Date(ms).toISOString();

const TABLES = {
  app_user: ['id', 'kind', 'full_name', 'id_number', 'email', 'phone', 'password_hash', 'locked_at', 'created_at'],
  user_role: ['user_id', 'role', 'agency_id'],
  process_instance: ['id', 'definition_id', 'business_key', 'state', 'dossier_status', 'version', 'last_event_seq', 'last_event_hash', 'started_by', 'started_at', 'updated_at', 'ended_at'],
  dossier: ['id', 'code', 'procedure_id', 'agency_id', 'applicant_id', 'channel', 'state', 'form_data', 'instance_id', 'idempotency_key', 'pin', 'submitted_at', 'due_at', 'created_at', 'updated_at', 'received_by', 'clock_paused_at'],
  dossier_file: ['id', 'dossier_id', 'component_code', 'sha256', 'size', 'media_type', 'original_name', 'created_at', 'deleted_at'],
  dossier_file_digitisation: ['id', 'file_id', 'dossier_id', 'kind', 'signer', 'signer_fingerprint', 'certified_by', 'certified_at'],
  instance_version: ['instance_id', 'version', 'command', 'actor_id', 'task_id', 'undoable', 'dossier_status', 'engine_version', 'state', 'variables', 'created_at'],
  task: ['id', 'instance_id', 'execution_id', 'element_id', 'name', 'candidate_groups', 'assignee', 'step_code', 'form_key', 'state', 'created_at', 'due_at', 'overdue', 'closed_at', 'closed_by', 'action_code'],
  job: ['id', 'instance_id', 'kind', 'element_id', 'task_id', 'due_at', 'state', 'attempts', 'last_error', 'created_at', 'closed_at'],
  history_event: ['instance_id', 'seq', 'version', 'type', 'element_id', 'actor_id', 'at', 'data', 'prev_hash', 'hash'],
  dossier_code_sequence: ['agency_id', 'day', 'last'],
} as const;
type Table = keyof typeof TABLES;

/** Columns that migration 0007 added, kept by triggers (which COPY in replica mode skips: written here instead). */
const SCOPE_COLUMNS = { task: ['agency_id', 'dossier_due_at'], dossier: ['national_status', 'status_changed_at', 'resolved_at', 'withdrawn_at', 'rejected_at'] } as const;
/** The digitisation counts migration 0015 keeps by triggers, written here too. */
const DIGITISATION_COLUMNS = ['input_components', 'input_components_digitised', 'result_components', 'result_components_digitised'] as const;

async function hasColumn(db: Db, table: string, column: string) {
  const row = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_schema = 'public' and table_name = ${table} and column_name = ${column}`.execute(db);
  return row.rows[0]!.n > 0;
}

const line = (values: (string | number | boolean | null | undefined)[]) => values.map(copyText).join('\t');

/** Rows whose physical order follows time (history events, tasks), held per day until the days before are done. */
class DayBuckets {
  private readonly buckets = new Map<number, string[]>();
  private flushedBefore = -Infinity;

  constructor(private readonly writer: CopyWriter) {}

  add(at: number, row: string) {
    const day = Math.floor(at / DAY_MS);
    if (day < this.flushedBefore) {
      this.writer.row(row);
      return;
    }
    let bucket = this.buckets.get(day);
    if (!bucket) this.buckets.set(day, (bucket = []));
    bucket.push(row);
  }

  flushBefore(at: number) {
    const limit = Math.floor(at / DAY_MS);
    if (limit <= this.flushedBefore) return;
    for (const day of [...this.buckets.keys()].filter((d) => d < limit).sort((a, b) => a - b)) {
      for (const row of this.buckets.get(day)!) this.writer.row(row);
      this.buckets.delete(day);
    }
    this.flushedBefore = Math.max(this.flushedBefore, limit);
  }

  flushAll() {
    this.flushBefore(Infinity);
  }
}

export async function generate(db: Db, url: string, recorder: TemplateRecorder, options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const n = options.dossiers;
  const citizens = Math.max(50, Math.ceil(n / 5));
  const firstDay = localDate(new Date(options.now.getTime() - options.days * DAY_MS));
  const catalogue = await loadCatalogue(db, firstDay);
  const planner = new Planner(catalogue, options);
  await planner.prepare(recorder);
  for (const p of catalogue.procedures) {
    const form = fakeForm(p.eform, random(1), new Date());
    if (!eformAjv.validate(p.eform, form)) throw new Error(`generated form of ${p.code} is invalid: ${JSON.stringify(eformAjv.errors)}`);
  }

  // Pass 1: every dossier's plan, to know how many events each history level costs.
  const plan = schedule(n, citizens, catalogue, options);
  const counts = new Int32Array(n * 3);
  const lastActivity = new Float64Array(n);
  const open = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = planner.plan(i, plan);
    counts.set(p.counts, i * 3);
    lastActivity[i] = p.lastActivity;
    open[i] = p.template.commands[p.done - 1]!.completed ? 0 : 1;
    if (i % 200_000 === 199_999) options.log(`  planned ${i + 1} dossiers`);
  }
  const levels = chooseHistoryLevels(counts, lastActivity, open, options.events, options.now.getTime());
  const planSeconds = (performance.now() - started) / 1000;
  options.log(`  plans ready in ${planSeconds.toFixed(1)} s`);

  // Pass 2: the rows, through one COPY per table on its own connection, referential checks off while loading,
  // and the secondary indexes built once at the end (much faster than maintaining them row by row).
  const secondary = await secondaryIndexes(db, Object.keys(TABLES));
  for (const index of secondary) await sql.raw(`drop index ${index.name}`).execute(db);
  const taskScope = await hasColumn(db, 'task', 'agency_id');
  const dossierStatus = await hasColumn(db, 'dossier', 'national_status');
  const clients: pg.Client[] = [];
  const writers = {} as Record<Table, CopyWriter>;
  for (const table of Object.keys(TABLES) as Table[]) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("set session_replication_role = replica; set synchronous_commit = off");
    clients.push(client);
    const extra = [
      ...((table === 'task' && taskScope) || (table === 'dossier' && dossierStatus) ? SCOPE_COLUMNS[table as 'task' | 'dossier'] : []),
      ...(table === 'dossier' ? DIGITISATION_COLUMNS : []),
    ];
    writers[table] = await copyInto(client, table, [...TABLES[table], ...extra]);
  }
  const loadStarted = performance.now();
  const rows = Object.fromEntries(Object.keys(TABLES).map((t) => [t, 0])) as Record<Table, number>;
  const historyBuckets = new DayBuckets(writers.history_event);
  const taskBuckets = new DayBuckets(writers.task);
  const statuses: Record<string, number> = {};
  let openTasks = 0;

  // Citizens: the online ones hold an account (one shared unknowable password), the walk-ins none.
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  const citizenIds: string[] = [];
  const citizenRandom = random(options.seed + 17);
  const firstSubmission = plan.submittedAt[0] ?? options.now.getTime();
  for (let c = 0; c < citizens; c++) {
    const id = randomUUID();
    citizenIds.push(id);
    const online = c < Math.floor(citizens * onlineShare);
    const idNumber = `038${Math.floor(citizenRandom() * 4)}${String(60 + Math.floor(c / 1_000_000)).padStart(2, '0')}${String((c * 7919) % 1_000_000).padStart(6, '0')}`;
    const phone = `09${String(Math.floor(citizenRandom() * 1e8)).padStart(8, '0')}`;
    writers.app_user.row(
      line([id, 'citizen', personName(citizenRandom), idNumber, online ? `congdan${c}@dvc.example` : null, phone, online ? passwordHash : null, null, iso(firstSubmission - Math.floor(citizenRandom() * 90) * DAY_MS)]),
    );
    writers.user_role.row(line([id, 'citizen', null]));
  }
  rows.app_user = rows.user_role = citizens;

  // One stored PDF per required component kind; dossiers reference them (files are kept once per content hash).
  const blobs = new Map<string, { sha256: string; size: number }>();
  for (const code of new Set(catalogue.procedures.flatMap((p) => p.requiredInputs))) {
    const content = Buffer.from(`%PDF-1.4\n% ${code}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
    const sha256 = createHash('sha256').update(content).digest('hex');
    await storeBlob(db, { sha256, size: content.length, media_type: 'application/pdf', content });
    blobs.set(code, { sha256, size: content.length });
  }
  const resultContent = Buffer.from('%PDF-1.4\n% KQ (signed)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const resultBlob = { sha256: createHash('sha256').update(resultContent).digest('hex'), size: resultContent.length };
  await storeBlob(db, { ...resultBlob, media_type: 'application/pdf', content: resultContent });

  const levelCounts = { full: 0, business: 0, status: 0 };
  const sequences = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = planner.plan(i, plan);
    const level = levels[i] as Level;
    levelCounts[level === Level.Full ? 'full' : level === Level.Business ? 'business' : 'status']++;
    const r = random(options.seed * 31 + i);
    const procedure = catalogue.procedures[plan.procedure[i]!]!;
    const agency = catalogue.agencies[procedure.agency]!;
    const channel = plan.channel[i] as Channel;
    const submittedAt = plan.submittedAt[i]!;
    const day = localDate(new Date(submittedAt));
    const code = `${agency.code}-${day.slice(2).replaceAll('-', '')}-${String(plan.sequence[i]).padStart(4, '0')}`;
    sequences.set(`${agency.id}\t${day}`, plan.sequence[i]!);
    const dossierId = randomUUID();
    const instanceId = randomUUID();
    const applicant = citizenIds[plan.applicant[i]!]!;
    const { template, times, done } = p;
    const taskIds = template.tasks.map((task) => (task.createdVersion <= done ? randomUUID() : ''));
    const jobIds = new Map<number, string>();
    const jobId = (index: number) => jobIds.get(index) ?? (jobIds.set(index, randomUUID()), jobIds.get(index)!);
    const definition = catalogue.definitions[template.path.processKey]!;
    const counter = channel === Channel.Counter;
    const starter = counter ? agency.staff['one-stop-officer'] : applicant;
    const token = (_: string, name: string, arg?: string): string => {
      switch (name) {
        case 'APPLICANT':
          return applicant;
        case 'STARTER':
          return starter;
        case 'ASSIGNEE':
          return agency.staff.handler;
        case 'ROLE':
          return agency.staff[arg as StaffRole];
        case 'DOSSIER':
          return dossierId;
        case 'INSTANCE':
          return instanceId;
        case 'CODE':
          return code;
        case 'PROCEDURE':
          return procedure.code;
        case 'AGENCY':
          return agency.code;
        case 'DEFINITION':
          return definition.id;
        case 'TASK':
          return taskIds[Number(arg)]!;
        case 'DUE':
          return iso(p.taskDue[Number(arg)]!);
        case 'JOB':
          return jobId(Number(arg));
        case 'JOBDUE': {
          const timer = template.timers.find((x) => x.jobIndex === Number(arg))!;
          return iso(times[timer.createdVersion - 1]! + timer.afterMs);
        }
        case 'RECEPTIONNOTE':
          return counter ? 'Tiếp nhận trực tiếp tại Bộ phận Một cửa' : 'Hồ sơ đầy đủ, hợp lệ';
        default:
          throw new Error(`unknown placeholder ${name}`);
      }
    };
    const fill = (text: string) => text.replace(TOKEN, token);

    // History: the commands' events and the deadlines passed, in time order, chained as the engine chains them.
    type Event = { at: number; version: number; type: string; elementId: string | null; actor: string; data: string };
    const events: Event[] = [];
    let overdueIndex = 0;
    const overdue = [...p.overdue].sort((a, b) => a.at - b.at);
    const pushOverdue = (until: number) => {
      while (overdueIndex < overdue.length && overdue[overdueIndex]!.at < until) {
        const o = overdue[overdueIndex++]!;
        const task = template.tasks[o.task]!;
        events.push({ at: o.at, version: o.version, type: 'task.overdue', elementId: task.elementId, actor: SCHEDULER_ACTOR, data: `{"dueAt":"${iso(p.taskDue[o.task]!)}","taskId":"${taskIds[o.task]}"}` });
      }
    };
    for (let c = 0; c < done; c++) {
      const command = template.commands[c]!;
      pushOverdue(times[c]!);
      const actor = fill(command.actor);
      for (const e of command.events) events.push({ at: times[c]!, version: command.version, type: e.type, elementId: e.elementId, actor, data: e.data.includes('@@') ? fill(e.data) : e.data });
    }
    pushOverdue(Infinity);
    let prevHash = GENESIS_HASH;
    let seq = 0;
    for (const e of events) {
      if (level === Level.Business ? !BUSINESS_EVENTS.has(e.type) : level === Level.Status ? !STATUS_EVENTS.has(e.type) : false) continue;
      seq++;
      const at = iso(e.at);
      const canonical = `{"actorId":${JSON.stringify(e.actor)},"at":"${at}","data":${e.data},"elementId":${JSON.stringify(e.elementId)},"instanceId":"${instanceId}","seq":${seq},"type":${JSON.stringify(e.type)},"version":${e.version}}`;
      const hash = createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
      historyBuckets.add(e.at, line([instanceId, seq, e.version, e.type, e.elementId, e.actor, at, e.data, prevHash, hash]));
      prevHash = hash;
    }
    rows.history_event += seq;

    const last = template.commands[done - 1]!;
    const completed = last.completed;
    const status = last.dossierStatus;
    const lastAt = Math.max(times[done - 1]!, ...overdue.map((o) => o.at));
    statuses[completed ? `${status} (ended)` : `${status}`] = (statuses[completed ? `${status} (ended)` : `${status}`] ?? 0) + 1;
    writers.process_instance.row(
      line([instanceId, definition.id, dossierId, completed ? 'completed' : 'running', status, last.version, seq, prevHash, starter, iso(submittedAt), iso(lastAt), completed ? iso(times[done - 1]!) : null]),
    );

    // The appointment moves by the working time spent waiting for the applicant (statuses 5 and 6).
    let dueAt = addWorkingHours(new Date(submittedAt), procedure.timeLimitDays * HOURS_PER_WORKING_DAY, catalogue.calendar).getTime();
    let pausedAt: number | null = null;
    let previousStatus: number | null = null;
    const summary = { changedAt: null as number | null, resolvedAt: null as number | null, withdrawnAt: null as number | null, rejectedAt: null as number | null };
    for (let c = 0; c < done; c++) {
      const to = template.commands[c]!.dossierStatus;
      if (c === 0 || to !== previousStatus) {
        summary.changedAt = times[c]!;
        if ((to === 9 || to === 10) && summary.resolvedAt === null) summary.resolvedAt = times[c]!;
        if (to === 7 && summary.withdrawnAt === null) summary.withdrawnAt = times[c]!;
        if (to === 3 && summary.rejectedAt === null) summary.rejectedAt = times[c]!;
      }
      const waiting = to === 5 || to === 6;
      const wasWaiting = previousStatus === 5 || previousStatus === 6;
      if (waiting && !wasWaiting) pausedAt = times[c]!;
      if (!waiting && wasWaiting && pausedAt !== null) {
        dueAt = addWorkingHours(new Date(dueAt), workingHoursBetween(new Date(pausedAt), new Date(times[c]!), catalogue.calendar), catalogue.calendar).getTime();
        pausedAt = null;
      }
      previousStatus = to;
    }
    const createdAt = channel === Channel.Online ? submittedAt - Math.floor(between(r, 2, 90) * 60_000) : submittedAt - Math.floor(between(r, 3, 15) * 60_000);
    // Digitisation (its own random stream, so the rest stays as it was): papers received at the desk are scanned
    // there, about half of those sent online are certified once received; most results are signed originals.
    const digitising = random(options.seed * 37 + i);
    const received = status !== 1 && summary.rejectedAt === null;
    const certifiedInputs = procedure.requiredInputs.map(() => received && digitising() < (counter ? 0.95 : 0.5));
    const signedResult = summary.resolvedAt !== null && procedure.resultComponent !== null && digitising() < 0.85;
    writers.dossier.row(
      line([
        dossierId,
        code,
        procedure.id,
        agency.id,
        applicant,
        CHANNELS[channel],
        'submitted',
        JSON.stringify(fakeForm(procedure.eform, r, new Date(submittedAt))),
        instanceId,
        null,
        String(Math.floor(r() * 1_000_000)).padStart(6, '0'),
        iso(submittedAt),
        iso(dueAt),
        iso(createdAt),
        iso(times[done - 1]!),
        counter ? agency.staff['one-stop-officer'] : null,
        pausedAt === null ? null : iso(pausedAt),
        ...(dossierStatus
          ? [status, iso(summary.changedAt!), ...[summary.resolvedAt, summary.withdrawnAt, summary.rejectedAt].map((t) => (t === null ? null : iso(t)))]
          : []),
        procedure.requiredInputs.length,
        certifiedInputs.filter(Boolean).length,
        signedResult ? 1 : 0,
        signedResult ? 1 : 0,
      ]),
    );
    for (const [c, component] of procedure.requiredInputs.entries()) {
      const blob = blobs.get(component)!;
      const fileId = randomUUID();
      writers.dossier_file.row(line([fileId, dossierId, component, blob.sha256, blob.size, 'application/pdf', `${component.toLowerCase()}-${code}.pdf`, iso(createdAt + 30_000), null]));
      rows.dossier_file++;
      if (!certifiedInputs[c]) continue;
      const certifiedAt = counter ? createdAt + 60_000 : Math.min(submittedAt + 30 * 60_000, lastAt);
      writers.dossier_file_digitisation.row(line([randomUUID(), fileId, dossierId, 'scanned-copy', null, null, agency.staff['one-stop-officer'], iso(certifiedAt)]));
      rows.dossier_file_digitisation++;
    }
    if (signedResult) {
      const fileId = randomUUID();
      const signedAt = summary.resolvedAt! - 60_000;
      const name = `${procedure.resultComponent!.toLowerCase()}-${code}.pdf`;
      writers.dossier_file.row(line([fileId, dossierId, procedure.resultComponent, resultBlob.sha256, resultBlob.size, 'application/pdf', name, iso(signedAt), null]));
      writers.dossier_file_digitisation.row(line([randomUUID(), fileId, dossierId, 'electronic-original', agency.name, agencyFingerprint(agency.code), agency.staff['agency-leader'], iso(signedAt)]));
      rows.dossier_file++;
      rows.dossier_file_digitisation++;
    }

    // Tasks as the engine left them at this point.
    for (const [index, task] of template.tasks.entries()) {
      if (task.createdVersion > done) continue;
      const closed = task.closed && task.closed.version <= done ? task.closed : null;
      const due = p.taskDue[index] ?? null;
      const isOverdue = overdue.some((o) => o.task === index);
      if (!closed) openTasks++;
      taskBuckets.add(
        times[task.createdVersion - 1]!,
        line([
          taskIds[index],
          instanceId,
          task.executionId,
          task.elementId,
          task.name,
          copyTextArray(task.candidateGroups),
          task.assignee ? fill(task.assignee) : null,
          task.stepCode,
          task.formKey,
          closed ? closed.state : 'open',
          iso(times[task.createdVersion - 1]!),
          due === null ? null : iso(due),
          isOverdue,
          closed ? iso(times[closed.version - 1]!) : null,
          closed?.by ? fill(closed.by) : null,
          closed?.actionCode ?? null,
          ...(taskScope ? [agency.id, iso(dueAt)] : []),
        ]),
      );
      rows.task++;
      // An open task's deadline: pending, or fired (done) when it passed.
      if (!closed && due !== null) {
        writers.job.row(line([randomUUID(), instanceId, 'deadline', task.elementId, taskIds[index], iso(due), isOverdue ? 'done' : 'pending', isOverdue ? 1 : 0, null, iso(times[task.createdVersion - 1]!), isOverdue ? iso(due + 1000) : null]));
        rows.job++;
      }
    }
    if (!completed) {
      // BPMN timers still running, and the engine states an officer's next action (or undo) restores.
      for (const timer of template.timers) {
        if (timer.createdVersion > done || (timer.closedVersion !== null && timer.closedVersion <= done)) continue;
        writers.job.row(line([jobId(timer.jobIndex), instanceId, 'timer', timer.elementId, null, iso(times[timer.createdVersion - 1]! + timer.afterMs), 'pending', 0, null, iso(times[timer.createdVersion - 1]!), null]));
        rows.job++;
      }
      for (let v = Math.max(1, done - 1); v <= done; v++) {
        const command = template.commands[v - 1]!;
        writers.instance_version.row(
          line([
            instanceId,
            v,
            command.kind,
            fill(command.actor),
            command.taskIndex === null ? null : taskIds[command.taskIndex],
            command.undoable,
            command.dossierStatus,
            command.engineVersion,
            command.state,
            fill(command.variables),
            iso(times[v - 1]!),
          ]),
        );
        rows.instance_version++;
      }
    }

    rows.dossier++;
    rows.process_instance++;
    // Nothing submitted later can happen before this dossier's submission: earlier days are complete.
    historyBuckets.flushBefore(submittedAt);
    taskBuckets.flushBefore(submittedAt);
    if (i % 256 === 0) await Promise.all(Object.values(writers).map((w) => w.drained()));
    if (i % 100_000 === 99_999) options.log(`  ${i + 1} dossiers, ${rows.history_event} events written (${((performance.now() - loadStarted) / 1000).toFixed(0)} s)`);
  }
  historyBuckets.flushAll();
  taskBuckets.flushAll();
  for (const [key, last] of sequences) {
    const [agencyId, day] = key.split('\t');
    writers.dossier_code_sequence.row(line([agencyId, day, last]));
    rows.dossier_code_sequence++;
  }
  for (const table of Object.keys(writers) as Table[]) {
    const stored = await writers[table].end();
    if (stored !== rows[table]) throw new Error(`${table}: ${stored} rows stored, ${rows[table]} written`);
  }
  await Promise.all(clients.map((c) => c.end()));
  const indexStarted = performance.now();
  await sql`set maintenance_work_mem = '512MB'`.execute(db);
  for (const index of secondary) await sql.raw(index.definition).execute(db);
  options.log(`  ${secondary.length} secondary indexes rebuilt in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);
  return { rows, historyLevels: levelCounts, statuses, openTasks, seconds: { plan: planSeconds, load: (performance.now() - loadStarted) / 1000 } };
}

/** Indexes of `tables` that back no constraint (primary and unique keys stay: they also check the data). */
async function secondaryIndexes(db: Db, tables: string[]) {
  const rows = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = 'public' and i.tablename = any(${tables}::text[])
      and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.indexname))::regclass)`.execute(db);
  return rows.rows;
}

/**
 * The rows COPY wrote bypassed the foreign keys and the triggers: check the references now, and (after migration
 * 0007) that the columns its triggers keep agree with the dossiers, instances and status events.
 */
export async function checkReferences(db: Db): Promise<Record<string, number>> {
  const orphans = await sql<Record<string, number>>`select
    (select count(*) from dossier d where not exists (select 1 from process_instance i where i.id = d.instance_id))::int as dossier_instance,
    (select count(*) from dossier d where not exists (select 1 from app_user u where u.id = d.applicant_id))::int as dossier_applicant,
    (select count(*) from task t where not exists (select 1 from process_instance i where i.id = t.instance_id))::int as task_instance,
    (select count(*) from history_event h where not exists (select 1 from process_instance i where i.id = h.instance_id))::int as history_instance,
    (select count(*) from dossier_file_digitisation g where not exists (select 1 from dossier_file f where f.id = g.file_id and f.dossier_id = g.dossier_id))::int as digitisation_file,
    (select count(*) from process_instance i where i.last_event_seq <> (select count(*) from history_event h where h.instance_id = i.id) and i.id in (select id from process_instance tablesample system (1)))::int as sampled_seq_mismatch`.execute(db);
  const result = orphans.rows[0]!;
  if (await hasColumn(db, 'task', 'agency_id')) {
    const scope = await sql<Record<string, number>>`select
      (select count(*) from task t join dossier d on d.instance_id = t.instance_id
        where t.state = 'open' and (t.agency_id is distinct from d.agency_id or t.dossier_due_at is distinct from d.due_at))::int as open_task_scope,
      (select count(*) from dossier d join process_instance i on i.id = d.instance_id where d.national_status is distinct from i.dossier_status)::int as national_status,
      (select count(*) from dossier d tablesample system (1) cross join lateral (
          select max(h.at) as changed, min(h.at) filter (where (h.data->>'to')::int in (9, 10)) as resolved,
            min(h.at) filter (where (h.data->>'to')::int = 7) as withdrawn, min(h.at) filter (where (h.data->>'to')::int = 3) as rejected
          from history_event h where h.instance_id = d.instance_id and h.type = 'status.changed') s
        where (d.status_changed_at, d.resolved_at, d.withdrawn_at, d.rejected_at) is distinct from (s.changed, s.resolved, s.withdrawn, s.rejected))::int as sampled_status_times`.execute(db);
    Object.assign(result, scope.rows[0]);
  }
  return result;
}
