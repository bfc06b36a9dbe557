import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { Journey, JourneyContext } from './harness.js';

/** A PDF of about `kb` kB: enough bytes for the upload progress to show on a throttled connection. */
function pdf(kb: number): Buffer {
  const body = `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%${'x'.repeat(kb * 1024)}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(body);
}

const DATE_TIME = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;

async function login(page: Page, username: string, password: string) {
  await page.getByLabel('Email hoặc số định danh cá nhân').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

async function logout(page: Page) {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByRole('link', { name: 'Đăng nhập' }).waitFor();
}

const focusedId = (page: Page) => page.locator(':focus').getAttribute('id');

/** The error summary appears, takes the focus and lists `message`. */
async function expectErrorSummary(page: Page, message: string | RegExp) {
  const summary = page.getByRole('alert').filter({ hasText: 'Có lỗi cần sửa' });
  await summary.getByText(message).first().waitFor();
  assert.equal(await page.locator(':focus').getAttribute('aria-labelledby'), 'error-summary-title', 'the error summary has the focus');
}

async function registerAndLogOut({ page, screenshot }: JourneyContext) {
  await page.getByRole('link', { name: 'Đăng ký', exact: true }).click();
  await page.getByRole('heading', { name: 'Đăng ký tài khoản' }).waitFor();
  await page.getByLabel('Họ và tên').fill('Trần Thị Bình');
  await page.getByLabel('Số định danh cá nhân').fill('079188000002');
  await page.getByLabel('Số điện thoại').fill('12345');
  await page.getByLabel('Email').fill('binh@dvc.example');
  await page.getByLabel('Mật khẩu').fill('mat-khau-binh-1');
  await page.getByRole('button', { name: 'Đăng ký' }).click();
  // The API's field error lands on the phone number, linked from the summary.
  await expectErrorSummary(page, /^Số điện thoại:/);
  await page.getByRole('link', { name: /^Số điện thoại:/ }).click();
  assert.equal(await focusedId(page), 'phone');
  await screenshot('register-error');
  await page.getByLabel('Số điện thoại').fill('0987000002');
  await page.getByRole('button', { name: 'Đăng ký' }).click();
  await page.getByRole('heading', { name: 'Hồ sơ của tôi' }).waitFor();
  await page.getByText('Bạn chưa có hồ sơ nào.').waitFor();
  await logout(page);
}

async function browseByAgency({ page, screenshot }: JourneyContext) {
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thủ tục hành chính' }).click();
  await page.getByRole('heading', { level: 1, name: 'Danh mục thủ tục hành chính' }).waitFor();
  await page.getByLabel('Cơ quan giải quyết').selectOption({ label: 'Sở Thông tin và Truyền thông' });
  await page.getByLabel('Lĩnh vực').selectOption({ label: 'Báo chí' });
  await page.getByRole('button', { name: 'Áp dụng bộ lọc' }).click();
  await page.getByText('4 thủ tục', { exact: true }).waitFor();
  assert.match(page.url(), /agency=H20\.20&field=BC/);
  await page.getByRole('link', { name: 'Cho phép họp báo (nước ngoài)' }).waitFor();
  await screenshot('browse');
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Trang chủ' }).click();
}

async function searchAndOpenProcedure({ page, screenshot }: JourneyContext) {
  const search = page.getByRole('searchbox', { name: 'Tìm thủ tục hành chính' });
  await search.pressSequentially('cap giay phep thanh lap', { delay: 20 });
  // Found as-you-type, without diacritics.
  const result = page.getByRole('link', { name: 'Cấp Giấy phép thành lập Văn phòng đại diện của tổ chức xúc tiến thương mại nước ngoài tại Việt Nam' });
  await result.waitFor();
  await page.getByText(/Tìm thấy \d+ thủ tục cho “cap giay phep thanh lap”/).waitFor();
  await screenshot('search');
  await result.click();
  await page.getByRole('heading', { level: 1, name: /^Cấp Giấy phép thành lập Văn phòng đại diện/ }).waitFor();
  await page.getByText('3.000.000 ₫').waitFor();
  await page.getByText('10 ngày làm việc').waitFor();
  await screenshot('procedure');
}

async function fillEForm({ page, screenshot }: JourneyContext) {
  await page.getByRole('heading', { level: 1, name: 'Tờ khai' }).waitFor();
  await screenshot('form');
  await page.getByLabel('Tên tổ chức, doanh nghiệp').fill('Công ty TNHH Gốm Bát Tràng');
  await page.getByLabel('Mã số thuế').fill('12345');
  await page.getByLabel('Địa chỉ trụ sở').fill('Số 1 Hàng Gai, Hoàn Kiếm');
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  // The server's ajv rejects the tax code; the representative is still missing.
  await expectErrorSummary(page, /^Mã số thuế:/);
  await page.getByRole('link', { name: /^Mã số thuế:/ }).click();
  assert.equal(await focusedId(page), 'eform-taxCode');
  assert.match((await page.getByLabel('Mã số thuế').getAttribute('aria-describedby')) ?? '', /eform-taxCode-error/);
  await screenshot('form-error');
  await page.getByLabel('Mã số thuế').fill('0101234567');
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
  await expectErrorSummary(page, /^Người đại diện theo pháp luật: Vui lòng nhập thông tin này/);
  await page.getByLabel('Người đại diện theo pháp luật').fill('Lê Văn Cường');
  await page.getByRole('button', { name: 'Lưu và tiếp tục' }).click();
}

/** Polls the bar until it shows a value strictly between 0 and 100 %; false if the upload ended first. */
async function seesPartialProgress(progress: Locator): Promise<boolean> {
  for (;;) {
    const value = await progress.getAttribute('value', { timeout: 1_000 }).catch(() => null);
    if (value === null) return false;
    if (Number(value) > 0 && Number(value) < 100) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function uploadComponents({ page, context, screenshot }: JourneyContext) {
  await page.getByRole('heading', { level: 1, name: 'Giấy tờ kèm theo' }).waitFor();
  await screenshot('files');
  // A slow uplink, so that the progress bar has time to show.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
  const components = [
    { label: /Chọn tệp để tải lên\s*\(TP01\)/, name: 'don-de-nghi.pdf' },
    { label: /Chọn tệp để tải lên\s*\(TP02\)/, name: 'tu-cach-phap-ly.pdf' },
  ];
  for (const [i, component] of components.entries()) {
    await page.getByLabel(component.label).setInputFiles({ name: component.name, mimeType: 'application/pdf', buffer: pdf(600) });
    const progress = page.getByRole('progressbar', { name: `Đang tải lên ${component.name}` });
    await progress.waitFor();
    // The bar moves while the bytes go out, not only at the end.
    assert.ok(await seesPartialProgress(progress), 'the progress bar shows a value between 0 and 100');
    if (i === 0) await screenshot('files-uploading');
    await progress.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `Xóa ${component.name}` }).waitFor();
  }
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.getByText('Đã tải lên tu-cach-phap-ly.pdf').waitFor();
  await screenshot('files-done');
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
}

/** The result by post: the address is asked for, then kept for the check page. */
async function chooseDelivery({ page, screenshot }: JourneyContext) {
  await page.getByRole('heading', { level: 1, name: 'Nhận kết quả' }).waitFor();
  await page.getByLabel('Nhận qua dịch vụ bưu chính (chuyển phát đến địa chỉ)').check();
  await page.getByText('Phí chuyển phát: 25.000').waitFor();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await expectErrorSummary(page, /Nhập địa chỉ đầy đủ/);
  await page.getByLabel('Họ tên người nhận/gửi').fill('Nguyễn Văn An');
  await page.getByLabel('Số điện thoại').fill('0912 345 678');
  await page.getByLabel('Địa chỉ', { exact: true }).fill('Số 12 Trần Phú, phường Cẩm Thành, TP Quảng Ngãi');
  await screenshot('delivery');
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
}

async function checkAndSubmit({ page, screenshot }: JourneyContext) {
  await page.getByRole('heading', { level: 1, name: 'Kiểm tra và nộp' }).waitFor();
  await page.getByText('0101234567').waitFor();
  await page.getByText(/^don-de-nghi\.pdf/).waitFor();
  await page.getByText('Số 12 Trần Phú, phường Cẩm Thành, TP Quảng Ngãi').waitFor();
  await screenshot('check');
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expectErrorSummary(page, /Đánh dấu vào ô cam đoan/);
  await page.getByLabel('Tôi xin cam đoan những thông tin trên là đúng sự thật').check();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor();
  const code = (await page.getByTestId('dossier-code').textContent())!.trim();
  const dueAt = (await page.getByTestId('due-at').textContent())!.trim();
  const pin = (await page.getByTestId('pin').textContent())!.trim();
  assert.match(code, /^H20\.11-\d{6}-\d{4}$/);
  assert.match(dueAt, DATE_TIME);
  assert.match(pin, /^\d{6}$/);
  await screenshot('confirmation');
  return { code, pin };
}

async function lookUp({ page, screenshot }: JourneyContext, code: string, pin: string) {
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Tra cứu hồ sơ' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tra cứu hồ sơ' }).waitFor();
  await page.getByLabel('Mã hồ sơ').fill(code);
  const wrongPin = pin === '000000' ? '111111' : '000000';
  await page.getByLabel('Mã tra cứu').fill(wrongPin);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  // The same neutral answer for an unknown code and a wrong PIN.
  await expectErrorSummary(page, 'Mã hồ sơ hoặc mã tra cứu không đúng');
  await screenshot('lookup-not-found');
  await page.getByLabel('Mã tra cứu').fill(pin);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  const result = page.getByRole('region', { name: `Hồ sơ ${code}` });
  await result.getByText('Mới đăng ký').waitFor();
  assert.match((await result.getByText(DATE_TIME).first().textContent()) ?? '', DATE_TIME);
  await screenshot('lookup');
}

async function switchLanguage({ page, screenshot }: JourneyContext) {
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Track a dossier' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  // Remembered across reloads.
  await page.getByRole('heading', { level: 1, name: 'Track a dossier' }).waitFor();
  await screenshot('lookup-english');
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tra cứu hồ sơ' }).waitFor();
}

/** A submitted 2.000331 dossier of the demo citizen, made through the API. */
async function submittedDossier(ctx: JourneyContext, token: string): Promise<{ id: string; code: string }> {
  const form = { organizationName: 'Hợp tác xã Mây tre Phú Vinh', taxCode: '0101234567', address: 'Thôn Phú Vinh, Chương Mỹ', representative: 'Nguyễn Thị Hoa' };
  const draft = await ctx.api<{ id: string }>('POST', '/api/dossiers', { token, body: { procedureCode: '2.000331' } });
  await ctx.api('PUT', `/api/dossiers/${draft.body.id}/form`, { token, body: { data: form } });
  const upload = new FormData();
  upload.append('componentCode', 'TP05');
  upload.append('file', new Blob([pdf(1)], { type: 'application/pdf' }), 'de-nghi.pdf');
  const uploaded = await fetch(`${ctx.baseUrl}/api/dossiers/${draft.body.id}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: upload });
  assert.equal(uploaded.status, 201);
  const submitted = await ctx.api<{ id: string; code: string }>('POST', `/api/dossiers/${draft.body.id}/submit`, { token, body: { declarationAccepted: true } });
  assert.equal(submitted.status, 200);
  return submitted.body;
}

/** Officers of Sở Công Thương moving a dossier along, as their own pages will. */
function officers(ctx: JourneyContext) {
  const tokens = new Map<string, string>();
  const tokenOf = async (role: string) => {
    if (!tokens.has(role)) {
      const account = ctx.account(`${role} @ H20.11`);
      const login = await ctx.api<{ accessToken: string }>('POST', '/api/auth/login', { body: { username: account.login, password: account.password } });
      tokens.set(role, login.body.accessToken);
    }
    return tokens.get(role)!;
  };
  return {
    async act(role: string, code: string, actionCode: string, extra: Record<string, unknown> = {}) {
      const token = await tokenOf(role);
      const inbox = await ctx.api<{ items: { id: string; version: number; dossier: { code: string } }[] }>('GET', `/api/tasks?view=group&q=${encodeURIComponent(code)}`, { token });
      const task = inbox.body.items.find((item) => item.dossier.code === code);
      assert.ok(task, `${role} has a task on ${code}`);
      const done = await ctx.api('POST', `/api/tasks/${task.id}/actions`, { token, body: { actionCode, ...extra }, headers: { 'if-match': `"${task.version}"` } });
      assert.equal(done.status, 200, `${role} ${actionCode}: ${JSON.stringify(done.body)}`);
    },
    async userId(role: string) {
      return (await ctx.api<{ id: string }>('GET', '/api/me', { token: await tokenOf(role) })).body.id;
    },
  };
}

export const journeys: Journey[] = [
  {
    name: 'citizen submits a dossier and looks it up',
    async run(ctx) {
      const { page, screenshot } = ctx;
      await page.goto(ctx.baseUrl);
      await page.getByRole('heading', { level: 1, name: 'Dịch vụ công trực tuyến' }).waitFor();
      await screenshot('home');
      await registerAndLogOut(ctx);
      await browseByAgency(ctx);
      await searchAndOpenProcedure(ctx);
      await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click();
      // Not logged in: to the login page, and back to the procedure afterwards.
      await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
      await screenshot('login');
      const citizen = ctx.account('citizen');
      const idNumber = /ID (\d+)/.exec(citizen.description)![1]!;
      await login(page, idNumber, citizen.password);
      await page.getByRole('button', { name: 'Nộp hồ sơ trực tuyến' }).click();

      await fillEForm(ctx);
      await uploadComponents(ctx);
      await chooseDelivery(ctx);
      const { code, pin } = await checkAndSubmit(ctx);

      await page.getByRole('link', { name: 'Hồ sơ của tôi' }).first().click();
      await page.getByRole('link', { name: code }).waitFor();
      await screenshot('my-dossiers');
      await page.getByRole('link', { name: code }).click();
      await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
      await page.getByText('Nộp hồ sơ trực tuyến', { exact: true }).waitFor();
      await screenshot('dossier');

      await logout(page);
      await lookUp(ctx, code, pin);
      await switchLanguage(ctx);
    },
  },
  {
    name: 'citizen supplements, rates and withdraws',
    async run(ctx) {
      const { page, screenshot } = ctx;
      const citizen = ctx.account('citizen');
      const token = (await ctx.api<{ accessToken: string }>('POST', '/api/auth/login', { body: { username: citizen.login, password: citizen.password } })).body.accessToken;
      const dossier = await submittedDossier(ctx, token);
      const staff = officers(ctx);
      await staff.act('one-stop-officer', dossier.code, '1100');
      await staff.act('one-stop-officer', dossier.code, '2000');
      await staff.act('dept-leader', dossier.code, '2101', { assignee: await staff.userId('handler') });
      await staff.act('handler', dossier.code, '2300');
      await staff.act('dept-leader', dossier.code, '5200', { note: 'Bổ sung danh sách trích ngang sản phẩm' });

      await page.goto(`${ctx.baseUrl}/dossiers`);
      await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
      await login(page, citizen.login, citizen.password);
      await page.getByRole('link', { name: dossier.code }).click();
      const request = page.getByRole('region', { name: 'Hồ sơ cần bổ sung' });
      await request.getByText('Bổ sung danh sách trích ngang sản phẩm').waitFor();
      await request.getByLabel(/Chọn tệp để tải lên\s*\(TP06\)/).setInputFiles({ name: 'danh-sach.pdf', mimeType: 'application/pdf', buffer: pdf(2) });
      await request.getByText(/^danh-sach\.pdf/).waitFor();
      await screenshot('supplement-requested');
      await request.getByLabel('Ghi chú gửi cán bộ').fill('Đã bổ sung danh sách');
      await request.getByRole('button', { name: 'Nộp bổ sung' }).click();
      await page.getByText('Đã nộp bổ sung. Hồ sơ được chuyển lại cho cán bộ thụ lý.').waitFor();
      await page.getByText('Đang xử lý', { exact: true }).first().waitFor();
      await screenshot('supplemented');

      for (const [role, action] of [['handler', '2600'], ['dept-leader', '3100'], ['agency-leader', '3200'], ['clerk', '3300'], ['one-stop-officer', '4000']] as const) {
        await staff.act(role, dossier.code, action);
      }
      await page.reload();
      await page.getByRole('link', { name: 'Đánh giá mức độ hài lòng' }).click();
      await page.getByRole('heading', { level: 1, name: 'Đánh giá mức độ hài lòng' }).waitFor();
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await expectErrorSummary(page, /^Thái độ, cách ứng xử của cán bộ, công chức: Vui lòng chọn một mức/);
      await screenshot('rating-error');
      for (const group of await page.getByRole('group').all()) {
        const legend = await group.locator('legend').textContent();
        await group.getByLabel(legend?.includes('hài lòng') ? 'Rất hài lòng' : 'Tốt', { exact: true }).check();
      }
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.getByText('Cảm ơn bạn đã đánh giá.').waitFor();
      await screenshot('rated');

      const other = await submittedDossier(ctx, token);
      await page.goto(`${ctx.baseUrl}/dossiers/${other.id}`);
      await page.getByRole('link', { name: 'Rút hồ sơ' }).click();
      await page.getByRole('heading', { level: 1, name: 'Rút hồ sơ' }).waitFor();
      await page.getByRole('button', { name: 'Gửi đề nghị rút hồ sơ' }).click();
      await expectErrorSummary(page, /^Lý do rút hồ sơ: Vui lòng nhập lý do rút hồ sơ/);
      await page.getByLabel('Lý do rút hồ sơ').fill('Không còn nhu cầu');
      await screenshot('withdraw');
      await page.getByRole('button', { name: 'Gửi đề nghị rút hồ sơ' }).click();
      await page.getByRole('heading', { level: 1, name: `Hồ sơ ${other.code}` }).waitFor();
    },
  },
];
