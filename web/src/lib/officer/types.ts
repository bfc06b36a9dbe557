import type { DossierDetail, HistoryEvent, Named, Page } from '../api/types.js';
import type { Liaison } from '../inter-agency/types.js';

/** The officer endpoints' answers (server/tasks/task.routes.ts); dates arrive as ISO 8601 strings. */

/** The inbox tabs, as `GET /api/tasks?view=` names them. */
/** `agency`: every open task of the agencies the user leads (leaders only). */
/** `unread`: tasks whose dossier has messages from the applicant the user has not read. */
export type InboxView = 'mine' | 'group' | 'unread' | 'due-soon' | 'overdue' | 'agency';

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
  /** Messages from the applicant on the dossier that the user has not read (Trao đổi với công dân). */
  unreadMessages: number;
}

export interface Inbox extends Page<InboxItem> {
  counts: { mine: number; group: number; unread: number; overdue: number; dueSoon: number; agency: number };
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

export interface TaskPage {
  /** Null once the task no longer waits (someone acted on it). */
  task: TaskView | null;
  dossier: DossierDetail & { applicantName: string };
  history: HistoryEvent[];
  /** The instance version: sent back as `If-Match` with an action. */
  version: number;
  /** The dossier's sync with the national portal; null before anything was sent. */
  sync: SyncState | null;
  /** The dossier's requests to a partner agency (liên thông); null when it sent none. */
  liaison: Liaison | null;
}

/** `GET /api/dossiers/:id/sync`: the latest sync message to the national portal (server/deliveries). */
export interface SyncState {
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** The national status that message carries. */
  status: number;
  queuedAt: string;
  sentAt: string | null;
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
