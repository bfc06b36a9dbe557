import { AUDIT_ROLES, requireRole } from '$lib/audit/guard.js';

export const load = ({ url }) => requireRole(url, AUDIT_ROLES);
