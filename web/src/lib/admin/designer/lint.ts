/// <reference path="./vendor.d.ts" />
import { lintConfig, lintResolver } from '../../../../../engine/lint/linter.js';
import { splitBilingual } from '../../../../../engine/lint/messages.js';
import type { Lang } from '../../i18n/messages.js';

/**
 * The designer lints with the deploy-time configuration itself (engine/lint/linter.ts): one set of rules, so
 * what the diagram shows while drawing is exactly what a deploy would refuse.
 */
export const designerLintConfig = { config: lintConfig, resolver: lintResolver };

export interface LintReport {
  id?: string;
  message: string;
  category: string;
}

/** bpmnlint's results with each message in `lang`: the rules report "vi / en" in one string (engine/lint/messages.ts). */
export function localizeReports<R extends LintReport>(results: Record<string, R[]>, lang: Lang): Record<string, R[]> {
  return Object.fromEntries(Object.entries(results).map(([rule, reports]) => [rule, reports.map((r) => ({ ...r, message: splitBilingual(rule, r.message)[lang] }))]));
}
