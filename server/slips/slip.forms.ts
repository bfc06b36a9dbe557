import type { SlipBlock, SlipDocument } from './slip.pdf.js';

/**
 * The wording of the slips, after the forms annexed to Circular 01/2018/TT-VPCP (01 receipt and appointment, 02
 * supplement request, 03 refusal, 04 apology and new appointment, 05 process control). Vietnamese only: they are
 * administrative documents handed to the applicant and filed with the dossier.
 */
export const SLIP_TITLES = {
  receipt: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
  supplement: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
  refusal: 'Phiếu từ chối tiếp nhận, giải quyết hồ sơ',
  apology: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả',
  control: 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
} as const;

export interface HandOver {
  step: string;
  holder: string;
  receivedAt: Date;
  handedAt: Date | null;
  dueAt: Date | null;
  /** The action that passed it on (the diagram's name for it). */
  action: string | null;
  outcome: 'early' | 'on-time' | 'late' | 'overdue' | 'in-progress' | 'no-deadline' | 'undone' | 'cancelled';
}

interface Common {
  agency: string;
  code: string;
  procedure: { code: string; name: string };
  applicant: { name: string; phone: string | null; email: string | null; organization: string | null; address: string | null };
  receivedAt: Date;
  issuedAt: Date;
}

export type SlipData = Common &
  (
    | {
        kind: 'receipt';
        channel: 'online' | 'counter' | 'post';
        timeLimitDays: number;
        dueAt: Date;
        pin: string;
        lookupUrl: string;
        components: { code: string; name: string; files: number }[];
        receiver: string | null;
      }
    | { kind: 'supplement'; requestedAt: Date; reason: string; components: { code: string; name: string }[]; officer: string | null }
    | { kind: 'refusal'; stage: 'reception' | 'resolution'; refusedAt: Date; reason: string; officer: string | null }
    | { kind: 'apology'; reason: string; previousDueAt: Date; newDueAt: Date; officer: string | null }
    | { kind: 'control'; dueAt: Date | null; resolvedAt: Date | null; handOvers: HandOver[] }
  );

export const OFFICE = 'Bộ phận Tiếp nhận và Trả kết quả';
const SIGN = '(Ký và ghi rõ họ tên)';

// Vietnam keeps UTC+7 all year.
function local(at: Date) {
  const d = new Date(at.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return { day: two(d.getUTCDate()), month: two(d.getUTCMonth() + 1), year: d.getUTCFullYear(), hour: two(d.getUTCHours()), minute: two(d.getUTCMinutes()) };
}

/** ngày 21 tháng 08 năm 2024 */
export const dateWords = (at: Date) => {
  const l = local(at);
  return `ngày ${l.day} tháng ${l.month} năm ${l.year}`;
};

/** 14 giờ 05 phút, ngày 21/08/2024 — as the forms write times. */
export const moment = (at: Date) => {
  const l = local(at);
  return `${l.hour} giờ ${l.minute} phút, ngày ${l.day}/${l.month}/${l.year}`;
};

/** 21/08/2024 */
const dateOnly = (at: Date) => {
  const l = local(at);
  return `${l.day}/${l.month}/${l.year}`;
};

/** 14:05 21/08/2024 — in the control slip's narrow columns. */
const short = (at: Date) => {
  const l = local(at);
  return `${l.hour}:${l.minute} ${l.day}/${l.month}/${l.year}`;
};

const OUTCOMES: Record<HandOver['outcome'], string> = {
  early: 'Trước hạn',
  'on-time': 'Đúng hạn',
  late: 'Quá hạn',
  overdue: 'Quá hạn, đang xử lý',
  'in-progress': 'Đang xử lý',
  'no-deadline': 'Không quy định thời hạn',
  undone: 'Đã hoàn tác',
  cancelled: 'Dừng, không xử lý tiếp',
};

const CHANNELS = { online: 'Trực tuyến', counter: 'Trực tiếp tại Bộ phận Một cửa', post: 'Qua dịch vụ bưu chính' };

function applicantFields(data: Common): [string, string][] {
  const a = data.applicant;
  return [
    ['Ông/Bà', a.name],
    ...(a.organization ? ([['Tổ chức', a.organization]] as [string, string][]) : []),
    ...(a.address ? ([['Địa chỉ', a.address]] as [string, string][]) : []),
    ...(a.phone || a.email ? ([['Số điện thoại / Email', [a.phone, a.email].filter(Boolean).join(' — ')]] as [string, string][]) : []),
    ['Nội dung yêu cầu giải quyết', `${data.procedure.name} (mã thủ tục ${data.procedure.code})`],
  ];
}

function body(data: SlipData): { number: string; subtitle?: string; blocks: SlipBlock[] } {
  const agency = data.agency;
  switch (data.kind) {
    case 'receipt':
      return {
        number: `Mã hồ sơ: ${data.code}`,
        blocks: [
          { kind: 'paragraph', text: `${OFFICE} ${agency} đã tiếp nhận hồ sơ của:` },
          { kind: 'fields', rows: [...applicantFields(data), ['Hình thức nộp', CHANNELS[data.channel]]] },
          { kind: 'paragraph', text: '1. Thành phần hồ sơ nộp gồm:', bold: true },
          { kind: 'list', items: data.components.map((c) => `${c.name} (${c.code}): ${c.files} tệp`) },
          {
            kind: 'fields',
            rows: [
              ['2. Số lượng hồ sơ', '01 bộ'],
              ['3. Thời gian giải quyết hồ sơ theo quy định', `${data.timeLimitDays} ngày làm việc`],
              ['4. Thời gian nhận hồ sơ', moment(data.receivedAt)],
              ['5. Thời gian trả kết quả giải quyết hồ sơ', moment(data.dueAt)],
              ['6. Mã tra cứu hồ sơ', data.pin],
            ],
          },
          {
            kind: 'qr',
            url: data.lookupUrl,
            caption: [
              'Tra cứu tình trạng giải quyết hồ sơ: quét mã QR, hoặc vào trang tra cứu của Cổng Dịch vụ công và nhập mã hồ sơ cùng mã tra cứu.',
              `Mã hồ sơ: ${data.code}`,
              `Mã tra cứu: ${data.pin}`,
            ],
          },
          {
            kind: 'signatures',
            blocks: [
              { title: 'Người nộp hồ sơ', note: SIGN, name: data.applicant.name },
              { title: 'Người tiếp nhận hồ sơ', note: SIGN, ...(data.receiver ? { name: data.receiver } : {}) },
            ],
          },
        ],
      };
    case 'supplement':
      return {
        number: `Số: ${data.code}/YCBS`,
        blocks: [
          { kind: 'fields', rows: [['Mã hồ sơ', data.code], ...applicantFields(data)] },
          {
            kind: 'paragraph',
            text: `Ngày ${dateOnly(data.receivedAt)}, ${OFFICE} ${agency} đã tiếp nhận hồ sơ của Ông/Bà/Tổ chức. Qua xem xét, ngày ${dateOnly(data.requestedAt)}, ${agency} yêu cầu Ông/Bà/Tổ chức bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:`,
          },
          ...(data.components.length ? ([{ kind: 'list', items: data.components.map((c) => `${c.name} (${c.code})`) }] as SlipBlock[]) : []),
          { kind: 'fields', rows: [['Lý do', data.reason]] },
          {
            kind: 'paragraph',
            text: `Hồ sơ bổ sung được nộp trực tuyến trên Cổng Dịch vụ công hoặc trực tiếp tại ${OFFICE}. Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà/Tổ chức liên hệ ${OFFICE} ${agency} để được hướng dẫn. Thời gian bổ sung hồ sơ không tính vào thời hạn giải quyết.`,
          },
          { kind: 'signatures', blocks: [{ title: 'Người hướng dẫn', note: SIGN, ...(data.officer ? { name: data.officer } : {}) }] },
        ],
      };
    case 'refusal':
      return {
        number: `Số: ${data.code}/TCHS`,
        blocks: [
          { kind: 'paragraph', text: `${OFFICE} ${agency} tiếp nhận hồ sơ của:` },
          { kind: 'fields', rows: [...applicantFields(data), ['Mã hồ sơ', data.code]] },
          {
            kind: 'paragraph',
            text: `Qua xem xét, ${agency} thông báo không ${data.stage === 'reception' ? 'tiếp nhận' : 'giải quyết'} hồ sơ này với lý do cụ thể như sau:`,
          },
          { kind: 'paragraph', text: data.reason, bold: true },
          { kind: 'paragraph', text: `Xin thông báo để Ông/Bà/Tổ chức được biết và thực hiện. (Thời điểm: ${moment(data.refusedAt)}.)` },
          {
            kind: 'signatures',
            blocks: [{ title: data.stage === 'reception' ? 'Người tiếp nhận hồ sơ' : 'Thủ trưởng cơ quan', note: SIGN, ...(data.officer ? { name: data.officer } : {}) }],
          },
        ],
      };
    case 'apology':
      return {
        number: `Số: ${data.code}/XLHL`,
        blocks: [
          { kind: 'paragraph', text: `Ngày ${dateOnly(data.receivedAt)}, ${agency} tiếp nhận giải quyết hồ sơ của:` },
          { kind: 'fields', rows: [...applicantFields(data), ['Mã hồ sơ', data.code], ['Thời hẹn trả kết quả giải quyết hồ sơ', moment(data.previousDueAt)]] },
          { kind: 'paragraph', text: `Tuy nhiên, ${agency} không thể trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức đúng thời hẹn trên.` },
          { kind: 'fields', rows: [['Lý do', data.reason]] },
          {
            kind: 'paragraph',
            text: `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà/Tổ chức. ${agency} xin lỗi Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào ${moment(data.newDueAt)}.`,
          },
          { kind: 'paragraph', text: 'Xin trân trọng cảm ơn sự hợp tác của Ông/Bà/Tổ chức.' },
          ...(data.officer ? ([{ kind: 'fields', rows: [['Người lập phiếu', data.officer]] }] as SlipBlock[]) : []),
          { kind: 'signatures', blocks: [{ title: 'Thủ trưởng cơ quan', note: '(Ký, ghi rõ họ tên và đóng dấu)' }] },
        ],
      };
    case 'control':
      return {
        number: `Mã hồ sơ: ${data.code}`,
        subtitle: `(Kèm theo hồ sơ của: ${data.applicant.name})`,
        blocks: [
          {
            kind: 'fields',
            rows: [
              ['Nội dung yêu cầu giải quyết', `${data.procedure.name} (mã thủ tục ${data.procedure.code})`],
              ['Cơ quan giải quyết hồ sơ', agency],
              ['Thời gian nhận hồ sơ', moment(data.receivedAt)],
              ...(data.dueAt ? ([['Thời gian hẹn trả kết quả', moment(data.dueAt)]] as [string, string][]) : []),
              ['Kết quả giải quyết hồ sơ', data.resolvedAt ? `${OUTCOMES[timeliness(data.resolvedAt, data.dueAt, data.issuedAt)]} (${moment(data.resolvedAt)})` : 'Đang giải quyết'],
            ],
          },
          {
            kind: 'table',
            columns: [
              { title: 'TT', width: 0.45 },
              { title: 'Bước xử lý', width: 2.3 },
              { title: 'Người giữ hồ sơ', width: 2.1 },
              { title: 'Nhận lúc', width: 1.35 },
              { title: 'Chuyển lúc', width: 1.35 },
              { title: 'Kết quả (trước hạn / đúng hạn / quá hạn)', width: 1.75 },
            ],
            rows: data.handOvers.map((h, i) => [
              String(i + 1),
              h.action ? `${h.step}\n→ ${h.action}` : h.step,
              h.holder,
              short(h.receivedAt),
              h.handedAt ? short(h.handedAt) : '—',
              h.dueAt ? `${OUTCOMES[h.outcome]}\n(hạn ${short(h.dueAt)})` : OUTCOMES[h.outcome],
            ]),
          },
          { kind: 'paragraph', text: `Phiếu lập lúc ${moment(data.issuedAt)} từ nhật ký xử lý hồ sơ (có chuỗi băm kiểm chứng).` },
        ],
      };
  }
}

/** Early when done on a day before the due day, on time up to the due instant, late after it (form 06a's rule). */
export function timeliness(doneAt: Date | null, dueAt: Date | null, now: Date): HandOver['outcome'] {
  if (!dueAt) return doneAt ? 'no-deadline' : 'in-progress';
  if (!doneAt) return now > dueAt ? 'overdue' : 'in-progress';
  if (doneAt > dueAt) return 'late';
  return dateOnly(doneAt).split('/').reverse().join('') < dateOnly(dueAt).split('/').reverse().join('') ? 'early' : 'on-time';
}

export function slipDocument(data: SlipData): SlipDocument {
  const { number, subtitle, blocks } = body(data);
  return {
    agencyName: data.agency,
    office: OFFICE,
    number,
    dateLine: dateWords(data.issuedAt).replace(/^n/, 'N'),
    title: SLIP_TITLES[data.kind],
    ...(subtitle ? { subtitle } : {}),
    blocks,
    subject: `${SLIP_TITLES[data.kind]} — ${data.code}`,
    issuedAt: data.issuedAt,
  };
}
