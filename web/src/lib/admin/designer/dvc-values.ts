import roleCatalogue from '../../../../../schemas/roles.json' with { type: 'json' };
import actionCatalogue from '../../../../../schemas/action-codes.json' with { type: 'json' };
import statusCatalogue from '../../../../../schemas/dossier-statuses.json' with { type: 'json' };
import { splitGroups } from '../../../../../engine/bpmn/moddle.js';
import { parseDeadline } from '../../../../../engine/calendar/working-time.js';
import { isFeel } from '../../../../../engine/expressions/feel.js';
import type { Lang } from '../../i18n/messages.js';

/**
 * The "Một cửa (DVC)" properties of the designer as values: what the `dvc:` attributes hold in the XML and what
 * the panel's controls show. The checks reuse the engine's own parsers, so the panel and the deploy-time lint
 * agree on what is valid.
 */

export interface Option {
  value: string;
  label: string;
}

const TASK_GROUPS: readonly string[] = roleCatalogue.taskGroups;
const roleNames = new Map(roleCatalogue.roles.map((r) => [r.code, r]));

/** The groups a task names: `dvc:candidateGroups="handler, dept-leader"` → ['handler', 'dept-leader']. */
export const groupsOf = (attribute: string | undefined): string[] => splitGroups(attribute);

/**
 * The attribute for a chosen set of groups, in the catalogue's order (unknown ones, typed into the XML by hand,
 * are kept at the end for the lint to report); no groups removes the attribute.
 */
export function groupsAttribute(groups: string[]): string | undefined {
  const unique = [...new Set(groups)];
  const rank = (g: string) => (TASK_GROUPS.includes(g) ? TASK_GROUPS.indexOf(g) : TASK_GROUPS.length);
  const sorted = unique.sort((a, b) => rank(a) - rank(b));
  return sorted.length ? sorted.join(',') : undefined;
}

export const groupOptions = (lang: Lang): Option[] => TASK_GROUPS.map((code) => ({ value: code, label: roleNames.get(code)?.[lang] ?? code }));

const actions = new Map(actionCatalogue.actions.map((a) => [a.code, a]));

export const actionOptions = (lang: Lang): Option[] => actionCatalogue.actions.map((a) => ({ value: a.code, label: `${a.code} — ${a[lang]}` }));

/**
 * The flow's attributes after choosing action `code`: the action name follows the code (the catalogue's
 * Vietnamese name, which is what officers see on the button) unless the admin wrote a name of their own.
 */
export function actionUpdate(code: string, current: { actionCode?: string; actionName?: string }): { actionCode: string | undefined; actionName: string | undefined } {
  const previousDefault = current.actionCode ? actions.get(current.actionCode)?.vi : undefined;
  const ownName = current.actionName && current.actionName !== previousDefault ? current.actionName : undefined;
  return { actionCode: code || undefined, actionName: ownName ?? (code ? actions.get(code)?.vi : undefined) };
}

export const statusOptions = (lang: Lang): Option[] => statusCatalogue.statuses.map((s) => ({ value: String(s.code), label: `${s.code} — ${s[lang]}` }));

/** The select's text as the integer attribute; the empty choice removes it. */
export const statusValue = (text: string): number | undefined => (text ? Number(text) : undefined);

/** What is wrong with a typed step deadline (`4h`, `2d`), or null; empty is fine (no deadline). */
export function deadlineProblem(text: string | undefined): 'deadline' | null {
  return !text || parseDeadline(text) !== null ? null : 'deadline';
}

/** What is wrong with a typed FEEL expression (it must start with `=`), or null; empty is fine. */
export function feelProblem(text: string | undefined): 'feel' | null {
  return !text || isFeel(text) ? null : 'feel';
}

/** A text control's value as an attribute: blank removes it (kept as typed otherwise: the field is live). */
export const textAttribute = (text: string | undefined): string | undefined => (text?.trim() ? text : undefined);
