import actionCatalogue from '../../../../schemas/action-codes.json' with { type: 'json' };
import type { SessionUser } from '../api/client.js';
import type { Lang } from '../i18n/messages.js';
import { actionLabel } from '../labels.js';
import type { Colleague, TaskAction } from './types.js';

/**
 * What an officer's action asks for before it is sent. The catalogue's `citizenNote` actions (refusals,
 * supplement and fee requests) carry a note addressed to the applicant, so it must be written; an action whose
 * flow names `assignTo` groups needs the next handler chosen among them.
 */
const citizenNoteActions = new Set(actionCatalogue.actions.filter((a) => 'citizenNote' in a && a.citizenNote).map((a) => a.code));

export const LEADER_ROLES: readonly string[] = ['dept-leader', 'agency-leader'];
export const COUNTER_ROLE = 'one-stop-officer';

/** The note goes to the applicant (the dossier's public timeline shows it), so it is required. */
export const noteForApplicant = (action: TaskAction): boolean => citizenNoteActions.has(action.code);

export const needsAssignee = (action: TaskAction): boolean => (action.assignTo?.length ?? 0) > 0;

/** A supplement request names the components the applicant must add or redo (the slip 02 lists them). */
export const asksForComponents = (action: TaskAction): boolean => action.code === SUPPLEMENT_REQUEST;
const SUPPLEMENT_REQUEST = '5200';

/**
 * A fee request (5300) may set the amount, with a reason, where the procedure lets the officer change it
 * (`fee.editable` bit 1): for what the configuration cannot compute.
 */
export const setsFeeAmount = (action: TaskAction, fee: { editable: number }): boolean => action.code === FEE_REQUEST && (fee.editable & 1) === 1;
const FEE_REQUEST = '5300';

export interface ActionForm {
  note: string;
  /** A user id; '' while none is chosen. */
  assignee: string;
  /** Component codes ticked, for a supplement request. */
  components: Record<string, boolean>;
  /** The officer's amount (đồng) and its reason, for a fee request; '' keeps the configuration's amount. */
  feeAmount: string;
  feeReason: string;
}

export const emptyActionForm = (): ActionForm => ({ note: '', assignee: '', components: {}, feeAmount: '', feeReason: '' });

export type ActionField = 'note' | 'assignee';

/** The fields still missing for `action`, in the form's order. */
export function missingActionFields(action: TaskAction, form: ActionForm): ActionField[] {
  const missing: ActionField[] = [];
  if (needsAssignee(action) && !form.assignee) missing.push('assignee');
  if (noteForApplicant(action) && !form.note.trim()) missing.push('note');
  return missing;
}

/**
 * The body of `POST /api/tasks/:id/actions`: an empty note is left out, the assignee only where one is asked, the
 * components asked for only on a supplement request, the officer's amount only on a fee request where one was
 * entered (the server checks it and its reason).
 */
export function actionBody(
  action: TaskAction,
  form: ActionForm,
): { actionCode: string; note?: string; assignee?: string; input?: { supplementComponents: string[] } | { fee: { amount: number; reason: string } } } {
  const note = form.note.trim();
  const components = Object.keys(form.components).filter((code) => form.components[code]);
  const amount = form.feeAmount.replace(/[.\s]/g, '');
  return {
    actionCode: action.code,
    ...(note ? { note } : {}),
    ...(needsAssignee(action) && form.assignee ? { assignee: form.assignee } : {}),
    ...(asksForComponents(action) && components.length ? { input: { supplementComponents: components } } : {}),
    ...(action.code === FEE_REQUEST && amount ? { input: { fee: { amount: Number(amount), reason: form.feeReason.trim() } } } : {}),
  };
}

/**
 * An action's button label: in Vietnamese the diagram's own name (it says where the dossier goes, "Bàn giao cho
 * phòng chuyên môn"); in English the catalogue's name, as the diagram is written in Vietnamese only.
 */
export const actionName = (action: TaskAction, lang: Lang): string => (lang === 'vi' ? action.name : actionLabel(action.code, action.name, lang));

/**
 * Whom an action may name as assignee (its `assignTo` groups), or a task be handed to (its candidate groups):
 * colleagues holding one of `groups` at the dossier's agency, from the page's list of all colleagues.
 */
export const colleaguesIn = (staff: Colleague[], groups: readonly string[], agencyCode: string): Colleague[] =>
  staff.filter((c) => c.roles.some((r) => groups.includes(r.role) && r.agencyCode === agencyCode));

export const holdsRole = (user: SessionUser | null, roles: readonly string[], agencyCode?: string): boolean =>
  !!user?.roles.some((r) => roles.includes(r.role) && (agencyCode === undefined || r.agencyCode === agencyCode));

/** Leaders of the dossier's agency may hand a task to another officer. */
export const canReassign = (user: SessionUser | null, agencyCode: string): boolean => holdsRole(user, LEADER_ROLES, agencyCode);

/** The agencies whose counter the user staffs, by code (where counter dossiers may be opened). */
export const counterAgencies = (user: SessionUser | null): string[] => [
  ...new Set((user?.roles ?? []).filter((r) => r.role === COUNTER_ROLE && r.agencyCode).map((r) => r.agencyCode!)),
];
