import { sql } from 'kysely';
import { createDb, type Db } from '../../../engine/db/database.js';
import { migrateToLatest } from '../../../engine/db/migrate.js';
import { act, correlate, runDueJobs, start, type Actor } from '../../../engine/process-core.js';
import { canonicalJson } from '../../../engine/history/hash.js';
import { deployBundledProcesses } from '../../../server/processes.js';

/**
 * Templates of what the real engine writes for one path through a diagram: every command's history events,
 * the tasks, pending jobs and stored engine state after it. They are recorded by running the path once through
 * the process core on an in-memory PGlite, with placeholders (`@@NAME@@`) where a dossier's own values go, so
 * that generated dossiers carry exactly the events, data shapes, task rows and states the engine produces.
 */

export type StaffRole = 'one-stop-officer' | 'dept-leader' | 'handler' | 'agency-leader' | 'clerk';

/** Whose wait precedes a step: the timeline generator gives each kind its own duration. */
export type WaitKind = 'reception' | 'office' | 'handling' | 'leader' | 'citizen' | 'pickup' | 'partner' | 'withdrawal';

export type PathStep =
  | { kind: 'act'; elementId: string; actionCode: string; role: StaffRole | 'citizen'; note: string; assigns?: boolean; wait: WaitKind }
  | { kind: 'correlate'; message: string; actor: 'citizen' | 'partner'; payload: Record<string, unknown>; wait: WaitKind };

export interface PathDefinition {
  name: string;
  processKey: 'standard-one-stop' | 'inter-agency';
  steps: PathStep[];
}

const receive = (actionCode: '1100' | '4200'): PathStep => ({
  kind: 'act',
  elementId: 'receive',
  actionCode,
  role: 'one-stop-officer',
  note: actionCode === '1100' ? '@@RECEPTIONNOTE@@' : 'Hồ sơ không thuộc thẩm quyền giải quyết; đề nghị nộp tại cơ quan có thẩm quyền',
  wait: 'reception',
});
const office = (elementId: string, actionCode: string, role: StaffRole, note: string, wait: WaitKind = 'office'): PathStep => ({ kind: 'act', elementId, actionCode, role, note, wait });
const transfer = office('transfer', '2000', 'one-stop-officer', 'Chuyển phòng chuyên môn thụ lý');
const assign: PathStep = { kind: 'act', elementId: 'assign', actionCode: '2101', role: 'dept-leader', note: 'Giao chuyên viên thụ lý', assigns: true, wait: 'office' };
const handle = (actionCode: string, note: string): PathStep => ({ kind: 'act', elementId: 'handle', actionCode, role: 'handler', note, wait: 'handling' });
const toLeader = handle('2600', 'Hồ sơ đủ điều kiện, trình lãnh đạo phòng');
const signing = [
  office('leaderReview', '3100', 'dept-leader', 'Đồng ý, trình lãnh đạo cơ quan ký', 'leader'),
  office('sign', '3200', 'agency-leader', 'Đã ký số kết quả', 'leader'),
  office('issue', '3300', 'clerk', 'Đã đóng dấu, vào sổ, phát hành'),
  office('returnResult', '4000', 'one-stop-officer', 'Đã trả kết quả cho công dân', 'pickup'),
];

/** The standard flow's main paths and the inter-agency one, as a province's dossiers take them. */
export const PATHS: Record<string, PathDefinition> = {
  happy: { name: 'happy', processKey: 'standard-one-stop', steps: [receive('1100'), transfer, assign, toLeader, ...signing] },
  supplement: {
    name: 'supplement',
    processKey: 'standard-one-stop',
    steps: [
      receive('1100'),
      transfer,
      assign,
      handle('2300', 'Thiếu bản sao có chứng thực giấy tờ pháp lý, đề nghị bổ sung'),
      office('reviewSupplement', '5200', 'dept-leader', 'Đề nghị công dân bổ sung bản sao có chứng thực giấy chứng nhận đăng ký', 'leader'),
      { kind: 'act', elementId: 'supplement', actionCode: '1101', role: 'citizen', note: 'Đã bổ sung giấy tờ theo yêu cầu', wait: 'citizen' },
      toLeader,
      ...signing,
    ],
  },
  fee: {
    name: 'fee',
    processKey: 'standard-one-stop',
    steps: [
      receive('1100'),
      transfer,
      assign,
      handle('5300', 'Đề nghị công dân nộp phí thẩm định'),
      office('payFee', '1300', 'one-stop-officer', 'Công dân đã nộp phí, lệ phí', 'citizen'),
      toLeader,
      ...signing,
    ],
  },
  rehandle: {
    name: 'rehandle',
    processKey: 'standard-one-stop',
    steps: [
      receive('1100'),
      transfer,
      assign,
      toLeader,
      office('leaderReview', '7400', 'dept-leader', 'Dự thảo kết quả chưa đúng mẫu, đề nghị thụ lý lại', 'leader'),
      toLeader,
      ...signing,
    ],
  },
  rejected: { name: 'rejected', processKey: 'standard-one-stop', steps: [receive('4200')] },
  refused: {
    name: 'refused',
    processKey: 'standard-one-stop',
    steps: [
      receive('1100'),
      transfer,
      assign,
      handle('2400', 'Không đủ điều kiện theo quy định, đề nghị từ chối giải quyết'),
      office('reviewRefusal', '4400', 'dept-leader', 'Đồng ý từ chối giải quyết, có văn bản trả lời công dân', 'leader'),
    ],
  },
  withdrawn: {
    name: 'withdrawn',
    processKey: 'standard-one-stop',
    steps: [
      receive('1100'),
      transfer,
      assign,
      { kind: 'correlate', message: 'dossier.withdraw', actor: 'citizen', payload: { withdrawReason: 'Tôi muốn rút hồ sơ để bổ sung thông tin và nộp lại sau' }, wait: 'withdrawal' },
      office('reviewWithdrawal', '4110', 'one-stop-officer', 'Đồng ý cho công dân rút hồ sơ'),
    ],
  },
  interAgency: {
    name: 'interAgency',
    processKey: 'inter-agency',
    steps: [
      receive('1100'),
      { kind: 'correlate', message: 'interagency.result', actor: 'partner', payload: { partnerResult: 'Đã đăng ký thường trú, cấp thẻ bảo hiểm y tế' }, wait: 'partner' },
      office('returnResult', '4000', 'one-stop-officer', 'Đã trả kết quả liên thông cho công dân', 'pickup'),
    ],
  },
  interAgencyRejected: { name: 'interAgencyRejected', processKey: 'inter-agency', steps: [receive('4200')] },
};

/** The user task whose boundary timer (standard flow: `handlingSla`, P3D) fires while it waits too long. */
export const SLA_TASK = 'handle';
export const PARTNER_ACTOR = 'system:partner';
export const SCHEDULER_ACTOR = 'system:scheduler';

export interface TemplateTask {
  executionId: string;
  elementId: string;
  name: string | null;
  candidateGroups: string[];
  /** A placeholder (`@@ASSIGNEE@@`, `@@APPLICANT@@`) or null. */
  assignee: string | null;
  stepCode: string | null;
  formKey: string | null;
  createdVersion: number;
  /** Working hours from creation to its deadline, from the deployed model. */
  deadlineHours: number | null;
  closed: { version: number; state: 'completed' | 'cancelled'; actionCode: string | null; by: string | null } | null;
}

export interface TemplateCommand {
  version: number;
  kind: 'start' | 'act' | 'correlate' | 'timer';
  /** Index in the path's steps (-1: the start, null: a timer firing). */
  step: number | null;
  actor: string;
  /** The events this command wrote, data as canonical JSON with placeholders. */
  events: { type: string; elementId: string | null; data: string }[];
  dossierStatus: number | null;
  completed: boolean;
  /** The stored engine state and variables of this version (placeholders in place of the dossier's values). */
  state: string;
  variables: string;
  engineVersion: string;
  undoable: boolean;
  /** The task this command completed (template task index). */
  taskIndex: number | null;
}

/** A BPMN timer's job: created and closed (fired or cancelled) by commands of the template. */
export interface TemplateTimer {
  elementId: string;
  /** The timer's duration (ISO 8601 in the diagram; timers run on calendar time). */
  afterMs: number;
  createdVersion: number;
  closedVersion: number | null;
  fired: boolean;
  jobIndex: number;
}

export interface Template {
  path: PathDefinition;
  /** Which occurrences of the SLA task (in path order) had their timer fire. */
  slaMask: number;
  commands: TemplateCommand[];
  tasks: TemplateTask[];
  timers: TemplateTimer[];
}

/** Placeholders: the dossier's own values are put in their place when a dossier is generated. */
export const TOKEN = /@@([A-Z]+)(?::([0-9A-Za-z-]+))?@@/g;

/** Records templates on demand (one engine run per path and SLA mask), on one in-memory PGlite. */
export class TemplateRecorder {
  private db: Db | undefined;
  private readonly cache = new Map<string, Template>();

  async get(pathName: string, slaMask: number): Promise<Template> {
    const key = `${pathName}/${slaMask}`;
    let template = this.cache.get(key);
    if (!template) {
      template = await this.record(PATHS[pathName]!, slaMask);
      this.cache.set(key, template);
    }
    return template;
  }

  async close() {
    await this.db?.destroy();
  }

  private async database(): Promise<Db> {
    if (!this.db) {
      this.db = createDb({ pgliteDataDir: 'memory://' });
      await migrateToLatest(this.db);
      await deployBundledProcesses(this.db);
    }
    return this.db;
  }

  private async record(path: PathDefinition, slaMask: number): Promise<Template> {
    const db = await this.database();
    const definition = await db.selectFrom('process_definition').select(['id', 'model']).where('key', '=', path.processKey).orderBy('version', 'desc').executeTakeFirstOrThrow();
    const model = definition.model as { tasks: Record<string, { deadlineHours: number | null }> };
    const applicant: Actor = { id: '@@APPLICANT@@', groups: ['citizen'] };
    // The template's clock: one minute per command, and a timer fires just after its due time.
    let clock = Date.parse('2025-03-03T01:00:00Z');
    const tick = () => new Date((clock += 60_000));
    const started = await start(db, {
      processKey: path.processKey,
      actor: { id: '@@STARTER@@', groups: ['citizen'] },
      businessKey: '@@DOSSIER@@',
      now: tick(),
      variables: { applicant: applicant.id, dossierId: '@@DOSSIER@@', dossierCode: '@@CODE@@', procedureCode: '@@PROCEDURE@@', agencyCode: '@@AGENCY@@' },
    });
    const instanceId = started.instanceId;
    const taskIds: string[] = [];
    const jobIds: string[] = [];
    const commands: TemplateCommand[] = [];
    const steps: (number | null)[] = [-1];
    let slaOccurrence = 0;

    const tasksNow = () => db.selectFrom('task').selectAll().where('instance_id', '=', instanceId).orderBy('created_at').orderBy('id').execute();
    const openTask = async (elementId: string) => (await tasksNow()).find((t) => t.state === 'open' && t.element_id === elementId);

    for (const [index, step] of path.steps.entries()) {
      const before = new Set((await tasksNow()).filter((t) => t.state === 'open').map((t) => t.id));
      if (step.kind === 'act') {
        const task = await openTask(step.elementId);
        if (!task) throw new Error(`template ${path.name}: no open ${step.elementId} before step ${index}`);
        const actor: Actor =
          step.role === 'citizen' ? applicant : { id: step.elementId === SLA_TASK ? '@@ASSIGNEE@@' : `@@ROLE:${step.role}@@`, groups: [step.role] };
        await act(db, { instanceId, taskId: task.id, actionCode: step.actionCode, note: step.note, input: step.assigns ? { assignee: '@@ASSIGNEE@@' } : {}, actor, now: tick() });
      } else {
        const actor: Actor = step.actor === 'citizen' ? applicant : { id: PARTNER_ACTOR, groups: [] };
        await correlate(db, { instanceId, messageName: step.message, payload: step.payload, actor, now: tick() });
      }
      steps.push(index);
      // A new SLA task whose occurrence is in the mask: its timer fires before the next step.
      const created = (await tasksNow()).filter((t) => t.state === 'open' && !before.has(t.id) && t.element_id === SLA_TASK);
      for (let n = 0; n < created.length; n++) {
        if (slaMask & (1 << slaOccurrence++)) {
          const job = await db.selectFrom('job').select(['due_at']).where('instance_id', '=', instanceId).where('kind', '=', 'timer').where('state', '=', 'pending').executeTakeFirstOrThrow();
          clock = job.due_at.getTime() + 1000;
          // Deadline jobs fired on the way only append task.overdue events, which the generator writes itself.
          await runDueJobs(db, { now: new Date(clock) });
          steps.push(null);
        }
      }
    }

    // Every committed version, in order, with the events it wrote.
    const versions = await db.selectFrom('instance_version').selectAll().where('instance_id', '=', instanceId).orderBy('version').execute();
    const events = await db.selectFrom('history_event').selectAll().where('instance_id', '=', instanceId).orderBy('seq').execute();
    const jobs = await db.selectFrom('job').selectAll().where('instance_id', '=', instanceId).orderBy('created_at').orderBy('id').execute();
    const allTasks = await tasksNow();
    if (steps.length !== versions.length) throw new Error(`template ${path.name}: ${versions.length} versions for ${steps.length} commands`);
    for (const t of allTasks) taskIds.push(t.id);
    for (const j of jobs) jobIds.push(j.id);
    // Rows take the database's clock; the events carry the command's, so versions are read from the events.
    const versionOfTask = (type: string, taskId: string) => events.find((e) => e.type === type && (e.data as { taskId?: string }).taskId === taskId)?.version ?? null;

    const tokenize = (text: string) => {
      let out = text.replaceAll(instanceId, '@@INSTANCE@@').replaceAll(definition.id, '@@DEFINITION@@');
      taskIds.forEach((id, i) => (out = out.replaceAll(id, `@@TASK:${i}@@`)));
      jobIds.forEach((id, i) => (out = out.replaceAll(id, `@@JOB:${i}@@`)));
      return out;
    };

    const tasks: TemplateTask[] = allTasks.map((t) => {
      const completedIn = versionOfTask('task.completed', t.id);
      const cancelledIn = versionOfTask('task.cancelled', t.id);
      const closedVersion = completedIn ?? cancelledIn;
      return {
        executionId: t.execution_id,
        elementId: t.element_id,
        name: t.name,
        candidateGroups: t.candidate_groups,
        assignee: t.assignee,
        stepCode: t.step_code,
        formKey: t.form_key,
        createdVersion: versionOfTask('task.created', t.id)!,
        deadlineHours: model.tasks[t.element_id]?.deadlineHours ?? null,
        closed:
          closedVersion === null
            ? null
            : { version: closedVersion, state: completedIn !== null ? 'completed' : 'cancelled', actionCode: t.action_code, by: t.closed_by },
      };
    });

    // A timer's job lives from the entry of its timer element to its leaving (fired or discarded), in order.
    const timers: TemplateTimer[] = [];
    for (const elementId of new Set(jobs.filter((j) => j.kind === 'timer').map((j) => j.element_id))) {
      const entered = events.filter((e) => e.type === 'element.entered' && e.element_id === elementId);
      const left = events.filter((e) => e.type === 'element.left' && e.element_id === elementId);
      jobs
        .filter((j) => j.kind === 'timer' && j.element_id === elementId)
        .forEach((job, i) =>
          timers.push({
            elementId,
            afterMs: Math.round((job.due_at.getTime() - job.created_at.getTime()) / 1000) * 1000,
            createdVersion: entered[i]?.version ?? 0,
            closedVersion: left[i]?.version ?? null,
            fired: job.state === 'done',
            jobIndex: jobIds.indexOf(job.id),
          }),
        );
    }
    if (timers.some((t) => !t.createdVersion)) throw new Error(`template ${path.name}: a timer job outside any command`);

    for (const [i, v] of versions.entries()) {
      const own = events.filter((e) => e.version === v.version && e.type !== 'task.overdue');
      const completedTask = v.task_id ? taskIds.indexOf(v.task_id) : -1;
      commands.push({
        version: v.version,
        kind: v.command as TemplateCommand['kind'],
        step: steps[i]!,
        actor: v.actor_id,
        events: own.map((e) => ({ type: e.type, elementId: e.element_id, data: tokenize(canonicalJson(templateDates(e.type, e.data as Record<string, unknown>, taskIds, jobIds))) })),
        dossierStatus: v.dossier_status,
        completed: i === versions.length - 1 && (await instanceCompleted(db, instanceId)),
        state: tokenize(JSON.stringify(v.state)),
        variables: tokenize(canonicalJson(v.variables)),
        engineVersion: v.engine_version,
        undoable: v.undoable,
        taskIndex: completedTask >= 0 ? completedTask : null,
      });
    }
    return { path, slaMask, commands, tasks, timers };
  }
}

async function instanceCompleted(db: Db, id: string) {
  const row = await sql<{ state: string }>`select state from process_instance where id = ${id}`.execute(db);
  return row.rows[0]?.state === 'completed';
}

/** Dates inside event data that depend on the dossier's own timeline become placeholders. */
function templateDates(type: string, data: Record<string, unknown>, taskIds: string[], jobIds: string[]) {
  if (type === 'task.created' && typeof data.dueAt === 'string') return { ...data, dueAt: `@@DUE:${taskIds.indexOf(data.taskId as string)}@@` };
  if (type === 'timer.fired' && typeof data.dueAt === 'string') return { ...data, dueAt: `@@JOBDUE:${jobIds.indexOf(data.jobId as string)}@@` };
  return data;
}
