import type { ModdleElement } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import startEventRequired from 'bpmnlint/rules/start-event-required.js';
import endEventRequired from 'bpmnlint/rules/end-event-required.js';
import noDisconnected from 'bpmnlint/rules/no-disconnected.js';
import noBpmndi from 'bpmnlint/rules/no-bpmndi.js';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows.js';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event.js';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event.js';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway.js';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway.js';
import noInclusiveGateway from 'bpmnlint/rules/no-inclusive-gateway.js';
import { dvcRules } from './rules.js';
import { splitBilingual, type Bilingual } from './messages.js';

const builtInRules: Record<string, unknown> = {
  'start-event-required': startEventRequired,
  'end-event-required': endEventRequired,
  'no-disconnected': noDisconnected,
  'no-bpmndi': noBpmndi,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'single-blank-start-event': singleBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'event-based-gateway': eventBasedGateway,
  'no-inclusive-gateway': noInclusiveGateway,
};

/** The one lint configuration: deploy refuses every report, the designer shows the same ones. */
export const lintConfig = {
  rules: Object.fromEntries([
    ...Object.keys(builtInRules).map((name) => [name, 'error']),
    ...Object.keys(dvcRules).map((name) => [`dvc/${name}`, 'error']),
  ]),
};

export const lintResolver = {
  resolveRule(pkg: string, ruleName: string) {
    if (pkg === 'bpmnlint') return builtInRules[ruleName];
    if (pkg === 'bpmnlint-plugin-dvc') return dvcRules[ruleName];
    return undefined;
  },
  resolveConfig() {
    return undefined;
  },
};

export interface LintProblem {
  rule: string;
  elementId: string | null;
  message: Bilingual;
}

export async function lintDefinitions(definitions: ModdleElement): Promise<LintProblem[]> {
  const results = await new Linter({ config: lintConfig, resolver: lintResolver }).lint(definitions);
  return Object.entries(results).flatMap(([rule, reports]) =>
    reports.map((r) => ({ rule, elementId: r.id || null, message: splitBilingual(rule, r.message) })),
  );
}
