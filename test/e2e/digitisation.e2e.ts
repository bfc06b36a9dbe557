import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Journey, JourneyContext } from './harness.js';
import { apiLogin, login, pdf } from './officer.e2e.js';

/** Digitisation (số hóa) on the officer's task page, and its columns in the agency summary. */

/** A 2.000331 dossier with its request (TP05) and a paper the citizen put under "other documents" (TP99). */
async function dossierWithOtherDocuments(ctx: JourneyContext): Promise<{ id: string; code: string }> {
  const token = await apiLogin(ctx, ctx.account('citizen'));
  const form = { organizationName: 'Hợp tác xã Mây tre Phú Vinh', taxCode: '0101234568', address: 'Thôn Phú Vinh, Chương Mỹ', representative: 'Trần Thị Vinh' };
  const draft = await ctx.api<{ id: string }>('POST', '/api/dossiers', { token, body: { procedureCode: '2.000331' } });
  assert.equal((await ctx.api('PUT', `/api/dossiers/${draft.body.id}/form`, { token, body: { data: form } })).status, 200);
  for (const [code, name] of [
    ['TP05', 'de-nghi.pdf'],
    ['TP99', 'ho-so-co-so.pdf'],
  ]) {
    const body = new FormData();
    body.append('componentCode', code!);
    body.append('file', new Blob([pdf(`Ho so: ${name}`)], { type: 'application/pdf' }), name);
    const uploaded = await fetch(`${ctx.baseUrl}/api/dossiers/${draft.body.id}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    assert.equal(uploaded.status, 201);
  }
  const submitted = await ctx.api<{ id: string; code: string }>('POST', `/api/dossiers/${draft.body.id}/submit`, { token, body: { declarationAccepted: true } });
  assert.equal(submitted.status, 200);
  return submitted.body;
}

/** Opens `label` for `file` (its button names the file for screen readers) and waits for the dialog titled `title`. */
async function openDialog(page: Page, label: string, file: string, title: string) {
  await page.getByRole('button', { name: `${label} ${file}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  return dialog;
}

/** The page's confirmation says `text` and has the focus. */
async function confirmed(page: Page, text: string) {
  await page.getByRole('status').filter({ hasText: text }).waitFor();
  await page.locator('.panel-success:focus').waitFor();
}

export const journeys: Journey[] = [
  {
    name: 'officer digitises, reclassifies and undoes; the report shows the digitisation rate',
    async run(ctx) {
      const { page, screenshot } = ctx;
      const dossier = await dossierWithOtherDocuments(ctx);
      await page.goto(`${ctx.baseUrl}/tasks?view=group&q=${encodeURIComponent(dossier.code)}`);
      await login(page, ctx.account('one-stop-officer @ H20.11'));
      await page.getByRole('link', { name: dossier.code, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `Hồ sơ ${dossier.code}` }).waitFor();
      assert.equal(await page.getByText('Chưa số hóa').count(), 2);
      await page.getByText('Tài liệu khác không được tính vào tỷ lệ số hóa', { exact: false }).waitFor();
      await screenshot('task-files');

      // An unsigned PDF is no electronic original: the dialog says why; certified as a copy, it is digitised.
      let dialog = await openDialog(page, 'Số hóa', 'de-nghi.pdf', 'Số hóa tệp de-nghi.pdf');
      await dialog.getByLabel('Bản gốc điện tử').check();
      await dialog.getByRole('button', { name: 'Xác nhận số hóa' }).click();
      await dialog.getByRole('alert').getByText(/không có chữ ký số/).first().waitFor();
      await screenshot('mark-refused');
      await dialog.getByLabel('Bản sao điện tử chứng thực').check();
      await dialog.getByRole('button', { name: 'Xác nhận số hóa' }).click();
      await confirmed(page, 'Đã số hóa tệp de-nghi.pdf.');
      await page.getByText(/Bản sao điện tử chứng thực · /).waitFor();

      // The paper under "other documents" goes to its component, then is certified with the scan of its original.
      dialog = await openDialog(page, 'Phân loại lại', 'ho-so-co-so.pdf', 'Phân loại lại tệp ho-so-co-so.pdf');
      await dialog.getByRole('button', { name: 'Chuyển thành phần' }).click();
      await dialog.getByRole('alert').getByText('Chọn thành phần hồ sơ').first().waitFor();
      await dialog.getByLabel('Thành phần hồ sơ').selectOption('TP06');
      await screenshot('reclassify');
      await dialog.getByRole('button', { name: 'Chuyển thành phần' }).click();
      await confirmed(page, 'Đã chuyển tệp ho-so-co-so.pdf vào thành phần');
      assert.equal(await page.getByText('Tài liệu khác không được tính vào tỷ lệ số hóa', { exact: false }).count(), 0);
      dialog = await openDialog(page, 'Số hóa', 'ho-so-co-so.pdf', 'Số hóa tệp ho-so-co-so.pdf');
      await dialog.getByLabel(/Bản quét bản chính/).setInputFiles({ name: 'ban-quet.pdf', mimeType: 'application/pdf', buffer: pdf('Ban quet ban chinh') });
      await screenshot('mark-with-scan');
      await dialog.getByRole('button', { name: 'Xác nhận số hóa' }).click();
      await confirmed(page, 'Đã số hóa tệp ho-so-co-so.pdf.');
      await page.getByText('Bản quét: ban-quet.pdf').waitFor();

      // A mistaken mark is taken back with its reason, which the timeline shows.
      dialog = await openDialog(page, 'Hủy số hóa', 'de-nghi.pdf', 'Hủy số hóa tệp de-nghi.pdf');
      await dialog.getByRole('button', { name: 'Hủy số hóa' }).click();
      await dialog.getByRole('alert').getByText('Nhập lý do hủy số hóa').first().waitFor();
      await dialog.getByLabel('Lý do hủy').fill('Đối chiếu nhầm bản chính');
      await dialog.getByRole('button', { name: 'Hủy số hóa' }).click();
      await confirmed(page, 'Đã hủy số hóa tệp de-nghi.pdf.');
      await page.getByText('Hủy số hóa tệp “de-nghi.pdf”').waitFor();
      await page.getByText('Phân loại lại tệp “ho-so-co-so.pdf”: TP99 → TP06').waitFor();
      await screenshot('task-digitised');

      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByRole('link', { name: 'Đăng nhập' }).waitFor();
      const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
      await page.goto(`${ctx.baseUrl}/reports?from=${today}&to=${today}&agency=H20.11`);
      await login(page, ctx.account('auditor'));
      const table = page.getByRole('region', { name: 'Bảng số liệu' });
      for (const column of ['Thành phần hồ sơ tiếp nhận', 'Thành phần hồ sơ đã số hóa', 'Tỷ lệ số hóa hồ sơ (%)', 'Kết quả đã cấp', 'Kết quả đã số hóa', 'Tỷ lệ số hóa kết quả (%)']) {
        await table.getByRole('columnheader', { name: column, exact: true }).waitFor();
      }
      // Other journeys' dossiers of the day count too: the rate is some percentage, the chart has its bar.
      await table.getByRole('row', { name: /Sở Công Thương/ }).getByRole('cell', { name: /^\d+(,\d)? %$/ }).first().waitFor();
      await page.getByRole('figure', { name: 'Tỷ lệ số hóa hồ sơ (%)' }).waitFor();
      await screenshot('report');
    },
  },
];
