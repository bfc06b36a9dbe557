import { beforeAll, describe, expect, test } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { qrPng } from '../../server/slips/slip.pdf.js';
import { DEFAULT_PUBLIC_URL } from '../../server/config.js';
import { DEMO_CALLERS, actOn as actOnIn, useApiTest, type ApiTest } from '../support/api.js';
import { pdfImages, pdfText } from '../support/pdf-text.js';

const env = useApiTest({ as: DEMO_CALLERS });
const { tokens, userIds } = env;
let http: ApiTest['http'];
let strangerToken: string;
beforeAll(async () => {
  http = env.http;
  const stranger = await http.call('POST', '/api/auth/register', undefined, {
    fullName: 'Trần Thị Bình',
    idNumber: '079188000002',
    phone: '0987000002',
    email: 'binh@dvc.example',
    password: 'mat-khau-binh-1',
  });
  strangerToken = stranger.json().accessToken;
});

const actOn = (who: string, code: string, action: string, extra?: Record<string, unknown>) => actOnIn(env, who, code, action, extra);

/** A slip as its reader downloads it, with the text a reader would copy out of it. */
async function slip(dossierId: string, kind: string, token: string) {
  const res = await http.call('GET', `/api/dossiers/${dossierId}/slips/${kind}`, token);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const text = await pdfText(res.rawPayload);
  // `flat`: the text with line breaks as spaces, for sentences that wrap.
  return { res, bytes: res.rawPayload, text, flat: text.replace(/\s+/g, ' ') };
}

const slipKinds = async (dossierId: string, token: string) =>
  (await http.call('GET', `/api/dossiers/${dossierId}/slips`, token)).json() as { slips: { kind: string; title: string }[]; apology: { offered: boolean; canIssue: boolean } };

describe('slips of a dossier driven through the API', () => {
  let dossier: { id: string; code: string; pin: string };

  beforeAll(async () => {
    dossier = await http.submitComplete(tokens.citizen!);
  });

  test('before reception there is no receipt; the control slip is for staff and auditors only', async () => {
    expect((await slipKinds(dossier.id, tokens.citizen!)).slips).toEqual([]);
    expect((await slipKinds(dossier.id, tokens.officer!)).slips.map((s) => s.kind)).toEqual(['control']);
    const early = await http.call('GET', `/api/dossiers/${dossier.id}/slips/receipt`, tokens.citizen);
    expect([early.statusCode, early.json().type]).toEqual([404, '/problems/slip-not-applicable']);
    expect(early.json().messageVi).toBe('Hồ sơ này không có giấy tiếp nhận hồ sơ và hẹn trả kết quả');
  });

  test('01 receipt: applicant, procedure, components with counts, dates, lookup PIN and its QR code', async () => {
    await actOn('officer', dossier.code, '1100');
    expect((await slipKinds(dossier.id, tokens.citizen!)).slips).toEqual([{ kind: 'receipt', title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả' }]);
    const { res, bytes, text, flat } = await slip(dossier.id, 'receipt', tokens.citizen!);
    expect(res.headers['content-disposition']).toBe(`inline; filename="phieu-tiep-nhan-${dossier.code}.pdf"; filename*=UTF-8''phieu-tiep-nhan-${dossier.code}.pdf`);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('SỞ CÔNG THƯƠNG');
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain(`Mã hồ sơ: ${dossier.code}`);
    expect(text).toContain('Ông/Bà: Nguyễn Văn An');
    expect(text).toContain('Tổ chức: Công ty TNHH Gốm Bát Tràng');
    expect(flat).toContain('– Văn bản đề nghị của Ủy ban nhân dân cấp huyện kèm theo danh sách trích ngang các sản phẩm đăng ký tham gia bình chọn cấp tỉnh (TP05): 1 tệp');
    expect(text).toContain(`6. Mã tra cứu hồ sơ: ${dossier.pin}`);
    expect(text).toContain('Cán bộ một cửa — Sở Công Thương');
    const detail = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json();
    const due = new Date(new Date(detail.dueAt).getTime() + 7 * 3_600_000);
    const two = (n: number) => String(n).padStart(2, '0');
    expect(text).toContain(`5. Thời gian trả kết quả giải quyết hồ sơ: ${two(due.getUTCHours())} giờ ${two(due.getUTCMinutes())} phút, ngày ${two(due.getUTCDate())}/${two(due.getUTCMonth() + 1)}/${due.getUTCFullYear()}`);
    // The QR code is exactly the lookup page's URL with the code, and the PIN in the fragment (never sent to a server).
    const reference = await PDFDocument.create();
    await reference.embedPng(await qrPng(`${DEFAULT_PUBLIC_URL}/lookup?code=${encodeURIComponent(dossier.code)}#pin=${dossier.pin}`));
    const [expected] = await pdfImages(await reference.save());
    expect(await pdfImages(bytes)).toEqual([expected]);
    // Fonts are subset: the slip stays small.
    expect(bytes.length).toBeLessThan(60_000);
    const doc = await PDFDocument.load(bytes);
    expect([doc.getPageCount(), doc.getTitle(), doc.getPage(0).getSize()]).toEqual([1, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', { width: 595.28, height: 841.89 }]);
  });

  test('02 supplement request: its reason and the components asked for', async () => {
    await actOn('officer', dossier.code, '2000');
    await actOn('leader', dossier.code, '2101', { assignee: userIds.handler });
    await actOn('handler', dossier.code, '2300');
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/slips/supplement`, tokens.citizen)).statusCode).toBe(404);
    await actOn('leader', dossier.code, '5200', { note: 'Thiếu hồ sơ đăng ký của cơ sở sản xuất', input: { supplementComponents: ['TP06', 'NOPE'] } });
    const { text, flat } = await slip(dossier.id, 'supplement', tokens.citizen!);
    expect(text).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(text).toContain(`Số: ${dossier.code}/YCBS`);
    expect(text).toContain('Ông/Bà: Nguyễn Văn An');
    expect(flat).toContain('– Hồ sơ đăng ký tham gia bình chọn của cơ sở (nơi không tổ chức bình chọn cấp huyện) (TP06)');
    expect(text).not.toContain('NOPE');
    expect(text).toContain('Lý do: Thiếu hồ sơ đăng ký của cơ sở sản xuất');
    expect(text).toContain('Lãnh đạo phòng — Sở Công Thương');
  });

  test('05 control: every hand-over with who held it, when, and on time or late', async () => {
    const { text } = await slip(dossier.id, 'control', tokens.auditor!);
    expect(text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('(Kèm theo hồ sơ của: Nguyễn Văn An)');
    expect(text).toContain('Cơ quan giải quyết hồ sơ: Sở Công Thương');
    const rows = text.split('\n').filter((line) => /^\d+ /.test(line));
    expect(rows.map((r) => r.split(' ')[0])).toEqual(['1', '2', '3', '4', '5', '6']);
    // Each row: number, step, who held it, received, handed on, outcome (cells wrap onto the lines below).
    expect(rows[0]).toMatch(/^1 Tiếp nhận hồ sơ Cán bộ một cửa — \d\d:\d\d \d\d:\d\d (Trước hạn|Đúng hạn)$/);
    expect(rows[2]).toMatch(/^3 Phân công thụ lý Lãnh đạo phòng — \d\d:\d\d \d\d:\d\d (Trước hạn|Đúng hạn)$/);
    expect(rows[3]).toMatch(/^4 Chuyên viên thụ lý Chuyên viên thụ lý \d\d:\d\d \d\d:\d\d (Trước hạn|Đúng hạn)$/);
    // The applicant holds the dossier now, with no deadline while the clock stands still.
    expect(rows[5]).toMatch(/^6 Công dân bổ sung hồ Nguyễn Văn An \d\d:\d\d — Đang xử lý$/);
    expect(text).toContain('→ Tiếp nhận hồ sơ');
    expect(text.match(/Trước hạn|Đúng hạn/g)?.length).toBe(5);
    expect(text).toContain('Kết quả giải quyết hồ sơ: Đang giải quyết');
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/slips/control`, tokens.officer)).statusCode).toBe(200);
    const citizen = await http.call('GET', `/api/dossiers/${dossier.id}/slips/control`, tokens.citizen);
    expect([citizen.statusCode, citizen.json().type]).toEqual([404, '/problems/slip-not-applicable']);
  });

  test('only the dossier’s readers get its slips', async () => {
    for (const token of [strangerToken, tokens.officerOther!]) {
      const res = await http.call('GET', `/api/dossiers/${dossier.id}/slips/receipt`, token);
      expect([res.statusCode, res.json().type]).toEqual([404, '/problems/dossier-not-found']);
      expect((await http.call('GET', `/api/dossiers/${dossier.id}/slips`, token)).statusCode).toBe(404);
    }
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/slips/receipt`)).statusCode).toBe(401);
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/slips/everything`, tokens.citizen)).statusCode).toBe(400);
  });
});

test('03 refusal: reception rejected, with its reason', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  await actOn('officer', dossier.code, '4200', { note: 'Hồ sơ không thuộc thẩm quyền giải quyết của Sở Công Thương' });
  expect((await slipKinds(dossier.id, tokens.citizen!)).slips.map((s) => s.kind)).toEqual(['refusal']);
  const { res, text, flat } = await slip(dossier.id, 'refusal', tokens.citizen!);
  expect(res.headers['content-disposition']).toContain(`filename="phieu-tu-choi-${dossier.code}.pdf"`);
  expect(text).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ');
  expect(flat).toContain('Qua xem xét, Sở Công Thương thông báo không tiếp nhận hồ sơ này với lý do cụ thể như sau:');
  expect(text).toContain('Hồ sơ không thuộc thẩm quyền giải quyết của Sở Công Thương');
  expect(text).toContain('Ông/Bà: Nguyễn Văn An');
});

test('04 apology: offered once a dossier is nearly late, written by its agency’s staff, printed with both appointments', async () => {
  const dossier = await http.submitComplete(tokens.citizen!);
  await actOn('officer', dossier.code, '1100');
  const url = `/api/dossiers/${dossier.id}/apologies`;
  const body = (newDueAt: Date) => ({ reason: 'Chờ ý kiến của Sở Tài chính về giá trị sản phẩm', newDueAt: newDueAt.toISOString() });
  expect((await slipKinds(dossier.id, tokens.officer!)).apology).toEqual({ offered: false, canIssue: false });
  const early = await http.call('POST', url, tokens.officer, body(new Date(Date.now() + 30 * 86_400_000)));
  expect([early.statusCode, early.json().type]).toEqual([409, '/problems/apology-not-needed']);

  // The appointment passed an hour ago while the dossier is still in the agency's hands.
  const dueAt = new Date(Date.now() - 3_600_000);
  await env.t.db.updateTable('dossier').set({ due_at: dueAt }).where('id', '=', dossier.id).execute();
  expect((await slipKinds(dossier.id, tokens.officer!)).apology).toEqual({ offered: true, canIssue: true });
  expect((await slipKinds(dossier.id, tokens.citizen!)).apology).toEqual({ offered: true, canIssue: false });
  expect((await slipKinds(dossier.id, tokens.auditor!)).apology).toEqual({ offered: true, canIssue: false });
  expect((await http.call('POST', url, tokens.citizen, body(new Date(Date.now() + 86_400_000)))).statusCode).toBe(404);
  expect((await http.call('POST', url, tokens.officerOther, body(new Date(Date.now() + 86_400_000)))).statusCode).toBe(404);
  const past = await http.call('POST', url, tokens.officer, body(new Date(Date.now() - 60_000)));
  expect([past.statusCode, past.json().errors[0].path]).toEqual([422, '/body/newDueAt']);
  expect((await http.call('POST', url, tokens.officer, { reason: '   ', newDueAt: new Date().toISOString() })).statusCode).toBe(400);

  const newDueAt = new Date(Date.UTC(2031, 2, 14, 9, 30));
  const issued = await http.call('POST', url, tokens.officer, body(newDueAt));
  expect(issued.statusCode, issued.body).toBe(201);
  expect(issued.json().slips.map((s: { kind: string }) => s.kind)).toEqual(['receipt', 'apology', 'control']);
  const { text, flat } = await slip(dossier.id, 'apology', tokens.citizen!);
  expect(text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
  expect(text).toContain('Lý do: Chờ ý kiến của Sở Tài chính về giá trị sản phẩm');
  const local = new Date(dueAt.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  expect(text).toContain(`Thời hẹn trả kết quả giải quyết hồ sơ: ${two(local.getUTCHours())} giờ ${two(local.getUTCMinutes())} phút, ngày ${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`);
  expect(flat).toContain('sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào 16 giờ 30 phút, ngày 14/03/2031.');
  expect(text).toContain('Người lập phiếu: Cán bộ một cửa — Sở Công Thương');
  // The apology is part of the dossier's hash-chained history, which still verifies.
  const history = (await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json();
  expect(history.find((e: { type: string }) => e.type === 'apology.issued').data).toMatchObject({ newDueAt: newDueAt.toISOString(), previousDueAt: dueAt.toISOString() });
  expect((await http.call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor)).json()).toMatchObject({ ok: true });

  // The applicant goes by the new appointment from now on (the original stays, for the report); the timeline
  // says why, and an apology is offered again only near the new date.
  const seen = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json();
  expect(seen).toMatchObject({ dueAt: dueAt.toISOString(), rescheduledDueAt: newDueAt.toISOString() });
  expect(seen.timeline.at(-1)).toMatchObject({ kind: 'apology', newDueAt: newDueAt.toISOString(), note: 'Chờ ý kiến của Sở Tài chính về giá trị sản phẩm' });
  const { code, pin } = (await env.t.db.selectFrom('dossier').select(['code', 'pin']).where('id', '=', dossier.id).executeTakeFirstOrThrow())!;
  expect((await http.call('GET', `/api/lookup?code=${code}&pin=${pin}`)).json().rescheduledDueAt).toBe(newDueAt.toISOString());
  expect((await slipKinds(dossier.id, tokens.officer!)).apology).toEqual({ offered: false, canIssue: false });
  // The national portal is sent the new appointment.
  const sync = await env.t.db.selectFrom('delivery').select('payload').where('dossier_id', '=', dossier.id).where('channel', '=', 'portal-sync').orderBy('seq', 'desc').executeTakeFirstOrThrow();
  expect(sync.payload).toMatchObject({ status: 2, from: 2 });
});
