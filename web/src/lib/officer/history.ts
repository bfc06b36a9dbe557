import type { HistoryEvent, TimelineEntry } from '../api/types.js';
import type { Lang } from '../i18n/messages.js';
import { translate } from '../i18n/translate.js';
import { actionName } from './actions.js';
import { postalText } from '../postal.js';
import { digitisationEntry } from '../digitisation/digitisation.js';

/** A history event as the shared Timeline shows it, with who did it and, for officer-only events, its own title. */
export type HistoryEntry = TimelineEntry & { title?: string; actor?: string };

export interface HistoryContext {
  lang: Lang;
  applicantName: string;
  channel: 'online' | 'counter' | 'post';
  /** A colleague's name by user id (locked accounts and other agencies' staff are unknown). */
  nameOf: (userId: string) => string | undefined;
}

const WITHDRAW_MESSAGE = 'dossier.withdraw';
/** The partner agency's result of an inter-agency dossier (liên thông), as server/inter-agency correlates it. */
const PARTNER_RESULT_MESSAGE = 'interagency.result';
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/**
 * The officer's view of a dossier's history: submission, every action with its note (officers read internal
 * notes too), claims, reassignments, undos, messages from the applicant, conversation messages (Trao đổi với công
 * dân), overdue steps and status changes. Engine
 * bookkeeping (tasks created, elements left, timers) is left out.
 */
export function historyEntries(events: HistoryEvent[], context: HistoryContext): HistoryEntry[] {
  const { lang } = context;
  const tr = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(lang, key, params);
  // Tasks of the applicant (a supplement), so that completing one is shown as the applicant's doing.
  const applicantTasks = new Set(
    events.filter((e) => e.type === 'task.created' && (e.data.candidateGroups as string[] | undefined)?.includes('citizen')).map((e) => e.data.taskId as string),
  );
  const stepNames = new Map(events.filter((e) => e.type === 'task.created').map((e) => [e.data.taskId as string, text(e.data.name)]));
  const personOf = (id: string | null | undefined) => (id ? (context.nameOf(id) ?? tr('officer.history.unknownActor')) : tr('officer.history.group'));

  function actorOf(event: HistoryEvent, byApplicant: boolean): string {
    if (event.actorId?.startsWith('system:')) return tr('officer.history.system');
    const known = event.actorName ?? (event.actorId ? context.nameOf(event.actorId) : undefined);
    return known ?? (byApplicant ? context.applicantName : tr('officer.history.unknownActor'));
  }

  const entries: HistoryEntry[] = [];
  for (const event of events) {
    const base = { at: event.at };
    switch (event.type) {
      case 'instance.started':
        entries.push({
          ...base,
          kind: 'submitted',
          title: context.channel === 'counter' ? tr('officer.history.counterStarted') : undefined,
          actor: actorOf(event, context.channel !== 'counter'),
        });
        break;
      case 'status.changed':
        entries.push({ ...base, kind: 'status', status: event.data.to as number });
        break;
      case 'task.completed': {
        const code = event.data.action as string;
        const byApplicant = applicantTasks.has(event.data.taskId as string);
        entries.push({
          ...base,
          kind: 'action',
          action: code,
          step: event.elementId,
          title: actionName({ code, name: (event.data.actionName as string | undefined) ?? code, assignTo: null }, lang),
          actor: actorOf(event, byApplicant),
          note: text(event.data.note),
        });
        break;
      }
      case 'task.claimed':
        entries.push({ ...base, kind: 'action', title: tr('officer.history.claimed', { step: stepNames.get(event.data.taskId as string) ?? '' }), actor: actorOf(event, false) });
        break;
      case 'task.reassigned':
        entries.push({
          ...base,
          kind: 'action',
          title: tr('officer.history.reassigned', { from: personOf(event.data.from as string | null), to: personOf(event.data.to as string | null) }),
          actor: actorOf(event, false),
          note: text(event.data.reason),
        });
        break;
      case 'command.undone':
        entries.push({ ...base, kind: 'action', title: tr('officer.history.undone'), actor: actorOf(event, false), note: text(event.data.reason) });
        break;
      case 'message.correlated': {
        const payload = (event.data.payload ?? {}) as Record<string, unknown>;
        if (event.data.message === PARTNER_RESULT_MESSAGE) {
          const result = (payload.partnerResult ?? {}) as Record<string, unknown>;
          const decision = tr(result.decision === 'refused' ? 'interagency.decision.refused' : 'interagency.decision.approved');
          entries.push({ ...base, kind: 'action', title: tr('officer.history.interagencyResult', { decision }), actor: actorOf(event, false), note: text(result.note) });
          break;
        }
        const withdraw = event.data.message === WITHDRAW_MESSAGE;
        entries.push({
          ...base,
          kind: 'action',
          title: withdraw ? tr('officer.history.withdrawRequested') : tr('officer.history.message', { message: String(event.data.message) }),
          actor: actorOf(event, withdraw),
          note: withdraw ? text(payload.withdrawReason) : undefined,
        });
        break;
      }
      case 'conversation.posted': {
        // The text stays in the conversation; the history says who wrote and what came with it.
        const files = Array.isArray(event.data.attachments) ? event.data.attachments.length : 0;
        const byApplicant = event.data.side === 'citizen';
        entries.push({
          ...base,
          kind: 'action',
          title: tr(byApplicant ? 'officer.history.conversationCitizen' : 'officer.history.conversationStaff'),
          actor: actorOf(event, byApplicant),
          note: files ? tr('officer.history.attachments', { count: files }) : undefined,
        });
        break;
      }
      case 'interagency.sent':
        entries.push({ ...base, kind: 'action', title: tr('officer.history.interagencySent'), actor: actorOf(event, false) });
        break;
      case 'interagency.retried':
        entries.push({ ...base, kind: 'action', title: tr('officer.history.interagencyRetried'), actor: actorOf(event, false) });
        break;
      case 'postal.state':
        entries.push({ ...base, kind: 'action', title: postalText(event.data, lang), actor: actorOf(event, false) });
        break;
      case 'task.overdue':
        entries.push({ ...base, kind: 'status', title: tr('officer.history.overdue', { step: stepNames.get(event.data.taskId as string) ?? '' }) });
        break;
      case 'file.digitised':
      case 'file.digitisation-revoked':
      case 'file.reclassified':
        entries.push({ ...base, kind: 'action', ...digitisationEntry(event, lang), actor: actorOf(event, false) });
        break;
    }
  }
  return entries;
}
