import type { ModdleElement } from 'bpmn-moddle';
import { is } from 'bpmnlint-utils';
import { actionCodes, actionFlowsOf, splitGroups, taskGroups } from '../bpmn/moddle.js';
import { feelSyntaxProblem, isFeel } from '../expressions/feel.js';
import { parseDeadline } from '../calendar/working-time.js';
import { joinBilingual, type Bilingual } from './messages.js';

/**
 * The project's bpmnlint rules (plugin `dvc`). They run at deploy, where any report refuses the diagram, and in
 * the designer through bpmn-js-bpmnlint, so an admin sees the same problems while drawing.
 */
interface Reporter {
  report(id: string, message: string): void;
}
type Check = (node: ModdleElement, reporter: Reporter) => void;

function rule(check: Check) {
  return () => ({ check });
}

function report(reporter: Reporter, node: ModdleElement, message: Bilingual) {
  reporter.report(node.id ?? '', joinBilingual(message));
}

// One executable process per diagram: a dossier is one instance of one process.
const executableProcess = rule((node, reporter) => {
  if (!is(node, 'bpmn:Definitions')) return;
  const processes = ((node.rootElements ?? []) as ModdleElement[]).filter((e) => is(e, 'bpmn:Process'));
  const executable = processes.filter((p) => p.isExecutable === true);
  if (executable.length === 1) return;
  for (const process of executable.length ? executable.slice(1) : processes.slice(0, 1)) {
    report(reporter, process, executable.length
      ? { vi: 'Sơ đồ chỉ được có một quy trình thực thi được', en: 'A diagram may hold only one executable process' }
      : {
          vi: `Quy trình "${process.name ?? process.id}" chưa được đánh dấu là thực thi được (isExecutable)`,
          en: `Process "${process.name ?? process.id}" is not executable (isExecutable="true" is missing)`,
        });
  }
});

const userTaskGroups = rule((node, reporter) => {
  if (!is(node, 'bpmn:UserTask')) return;
  const groups = splitGroups(node.candidateGroups);
  if (!groups.length) {
    report(reporter, node, {
      vi: `Bước "${node.name ?? node.id}" chưa có nhóm xử lý (candidateGroups)`,
      en: `User task "${node.name ?? node.id}" has no candidateGroups`,
    });
  }
  for (const group of groups.filter((g) => !taskGroups.has(g))) {
    report(reporter, node, {
      vi: `Nhóm xử lý không tồn tại: "${group}"`,
      en: `Unknown candidate group "${group}" (allowed: ${[...taskGroups].join(', ')})`,
    });
  }
});

// Scripts would run inside the server: bpmn-engine's node:vm is not a sandbox.
const noScript = rule((node, reporter) => {
  if (is(node, 'bpmn:ScriptTask')) {
    report(reporter, node, {
      vi: 'Không được dùng nhiệm vụ kịch bản (script task): mã sẽ chạy trong máy chủ',
      en: 'Script tasks are not allowed: their code would run inside the server',
    });
  }
  const expression = (node.conditionExpression ?? node.condition) as ModdleElement | undefined;
  if (expression?.language && expression.language.toLowerCase() !== 'feel') {
    report(reporter, node, {
      vi: `Điều kiện viết bằng "${expression.language}" không được phép; hãy dùng FEEL (=...)`,
      en: `Condition language "${expression.language}" is not allowed; write FEEL (=...)`,
    });
  }
});

// Only what the engine layer can drive: anything else would fail, or wait for ever with nobody able to act.
const UNSUPPORTED = [
  'bpmn:ServiceTask', // no service implementations
  'bpmn:BusinessRuleTask',
  'bpmn:CallActivity',
  'bpmn:ManualTask', // would wait with no task to act on
  'bpmn:ComplexGateway',
  'bpmn:SignalEventDefinition', // no signal API
  'bpmn:ConditionalEventDefinition', // conditions there are not checked as FEEL
  'bpmn:MultiInstanceLoopCharacteristics',
  'bpmn:StandardLoopCharacteristics',
];
const supportedElements = rule((node, reporter) => {
  for (const type of UNSUPPORTED) {
    if (is(node, type)) {
      report(reporter, !is(node, 'bpmn:FlowElement') && node.$parent ? node.$parent : node, {
        vi: `Loại phần tử ${type.slice(5)} chưa được hỗ trợ`,
        en: `${type.slice(5)} is not supported by the engine`,
      });
    }
  }
  const waitsForMessage = is(node, 'bpmn:ReceiveTask') || is(node, 'bpmn:MessageEventDefinition');
  if (waitsForMessage && !node.messageRef && !is(node.$parent, 'bpmn:ThrowEvent')) {
    report(reporter, is(node, 'bpmn:ReceiveTask') || !node.$parent ? node : node.$parent, {
      vi: 'Phần tử chờ thông điệp phải chỉ rõ thông điệp (messageRef)',
      en: 'An element waiting for a message must name it (messageRef)',
    });
  }
});

const actionFlows = rule((node, reporter) => {
  if (is(node, 'bpmn:SequenceFlow') && node.actionCode !== undefined) {
    const code = String(node.actionCode);
    if (!actionCodes.has(code)) {
      report(reporter, node, { vi: `Mã thao tác không tồn tại: ${code}`, en: `Unknown action code ${code}` });
    }
    if (!node.actionName) {
      report(reporter, node, { vi: `Thao tác ${code} chưa có tên (actionName)`, en: `Action ${code} has no actionName` });
    }
    if (!leavesUserTask(node)) {
      report(reporter, node, {
        vi: `Thao tác ${code} phải đi ra từ một bước xử lý (trực tiếp hoặc qua cổng)`,
        en: `Action flow ${code} must leave a user task, directly or through gateways`,
      });
    }
  }
  if (is(node, 'bpmn:UserTask')) {
    const actions = actionFlowsOf(node);
    if (!actions.length) {
      report(reporter, node, {
        vi: `Bước "${node.name ?? node.id}" không có thao tác nào (actionCode trên luồng ra)`,
        en: `User task "${node.name ?? node.id}" offers no action (no outgoing flow with an actionCode)`,
      });
    }
    const codes = actions.map((f) => String(f.actionCode));
    for (const code of new Set(codes.filter((c, i) => codes.indexOf(c) !== i))) {
      report(reporter, node, {
        vi: `Bước "${node.name ?? node.id}" có hai thao tác cùng mã ${code}`,
        en: `User task "${node.name ?? node.id}" offers action ${code} twice`,
      });
    }
    if ((node.outgoing ?? []).length > 1 && (node.outgoing as ModdleElement[]).some((f) => !f.actionCode)) {
      report(reporter, node, {
        vi: 'Bước có nhiều luồng ra thì mỗi luồng phải có mã thao tác',
        en: 'When a user task has several outgoing flows, each must carry an actionCode',
      });
    }
  }
});

function leavesUserTask(flow: ModdleElement, seen = new Set<ModdleElement>()): boolean {
  const source = flow.sourceRef as ModdleElement | undefined;
  if (!source || seen.has(source)) return false;
  seen.add(source);
  if (is(source, 'bpmn:UserTask')) return true;
  if (!is(source, 'bpmn:Gateway')) return false;
  return ((source.incoming ?? []) as ModdleElement[]).some((f) => leavesUserTask(f, seen));
}

// An exclusive choice must be decidable: every branch has a condition, an action code or is the default.
const gatewayConditions = rule((node, reporter) => {
  if (!is(node, 'bpmn:ExclusiveGateway')) return;
  const outgoing = (node.outgoing ?? []) as ModdleElement[];
  if (outgoing.length < 2) return;
  for (const flow of outgoing) {
    if (!flow.conditionExpression && flow.actionCode === undefined && node.default !== flow) {
      report(reporter, flow, {
        vi: `Luồng ra từ cổng "${node.name ?? node.id}" thiếu điều kiện hoặc mã thao tác`,
        en: `Flow leaving gateway "${node.name ?? node.id}" has neither a condition, an actionCode nor is the default`,
      });
    }
  }
});

const feelExpressions = rule((node, reporter) => {
  const body = (node.conditionExpression as ModdleElement | undefined)?.body as string | undefined;
  if (node.conditionExpression) checkFeel(reporter, node, body, 'điều kiện', 'condition');
  if (is(node, 'bpmn:UserTask') && node.assignee) checkFeel(reporter, node, node.assignee, 'người được giao', 'assignee');
  if (is(node, 'bpmn:TimerEventDefinition')) {
    const value = (node.timeDuration ?? node.timeDate ?? node.timeCycle)?.body as string | undefined;
    if (isFeel(value)) checkFeel(reporter, node.$parent ?? node, value, 'hẹn giờ', 'timer');
    else if (!value || !ISO_8601.test(String(value).trim())) {
      report(reporter, node.$parent ?? node, {
        vi: `Hẹn giờ "${value ?? ''}" không phải thời lượng/thời điểm ISO 8601 hay biểu thức FEEL`,
        en: `Timer "${value ?? ''}" is neither an ISO 8601 duration/date/cycle nor a FEEL expression`,
      });
    }
  }
});

const ISO_8601 = /^(R\d*\/)?(P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)$/;

function checkFeel(reporter: Reporter, node: ModdleElement, text: string | undefined, vi: string, en: string) {
  if (!isFeel(text)) {
    report(reporter, node, {
      vi: `Biểu thức ${vi} phải viết bằng FEEL, bắt đầu bằng "=": ${text ?? ''}`,
      en: `The ${en} must be a FEEL expression starting with "=": ${text ?? ''}`,
    });
    return;
  }
  const problem = feelSyntaxProblem(text);
  if (problem) report(reporter, node, { vi: `Biểu thức ${vi} sai cú pháp: ${problem}`, en: `Invalid ${en} expression: ${problem}` });
}

// A year of working days; longer is a typo, and the working calendar is loaded two years ahead.
const MAX_DEADLINE_HOURS = 250 * 8;

const stepAttributes = rule((node, reporter) => {
  if (node.dossierStatus !== undefined && !(Number.isInteger(node.dossierStatus) && node.dossierStatus >= 1 && node.dossierStatus <= 10)) {
    report(reporter, node, {
      vi: `Trạng thái hồ sơ phải là số từ 1 đến 10, đang là ${node.dossierStatus}`,
      en: `dossierStatus must be a national status 1–10, got ${node.dossierStatus}`,
    });
  }
  const deadlineHours = is(node, 'bpmn:UserTask') && node.deadline !== undefined ? parseDeadline(node.deadline) : undefined;
  if (deadlineHours === null || (deadlineHours !== undefined && deadlineHours > MAX_DEADLINE_HOURS)) {
    report(reporter, node, {
      vi: `Thời hạn bước "${node.deadline}" không hợp lệ (ví dụ: 4h, 2d; tối đa 250d)`,
      en: `Step deadline "${node.deadline}" is invalid (e.g. 4h, 2d in working hours/days, at most 250d)`,
    });
  }
});

export const dvcRules: Record<string, () => { check: Check }> = {
  'executable-process': executableProcess,
  'user-task-groups': userTaskGroups,
  'no-script': noScript,
  'supported-elements': supportedElements,
  'action-flows': actionFlows,
  'gateway-conditions': gatewayConditions,
  'feel-expressions': feelExpressions,
  'step-attributes': stepAttributes,
};
