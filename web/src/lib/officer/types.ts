import type { DossierDetail, Named, Page } from '../api/types.js';

/** The officer endpoints' answers (server/tasks/task.routes.ts); dates arrive as ISO 8601 strings. */

/** The inbox tabs, as `GET /api/tasks?view=` names them. */
export type InboxView = 'mine' | 'group' | 'due-soon' | 'overdue';

export interface InboxItem {
  id: string;
  step: { elementId: string; name: string | null };
  /** The user holding the task; null while it waits in its group. */
  assignee: string | null;
  /** The step's own deadline. */
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  dossier: { id: string; code: string | null; dueAt: string | null; applicantName: string };
  procedure: Named;
  version: number;
}

export interface Inbox extends Page<InboxItem> {
  counts: { mine: number; group: number; overdue: number; dueSoon: number };
}

/** An outgoing flow of the task in the diagram; `assignTo`: the groups of whom one must be named as assignee. */
export interface TaskAction {
  code: string;
  name: string;
  assignTo: string[] | null;
}

export interface TaskView {
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  candidateGroups: string[];
  assignee: string | null;
  stepCode: string | null;
  formKey: string | null;
  state: string;
  createdAt: string;
  dueAt: string | null;
  overdue: boolean;
  actions: TaskAction[];
}

/** One event of the dossier's tamper-evident history. */
export interface HistoryEvent {
  seq: number;
  version: number;
  type: string;
  elementId: string | null;
  actorId: string | null;
  at: string;
  data: Record<string, unknown>;
  hash: string;
}

export interface TaskPage {
  /** Null once the task no longer waits (someone acted on it). */
  task: TaskView | null;
  dossier: DossierDetail & { applicantName: string };
  history: HistoryEvent[];
  /** The instance version: sent back as `If-Match` with an action. */
  version: number;
}

export interface Colleague {
  id: string;
  fullName: string;
  roles: { role: string; agencyCode: string }[];
}

export interface ActionOutcome {
  instanceId: string;
  version: number;
  dossierStatus: number | null;
  completed: boolean;
}

/** `GET /api/calendar?year=`: the holidays and compensatory working days of a year. */
export interface CalendarYear {
  year: number;
  workingHours: string[];
  days: { day: string; kind: 'holiday' | 'workday'; name: string }[];
}
