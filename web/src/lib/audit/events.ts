import { formatDateTime } from '../format.js';
import type { Lang, MessageKey } from '../i18n/messages.js';
import { translate } from '../i18n/translate.js';
import { actionLabel, statusLabel } from '../labels.js';
import type { HistoryEvent } from './types.js';
import { postalText } from '../postal.js';

/** The event types the engine and the server record (engine/runtime, engine/process-core.ts, engine/jobs). */
const EVENT_TYPES = new Set([
  'instance.started',
  'instance.completed',
  'element.entered',
  'element.left',
  'flow.taken',
  'task.created',
  'task.completed',
  'task.cancelled',
  'task.reopened',
  'task.claimed',
  'task.reassigned',
  'task.overdue',
  'status.changed',
  'command.undone',
  'message.correlated',
  'message.sent',
  'timer.scheduled',
  'timer.fired',
  'escalation.raised',
  'conversation.posted',
  'file.digitised',
  'file.digitisation-revoked',
  'file.reclassified',
  'interagency.sent',
  'interagency.retried',
  'postal.state',
]);

/** An event type in words; a type this build does not know yet still shows, by its code. */
export function eventTypeLabel(type: string, lang: Lang): string {
  return EVENT_TYPES.has(type) ? translate(lang, `audit.event.${type}` as MessageKey) : translate(lang, 'audit.event.other', { type });
}

/** Who acted: the engine's own actors (`system:scheduler`) as "the system", the reader as "you", anyone else by name (by user id if the account is gone). */
export function actorLabel(event: Pick<HistoryEvent, 'actorId' | 'actorName'>, lang: Lang, reader?: { id: string } | null): string {
  const { actorId, actorName } = event;
  if (!actorId || actorId.startsWith('system:')) return translate(lang, 'audit.actor.system');
  const name = actorName ?? actorId;
  return reader && actorId === reader.id ? translate(lang, 'audit.actor.self', { name }) : name;
}

export interface Fact {
  term: string;
  value: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
const status = (value: unknown, lang: Lang) => (typeof value === 'number' ? statusLabel(value, lang) : '—');

/** The element an event is about, by name (`nameOf`); a sequence flow by the steps it joins. */
export function eventElement(event: HistoryEvent, lang: Lang, nameOf: (elementId: string) => string): string | null {
  if (!event.elementId) return null;
  const [from, to] = [text(event.data.sourceId), text(event.data.targetId)];
  return event.type === 'flow.taken' && from && to ? translate(lang, 'audit.step.flow', { from: nameOf(from), to: nameOf(to) }) : nameOf(event.elementId);
}

/**
 * What an event says beyond its type, element and actor, as term/value pairs: the action and the officer's
 * note of a completed task, a status change, the reason of an undo or a reassignment, when something falls due.
 */
export function eventFacts(event: HistoryEvent, lang: Lang): Fact[] {
  const facts: Fact[] = [];
  const add = (term: MessageKey, value: string | null) => {
    if (value) facts.push({ term: translate(lang, term), value });
  };
  const data = event.data;
  const dueAt = text(data.dueAt);
  switch (event.type) {
    case 'instance.started':
      add('audit.fact.process', `${text(data.key) ?? ''} v${String(data.version ?? '')}`);
      break;
    case 'task.completed': {
      const code = text(data.action);
      if (code) add('audit.fact.action', `${actionLabel(code, text(data.actionName) ?? undefined, lang)} (${code})`);
      add('audit.fact.note', text(data.note));
      break;
    }
    case 'task.created':
      add('audit.fact.task', text(data.name));
      add('audit.fact.group', Array.isArray(data.candidateGroups) ? data.candidateGroups.join(', ') : null);
      add('audit.fact.assignee', text(data.assignee) ?? translate(lang, 'audit.fact.nobody'));
      break;
    case 'task.claimed':
    case 'task.reassigned':
      add('audit.fact.handover', `${text(data.from) ?? translate(lang, 'audit.fact.nobody')} → ${text(data.to) ?? translate(lang, 'audit.fact.nobody')}`);
      add('audit.fact.reason', text(data.reason));
      break;
    case 'status.changed':
      add('audit.fact.statusChange', `${status(data.from, lang)} → ${status(data.to, lang)}`);
      break;
    case 'instance.completed':
      add('audit.fact.statusChange', status(data.dossierStatus, lang));
      break;
    case 'command.undone':
      add('audit.fact.undoneVersion', typeof data.undoneVersion === 'number' ? String(data.undoneVersion) : null);
      add('audit.fact.reason', text(data.reason));
      break;
    case 'message.correlated':
      add('audit.fact.message', text(data.message));
      break;
    case 'message.sent':
      add('audit.fact.message', text(data.topic));
      break;
    case 'interagency.sent':
    case 'interagency.retried':
      add('audit.fact.requestId', text(data.requestId));
      add('audit.fact.attempts', typeof data.attempts === 'number' ? String(data.attempts) : null);
      break;
    case 'postal.state':
      add('audit.fact.postal', postalText(data, lang));
      break;
    case 'conversation.posted':
      add('audit.fact.side', data.side === 'citizen' || data.side === 'staff' ? translate(lang, data.side === 'citizen' ? 'conversation.fromApplicant' : 'conversation.fromStaff') : null);
      add('audit.fact.attachments', Array.isArray(data.attachments) && data.attachments.length ? String(data.attachments.length) : null);
      break;
    case 'file.digitised':
    case 'file.digitisation-revoked':
      add('audit.fact.file', text(data.fileName) && `${text(data.fileName)} (${text(data.componentCode) ?? ''})`);
      add('audit.fact.digitisationKind', data.kind === 'scanned-copy' || data.kind === 'electronic-original' ? translate(lang, `digitisation.kind.${data.kind}`) : null);
      add('audit.fact.reason', text(data.reason));
      break;
    case 'file.reclassified':
      add('audit.fact.file', text(data.fileName));
      add('audit.fact.componentChange', `${text(data.from) ?? ''} → ${text(data.to) ?? ''}`);
      break;
    case 'element.left': {
      const outcome = text(data.outcome);
      if (outcome === 'completed' || outcome === 'cancelled' || outcome === 'discarded') add('audit.fact.outcome', translate(lang, `audit.outcome.${outcome}`));
      break;
    }
  }
  // Timers, deadlines and new tasks carry when they fall due.
  if (dueAt) add('audit.fact.dueAt', formatDateTime(dueAt));
  return facts;
}
