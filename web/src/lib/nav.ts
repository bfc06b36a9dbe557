import type { SessionUser } from './api/client.js';
import type { MessageKey } from './i18n/messages.js';
import { STAFF_ROLES } from './labels.js';

/** Who a navigation entry is for. */
export type Audience = 'everyone' | 'citizen' | 'staff' | 'admin' | 'auditor';

export interface NavItem {
  href: string;
  label: MessageKey;
  /** One audience, or several (an entry shown once to whoever belongs to any of them). */
  audience: Audience | readonly Audience[];
}

/**
 * The header's navigation. Extension point for the staff, admin and auditor pages: their entries are listed
 * here already and appear as soon as a page exists at their `href` (see `routesOf`); change an `href` here if
 * the page lands elsewhere.
 */
export const NAV_ITEMS: NavItem[] = [
  { href: '/procedures', label: 'nav.procedures', audience: 'everyone' },
  { href: '/lookup', label: 'nav.lookup', audience: 'everyone' },
  { href: '/questions', label: 'nav.questions', audience: 'everyone' },
  { href: '/dossiers', label: 'nav.myDossiers', audience: 'citizen' },
  { href: '/tasks', label: 'nav.tasks', audience: 'staff' },
  { href: '/staff/questions', label: 'nav.answerQuestions', audience: ['staff', 'admin'] },
  { href: '/admin', label: 'nav.admin', audience: 'admin' },
  { href: '/audit', label: 'nav.audit', audience: 'auditor' },
  { href: '/reports', label: 'audit.navReports', audience: 'auditor' },
];

export function audiencesOf(user: SessionUser | null): Set<Audience> {
  const audiences = new Set<Audience>(['everyone']);
  for (const { role } of user?.roles ?? []) {
    if (role === 'citizen' || role === 'admin' || role === 'auditor') audiences.add(role);
    if (STAFF_ROLES.includes(role)) audiences.add('staff');
  }
  return audiences;
}

/**
 * The URL paths that have a page, from the route files (`/src/routes/dossiers/+page.svelte` → `/dossiers`);
 * route groups `(name)` take no part in the URL.
 */
export function routesOf(pageFiles: string[]): Set<string> {
  return new Set(
    pageFiles.map((file) => {
      const path = file.replace(/^.*\/routes/, '').replace(/\/\+page\.svelte$/, '').replace(/\/\([^/]+\)/g, '');
      return path || '/';
    }),
  );
}

export function visibleNav(items: NavItem[], user: SessionUser | null, routes: Set<string>): NavItem[] {
  const audiences = audiencesOf(user);
  return items.filter((item) => [item.audience].flat().some((audience) => audiences.has(audience)) && routes.has(item.href));
}

/** A return URL from a query string, only if it stays on this site (no `//host` or `https:` tricks) and is no login page. */
export function safeReturnTo(value: string | null): string {
  const onSite = value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\');
  return onSite && !isLoginPath(value) ? value : '/';
}

const isLoginPath = (path: string) => /^\/login(?:[/?#]|$)/.test(path);

/** The login page, coming back to `returnTo` afterwards (from the login page itself: home). */
export const loginHref = (returnTo: string): string => `/login?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`;
