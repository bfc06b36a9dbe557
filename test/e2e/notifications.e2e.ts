import type { Journey } from './harness.js';
import { login, receivedDossier } from './officer.e2e.js';

/** What leaves the system: the national portal's sync on the officer's task page, and the applicant's mail. */
export const journeys: Journey[] = [
  {
    name: 'officer sees the national portal sync and resyncs; admin reads the mail the applicant was sent',
    async run(ctx) {
      const { page, screenshot } = ctx;
      const { dossier, officer, officerToken } = await receivedDossier(ctx);
      // The server's worker sends within a second or two; the next task's page shows it.
      const next = (await ctx.api<{ items: { id: string }[] }>('GET', `/api/tasks?q=${encodeURIComponent(dossier.code)}`, { token: officerToken })).body.items[0]!;
      for (let i = 0; i < 20; i++) {
        const sync = await ctx.api<{ state: string } | null>('GET', `/api/dossiers/${dossier.id}/sync`, { token: officerToken });
        if (sync.body?.state === 'sent') break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }

      await page.goto(`${ctx.baseUrl}/tasks/${next.id}`);
      await login(page, officer);
      const sync = page.getByRole('region', { name: 'Đồng bộ Cổng Dịch vụ công quốc gia' });
      await sync.getByText('Đã đồng bộ').waitFor();
      await sync.getByText('Được tiếp nhận').waitFor();
      await sync.getByRole('button', { name: 'Đồng bộ lại' }).click();
      await sync.getByText('Đã đưa trạng thái mới nhất của hồ sơ vào hàng đợi gửi Cổng quốc gia.').waitFor();
      await sync.getByText('Đã đồng bộ').waitFor({ timeout: 15_000 });
      await screenshot('task-sync');

      const admin = ctx.account('admin');
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByRole('link', { name: 'Đăng nhập' }).waitFor();
      await page.goto(`${ctx.baseUrl}/admin/mail`);
      await login(page, admin);
      await page.getByRole('heading', { level: 1, name: 'Thư đã gửi' }).waitFor();
      const mail = page.getByRole('listitem').filter({ hasText: `Hồ sơ ${dossier.code} đã được tiếp nhận` });
      await mail.getByText('Xem nội dung').click();
      await mail.getByText('Your dossier was received on').waitFor();
      await page.getByRole('listitem').filter({ hasText: `Hồ sơ ${dossier.code} đã được nộp` }).waitFor();
      await screenshot('admin-mail');
    },
  },
];
