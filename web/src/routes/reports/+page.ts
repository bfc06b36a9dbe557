import { withQuery } from '$lib/api/client.js';
import { REPORT_ROLES, requireRole } from '$lib/audit/guard.js';
import { periodFromQuery, todayInVietnam } from '$lib/audit/period.js';
import type { AgencySummaryReport } from '$lib/audit/types.js';
import { agencies } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/**
 * The period and agency live in the URL, so a report can be bookmarked and shared. A refused query (a period
 * ending before it starts, an agency out of reach) stays on this page, its problem next to the form.
 */
export async function load({ url }) {
  await requireRole(url, REPORT_ROLES);
  const today = todayInVietnam();
  const period = periodFromQuery(url.searchParams.get('from'), url.searchParams.get('to'), today);
  const agency = url.searchParams.get('agency') ?? '';
  const [agencyList, outcome] = await Promise.all([
    loaded(agencies()),
    api.get<AgencySummaryReport>(withQuery('/api/reports/agency-summary', { ...period, agency })).then(
      (report) => ({ report, failure: null }),
      (failure: unknown) => ({ report: null, failure }),
    ),
  ]);
  return { today, period, agency, agencies: agencyList, ...outcome };
}
