import { error, redirect } from '@sveltejs/kit';
import { t } from '../i18n/index.svelte.js';
import { loginHref } from '../nav.js';
import { session } from '../session.svelte.js';

/** Who reads the audit pages, and who the agency statistics (server/reports/report.routes.ts). */
export const AUDIT_ROLES = ['auditor'] as const;
export const REPORT_ROLES = ['auditor', 'admin', 'agency-leader', 'dept-leader'] as const;

/** Log in first and come back; an account without `roles` sees a plain refusal (the API refuses it anyway). */
export async function requireRole(url: URL, roles: readonly string[]): Promise<void> {
  await session.ready();
  if (!session.user) redirect(307, loginHref(url.pathname + url.search));
  if (!session.user.roles.some((grant) => roles.includes(grant.role))) error(403, t('audit.forbidden'));
}
