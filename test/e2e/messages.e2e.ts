import assert from 'node:assert/strict';
import { PDF } from '../support/fixtures.js';
import type { Journey, JourneyContext } from './harness.js';
import { login, receivedDossier } from './officer.e2e.js';

/** Dossier conversations (Trao đổi với công dân): the applicant on the dossier page, the officer in the inbox and task page. */

async function replyAsOfficer(ctx: JourneyContext, token: string, dossierId: string, text: string) {
  const body = new FormData();
  body.append('body', text);
  const posted = await fetch(`${ctx.baseUrl}/api/dossiers/${dossierId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
  assert.equal(posted.status, 201);
}

export const journeys: Journey[] = [
  {
    name: 'citizen and officer exchange messages on the dossier: live on the dossier page, unread in the inbox',
    async run(ctx) {
      const { page, screenshot } = ctx;
      const { dossier, officer, officerToken } = await receivedDossier(ctx);

      // The applicant asks, with a document; an empty message is refused first, at the field.
      await page.goto(`${ctx.baseUrl}/dossiers/${dossier.id}`);
      await login(page, ctx.account('citizen'));
      const panel = page.getByRole('region', { name: 'Trao đổi với cơ quan giải quyết' });
      await panel.getByText('Chưa có trao đổi nào.').waitFor();
      await panel.getByRole('button', { name: 'Gửi trao đổi' }).click();
      await panel.getByRole('link', { name: 'Nhập nội dung trao đổi' }).waitFor();
      await panel.getByLabel('Nội dung trao đổi').fill('Xin hỏi: bản chụp giấy phép kinh doanh có được chấp nhận không?');
      await panel.getByLabel('Tệp đính kèm').setInputFiles({ name: 'giay-phep.pdf', mimeType: 'application/pdf', buffer: PDF });
      await panel.getByRole('button', { name: 'Gửi trao đổi' }).click();
      await panel.getByRole('listitem').filter({ hasText: 'bản chụp giấy phép' }).getByRole('button', { name: 'Tải về giay-phep.pdf' }).waitFor();
      assert.equal(await panel.getByLabel('Nội dung trao đổi').inputValue(), '');

      // The officer answers meanwhile: the open page shows it without reloading, and announces it.
      await replyAsOfficer(ctx, officerToken, dossier.id, 'Bản chụp rõ nét là được chấp nhận. Ông/Bà không cần nộp bản sao công chứng.');
      const answer = panel.getByRole('listitem').filter({ hasText: 'Bản chụp rõ nét' });
      await answer.getByText('Cán bộ Sở Công Thương').waitFor({ timeout: 20_000 });
      await answer.getByText('Mới').waitFor();
      await panel.getByText('Có 1 tin nhắn mới trong trao đổi về hồ sơ.').waitFor();
      await panel.getByLabel('Nội dung trao đổi').fill('Cảm ơn cán bộ, tôi sẽ bổ sung bản chụp rõ hơn.');
      await panel.getByRole('button', { name: 'Gửi trao đổi' }).click();
      await panel.getByText('Đã gửi trao đổi.').waitFor();
      await screenshot('citizen-conversation');

      // The officer has the applicant's new message unread: a badge on the task, a tab count, a view.
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByRole('link', { name: 'Đăng nhập' }).waitFor();
      await page.goto(`${ctx.baseUrl}/tasks?view=unread`);
      await login(page, officer);
      await page.getByRole('heading', { level: 1, name: 'Hộp công việc' }).waitFor();
      const row = page.getByRole('listitem').filter({ hasText: dossier.code });
      await row.getByText('1 tin nhắn mới').waitFor();
      await screenshot('inbox-unread');
      await row.getByRole('link', { name: dossier.code }).click();
      const taskPanel = page.getByRole('region', { name: 'Trao đổi với công dân' });
      await taskPanel.getByRole('listitem').filter({ hasText: 'bản chụp giấy phép' }).getByText('Nguyễn Văn An · Công dân').waitFor();
      await taskPanel.getByRole('listitem').filter({ hasText: 'bổ sung bản chụp rõ hơn' }).getByText('Mới').waitFor();
      await taskPanel.getByRole('button', { name: 'Tải về giay-phep.pdf' }).waitFor();
      await screenshot('task-conversation');

      // Read on the task page: the inbox no longer counts it.
      await page.goto(`${ctx.baseUrl}/tasks?view=unread`);
      await page.getByRole('heading', { level: 1, name: 'Hộp công việc' }).waitFor();
      await page.getByText('1 tin nhắn mới').waitFor({ state: 'detached' });
      const unreadTab = page.getByRole('navigation', { name: 'Danh sách công việc' }).getByRole('link', { name: /Có tin nhắn mới/ });
      assert.match((await unreadTab.textContent()) ?? '', /Có tin nhắn mới\s*0/);
    },
  },
];
