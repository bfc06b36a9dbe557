import type { Actor } from '../../engine/process-core.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import type { SessionUser } from './account.service.js';

/** A staff member's grants at one agency: the task groups they hold there. */
export interface AgencyGrant {
  agencyId: string;
  roles: string[];
}

/** The task groups a staff member holds, per agency (admins and auditors hold none: they never act). */
export function grantsOf(user: SessionUser): AgencyGrant[] {
  const byAgency = new Map<string, string[]>();
  for (const grant of user.roles) {
    if (!grant.agencyId || !staffTaskGroups.includes(grant.role)) continue;
    byAgency.set(grant.agencyId, [...(byAgency.get(grant.agencyId) ?? []), grant.role]);
  }
  return [...byAgency].map(([agencyId, roles]) => ({ agencyId, roles }));
}

/** The user acting at one agency, with the groups they hold there. */
export function actorAt(user: SessionUser, agencyId: string): Actor {
  return { id: user.id, groups: grantsOf(user).find((g) => g.agencyId === agencyId)?.roles ?? [] };
}

export const isAuditor = (user: SessionUser) => user.roles.some((r) => r.role === 'auditor');
