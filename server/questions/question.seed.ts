import type { Db } from '../../engine/db/database.js';
import { DEMO_EMAIL_DOMAIN } from '../seed/demo-data.js';
import { questionSearchText } from './question.service.js';
import * as repo from './question.repository.js';

const DAY = 24 * 3_600_000;

/** Demo questions (Hỏi đáp) on a food-safety procedure of Sở Công Thương: two answered and published, one waiting. */
const demoQuestions = [
  {
    askerName: 'Trần Thị Hoa',
    question: 'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm có thời hạn bao lâu? Khi sắp hết hạn tôi phải làm thủ tục gì?',
    answer:
      'Giấy chứng nhận có hiệu lực 03 năm. Trong thời hạn 06 tháng trước khi Giấy chứng nhận hết hạn, cơ sở nộp hồ sơ đề nghị cấp lại theo thủ tục "Cấp lại Giấy chứng nhận đủ điều kiện an toàn thực phẩm" (mã ATTP01) trên Cổng Dịch vụ công.',
    askedDaysAgo: 9,
    answeredDaysAgo: 7,
  },
  {
    askerName: 'Lê Minh Tuấn',
    question: 'Tôi đã nộp hồ sơ trực tuyến, làm sao biết hồ sơ đang được xử lý đến bước nào?',
    answer:
      'Ông/Bà tra cứu tại mục "Tra cứu hồ sơ" bằng mã hồ sơ và mã tra cứu in trên phiếu biên nhận, hoặc đăng nhập và mở "Hồ sơ của tôi". Hệ thống cũng gửi thư điện tử mỗi khi hồ sơ được tiếp nhận, cần bổ sung hoặc có kết quả.',
    askedDaysAgo: 5,
    answeredDaysAgo: 4,
  },
  {
    askerName: 'Phạm Văn Bình',
    question: 'Cơ sở của tôi vừa sản xuất vừa kinh doanh bánh kẹo tại nhà thì có phải xin Giấy chứng nhận này không?',
    answer: null,
    askedDaysAgo: 1,
    answeredDaysAgo: null,
  },
];

/** Loads the demo questions with the demo catalogue and accounts (in the seed's transaction). */
export async function seedDemoQuestions(trx: Db, now = new Date()): Promise<void> {
  const procedure = await repo.publishedProcedure(trx, 'ATTP02');
  const officer = await trx.selectFrom('app_user').select('id').where('email', '=', `motcua.sct@${DEMO_EMAIL_DOMAIN}`).executeTakeFirst();
  if (!procedure || !officer) return;
  for (const q of demoQuestions) {
    const answeredAt = q.answeredDaysAgo === null ? null : new Date(now.getTime() - q.answeredDaysAgo * DAY);
    await repo.insertQuestion(trx, {
      procedure_id: procedure.id,
      asker_name: q.askerName,
      asker_email: null,
      asker_id: null,
      question: q.question,
      created_at: new Date(now.getTime() - q.askedDaysAgo * DAY),
      status: q.answer === null ? 'pending' : 'published',
      answer: q.answer,
      answered_by: answeredAt && officer.id,
      answered_at: answeredAt,
      published_at: answeredAt,
      published_by: answeredAt && officer.id,
      search_text: questionSearchText(q.question, q.answer),
    });
  }
}
