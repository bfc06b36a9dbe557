import { pdfText } from '../support/pdf-text.js';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DESKTOP, type DemoAccount, type Journey, type JourneyContext } from './harness.js';

/** The officers' journeys: a dossier through every step of the standard flow, and a reception at the counter. */

/** A valid one-page PDF saying `text` (ASCII), so that the officers' preview shows a page. */
export function pdf(text: string): Buffer {
  const content = `BT /F1 20 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
const DATE_TIME = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;
const AGENCY = 'H20.11';

export async function apiLogin(ctx: JourneyContext, account: DemoAccount): Promise<string> {
  const login = await ctx.api<{ accessToken: string }>('POST', '/api/auth/login', { body: { username: account.login, password: account.password } });
  assert.equal(login.status, 200);
  return login.body.accessToken;
}

/** Uploads a one-page PDF as `componentCode` to a dossier's files: `/api/dossiers/:id/files`, or the staff's. */
export async function uploadPdf(ctx: JourneyContext, token: string, filesPath: string, componentCode: string, name: string) {
  const body = new FormData();
  body.append('componentCode', componentCode);
  body.append('file', new Blob([pdf(`Ho so: ${name}`)], { type: 'application/pdf' }), name);
  const uploaded = await fetch(`${ctx.baseUrl}${filesPath}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
  assert.equal(uploaded.status, 201, await uploaded.text());
}

/** A complete 2.000331 dossier (Sở Công Thương) of the demo citizen, submitted through the API. */
export async function submittedDossier(ctx: JourneyContext, token: string): Promise<{ id: string; code: string }> {
  const form = { organizationName: 'Hợp tác xã Gốm Phù Lãng', taxCode: '0101234567', address: 'Thôn Phù Lãng, Quế Võ', representative: 'Nguyễn Văn Lãng' };
  const draft = await ctx.api<{ id: string }>('POST', '/api/dossiers', { token, body: { procedureCode: '2.000331' } });
  assert.equal((await ctx.api('PUT', `/api/dossiers/${draft.body.id}/form`, { token, body: { data: form } })).status, 200);
  await uploadPdf(ctx, token, `/api/dossiers/${draft.body.id}/files`, 'TP05', 'de-nghi.pdf');
  const submitted = await ctx.api<{ id: string; code: string }>('POST', `/api/dossiers/${draft.body.id}/submit`, { token, body: { declarationAccepted: true } });
  assert.equal(submitted.status, 200);
  return submitted.body;
}

/** A submitted dossier of the demo citizen, received (1100) by the one-stop officer of Sở Công Thương through the API. */
export async function receivedDossier(ctx: JourneyContext) {
  const dossier = await submittedDossier(ctx, await apiLogin(ctx, ctx.account('citizen')));
  const officer = ctx.account('one-stop-officer @ H20.11');
  const officerToken = await apiLogin(ctx, officer);
  await actThroughApi(ctx, officerToken, dossier.code, '1100');
  return { dossier, officer, officerToken };
}

/** The holder of `token` takes `actionCode` on their group's open task of the dossier, through the API, as its page would. */
export async function actThroughApi(ctx: JourneyContext, token: string, code: string, actionCode: string, extra: Record<string, unknown> = {}) {
  const inbox = await ctx.api<{ items: { id: string; version: number; dossier: { code: string } }[] }>('GET', `/api/tasks?view=group&q=${encodeURIComponent(code)}`, { token });
  const task = inbox.body.items.find((i) => i.dossier.code === code);
  assert.ok(task, `a task of ${code} in the inbox`);
  const done = await ctx.api('POST', `/api/tasks/${task.id}/actions`, { token, body: { actionCode, ...extra }, headers: { 'if-match': `"${task.version}"` } });
  assert.equal(done.status, 200, JSON.stringify(done.body));
}

export async function login(page: Page, account: DemoAccount) {
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  await page.getByLabel('Email hoặc số định danh cá nhân').fill(account.login);
  await page.getByLabel('Mật khẩu').fill(account.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Logs `account` in (after logging out whoever was) and opens their inbox filtered on the dossier. */
async function inboxAs(ctx: JourneyContext, role: string, code: string, view = 'group') {
  const { page } = ctx;
  const logout = page.getByRole('button', { name: 'Đăng xuất' });
  if (await logout.isVisible()) {
    await logout.click();
    await page.getByRole('link', { name: 'Đăng nhập' }).waitFor();
  }
  await page.goto(`${ctx.baseUrl}/tasks?view=${view}&q=${encodeURIComponent(code)}`);
  await login(page, ctx.account(`${role} @ ${AGENCY}`));
  await page.getByRole('heading', { level: 1, name: 'Hộp công việc' }).waitFor();
}

async function openTask(page: Page, code: string) {
  await page.getByRole('link', { name: code, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
}

/** The error summary of the open dialog lists `message` and has the focus. */
async function expectDialogError(page: Page, message: string | RegExp) {
  const summary = page.getByRole('dialog').getByRole('alert').filter({ hasText: 'Có lỗi cần sửa' });
  await summary.getByText(message).waitFor();
  assert.equal(await page.locator(':focus').getAttribute('aria-labelledby'), 'error-summary-title', 'the error summary has the focus');
}

/** Takes an action from the open task page through its dialog; back in the inbox, the confirmation has the focus. */
async function act(page: Page, code: string, actionName: string, fill: { note?: string; assignee?: string; components?: string[] } = {}) {
  await page.getByRole('button', { name: actionName, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: actionName });
  await dialog.waitFor();
  if (fill.assignee) await dialog.getByLabel('Cán bộ được giao').selectOption({ label: fill.assignee });
  for (const component of fill.components ?? []) await dialog.getByLabel(new RegExp(`^${component} — `)).check();
  if (fill.note) await dialog.getByRole('textbox').fill(fill.note);
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  const done = page.getByRole('status').filter({ hasText: `Đã thực hiện “${actionName}” cho hồ sơ ${code}.` });
  await done.waitFor();
  await page.locator('.panel-success:focus').waitFor();
}

/** `role` opens their task on the dossier and takes `actionName`. */
async function step(ctx: JourneyContext, role: string, code: string, actionName: string, fill?: { note?: string; assignee?: string }) {
  await inboxAs(ctx, role, code);
  await openTask(ctx.page, code);
  await act(ctx.page, code, actionName, fill);
}

async function receiveWithConflictAndUndo(ctx: JourneyContext, code: string) {
  const { page, screenshot } = ctx;
  const officer = ctx.account(`one-stop-officer @ ${AGENCY}`);
  await page.goto(`${ctx.baseUrl}/tasks`);
  await login(page, officer);
  await page.getByRole('heading', { level: 1, name: 'Hộp công việc' }).waitFor();
  const tabs = page.getByRole('navigation', { name: 'Danh sách công việc' });
  assert.equal(await tabs.getByRole('link', { name: /^Của nhóm/ }).getAttribute('aria-current'), 'page');
  await page.getByRole('link', { name: code, exact: true }).waitFor();
  await page.getByRole('link', { name: 'Tiếp nhận hồ sơ tại quầy' }).waitFor();
  await screenshot('inbox');

  // Found by its code, as typed.
  await page.getByRole('searchbox', { name: 'Tìm công việc' }).fill(code);
  await page.keyboard.press('Enter');
  await page.getByText(`Tìm thấy 1 công việc cho “${code}”`).waitFor();
  await openTask(page, code);
  await page.getByText('Nguyễn Văn Lãng').waitFor();
  await page.getByRole('button', { name: 'Xem trước de-nghi.pdf' }).click();
  const preview = page.locator('iframe[title="Xem trước tệp de-nghi.pdf"]');
  await preview.waitFor();
  assert.match((await preview.getAttribute('src')) ?? '', /^blob:/);
  assert.equal(await page.getByRole('button', { name: 'Đóng xem trước de-nghi.pdf' }).getAttribute('aria-expanded'), 'true');
  // Time for Chromium's PDF viewer to paint the page before the screenshot.
  await page.waitForTimeout(1_000);
  await screenshot('task');

  // A colleague has the same task open in another browser; the officer acts first.
  const browser = ctx.context.browser()!;
  const colleague = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  try {
    const other = await colleague.newPage();
    await other.goto(page.url());
    await login(other, officer);
    await other.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await other.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
    await other.getByRole('dialog', { name: 'Tiếp nhận hồ sơ' }).waitFor();

    await act(page, code, 'Tiếp nhận hồ sơ');

    await other.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    const conflict = other.getByRole('alert').filter({ hasText: 'Hồ sơ vừa được người khác xử lý.' });
    await conflict.waitFor();
    await other.getByText('Công việc này không còn chờ xử lý').waitFor();
    await conflict.and(other.locator(':focus')).waitFor();
  } finally {
    await colleague.close();
  }

  // The reception was a mistake after all: undone with a reason, then done again.
  await page.getByRole('button', { name: 'Hoàn tác', exact: true }).click();
  const undo = page.getByRole('dialog', { name: 'Hoàn tác thao tác' });
  await undo.getByRole('button', { name: 'Hoàn tác', exact: true }).click();
  await expectDialogError(page, /^Lý do hoàn tác: Vui lòng nhập lý do hoàn tác/);
  await undo.getByLabel('Lý do hoàn tác').fill('Chưa đối chiếu bản gốc');
  await undo.getByRole('button', { name: 'Hoàn tác', exact: true }).click();
  await page.getByText(`Đã hoàn tác “Tiếp nhận hồ sơ” của hồ sơ ${code}.`).waitFor();
  await page.getByRole('searchbox', { name: 'Tìm công việc' }).fill(code);
  await page.keyboard.press('Enter');
  await openTask(page, code);
  await page.getByText('Chưa đối chiếu bản gốc').waitFor();
  await act(page, code, 'Tiếp nhận hồ sơ');

  // Next: hand over to the department.
  await openTask(page, code);
  await page.getByText('Bàn giao thụ lý', { exact: true }).first().waitFor();
  await act(page, code, 'Bàn giao cho phòng chuyên môn');
}

async function assignToHandler(ctx: JourneyContext, code: string, handlerName: string) {
  const { page, screenshot } = ctx;
  await inboxAs(ctx, 'dept-leader', code);
  await openTask(page, code);
  // The leader claims the task, then hands it back to the group with a reason.
  await page.getByRole('button', { name: 'Nhận xử lý' }).click();
  await page.getByText(`Bạn đã nhận xử lý hồ sơ ${code}.`).waitFor();
  await page.getByRole('button', { name: 'Chuyển người xử lý' }).click();
  const reassign = page.getByRole('dialog', { name: 'Chuyển người xử lý' });
  await reassign.getByLabel('Chuyển cho').selectOption({ label: 'Trả về nhóm xử lý (chưa giao cho ai)' });
  await reassign.getByLabel('Lý do chuyển').fill('Để phân công theo lĩnh vực');
  await reassign.getByRole('button', { name: 'Chuyển', exact: true }).click();
  await page.getByText('Đã trả công việc về nhóm xử lý.').waitFor();
  await page.getByRole('button', { name: 'Nhận xử lý' }).waitFor();

  // Assigning needs an assignee, picked among the agency's handlers.
  await page.getByRole('button', { name: 'Phân công chuyên viên thụ lý', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Phân công chuyên viên thụ lý' });
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  await expectDialogError(page, /^Cán bộ được giao: Vui lòng chọn cán bộ được giao/);
  await dialog.getByRole('link', { name: /^Cán bộ được giao:/ }).click();
  assert.equal(await page.locator(':focus').getAttribute('id'), 'action-assignee');
  await dialog.getByLabel('Cán bộ được giao').selectOption({ label: handlerName });
  await screenshot('action-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await page.locator(':focus').textContent())?.trim(), 'Phân công chuyên viên thụ lý', 'Escape closes the dialog and the focus returns to its button');
  await act(page, code, 'Phân công chuyên viên thụ lý', { assignee: handlerName });
}

async function supplementRound(ctx: JourneyContext, code: string, dossierId: string, citizenToken: string) {
  const { page, screenshot } = ctx;
  await inboxAs(ctx, 'handler', code, 'mine');
  await page.getByText('Bạn đang xử lý').waitFor();
  await openTask(page, code);
  await act(page, code, 'Đề nghị bổ sung', { note: 'Đề nghị bổ sung danh sách trích ngang sản phẩm' });

  await inboxAs(ctx, 'dept-leader', code);
  await openTask(page, code);
  await page.getByText('Đề nghị bổ sung danh sách trích ngang sản phẩm').waitFor();
  await page.getByRole('button', { name: 'Yêu cầu công dân bổ sung', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Yêu cầu công dân bổ sung' });
  await dialog.getByText('Người nộp hồ sơ sẽ thấy nội dung này').waitFor();
  await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  await expectDialogError(page, /^Lý do gửi người nộp hồ sơ: Vui lòng nhập lý do/);
  await screenshot('action-dialog-note-required');
  await page.keyboard.press('Escape');
  await act(page, code, 'Yêu cầu công dân bổ sung', { note: 'Thiếu danh sách sản phẩm', components: ['TP06'] });

  // The citizen sees the reason and supplements (through the API here; their pages have their own journey).
  const waiting = await ctx.api<{ nationalStatus: number; timeline: { note?: string }[] }>('GET', `/api/dossiers/${dossierId}`, { token: citizenToken });
  assert.equal(waiting.body.nationalStatus, 5);
  assert.ok(waiting.body.timeline.some((e) => e.note === 'Thiếu danh sách sản phẩm'));
  // The supplement request slip (02) lists the component the leader ticked.
  const slip = await fetch(`${ctx.baseUrl}/api/dossiers/${dossierId}/slips/supplement`, { headers: { authorization: `Bearer ${citizenToken}` } });
  assert.equal(slip.status, 200);
  assert.match(await pdfText(new Uint8Array(await slip.arrayBuffer())), /TP06|Hồ sơ đăng ký tham gia bình chọn/);
  await uploadPdf(ctx, citizenToken, `/api/dossiers/${dossierId}/files`, 'TP06', 'danh-sach.pdf');
  assert.equal((await ctx.api('POST', `/api/dossiers/${dossierId}/supplement`, { token: citizenToken, body: { note: 'Đã bổ sung danh sách' } })).status, 200);
}

export const journeys: Journey[] = [
  {
    name: 'officers handle a dossier from reception to result',
    async run(ctx) {
      const citizenToken = await apiLogin(ctx, ctx.account('citizen'));
      const dossier = await submittedDossier(ctx, citizenToken);
      const handlerToken = await apiLogin(ctx, ctx.account(`handler @ ${AGENCY}`));
      const handlerName = (await ctx.api<{ fullName: string }>('GET', '/api/me', { token: handlerToken })).body.fullName;

      await receiveWithConflictAndUndo(ctx, dossier.code);
      await assignToHandler(ctx, dossier.code, handlerName);
      await supplementRound(ctx, dossier.code, dossier.id, citizenToken);

      await step(ctx, 'handler', dossier.code, 'Trình lãnh đạo phòng');
      await step(ctx, 'dept-leader', dossier.code, 'Duyệt, trình lãnh đạo cơ quan ký');
      await step(ctx, 'agency-leader', dossier.code, 'Ký số kết quả');
      await step(ctx, 'clerk', dossier.code, 'Phát hành kết quả');
      await inboxAs(ctx, 'one-stop-officer', dossier.code);
      await openTask(ctx.page, dossier.code);
      // The history names who did what, with the notes and the undo.
      const history = ctx.page.locator('ol.timeline');
      await history.getByText('Hoàn tác thao tác').waitFor();
      await history.getByText('Thiếu danh sách sản phẩm').waitFor();
      await history.getByText(handlerName).first().waitFor();
      await act(ctx.page, dossier.code, 'Trả kết quả cho công dân');

      // The inbox in English, then back.
      await ctx.page.getByRole('button', { name: 'English' }).click();
      await ctx.page.getByRole('heading', { level: 1, name: 'Task inbox' }).waitFor();
      await ctx.page.getByRole('navigation', { name: 'Task lists' }).getByRole('link', { name: /^My group/ }).waitFor();
      await ctx.screenshot('inbox-english');
      await ctx.page.getByRole('button', { name: 'Tiếng Việt' }).click();
      await ctx.page.getByRole('heading', { level: 1, name: 'Hộp công việc' }).waitFor();

      const final = await ctx.api<{ nationalStatus: number }>('GET', `/api/dossiers/${dossier.id}`, { token: citizenToken });
      assert.equal(final.body.nationalStatus, 10);
    },
  },
  {
    name: 'officer receives a walk-in applicant at the counter',
    async run(ctx) {
      const { page, screenshot } = ctx;
      await page.goto(`${ctx.baseUrl}/counter`);
      await login(page, ctx.account(`one-stop-officer @ ${AGENCY}`));
      await page.getByRole('heading', { level: 1, name: 'Tiếp nhận hồ sơ tại quầy' }).waitFor();
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Có lỗi cần sửa' });
      await summary.getByText('Thủ tục hành chính: Vui lòng chọn thủ tục').waitFor();
      await summary.getByText(/^Số định danh cá nhân: Số định danh gồm 12 chữ số/).waitFor();
      await screenshot('counter-start');

      await page.getByLabel('Thủ tục hành chính').selectOption('2.000331');
      await page.getByLabel('Họ và tên').fill('Trần Thị Hoa');
      await page.getByLabel('Số định danh cá nhân').fill('038190001234');
      await page.getByLabel(/^Số điện thoại/).fill('0912345678');
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();

      await page.getByRole('heading', { level: 1, name: 'Hồ sơ tiếp nhận tại quầy' }).waitFor();
      await page.getByLabel('Tên tổ chức, doanh nghiệp').fill('Công ty TNHH Mây tre Phú Vinh');
      await page.getByLabel('Mã số thuế').fill('0101234567');
      await page.getByLabel('Địa chỉ trụ sở').fill('Thôn Phú Vinh, Chương Mỹ');
      await page.getByRole('button', { name: 'Lưu và kiểm tra hồ sơ' }).click();
      // The representative is missing, and so is the required paper.
      await summary.getByText(/^Người đại diện theo pháp luật: Vui lòng nhập thông tin này/).waitFor();
      await summary.getByText(/^Văn bản đề nghị.*: Vui lòng tải lên giấy tờ này/).waitFor();
      await page.getByLabel('Người đại diện theo pháp luật').fill('Trần Thị Hoa');
      await page.getByLabel(/Chọn tệp để tải lên\s*\(TP05\)/).setInputFiles({ name: 'don-de-nghi.pdf', mimeType: 'application/pdf', buffer: pdf('Don de nghi') });
      await page.getByRole('button', { name: 'Xóa don-de-nghi.pdf' }).waitFor();
      await screenshot('counter-dossier');
      await page.getByRole('button', { name: 'Lưu và kiểm tra hồ sơ' }).click();

      await page.getByRole('heading', { level: 1, name: 'Kiểm tra và tiếp nhận' }).waitFor();
      await page.getByText('Công ty TNHH Mây tre Phú Vinh').waitFor();
      await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
      await summary.getByText(/Lời cam đoan/).waitFor();
      await page.getByLabel('Người nộp hồ sơ đã đọc và ký lời cam đoan').check();
      await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();

      await page.getByRole('heading', { level: 1, name: 'Phiếu tiếp nhận hồ sơ và hẹn trả kết quả' }).waitFor();
      const code = (await page.getByTestId('dossier-code').textContent())!.trim();
      assert.match(code, /^H20\.11-\d{6}-\d{4}$/);
      assert.match((await page.getByTestId('pin').textContent())!.trim(), /^\d{6}$/);
      assert.match((await page.getByTestId('due-at').textContent())!.trim(), DATE_TIME);
      assert.equal((await page.getByTestId('applicant').textContent())!.trim(), 'Trần Thị Hoa');
      await page.getByText(/^don-de-nghi\.pdf/).waitFor();
      await page.getByRole('button', { name: 'In phiếu' }).waitFor();
      await screenshot('counter-receipt');
      await page.emulateMedia({ media: 'print' });
      await screenshot('counter-receipt-print');
      await page.emulateMedia({ media: 'screen' });

      // Received at once: its next step, the hand-over, waits in the officer's inbox.
      await page.getByRole('link', { name: 'Hộp công việc' }).last().click();
      await page.getByRole('link', { name: code, exact: true }).waitFor();

      // A draft left by an applicant who walked away is listed by name, and discarded.
      const officer = ctx.account(`one-stop-officer @ ${AGENCY}`);
      const token = (await ctx.api<{ accessToken: string }>('POST', '/api/auth/login', { body: { username: officer.login, password: officer.password } })).body.accessToken;
      const abandoned = await ctx.api('POST', '/api/counter/dossiers', { token, body: { procedureCode: '2.000331', applicant: { fullName: 'Lò Văn Páo', idNumber: '011190004321' } } });
      assert.equal(abandoned.status, 201);
      await page.goto(`${ctx.baseUrl}/counter`);
      await page.getByRole('link', { name: 'Lò Văn Páo' }).waitFor();
      await screenshot('counter-drafts');
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: /Xóa bản nháp/ }).filter({ hasText: 'Lò Văn Páo' }).click();
      await page.getByRole('link', { name: 'Lò Văn Páo' }).waitFor({ state: 'detached' });
    },
  },
];
