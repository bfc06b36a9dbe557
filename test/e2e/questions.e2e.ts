import assert from 'node:assert/strict';
import type { Journey } from './harness.js';
import { apiLogin, login } from './officer.e2e.js';

const QUESTION = 'Hợp tác xã làm gốm có được đăng ký tham gia bình chọn sản phẩm tiêu biểu cấp tỉnh không?';
const ANSWER = 'Được. Hợp tác xã nộp hồ sơ kèm bản sao Giấy chứng nhận đăng ký hợp tác xã và danh sách sản phẩm tham gia bình chọn.';

/** Public questions and answers (Hỏi đáp): a visitor asks, the agency's officer answers and publishes, search finds it. */
export const journeys: Journey[] = [
  {
    name: 'questions: a visitor asks on the procedure page, the officer answers and publishes, search finds the answer',
    async run(ctx) {
      const { page, screenshot } = ctx;
      await page.goto(`${ctx.baseUrl}/procedures/2.000331`);
      const qa = page.getByRole('region', { name: 'Hỏi đáp' });
      await qa.getByText('Chưa có câu hỏi nào được trả lời.').waitFor();
      const ask = qa.getByRole('region', { name: 'Đặt câu hỏi' });
      // Sent empty: every problem at once, each linked to its field.
      await ask.getByRole('button', { name: 'Gửi câu hỏi' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Có lỗi cần sửa' });
      await summary.getByRole('link', { name: 'Nhập họ và tên (ít nhất 2 ký tự)' }).waitFor();
      await summary.getByRole('link', { name: 'Nhập câu hỏi (ít nhất 10 ký tự)' }).click();
      await page.locator('#ask-question:focus').waitFor();
      await screenshot('ask-errors');

      await ask.getByLabel('Họ và tên').fill('Vũ Thị Hằng');
      await ask.getByLabel('Email (không bắt buộc)').fill('hang.vu@example.vn');
      await ask.getByLabel('Nội dung câu hỏi').fill(QUESTION);
      await ask.getByRole('button', { name: 'Gửi câu hỏi' }).click();
      const sent = ask.getByRole('status');
      await sent.getByText('Câu hỏi của bạn đang chờ Sở Công Thương trả lời.').waitFor();
      await sent.getByText('Chúng tôi sẽ gửi thư đến hang.vu@example.vn khi câu hỏi được trả lời.').waitFor();
      await screenshot('ask-sent');

      // The agency's officer: the question waits under "Chưa trả lời", answered and published in one press.
      const officer = ctx.account('one-stop-officer @ H20.11');
      await page.goto(`${ctx.baseUrl}/staff/questions?status=pending`);
      await login(page, officer);
      await page.getByRole('heading', { level: 1, name: 'Hỏi đáp của người dân' }).waitFor();
      await page.getByRole('link', { name: /Trả lời hỏi đáp/ }).waitFor();
      const card = page.getByRole('article').filter({ hasText: QUESTION });
      await card.getByText('Vũ Thị Hằng hỏi lúc').waitFor();
      await card.getByText('Người hỏi sẽ nhận thư khi câu trả lời được công khai.').waitFor();
      await screenshot('staff-pending');
      await card.getByLabel('Câu trả lời').fill(ANSWER);
      await card.getByRole('button', { name: 'Lưu và công khai' }).click();
      await page.getByRole('status').getByText('Đã công khai câu hỏi và câu trả lời.').waitFor();
      await page.goto(`${ctx.baseUrl}/staff/questions?status=published`);
      const published = page.getByRole('article').filter({ hasText: QUESTION });
      await published.getByText(ANSWER).waitFor();
      await published.getByRole('button', { name: 'Thôi công khai' }).waitFor();
      await screenshot('staff-published');
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByRole('link', { name: 'Đăng nhập' }).waitFor();

      // Anyone: the catalogue search without diacritics shows the answer beside the procedures.
      await page.goto(`${ctx.baseUrl}/procedures?q=${encodeURIComponent('hop tac xa lam gom')}`);
      const related = page.getByRole('region', { name: 'Hỏi đáp liên quan' });
      await related.getByText(ANSWER).waitFor();
      await screenshot('search');
      await page.goto(`${ctx.baseUrl}/questions?q=${encodeURIComponent('giấy chứng nhận đăng ký hợp tác xã')}`);
      await page.getByRole('status').getByText(/câu hỏi phù hợp với/).waitFor();
      await screenshot('questions-page');
      await page.getByRole('link', { name: /Thủ tục: Cấp Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp Tỉnh/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Cấp Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp Tỉnh' }).waitFor();
      await page.getByRole('region', { name: 'Hỏi đáp' }).getByText(ANSWER).waitFor();
      // The link's #question-… anchor: that question has the focus.
      await page.locator('li[id^="question-"]:focus').filter({ hasText: ANSWER }).waitFor();
      await screenshot('procedure-answer');

      // The asker's email leaves through the delivery queue (the demo's SMTP catcher keeps it).
      const adminToken = await apiLogin(ctx, ctx.account('admin'));
      let subjects: string[] = [];
      for (let i = 0; i < 30 && !subjects.length; i++) {
        const mail = await ctx.api<{ items: { to: string[]; subject: string }[] }>('GET', '/api/admin/mail?pageSize=100', { token: adminToken });
        subjects = mail.body.items.filter((m) => m.to.includes('hang.vu@example.vn')).map((m) => m.subject);
        if (!subjects.length) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.deepEqual(subjects, ['Câu hỏi về thủ tục 2.000331 đã được trả lời / Your question about procedure 2.000331 was answered']);
    },
  },
];
