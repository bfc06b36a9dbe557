import statusCatalogue from '../../../schemas/dossier-statuses.json' with { type: 'json' };
import actionCatalogue from '../../../schemas/action-codes.json' with { type: 'json' };
import roleCatalogue from '../../../schemas/roles.json' with { type: 'json' };
import type { Lang } from './i18n/messages.js';

/** Names from the shared catalogues in schemas/, so the UI and the API never disagree on them. */
const statuses = new Map(statusCatalogue.statuses.map((s) => [s.code, s]));
const actions = new Map(actionCatalogue.actions.map((a) => [a.code, a]));

/** National status 1–10 by name: "Đang xử lý". */
export const statusLabel = (code: number, lang: Lang): string => statuses.get(code)?.[lang] ?? String(code);

/** Report group of a status (in-progress, resolved, supplement…), for its colour. */
export const statusGroup = (code: number): string => statuses.get(code)?.group ?? 'unknown';

/** An action by code; the diagram's own name when the catalogue lacks it. */
export const actionLabel = (code: string, fallback: string | undefined, lang: Lang): string => actions.get(code)?.[lang] ?? fallback ?? code;

/** Roles that work in an agency's one-stop shop. */
export const STAFF_ROLES: readonly string[] = roleCatalogue.roles.filter((r) => r.staff).map((r) => r.code);
