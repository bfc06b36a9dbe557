import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { Journey, JourneyContext } from './harness.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface HistoryEvent {
  seq: number;
  type: string;
  elementId: string | null;
}

async function tokenOf(ctx: JourneyContext, description: string): Promise<string> {
  const account = ctx.account(description);
  const login = await ctx.api<{ accessToken: string }>('POST', '/api/auth/login', { body: { username: account.login, password: account.password } });
  assert.equal(login.status, 200, `${description} logs in`);
  return login.body.accessToken;
}

/**
 * A 2.000331 dossier (Sở Công Thương) submitted by the demo citizen and moved by the agency's officers through
 * the API: received, handed over by mistake and undone, handed over again, assigned to the handler.
 */
async function handledDossier(ctx: JourneyContext): Promise<{ id: string; code: string }> {
  const citizen = await tokenOf(ctx, 'citizen');
  const draft = await ctx.api<{ id: string }>('POST', '/api/dossiers', { token: citizen, body: { procedureCode: '2.000331' } });
  const form = { organizationName: 'Hợp tác xã Gốm Phù Lãng', taxCode: '0101234567', address: 'Thôn Phù Lãng, Quế Võ', representative: 'Đỗ Văn Tâm' };
  assert.equal((await ctx.api('PUT', `/api/dossiers/${draft.body.id}/form`, { token: citizen, body: { data: form } })).status, 200);
  const upload = new FormData();
  upload.append('componentCode', 'TP05');
  upload.append('file', new Blob([PDF], { type: 'application/pdf' }), 'de-nghi.pdf');
  const uploaded = await fetch(`${ctx.baseUrl}/api/dossiers/${draft.body.id}/files`, { method: 'POST', headers: { authorization: `Bearer ${citizen}` }, body: upload });
  assert.equal(uploaded.status, 201);
  const submitted = await ctx.api<{ id: string; code: string }>('POST', `/api/dossiers/${draft.body.id}/submit`, { token: citizen, body: { declarationAccepted: true } });
  assert.equal(submitted.status, 200);
  const { id, code } = submitted.body;

  const officer = await tokenOf(ctx, 'one-stop-officer @ H20.11');
  const leader = await tokenOf(ctx, 'dept-leader @ H20.11');
  const handlerId = (await ctx.api<{ id: string }>('GET', '/api/me', { token: await tokenOf(ctx, 'handler @ H20.11') })).body.id;
  const act = async (token: string, actionCode: string, extra: Record<string, unknown> = {}) => {
    const inbox = await ctx.api<{ items: { id: string; version: number; dossier: { code: string } }[] }>('GET', `/api/tasks?q=${encodeURIComponent(code)}`, { token });
    const task = inbox.body.items.find((item) => item.dossier.code === code);
    assert.ok(task, `a task on ${code}`);
    const done = await ctx.api('POST', `/api/tasks/${task.id}/actions`, { token, body: { actionCode, ...extra }, headers: { 'if-match': `"${task.version}"` } });
    assert.equal(done.status, 200, `${actionCode}: ${JSON.stringify(done.body)}`);
  };
  await act(officer, '1100', { note: 'Hồ sơ đủ thành phần' });
  await act(officer, '2000');
  assert.equal((await ctx.api('POST', `/api/dossiers/${id}/undo`, { token: officer, body: { reason: 'Bàn giao nhầm phòng' } })).status, 200);
  await act(officer, '2000');
  await act(leader, '2101', { assignee: handlerId });
  return { id, code };
}

/** Vietnam's date today, as the report's period takes it. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

const activeElements = (page: Page) => page.locator('g.djs-element.audit-active').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-element-id')));

async function logIn(page: Page, username: string, password: string) {
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  await page.getByLabel('Email hoặc số định danh cá nhân').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

async function findDossier({ page, screenshot }: JourneyContext, code: string) {
  await page.getByRole('heading', { level: 1, name: 'Thanh tra, kiểm tra' }).waitFor();
  // As the auditor types the start of the code, the matching dossiers appear.
  await page.getByLabel('Mã hồ sơ hoặc tên người nộp').fill(code.slice(0, -2));
  await page.getByRole('status').getByText(/^Tìm thấy \d+ hồ sơ$/).waitFor();
  await screenshot('audit-search');
  await page.getByRole('link', { name: code }).click();
}

async function replayDossier(ctx: JourneyContext, history: HistoryEvent[]) {
  const { page, screenshot } = ctx;
  await page.getByRole('heading', { level: 1, name: 'Phát lại hồ sơ' }).waitFor();
  const verdict = page.getByRole('region', { name: 'Nhật ký toàn vẹn' });
  await verdict.getByText(`Đã tính lại chuỗi mã băm của ${history.length} sự kiện`).waitFor();
  await verdict.getByText(/^Mã băm cuối: [0-9a-f]{64}$/).waitFor();
  await page.locator('g.djs-element[data-element-id="receive"]').waitFor();

  const position = page.getByTestId('replay-position');
  const location = page.getByTestId('replay-location');
  const details = page.getByTestId('replay-step');
  // It opens on the dossier as it stands: with the handler.
  await position.getByText(`Sự kiện ${history.length}/${history.length}:`).waitFor();
  assert.match((await location.textContent()) ?? '', /Chuyên viên thụ lý/);
  assert.ok((await activeElements(page)).includes('handle'), 'the token is on the handling task');

  await page.getByRole('button', { name: 'Sự kiện đầu tiên' }).click();
  await position.getByText(`Sự kiện 1/${history.length}: Bắt đầu quy trình`).waitFor();
  assert.equal(await location.textContent(), 'Không ở bước nào');
  assert.deepEqual(await activeElements(page), []);

  // The range input: straight to the reception task…
  const slider = page.getByRole('slider', { name: 'Sự kiện đang xem' });
  const entered = history.find((e) => e.type === 'element.entered' && e.elementId === 'receive')!.seq;
  await slider.fill(String(entered));
  await position.getByText(`Sự kiện ${entered}/${history.length}: Vào bước — Tiếp nhận hồ sơ`).waitFor();
  assert.ok((await activeElements(page)).includes('receive'));
  // …then by keyboard to the officer's action, its note shown.
  const completed = history.find((e) => e.type === 'task.completed' && e.elementId === 'receive')!.seq;
  await slider.focus();
  for (let seq = entered; seq < completed; seq++) await page.keyboard.press('ArrowRight');
  await position.getByText(`Sự kiện ${completed}/${history.length}: Hoàn thành công việc — Tiếp nhận hồ sơ`).waitFor();
  await details.getByText('Tiếp nhận hồ sơ (1100)').waitFor();
  await details.getByText('Hồ sơ đủ thành phần').waitFor();
  assert.match((await details.getByText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/).textContent()) ?? '', /:\d{2}:\d{2}$/);
  await page.getByRole('button', { name: 'Sự kiện tiếp theo' }).click();
  await position.getByText(`Sự kiện ${completed + 1}/${history.length}: Rời bước — Tiếp nhận hồ sơ`).waitFor();

  // The undo, from the list of events: the token goes back to the hand-over.
  const undone = history.find((e) => e.type === 'command.undone')!.seq;
  await page.getByRole('button', { name: `Xem trên sơ đồ (sự kiện số ${undone})` }).click();
  await position.getByText(`Sự kiện ${undone}/${history.length}: Hoàn tác thao tác`).waitFor();
  await details.getByText('Bàn giao nhầm phòng').waitFor();
  await location.getByText('Bàn giao thụ lý').waitFor();
  assert.ok((await activeElements(page)).includes('transfer'));
  assert.equal(await page.locator(':focus').getAttribute('id'), 'replay-step', 'the scrubber has the focus after a jump from the list');

  await page.getByRole('button', { name: 'Sự kiện cuối cùng' }).click();
  await position.getByText(`Sự kiện ${history.length}/${history.length}:`).waitFor();
  await screenshot('replay');
}

async function heatmap({ page, screenshot }: JourneyContext) {
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thanh tra' }).click();
  await page.getByRole('link', { name: 'Bản đồ nhiệt: Quy trình tổng thể một cửa, phiên bản 1' }).click();
  await page.getByRole('heading', { level: 1, name: 'Quy trình tổng thể một cửa' }).waitFor();
  const row = page.getByRole('row', { name: /^Tiếp nhận hồ sơ / });
  const dossiers = Number((await row.getByRole('cell').first().textContent())?.trim());
  assert.ok(dossiers >= 1, 'the reception step counts the journey’s dossier');
  await page.locator('.audit-badge').filter({ hasText: `${dossiers} hồ sơ` }).first().waitFor();
  await page.getByRole('row', { name: 'Bàn giao cho phòng chuyên môn (Bàn giao thụ lý → Phân công thụ lý) 2' }).waitFor();
  await screenshot('heatmap');
}

async function report({ page, screenshot }: JourneyContext) {
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Báo cáo thống kê' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tình hình giải quyết thủ tục hành chính' }).waitFor();
  // A period that ends before it starts is refused before asking the API.
  await page.getByLabel('Từ ngày').fill('2024-08-21');
  await page.getByLabel('Đến ngày').fill('2024-08-01');
  await page.getByRole('button', { name: 'Xem báo cáo' }).click();
  await page.getByRole('alert').getByText('Đến ngày: Ngày kết thúc phải từ ngày bắt đầu trở đi').waitFor();

  const day = today();
  await page.getByRole('button', { name: 'Hôm nay' }).click();
  await page.waitForURL((url) => url.searchParams.get('from') === day && url.searchParams.get('to') === day);
  await page.getByRole('button', { name: 'Hôm nay', pressed: true }).waitFor();
  const table = page.getByRole('region', { name: 'Bảng số liệu' });
  const agency = table.getByRole('row', { name: /^Sở Công Thương / });
  const columns = await table.getByRole('columnheader').allTextContents();
  const online = Number(await agency.getByRole('cell').nth(columns.indexOf('Tiếp nhận trực tuyến') - 1).textContent());
  assert.ok(online >= 1, 'the journey’s dossier was received online today');
  await table.getByRole('row', { name: /^Tổng cộng / }).waitFor();
  await page.getByRole('figure', { name: /^Tỷ lệ giải quyết đúng hạn/ }).waitFor();
  await screenshot('report');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải CSV' }).click()]);
  assert.equal(download.suggestedFilename(), `bao-cao-06a_tat-ca_${day}_${day}.csv`);
  const csv = await readFile((await download.path())!, 'utf8');
  assert.match(csv, /^\uFEFFMã cơ quan,Cơ quan,Kỳ trước chuyển qua,/);
  assert.match(csv, /\r\nH20\.11,Sở Công Thương,/);
  assert.match(csv, /,Tổng cộng,/);
  await page.getByText(`Đã tải về tệp bao-cao-06a_tat-ca_${day}_${day}.csv`).waitFor();

  // Column labels follow the language.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('region', { name: 'Figures' }).getByRole('columnheader', { name: 'Received online' }).waitFor();
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await table.getByRole('columnheader', { name: 'Tiếp nhận trực tuyến' }).waitFor();
}

export const journeys: Journey[] = [
  {
    name: 'auditor replays a dossier, reads the heatmap and the report',
    async run(ctx) {
      const { page } = ctx;
      const dossier = await handledDossier(ctx);
      const history = (await ctx.api<HistoryEvent[]>('GET', `/api/dossiers/${dossier.id}/history`, { token: await tokenOf(ctx, 'auditor') })).body;

      await page.goto(`${ctx.baseUrl}/audit`);
      const auditor = ctx.account('auditor');
      await logIn(page, auditor.login, auditor.password);
      await findDossier(ctx, dossier.code);
      await replayDossier(ctx, history);
      await heatmap(ctx);
      await report(ctx);
    },
  },
];
