import { withQuery } from '../api/client.js';
import type { Lang } from '../i18n/messages.js';
import { translate } from '../i18n/translate.js';
import type { SessionUser } from '../api/client.js';
import { holdsRole, LEADER_ROLES } from './actions.js';
import type { Inbox, InboxView } from './types.js';

/** The inbox's tabs in display order; `group` (every task the user may act on) is the API's default. */
export const INBOX_VIEWS: readonly InboxView[] = ['mine', 'group', 'unread', 'due-soon', 'overdue', 'agency'];

/** The tabs a user sees: the whole-agency tab is for leaders, who hand on work held by others. */
export const inboxViewsFor = (user: SessionUser | null): InboxView[] => INBOX_VIEWS.filter((v) => v !== 'agency' || holdsRole(user, LEADER_ROLES));
export const DEFAULT_VIEW: InboxView = 'group';
export const INBOX_PAGE_SIZE = 20;

export interface InboxQuery {
  view: InboxView;
  q: string;
  page: number;
}

/** The inbox state lives in the URL (bookmarkable, back/forward); anything unknown falls back to the default. */
export function inboxQuery(params: URLSearchParams): InboxQuery {
  const view = params.get('view');
  return {
    view: INBOX_VIEWS.includes(view as InboxView) ? (view as InboxView) : DEFAULT_VIEW,
    q: params.get('q')?.trim() ?? '',
    page: Math.max(1, Math.floor(Number(params.get('page'))) || 1),
  };
}

/** The inbox page's URL for `query`; defaults are left out. */
export const inboxHref = (query: InboxQuery): string =>
  withQuery('/tasks', { view: query.view === DEFAULT_VIEW ? undefined : query.view, q: query.q, page: query.page > 1 ? query.page : undefined });

/** The API call behind the page. */
export const inboxApiPath = (query: InboxQuery): string => withQuery('/api/tasks', { view: query.view, q: query.q, page: query.page, pageSize: INBOX_PAGE_SIZE });

/** The count shown on a tab. */
export function countOf(counts: Inbox['counts'], view: InboxView): number {
  return view === 'due-soon' ? counts.dueSoon : counts[view];
}

/** The API's "due soon": not yet due, due within the next 24 hours. */
export const DUE_SOON_MS = 24 * 3_600_000;
export function isDueSoon(dueAt: string | null, now: Date): boolean {
  const left = dueAt ? new Date(dueAt).getTime() - now.getTime() : -1;
  return left >= 0 && left < DUE_SOON_MS;
}


/** Who holds a task, from the viewer's side. */
export type Holder = { kind: 'none' } | { kind: 'me' } | { kind: 'other'; name: string | undefined };

export function holderOf(assignee: string | null, userId: string | undefined, nameOf: (id: string) => string | undefined): Holder {
  if (!assignee) return { kind: 'none' };
  if (assignee === userId) return { kind: 'me' };
  return { kind: 'other', name: nameOf(assignee) };
}

export function describeHolder(holder: Holder, lang: Lang): string {
  if (holder.kind === 'none') return translate(lang, 'officer.holder.none');
  if (holder.kind === 'me') return translate(lang, 'officer.holder.me');
  return translate(lang, 'officer.holder.other', { name: holder.name ?? translate(lang, 'officer.history.unknownActor') });
}
