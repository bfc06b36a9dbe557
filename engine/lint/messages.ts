/** A lint message in both UI languages; reported to bpmnlint as one string so the designer can show it. */
export interface Bilingual {
  vi: string;
  en: string;
}

const SEPARATOR = ' / ';

export function joinBilingual({ vi, en }: Bilingual): string {
  return `${vi}${SEPARATOR}${en}`;
}

/** Vietnamese for bpmnlint's built-in rules, whose own messages are English only. */
const builtInVi: Record<string, string> = {
  'start-event-required': 'Quy trình thiếu sự kiện bắt đầu',
  'end-event-required': 'Quy trình thiếu sự kiện kết thúc',
  'no-disconnected': 'Phần tử không được nối với luồng nào',
  'no-bpmndi': 'Phần tử thiếu thông tin vẽ sơ đồ (BPMN DI)',
  'no-duplicate-sequence-flows': 'Có hai luồng trùng nhau',
  'sub-process-blank-start-event': 'Quy trình con phải bắt đầu bằng sự kiện bắt đầu trống',
  'single-blank-start-event': 'Chỉ được có một sự kiện bắt đầu trống',
  'superfluous-gateway': 'Cổng chỉ có một luồng vào và một luồng ra là thừa',
  'event-based-gateway': 'Cổng theo sự kiện phải dẫn tới các sự kiện chờ',
  'no-complex-gateway': 'Không hỗ trợ cổng phức hợp',
  'no-inclusive-gateway': 'Không hỗ trợ cổng bao hàm',
};

/** Splits a reported message back into its languages; built-in rules get a Vietnamese summary. */
export function splitBilingual(rule: string, message: string): Bilingual {
  const at = message.indexOf(SEPARATOR);
  if (rule.startsWith('dvc/') && at > 0) return { vi: message.slice(0, at), en: message.slice(at + SEPARATOR.length) };
  return { vi: builtInVi[rule] ?? message, en: message };
}
