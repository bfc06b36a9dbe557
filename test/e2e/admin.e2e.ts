import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { demoCertificate } from '../../server/signatures/certificate.service.js';
import { REPO, type Journey, type JourneyContext } from './harness.js';

/** The admin's journeys: draw and deploy a process, declare a procedure, manage staff, agencies and the calendar. */

const PROCESS_KEY = 'cap-phep-thu-nghiem';

/** A small PDF: the form and dossier uploads check the content's type. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function logInAsAdmin(ctx: JourneyContext, path: string) {
  const { page } = ctx;
  const admin = ctx.account('admin');
  await page.goto(`${ctx.baseUrl}${path}`);
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  await page.getByLabel('Email hoặc số định danh cá nhân').fill(admin.login);
  await page.getByLabel('Mật khẩu').fill(admin.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** The error summary appears, takes the focus and lists `message`. */
async function expectErrorSummary(page: Page, message: string | RegExp) {
  await page.getByRole('alert').filter({ hasText: 'Có lỗi cần sửa' }).getByText(message).first().waitFor();
  assert.equal(await page.locator(':focus').getAttribute('aria-labelledby'), 'error-summary-title', 'the error summary has the focus');
}

const focusedId = (page: Page) => page.locator(':focus').getAttribute('id');

/** Waits for a control to show `value` (the properties panel fills fields after the model changes). */
async function hasValue(control: Locator, value: string) {
  const deadline = Date.now() + 5_000;
  while ((await control.inputValue()) !== value) {
    if (Date.now() > deadline) assert.equal(await control.inputValue(), value);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Accepts the next confirm() the page shows. */
const acceptNextDialog = (page: Page) => page.once('dialog', (dialog) => void dialog.accept());

async function apiToken(ctx: JourneyContext, login: string, password: string): Promise<string> {
  const answer = await ctx.api<{ accessToken: string }>('POST', '/api/auth/login', { body: { username: login, password } });
  assert.equal(answer.status, 200, `log in ${login}`);
  return answer.body.accessToken;
}

// ---- The process designer (bpmn-js driven through its palette, context pad and properties panel) ----

function designer(page: Page) {
  const canvas = page.locator('.canvas');
  const shape = (id: string) => page.locator(`.djs-shape[data-element-id="${id}"]`);
  return {
    canvas,
    shape,
    /** A blank spot of the canvas: deselects, and shows the process itself in the panel. */
    clickBlank: () => canvas.click({ position: { x: 700, y: 450 } }),
    /** Selects an element (a click on a selected one would deselect it). */
    async select(element: Locator) {
      if (!((await element.getAttribute('class')) ?? '').includes('selected')) await element.click();
    },
    /** An entry of the selected element's context pad, by its title. */
    contextPad: (title: string) => page.locator(`.djs-context-pad [title="${title}"]`).click(),
    group: (label: string) => page.locator('.bio-properties-panel-group-header', { hasText: label }),
  };
}

async function drawProcess({ page, screenshot }: JourneyContext): Promise<string> {
  const d = designer(page);
  await page.getByRole('heading', { level: 1, name: 'Thiết kế quy trình' }).waitFor();
  // A blank diagram: only a start event, so the lint wants an end event and a connection.
  await page.getByRole('heading', { name: 'Lỗi trên sơ đồ (2)' }).waitFor();
  await screenshot('designer-blank');

  // The process's key and name, in the standard "General" group of the panel.
  await d.clickBlank();
  await d.group('Chung').click();
  await page.getByLabel('Mã (ID)').fill(PROCESS_KEY);
  await page.getByLabel('Tên', { exact: true }).fill('Quy trình cấp phép thử nghiệm');

  // start → task, named as it is appended; then the task becomes a user task.
  await d.select(d.shape('submitted'));
  await d.contextPad('Nối tiếp bước');
  await page.keyboard.type('Tiếp nhận hồ sơ');
  await d.clickBlank();
  const task = page.locator('.djs-shape[data-element-id^="Activity_"]');
  const taskId = (await task.getAttribute('data-element-id'))!;
  await d.select(task);
  await d.contextPad('Đổi loại phần tử');
  await page.locator('.djs-popup').getByText('Bước xử lý (user task)').click();

  // The lint marks the task on the diagram (overlay) and in the list under it.
  const noGroups = /Bước "Tiếp nhận hồ sơ" chưa có nhóm xử lý/;
  await page.getByRole('button', { name: noGroups }).waitFor();
  const marker = page.locator(`.djs-overlays[data-container-id="${taskId}"] .bjsl-overlay`);
  await marker.waitFor();
  await marker.hover();
  await page.locator('.bjsl-dropdown .message').getByText(noGroups).waitFor();
  await screenshot('designer-lint');

  // task → end, then a deploy: refused, every problem listed, each leading to its element.
  await d.select(task);
  await d.contextPad('Nối tiếp sự kiện kết thúc');
  await d.clickBlank();
  await page.getByRole('button', { name: 'Triển khai' }).click();
  const refused = page.getByRole('alert').filter({ hasText: /Chưa triển khai được: sơ đồ có 2 lỗi/ });
  await refused.waitFor();
  await refused.getByRole('button', { name: /không có thao tác nào/ }).waitFor();
  await screenshot('designer-deploy-refused');

  // The same problems in English, for an English-speaking admin.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: /User task "Tiếp nhận hồ sơ" has no candidateGroups/ }).first().waitFor();
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await page.getByRole('button', { name: noGroups }).first().waitFor();

  // Fix: candidate groups in the "Một cửa (DVC)" group, reached from the problem list.
  await refused.getByRole('button', { name: noGroups }).click();
  await page.locator('.bio-properties-panel-header-label').getByText('Tiếp nhận hồ sơ').waitFor();
  await page.getByLabel('Cán bộ một cửa').check();
  await page.getByLabel('Thời hạn bước').fill('4x');
  await page.getByText('Thời hạn phải có dạng 4h hoặc 2d.').waitFor();
  await page.getByLabel('Thời hạn bước').fill('4h');
  // Edited: the refused deploy's list is gone, the live list no longer has the problem.
  await refused.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: noGroups }).waitFor({ state: 'detached' });

  // Fix: the action on the flow leaving the task (the rightmost connection).
  await d.clickBlank();
  const flows = await page.locator('.djs-connection').evaluateAll((elements) =>
    elements.map((e) => {
      const { x, y, width, height } = e.getBoundingClientRect();
      return { x: x + width / 2, y: y + height / 2 };
    }),
  );
  const outgoing = flows.sort((a, b) => b.x - a.x)[0]!;
  await page.mouse.click(outgoing.x, outgoing.y);
  await page.getByLabel('Mã thao tác').selectOption({ label: '1100 — Tiếp nhận hồ sơ' });
  await hasValue(page.getByLabel('Tên thao tác'), 'Tiếp nhận hồ sơ');
  await page.getByText('Sơ đồ không có lỗi, có thể triển khai.').waitFor();
  await screenshot('designer-clean');

  await page.getByRole('button', { name: 'Triển khai' }).click();
  await page.getByText(`Đã triển khai phiên bản 1 của quy trình ${PROCESS_KEY}.`).waitFor();
  await screenshot('designer-deployed');
  return taskId;
}

async function exportAndImport({ page }: JourneyContext) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải tệp .bpmn' }).click()]);
  assert.equal(download.suggestedFilename(), `${PROCESS_KEY}.bpmn`);
  const exported = await readFile((await download.path())!, 'utf8');
  assert.match(exported, /dvc:candidateGroups="one-stop-officer"/);
  assert.match(exported, /dvc:actionCode="1100" dvc:actionName="Tiếp nhận hồ sơ"/);

  // Another diagram from a file; the one on screen is deployed, so no question is asked.
  await page.getByLabel('Mở tệp .bpmn').setInputFiles({ name: 'lien-thong.bpmn', mimeType: 'application/xml', buffer: await readFile(join(REPO, 'processes', 'inter-agency.bpmn')) });
  await page.locator('.djs-shape[data-element-id="sendToPartner"]').waitFor();
  await page.getByText('Sơ đồ không có lỗi, có thể triển khai.').waitFor();
}

async function secondVersionAndDiff(ctx: JourneyContext, taskId: string) {
  const { page, screenshot } = ctx;
  const d = designer(page);
  const versions = await ctx.api<{ id: string; version: number }[]>('GET', `/api/process-definitions?key=${PROCESS_KEY}`, {
    token: await apiToken(ctx, ctx.account('admin').login, ctx.account('admin').password),
  });
  await page.goto(`${ctx.baseUrl}/admin/processes/designer?from=${versions.body[0]!.id}`);
  await page.getByText('Bắt đầu từ phiên bản 1 của “Quy trình cấp phép thử nghiệm”', { exact: false }).waitFor();
  await d.select(d.shape(taskId));
  await page.getByLabel('Thời hạn bước').fill('1d');
  await page.getByLabel('Trạng thái hồ sơ').selectOption('2');
  await page.getByText('Sơ đồ không có lỗi, có thể triển khai.').waitFor();
  await page.getByRole('button', { name: 'Triển khai' }).click();
  await page.getByText(`Đã triển khai phiên bản 2 của quy trình ${PROCESS_KEY}.`).waitFor();

  await page.getByRole('link', { name: 'Xem các phiên bản' }).click();
  const section = page.getByRole('region', { name: 'Quy trình cấp phép thử nghiệm' });
  await section.getByRole('cell', { name: '2', exact: true }).waitFor();
  await screenshot('processes');
  await section.getByRole('button', { name: /So sánh/ }).click();
  await page.getByRole('heading', { level: 1, name: 'So sánh phiên bản 1 với phiên bản 2' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: taskId });
  await row.getByText('Đổi thuộc tính').waitFor();
  await row.getByText('Thời hạn bước').waitFor();
  await row.getByText('1d', { exact: true }).waitFor();
  await page.locator('.diagram .djs-element.diff-changed').first().waitFor();
  await screenshot('process-diff');
}

// ---- The procedure catalogue ----

async function createProcedure({ page, screenshot }: JourneyContext) {
  await page.getByRole('heading', { level: 1, name: 'Thủ tục hành chính' }).waitFor();
  await screenshot('procedures');
  await page.getByRole('link', { name: 'Thêm thủ tục' }).click();
  await page.getByRole('heading', { level: 1, name: 'Thêm thủ tục' }).waitFor();
  await page.getByLabel('Mã thủ tục').fill('1.004227');
  await page.getByLabel('Tên thủ tục').fill('Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke');
  await page.getByLabel('Cơ quan giải quyết').selectOption({ label: 'Sở Văn hóa, Thể thao và Du lịch' });
  await page.getByLabel('Lĩnh vực').selectOption({ label: 'Di sản văn hóa' });
  await page.getByLabel('Toàn trình').check();
  await page.getByLabel('Thời hạn giải quyết (ngày làm việc)').fill('5');
  await page.getByLabel('Căn cứ pháp lý').fill('Nghị định 54/2019/NĐ-CP');
  await page.getByLabel('Lệ phí (đồng)').fill('4.000.000');
  await page.getByText('4.000.000 ₫').waitFor();
  await page.getByLabel('Chỉ được thu, không sửa số tiền').check();
  await page.getByLabel('Quy trình', { exact: true }).selectOption({ label: 'Quy trình tổng thể một cửa (standard-one-stop)' });

  // Two components; the second first gets the same code, which the API refuses with its path.
  await page.getByRole('button', { name: 'Thêm giấy tờ công dân nộp' }).click();
  assert.equal(await focusedId(page), 'component-0-name');
  await page.keyboard.type('Đơn đề nghị cấp giấy phép (Mẫu số 01)');
  await page.getByRole('button', { name: 'Thêm kết quả' }).click();
  await page.keyboard.type('Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke');
  await page.locator('#component-1-code').fill('TP01');
  await page.locator('#component-1-signatureRequired').check();
  await page.locator('#component-1-type-2').check();

  // The eForm: JSON checked as it is typed, previewed with the citizens' renderer.
  const schema = page.getByLabel('Lược đồ tờ khai (JSON Schema)');
  await schema.fill('{ "type": "object", ');
  await page.getByText(/^Lỗi:JSON chưa hợp lệ/).waitFor();
  await schema.fill(JSON.stringify({ type: 'object', required: ['businessName'], properties: { businessName: { type: 'string', title: 'Tên cơ sở kinh doanh', minLength: 1 } } }, null, 2));
  await page.getByRole('region', { name: 'Xem trước tờ khai' }).getByLabel('Tên cơ sở kinh doanh').waitFor();
  await page.getByLabel('Công bố thủ tục trên Cổng Dịch vụ công').check();
  await page.getByRole('button', { name: 'Tạo thủ tục' }).click();

  await expectErrorSummary(page, /^Thành phần 2 — Mã thành phần: Mã thành phần TP01 bị trùng/);
  await screenshot('procedure-error');
  await page.getByRole('link', { name: /^Thành phần 2 — Mã thành phần/ }).click();
  assert.equal(await focusedId(page), 'component-1-code');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('KQ01');
  // Reordered by keyboard: the result goes first and back, the focus staying on the moved row.
  await page.getByRole('button', { name: 'Lên KQ01' }).click();
  assert.equal(await focusedId(page), 'component-0-down');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#component-1-code').inputValue(), 'KQ01');
  await page.getByRole('button', { name: 'Tạo thủ tục' }).click();

  await page.getByText('Đã tạo thủ tục. Có thể thêm biểu mẫu tải về ở cuối trang.').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke' }).waitFor();
  await screenshot('procedure-editor');

  // A downloadable form: the name first, then the file.
  await page.getByLabel('Tên biểu mẫu').fill('Mẫu đơn đề nghị (Mẫu số 01)');
  await page.getByLabel('Tệp biểu mẫu').setInputFiles({ name: 'mau-01.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Tải lên biểu mẫu' }).click();
  await page.getByRole('link', { name: 'Mẫu đơn đề nghị (Mẫu số 01)' }).waitFor();
}

async function seeInPublicCatalogue({ page, baseUrl }: JourneyContext) {
  await page.getByRole('link', { name: 'Xem trang công khai' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke' }).waitFor();
  await page.getByText('4.000.000 ₫').waitFor();
  await page.getByText('Đơn đề nghị cấp giấy phép (Mẫu số 01)').waitFor();
  // The form uploaded above is offered for download.
  const form = page.getByRole('link', { name: 'Mẫu đơn đề nghị (Mẫu số 01)' });
  const download = await Promise.all([page.waitForEvent('download'), form.click()]).then(([d]) => d);
  assert.equal(download.suggestedFilename(), 'mau-01.pdf');
  // And found by the public search, without diacritics.
  await page.goto(`${baseUrl}/procedures?q=${encodeURIComponent('karaoke')}`);
  await page.getByRole('link', { name: 'Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke' }).waitFor();
}

/** A procedure with a dossier cannot be deleted: the page says to unpublish it instead. */
async function refuseDeletingUsedProcedure(ctx: JourneyContext) {
  const { page } = ctx;
  const citizen = ctx.account('citizen');
  const token = await apiToken(ctx, citizen.login, citizen.password);
  const draft = await ctx.api('POST', '/api/dossiers', { token, body: { procedureCode: '1.004227' }, headers: { 'idempotency-key': 'admin-e2e-karaoke' } });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  await page.goto(`${ctx.baseUrl}/admin/procedures/1.004227`);
  acceptNextDialog(page);
  await page.getByRole('button', { name: 'Xóa thủ tục' }).click();
  await expectErrorSummary(page, /Thủ tục đã có hồ sơ nên không xóa được/);
  await page.getByText('Để ngừng nhận hồ sơ mới, bỏ chọn').waitFor();
  await ctx.screenshot('procedure-in-use');
}

// ---- Staff, agencies and fields, the calendar ----

/** A submitted dossier of Phường Cẩm Thành (CT01), through the API as a citizen would. */
async function communeDossier(ctx: JourneyContext): Promise<string> {
  const citizen = ctx.account('citizen');
  const token = await apiToken(ctx, citizen.login, citizen.password);
  const draft = await ctx.api<{ id: string }>('POST', '/api/dossiers', { token, body: { procedureCode: 'CT01' }, headers: { 'idempotency-key': 'admin-e2e-ct01' } });
  await ctx.api('PUT', `/api/dossiers/${draft.body.id}/form`, { token, body: { data: { documentName: 'Bằng tốt nghiệp', copies: 2 } } });
  const upload = new FormData();
  upload.append('componentCode', 'TP01');
  upload.append('file', new Blob([PDF], { type: 'application/pdf' }), 'bang.pdf');
  const uploaded = await fetch(`${ctx.baseUrl}/api/dossiers/${draft.body.id}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: upload });
  assert.equal(uploaded.status, 201);
  const submitted = await ctx.api<{ code: string }>('POST', `/api/dossiers/${draft.body.id}/submit`, { token, body: { declarationAccepted: true } });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  return submitted.body.code;
}

async function createStaff({ page, screenshot }: JourneyContext): Promise<{ email: string; password: string }> {
  await page.getByRole('heading', { level: 1, name: 'Tài khoản cán bộ' }).waitFor();
  await screenshot('staff');
  await page.getByRole('link', { name: 'Thêm tài khoản cán bộ' }).click();
  await page.getByLabel('Họ và tên').fill('Phạm Thị Thu');
  const email = 'thu.pt@camthanh.example';
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Vai trò 1').selectOption({ label: 'Cán bộ một cửa' });
  await page.getByLabel('Cơ quan').selectOption({ label: 'Ủy ban nhân dân phường Cẩm Thành' });
  await page.getByRole('button', { name: 'Thêm vai trò' }).click();
  assert.equal(await focusedId(page), 'role-1-role');
  await page.getByLabel('Vai trò 2').selectOption({ label: 'Cán bộ một cửa' });
  await page.getByLabel('Cơ quan').nth(1).selectOption({ label: 'Ủy ban nhân dân phường Cẩm Thành' });
  await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expectErrorSummary(page, /^Vai trò 2 — Vai trò: Vai trò này đã có ở dòng trên/);
  await page.getByRole('button', { name: 'Bỏ vai trò 2' }).click();
  await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await page.getByRole('heading', { level: 1, name: 'Đã tạo tài khoản cho Phạm Thị Thu' }).waitFor();
  const password = (await page.locator('.password').textContent())!.trim();
  assert.ok(password.length >= 12, 'a generated password is shown once');
  await screenshot('staff-created');
  return { email, password };
}

async function lockAndUnlock(ctx: JourneyContext, officer: { email: string; password: string }) {
  const { page, screenshot } = ctx;
  // The new officer takes a dossier at the counter's inbox: locking must list it.
  const code = await communeDossier(ctx);
  const token = await apiToken(ctx, officer.email, officer.password);
  const inbox = await ctx.api<{ items: { id: string; dossier: { code: string } }[] }>('GET', `/api/tasks?view=group&q=${encodeURIComponent(code)}`, { token });
  const task = inbox.body.items.find((item) => item.dossier.code === code);
  assert.ok(task, 'the new officer sees the dossier');
  assert.equal((await ctx.api('POST', `/api/tasks/${task.id}/claim`, { token })).status, 200);

  await page.getByRole('link', { name: 'Xem tài khoản' }).click();
  await page.getByRole('heading', { level: 1, name: 'Phạm Thị Thu' }).waitFor();
  acceptNextDialog(page);
  await page.getByRole('button', { name: 'Khóa tài khoản' }).click();
  await page.getByText('Đã khóa tài khoản của Phạm Thị Thu.').waitFor();
  await page.getByRole('heading', { name: 'Đã trả 1 hồ sơ về nhóm xử lý' }).waitFor();
  await page.locator('.panel-warning').getByText(code).waitFor();
  // Back in the group's inbox, held by nobody: a colleague of the group sees it there.
  const colleague = ctx.account('one-stop-officer @ H20.24.16');
  const shared = await ctx.api<{ items: { id: string; assignee: string | null }[] }>('GET', `/api/tasks?view=group&q=${encodeURIComponent(code)}`, {
    token: await apiToken(ctx, colleague.login, colleague.password),
  });
  assert.deepEqual(shared.body.items.filter((item) => item.id === task.id).map((item) => item.assignee), [null]);
  await screenshot('staff-locked');
  assert.equal((await ctx.api('POST', '/api/auth/login', { body: { username: officer.email, password: officer.password } })).status, 403, 'a locked account cannot log in');

  await page.getByRole('button', { name: 'Mở khóa tài khoản' }).click();
  await page.getByText('Đã mở khóa tài khoản của Phạm Thị Thu.').waitFor();
  await page.getByText('Đang hoạt động').waitFor();
  assert.equal((await ctx.api('POST', '/api/auth/login', { body: { username: officer.email, password: officer.password } })).status, 200);
}

async function agenciesAndFields({ page, screenshot }: JourneyContext) {
  await page.getByRole('navigation', { name: 'Các mục quản trị' }).getByRole('link', { name: 'Cơ quan và lĩnh vực' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cơ quan và lĩnh vực' }).waitFor();
  const addField = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Thêm lĩnh vực' }) });
  await addField.getByLabel('Mã').fill('KARAOKE');
  await addField.getByLabel('Tên').fill('Kinh doanh karaoke, vũ trường');
  await addField.getByRole('button', { name: 'Thêm lĩnh vực' }).click();
  await page.getByRole('button', { name: 'Đổi tên Kinh doanh karaoke, vũ trường' }).waitFor();
  // The same code again: the API's 409 lands on the code.
  await addField.getByLabel('Mã').fill('KARAOKE');
  await addField.getByLabel('Tên').fill('Trùng mã');
  await addField.getByRole('button', { name: 'Thêm lĩnh vực' }).click();
  await expectErrorSummary(page, /^Mã: Mã đã được dùng/);
  await page.getByRole('button', { name: 'Đổi tên Kinh doanh karaoke, vũ trường' }).click();
  assert.equal(await focusedId(page), 'field-edit-name');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('Karaoke, vũ trường');
  await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  await page.getByRole('button', { name: 'Đổi tên Karaoke, vũ trường' }).waitFor();
  assert.equal(await focusedId(page), 'field-KARAOKE-edit');
  await screenshot('catalogue');
}

async function addHoliday({ page, screenshot }: JourneyContext) {
  await page.getByRole('navigation', { name: 'Các mục quản trị' }).getByRole('link', { name: 'Lịch làm việc' }).click();
  const year = new Date().getFullYear();
  await page.getByRole('heading', { level: 1, name: `Lịch làm việc năm ${year}` }).waitFor();
  // Next year's Tết is entered by hand: an example day of it.
  await page.getByRole('link', { name: `Năm ${year + 1}` }).click();
  await page.getByRole('heading', { level: 1, name: `Lịch làm việc năm ${year + 1}` }).waitFor();
  const weekday = `${year + 1}-02-0${[1, 2, 3, 4, 5, 6, 7].find((d) => ![0, 6].includes(new Date(Date.UTC(year + 1, 1, d)).getUTCDay()))}`;
  await page.getByLabel('Ngày', { exact: true }).fill(weekday);
  await page.getByLabel('Ngày làm bù').check();
  await page.getByLabel('Tên ngày').fill('Làm bù');
  await page.getByRole('button', { name: 'Lưu ngày' }).click();
  // A compensatory working day falls on a weekend.
  await expectErrorSummary(page, /Ngày làm bù phải là thứ Bảy hoặc Chủ nhật/);
  await page.getByLabel('Ngày nghỉ', { exact: true }).check();
  await page.getByLabel('Tên ngày').fill('Tết Nguyên đán (mùng 3)');
  await page.getByRole('button', { name: 'Lưu ngày' }).click();
  const [y, m, dd] = weekday.split('-');
  await page.getByRole('listitem').filter({ hasText: 'Tết Nguyên đán (mùng 3)' }).getByRole('time').getByText(`${dd}/${m}/${y}`).waitFor();
  await screenshot('calendar');
}

/** An agency's signing certificate: the demo's is listed; a wrong password is refused at the field; a new one takes over. */
async function signingCertificate({ page, screenshot, baseUrl }: JourneyContext) {
  await page.goto(`${baseUrl}/admin/certificates`);
  await page.getByRole('heading', { level: 1, name: 'Chứng thư số' }).waitFor();
  await page.getByLabel('Cơ quan').selectOption({ label: 'Sở Công Thương' });
  await page.getByRole('button', { name: 'Xem chứng thư' }).click();
  await page.getByRole('heading', { level: 2, name: 'Chứng thư của Sở Công Thương' }).waitFor();
  await page.getByText('Đang dùng').first().waitFor();
  const renewed = await demoCertificate('Sở Công Thương — chứng thư 2027');
  await page.getByLabel('Tệp chứng thư (.p12, .pfx)').setInputFiles({ name: 'so-cong-thuong.p12', mimeType: 'application/x-pkcs12', buffer: renewed.p12 });
  await page.getByLabel('Mật khẩu của tệp').fill('not-the-password');
  await page.getByRole('button', { name: 'Tải lên và dùng chứng thư này' }).click();
  await expectErrorSummary(page, /Mật khẩu của tệp: Mật khẩu của chứng thư số không đúng/);
  await screenshot('certificate-wrong-password');
  await page.getByLabel('Mật khẩu của tệp').fill(renewed.password);
  await page.getByRole('button', { name: 'Tải lên và dùng chứng thư này' }).click();
  await page.getByRole('status').getByText(/Đã tải lên chứng thư/).waitFor();
  // The new one is in use; the demo's is kept, replaced, so that what it signed stays trusted.
  await page.getByText('Đã thay thế').first().waitFor();
  await screenshot('certificates');
}

export const journeys: Journey[] = [
  {
    name: 'admin draws, lints and deploys a process',
    async run(ctx) {
      const { page, screenshot } = ctx;
      await logInAsAdmin(ctx, '/admin');
      await page.getByRole('heading', { level: 1, name: 'Quản trị hệ thống' }).waitFor();
      await screenshot('admin-home');
      await page.getByRole('navigation', { name: 'Các mục quản trị' }).getByRole('link', { name: 'Quy trình xử lý' }).click();
      await page.getByRole('link', { name: 'Vẽ quy trình mới' }).click();
      const taskId = await drawProcess(ctx);
      await exportAndImport(ctx);
      await secondVersionAndDiff(ctx, taskId);
    },
  },
  {
    name: 'admin declares a procedure that citizens find',
    async run(ctx) {
      await logInAsAdmin(ctx, '/admin/procedures');
      await createProcedure(ctx);
      await seeInPublicCatalogue(ctx);
      await refuseDeletingUsedProcedure(ctx);
    },
  },
  {
    name: 'admin manages staff, the catalogue and the calendar',
    async run(ctx) {
      await logInAsAdmin(ctx, '/admin/staff');
      const officer = await createStaff(ctx);
      await lockAndUnlock(ctx, officer);
      await agenciesAndFields(ctx);
      await addHoliday(ctx);
      await signingCertificate(ctx);
    },
  },
];
