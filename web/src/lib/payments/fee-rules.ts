import type { FeeRule } from '../api/types.js';
import type { MessageKey } from '../i18n/messages.js';
import { money } from '../admin/procedure-form.js';

/**
 * The fee rules of the procedure editor: each rule's controls as typed, the API's rules built from them (with the
 * problems found before sending), and where the API's `/body/fee/rules/<i>/<field>` paths land.
 */
export interface FeeRuleRow {
  rowId: number;
  /** fee | service | ship (a string, as a select binds it). */
  item: string;
  label: string;
  amount: string;
  /** Numeric eForm field counting units; '' for a fixed amount. */
  perField: string;
  /** eForm field the rule depends on; '' for always. */
  whenField: string;
  whenEquals: string;
  max: string;
}

export type FeeRuleField = 'item' | 'label' | 'amount' | 'perField' | 'whenField' | 'whenEquals' | 'max';

let lastRowId = 0;

export function feeRuleRow(rule: Partial<FeeRule> = {}): FeeRuleRow {
  return {
    rowId: ++lastRowId,
    item: rule.item ?? 'fee',
    label: rule.label ?? '',
    amount: rule.amount === undefined ? '' : String(rule.amount),
    perField: rule.perField ?? '',
    whenField: rule.when?.field ?? '',
    whenEquals: rule.when === undefined || rule.when === null ? '' : String(rule.when.equals),
    max: rule.max === undefined || rule.max === null ? '' : String(rule.max),
  };
}

/** The eForm's fields as the rule pickers offer them, with their JSON Schema type. */
export function eformFields(schema: Record<string, unknown> | null): { name: string; title: string; type: string }[] {
  const properties = (schema?.properties ?? {}) as Record<string, { title?: unknown; type?: unknown }>;
  return Object.entries(properties).map(([name, p]) => ({ name, title: typeof p.title === 'string' ? p.title : name, type: typeof p.type === 'string' ? p.type : 'string' }));
}

export const ruleControlId = (row: number, field: FeeRuleField) => `fee-rule-${row}-${field}`;

const RULE_LABELS: Record<FeeRuleField, MessageKey> = {
  item: 'feeRule.item',
  label: 'feeRule.label',
  amount: 'feeRule.amount',
  perField: 'feeRule.perField',
  whenField: 'feeRule.whenField',
  whenEquals: 'feeRule.whenEquals',
  max: 'feeRule.max',
};

/** Where an error summary's link for a rule's path goes, and how it names the control. */
export function ruleTargetOf(path: string, t: (key: MessageKey, params?: Record<string, string | number>) => string) {
  const control = ruleControlOf(path);
  return control && { id: ruleControlId(control.row, control.field), label: `${t('feeRule.legend', { n: control.row + 1 })} — ${t(RULE_LABELS[control.field])}` };
}

/** `/body/fee/rules/1/when/field` → row 1's condition field; undefined for any other path. */
export function ruleControlOf(path: string): { row: number; field: FeeRuleField } | undefined {
  const match = /^\/body\/fee\/rules\/(\d+)(?:\/(\w+))?(?:\/(\w+))?/.exec(path);
  if (!match) return undefined;
  const [, row, first, second] = match;
  const field: FeeRuleField = first === 'when' ? (second === 'equals' ? 'whenEquals' : 'whenField') : first && ['item', 'label', 'amount', 'perField', 'max'].includes(first) ? (first as FeeRuleField) : 'label';
  return { row: Number(row), field };
}

/** The value a condition compares with, typed as the eForm field is. */
function conditionValue(text: string, type: string | undefined): string | number | boolean | null {
  const trimmed = text.trim();
  if (type === 'integer' || type === 'number') return trimmed !== '' && Number.isFinite(Number(trimmed.replace(',', '.'))) ? Number(trimmed.replace(',', '.')) : null;
  if (type === 'boolean') return trimmed === 'true' ? true : trimmed === 'false' ? false : null;
  return trimmed || null;
}

/** The API's rules, or the problems (as body paths with a UI message) that keep them from being sent. */
export function feeRulesInput(rows: FeeRuleRow[], schema: Record<string, unknown> | null): { rules: FeeRule[]; problems: { path: string; message: MessageKey }[] } {
  const problems: { path: string; message: MessageKey }[] = [];
  const types = new Map(eformFields(schema).map((f) => [f.name, f.type]));
  const rules = rows.map((row, i) => {
    const path = `/body/fee/rules/${i}`;
    const amount = money(row.amount);
    if (amount === null) problems.push({ path: `${path}/amount`, message: 'admin.procedure.invalidMoney' });
    const max = row.max.trim() ? money(row.max) : null;
    if (row.max.trim() && max === null) problems.push({ path: `${path}/max`, message: 'admin.procedure.invalidMoney' });
    if (row.label.trim().length < 2) problems.push({ path: `${path}/label`, message: 'feeRule.labelRequired' });
    let when: FeeRule['when'] = null;
    if (row.whenField) {
      const equals = conditionValue(row.whenEquals, types.get(row.whenField));
      if (equals === null) problems.push({ path: `${path}/when/equals`, message: 'feeRule.conditionInvalid' });
      else when = { field: row.whenField, equals };
    }
    return { item: row.item as FeeRule['item'], label: row.label.trim(), amount: amount ?? 0, perField: row.perField || null, when, max };
  });
  return { rules, problems };
}
