import roleCatalogue from '../../../../schemas/roles.json' with { type: 'json' };
import type { Lang } from '../i18n/messages.js';
import type { StaffRole } from './api.js';

/**
 * Roles an admin grants to staff accounts (schemas/roles.json): staff roles are held in an agency, admin and
 * auditor province-wide; the citizen role belongs to citizens' own accounts.
 */
export const GRANTABLE_ROLES = roleCatalogue.roles.filter((r) => r.code !== 'citizen');

const roles = new Map(roleCatalogue.roles.map((r) => [r.code, r]));

export const needsAgency = (role: string): boolean => roles.get(role)?.staff === true;

export const roleName = (role: string, lang: Lang): string => roles.get(role)?.[lang] ?? role;

/** A row of the roles editor: the agency is kept while the role changes, and dropped for province-wide roles. */
export interface RoleRow {
  rowId: number;
  role: string;
  agencyCode: string;
}

let lastRowId = 0;

export const roleRow = (role: Partial<StaffRole> = {}): RoleRow => ({ rowId: ++lastRowId, role: role.role ?? '', agencyCode: role.agencyCode ?? '' });

/** The API's roles for the rows, in their order (the API's error paths name rows by index). */
export const rolesOf = (rows: RoleRow[]): StaffRole[] => rows.map((r) => ({ role: r.role, agencyCode: needsAgency(r.role) ? r.agencyCode || null : null }));

/** The indices of rows granting what an earlier row already grants. */
export function repeatedRoles(rows: RoleRow[]): number[] {
  const key = ({ role, agencyCode }: StaffRole) => `${role}@${agencyCode ?? ''}`;
  const keys = rolesOf(rows).map(key);
  return keys.flatMap((k, i) => (keys.indexOf(k) < i ? [i] : []));
}
