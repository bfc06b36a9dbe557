import type { FeeConfig, FeeRule } from '../catalogue/catalogue.table.js';
import type { ProcessModel } from '../../engine/bpmn/model.js';
import type { ProblemField } from '../problems.js';
import type { Db } from '../../engine/db/database.js';
import { compiledDefinition, latestDefinition } from '../../engine/definitions/definition.service.js';
import { NotFound } from '../../engine/errors.js';
import type { FeeLine } from './payment.table.js';

/** Action codes of the fee step (schemas/action-codes.json): request the fee, confirm it is paid. */
export const FEE_REQUEST_ACTION = '5300';
export const FEE_CONFIRM_ACTION = '1300';
/** National status "Yêu cầu thực hiện nghĩa vụ tài chính": the dossier waits for the fee. */
export const FEE_STATUS = 6;

// `editable` as the admin editor states it: bit 1 = the officer may change the amount, bit 2 = the system
// charges it (0: neither — free, or paid outside the system).
export const mayChangeAmount = (fee: FeeConfig) => (fee.editable & 1) === 1;
export const chargesFee = (fee: FeeConfig) => (fee.editable & 2) === 2;

/** Whether any amount can come out of the configuration: a base amount, a rule, or the officer's own. */
export const hasAmountSource = (fee: FeeConfig) =>
  fee.feeAmount > 0 || fee.serviceAmount > 0 || fee.shipAmount > 0 || (fee.rules ?? []).length > 0 || mayChangeAmount(fee);

/**
 * What the applicant owes under the configuration, line by line, for this dossier's eForm; shipping (`shipAmount`)
 * when the result goes by post (the applicant chose it, or the dossier itself came by post).
 */
export function computeFee(fee: FeeConfig, form: Record<string, unknown>, byPost: boolean): { lines: FeeLine[]; total: number } {
  const lines: FeeLine[] = [];
  const base: [FeeLine['item'], number][] = [
    ['fee', fee.feeAmount],
    ['service', fee.serviceAmount],
    ['ship', byPost ? fee.shipAmount : 0],
  ];
  for (const [item, amount] of base) if (amount > 0) lines.push({ item, label: null, quantity: null, amount });
  for (const rule of fee.rules ?? []) {
    const line = ruleLine(rule, form);
    if (line) lines.push(line);
  }
  return { lines, total: lines.reduce((sum, l) => sum + l.amount, 0) };
}

function ruleLine(rule: FeeRule, form: Record<string, unknown>): FeeLine | null {
  if (rule.when && form[rule.when.field] !== rule.when.equals) return null;
  let quantity: number | null = null;
  let amount = rule.amount;
  if (rule.perField) {
    const value = form[rule.perField];
    quantity = typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
    amount = rule.amount * quantity;
  }
  if (rule.max != null) amount = Math.min(amount, rule.max);
  return amount > 0 ? { item: rule.item, label: rule.label, quantity, amount } : null;
}

/** Elements of a process that ask for the fee: a task setting status 6, or a flow carrying the request action. */
export function feeSteps(model: ProcessModel): { requests: string[]; waits: string[] } {
  const tasks = Object.values(model.tasks);
  return {
    requests: tasks.flatMap((t) => t.actions.filter((a) => a.code === FEE_REQUEST_ACTION).map((a) => a.flowId)),
    waits: tasks.filter((t) => t.dossierStatus === FEE_STATUS).map((t) => t.id),
  };
}

/**
 * Problems of a procedure's fee configuration against its eForm and its process (domain.md, problem 5): a
 * process that asks for the fee while the configuration charges it with no way to know how much; a charged fee
 * the process never asks for; rules naming fields the eForm does not have.
 */
export function feeConfigProblems(fee: FeeConfig, eformSchema: Record<string, unknown>, model: ProcessModel | null): ProblemField[] {
  const problems: ProblemField[] = [];
  const properties = (eformSchema.properties ?? {}) as Record<string, { type?: unknown }>;
  (fee.rules ?? []).forEach((rule, i) => {
    const path = `/body/fee/rules/${i}`;
    if (rule.perField) {
      const type = properties[rule.perField]?.type;
      if (type !== 'integer' && type !== 'number') {
        problems.push({
          path: `${path}/perField`,
          message: { vi: `Tờ khai không có trường số "${rule.perField}" để tính phí theo đơn vị`, en: `The eForm has no numeric field "${rule.perField}" to count units` },
        });
      }
    }
    if (rule.when && !(rule.when.field in properties)) {
      problems.push({
        path: `${path}/when/field`,
        message: { vi: `Tờ khai không có trường "${rule.when.field}"`, en: `The eForm has no field "${rule.when.field}"` },
      });
    }
  });
  if (!model) return problems;
  const steps = feeSteps(model);
  const asks = steps.requests.length > 0 || steps.waits.length > 0;
  if (asks && chargesFee(fee) && !hasAmountSource(fee)) {
    problems.push({
      path: '/body/fee',
      message: {
        vi: 'Quy trình có bước yêu cầu nộp phí, lệ phí nhưng thủ tục chưa cấu hình số tiền: nhập mức phí, lệ phí hoặc quy tắc tính phí, cho phép cán bộ nhập số tiền, hoặc chọn "không thu"',
        en: 'The process asks for the fee but the procedure configures no amount: enter an amount or a rule, let the officer set it, or choose "not charged"',
      },
    });
  }
  if (!asks && chargesFee(fee) && hasAmountSource(fee)) {
    problems.push({
      path: '/body/processKey',
      message: {
        vi: 'Thủ tục có thu phí nhưng quy trình không có bước yêu cầu nộp phí (thao tác 5300)',
        en: 'The procedure charges a fee but its process has no fee request step (action 5300)',
      },
    });
  }
  return problems;
}

/** `feeConfigProblems` against the latest deployed version of `processKey` (none deployed: the eForm checks only). */
export async function feeProblems(db: Db, fee: FeeConfig, eformSchema: Record<string, unknown>, processKey: string): Promise<ProblemField[]> {
  let model: ProcessModel | null = null;
  try {
    model = (await compiledDefinition(db, (await latestDefinition(db, processKey)).id)).model;
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
  }
  return feeConfigProblems(fee, eformSchema, model);
}
