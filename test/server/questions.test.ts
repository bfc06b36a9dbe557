import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.js';
import { emailDeliverer, type Deliverers } from '../../server/deliveries/channels.js';
import { runDeliveries } from '../../server/deliveries/delivery.worker.js';
import { startMailCatcher, type MailCatcher } from '../../server/mail/mail-catcher.js';
import { smtpSender, type MailSender } from '../../server/mail/mail.sender.js';
import { useApiTest } from '../support/api.js';

// Asking is limited to 5 a minute per address: this file's many asks from one address get a larger allowance,
// and the limit itself is tested on an app of its own.
const env = useApiTest({
  as: {
    citizen: 'citizen',
    officer: 'one-stop-officer @ H20.11',
    leader: 'dept-leader @ H20.11',
    officerOther: 'one-stop-officer @ H20.20',
    admin: 'admin',
  },
  rateLimitScale: 20,
});
const { t, tokens } = env;
const PROCEDURE = '2.000331'; // Sở Công Thương (H20.11)
const PUBLIC_URL = 'https://dichvucong.example';

let catcher: MailCatcher;
let sender: MailSender;
let deliverers: Deliverers;
beforeAll(async () => {
  catcher = await startMailCatcher(t.db, { port: 0 });
  sender = smtpSender(`smtp://127.0.0.1:${catcher.port}`, 'Cổng Dịch vụ công <no-reply@dvc.test>');
  deliverers = { email: emailDeliverer(sender, { publicUrl: PUBLIC_URL }) };
});
afterAll(async () => {
  sender?.close();
  await catcher?.close();
});

type Res = { statusCode: number; headers: Record<string, unknown>; body: string; json(): any };
const call = (...args: Parameters<typeof env.http.call>) => env.http.call(...args) as Promise<Res>;

function expectProblem(res: Res, status: number, type: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body.type).toBe(`/problems/${type}`);
  expect(body.messageVi).toBeTruthy();
  expect(body.messageEn).toBeTruthy();
  return body as { errors?: { path: string }[] };
}

const ask = (body: Record<string, unknown>, token?: string, code = PROCEDURE) => call('POST', `/api/procedures/${encodeURIComponent(code)}/questions`, token, body);
const publicList = async (code = PROCEDURE) => {
  const res = await call('GET', `/api/procedures/${encodeURIComponent(code)}/questions?pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string; question: string; answer: string; askerName: string }[]; total: number };
};
const search = async (q: string) => {
  const res = await call('GET', `/api/questions?q=${encodeURIComponent(q)}&pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { id: string; procedure: { code: string } }[] }).items.map((i) => i.id);
};
const staffList = async (who: string, query = '') => {
  const res = await call('GET', `/api/staff/questions?pageSize=100${query}`, tokens[who]);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string; status: string; notifyByEmail: boolean; askerRegistered: boolean; answer: string | null; answeredBy: string | null }[]; total: number; counts: Record<'pending' | 'answered' | 'published' | 'rejected', number> };
};
const staffDo = (who: string, id: string, action: 'publish' | 'unpublish' | 'reject' | 'restore') => call('POST', `/api/staff/questions/${id}/${action}`, tokens[who]);
const answer = (who: string, id: string, text: string) => call('PUT', `/api/staff/questions/${id}/answer`, tokens[who], { answer: text });
const questionEmails = (id: string) => t.db.selectFrom('delivery').selectAll().where('question_id', '=', id).execute();
const mailTo = async (address: string) => {
  const res = await call('GET', '/api/admin/mail?pageSize=100', tokens.admin);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { to: string[]; subject: string; text: string; messageId: string }[]).filter((m) => m.to.includes(address));
};

/** A question asked anonymously with an email, answered and published by the agency's officer. */
async function publishedQuestion(question: string, answerText: string, email = 'hoi.dap@example.vn') {
  const asked = await ask({ name: 'Đỗ Thị Lan', email, question });
  expect(asked.statusCode, asked.body).toBe(201);
  const { id } = asked.json();
  expect((await answer('officer', id, answerText)).statusCode).toBe(200);
  expect((await staffDo('officer', id, 'publish')).statusCode).toBe(200);
  return id as string;
}

describe('asking', () => {
  test('anyone asks, anonymously or logged in; nothing is public before the agency publishes an answer', async () => {
    const anonymous = await ask({ name: '  Nguyễn Thị Mai ', email: 'Mai.Nguyen@Example.VN', question: 'Hợp tác xã có được đăng ký bình chọn sản phẩm tiêu biểu không?' });
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    expect(anonymous.json()).toMatchObject({ id: expect.any(String), status: 'pending', askedAt: expect.any(String) });
    const loggedIn = await ask({ name: 'Nguyễn Văn An', question: 'Thời hạn giải quyết hồ sơ này là bao nhiêu ngày làm việc?' }, tokens.citizen);
    expect(loggedIn.statusCode, loggedIn.body).toBe(201);

    const rows = await t.db.selectFrom('procedure_question').selectAll().where('id', 'in', [anonymous.json().id, loggedIn.json().id]).orderBy('created_at').execute();
    expect(rows.map((r) => [r.asker_name, r.asker_email, r.asker_id])).toEqual([
      ['Nguyễn Thị Mai', 'mai.nguyen@example.vn', null],
      ['Nguyễn Văn An', null, env.userIds.citizen],
    ]);

    expect((await publicList()).total).toBe(0);
    expect(await search('hop tac xa')).not.toContain(anonymous.json().id);

    // The agency's staff see both, unanswered, without the asker's address.
    const list = await staffList('officer');
    const mine = list.items.filter((i) => [anonymous.json().id, loggedIn.json().id].includes(i.id));
    expect(mine.map((i) => [i.status, i.notifyByEmail, i.askerRegistered])).toEqual([
      ['pending', true, false],
      ['pending', false, true],
    ]);
    expect(JSON.stringify(list)).not.toContain('example.vn');
    expect(list.counts.pending).toBeGreaterThanOrEqual(2);
  });

  test('bad input is refused with the failing fields, in both languages', async () => {
    const missing = expectProblem(await ask({ question: 'Câu hỏi thiếu tên người hỏi?' }), 400, 'validation');
    expect(missing.errors?.map((e) => e.path)).toEqual(['/body/name']);
    const several = expectProblem(await ask({ name: 'A', email: 'not-an-email', question: 'ngắn', extra: 1 }), 400, 'validation');
    expect(several.errors?.map((e) => e.path).sort()).toEqual(['/body/email', '/body/extra', '/body/name', '/body/question']);
    expect(expectProblem(await ask({ name: 'Lê Văn Cường', question: 'x'.repeat(2001) }), 400, 'validation').errors?.map((e) => e.path)).toEqual(['/body/question']);
    // Blank padding does not count towards the minimum length.
    const blank = expectProblem(await ask({ name: '     ', question: `   ${'?'.repeat(3)}        ` }), 400, 'validation');
    expect(blank.errors?.map((e) => e.path)).toEqual(['/body/name', '/body/question']);
    expectProblem(await ask({ name: 'Lê Văn Cường', question: 'Chứa ký tự NUL \u0000 không lưu được?' }), 400, 'validation');
    expectProblem(await ask({ name: 'Lê Văn Cường', question: 'Thủ tục này không tồn tại phải không?' }, undefined, '9.999999'), 404, 'procedure-not-found');
    // A token that does not verify is refused rather than ignored: the client renews it and asks again.
    expectProblem(await ask({ name: 'Lê Văn Cường', question: 'Câu hỏi với mã truy cập giả?' }, 'forged.token.value'), 401, 'unauthenticated');
    const short = await ask({ name: 'Lê Văn Cường', question: 'Câu hỏi hợp lệ để kiểm tra câu trả lời ngắn?' });
    expectProblem(await answer('officer', short.json().id, ' x '), 400, 'validation');
    expectProblem(await call('PUT', `/api/staff/questions/${short.json().id}/answer`, tokens.officer, { answer: 'Trả lời', html: '<b>' }), 400, 'validation');
    expectProblem(await staffDo('officer', 'not-a-uuid', 'publish'), 400, 'validation');
    expectProblem(await staffDo('officer', '00000000-0000-4000-8000-000000000000', 'publish'), 404, 'question-not-found');
    expectProblem(await call('GET', '/api/staff/questions?status=unknown', tokens.officer), 400, 'validation');
  });

  test('asking is rate-limited per address', async () => {
    const app = await buildApp({ db: t.db, backend: t.backend === 'postgres' ? 'postgresql' : 'pglite', logLevel: 'silent', jwtSecret: 'test-secret-0123456789' });
    try {
      const answers = [];
      for (let i = 0; i < 7; i++) {
        answers.push(
          await app.inject({ method: 'POST', url: `/api/procedures/${PROCEDURE}/questions`, payload: { name: 'Người gửi liên tục', question: `Câu hỏi lặp lại lần thứ ${i + 1}?` } }),
        );
      }
      expect(answers.slice(0, 5).map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      expectProblem(answers[5]! as unknown as Res, 429, 'rate-limited');
      // Reading is not limited.
      expect((await app.inject({ method: 'GET', url: `/api/procedures/${PROCEDURE}/questions` })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('answering and publishing', () => {
  test('answered and published: on the procedure page and found by search with or without diacritics; the asker is emailed once', async () => {
    const asked = await ask({ name: 'Vũ Thị Hằng', email: 'hang.vu@example.vn', question: 'Hợp tác xã sản xuất gốm có được tham gia bình chọn cấp tỉnh không?' });
    const { id } = asked.json();

    const answered = await answer('officer', id, 'Được. Hợp tác xã là chủ thể sản xuất công nghiệp nông thôn, nộp kèm bản sao Giấy chứng nhận đăng ký hợp tác xã.');
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', answeredBy: expect.stringContaining('Cán bộ một cửa'), publishedAt: null });
    // Answered is not yet published.
    expect((await publicList()).items.map((i) => i.id)).not.toContain(id);
    expect(await questionEmails(id)).toEqual([]);

    const published = await staffDo('leader', id, 'publish');
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', publishedAt: expect.any(String), notifiedAt: expect.any(String) });

    const page = await publicList();
    expect(page.items.find((i) => i.id === id)).toMatchObject({
      askerName: 'Vũ Thị Hằng',
      question: 'Hợp tác xã sản xuất gốm có được tham gia bình chọn cấp tỉnh không?',
      answer: expect.stringContaining('Giấy chứng nhận đăng ký hợp tác xã'),
    });
    expect(JSON.stringify(page)).not.toContain('hang.vu@');
    // By the question's words and by the answer's, with and without diacritics, and with a typo.
    expect(await search('hợp tác xã gốm')).toContain(id);
    expect(await search('hop tac xa gom')).toContain(id);
    expect(await search('GIẤY CHỨNG NHẬN ĐĂNG KÝ HỢP TÁC XÃ')).toContain(id);
    expect(await search('hop tac xaa')).toContain(id);
    expect(await search('giay phep xay dung')).not.toContain(id);
    const found = (await call('GET', `/api/questions?q=gom&agency=H20.11`)).json();
    expect(found.items.find((i: { id: string }) => i.id === id)).toMatchObject({ procedure: { code: PROCEDURE }, agencyName: 'Sở Công Thương' });
    expect((await call('GET', `/api/questions?q=gom&agency=H20.20`)).json().items).toEqual([]);

    // One email, in the publication's transaction; sent with the question and answer and a link to them.
    const [delivery, ...more] = await questionEmails(id);
    expect(more).toEqual([]);
    expect(delivery).toMatchObject({ channel: 'email', dossier_id: null, state: 'pending', payload: { kind: 'question-answered', to: 'hang.vu@example.vn' } });
    expect(await runDeliveries(t.db, { deliverers })).toMatchObject({ sent: 1, failed: 0 });
    const [mail, ...others] = await mailTo('hang.vu@example.vn');
    expect(others).toEqual([]);
    expect(mail!.subject).toBe(`Câu hỏi về thủ tục ${PROCEDURE} đã được trả lời / Your question about procedure ${PROCEDURE} was answered`);
    expect(mail!.text).toContain('Kính gửi Ông/Bà Vũ Thị Hằng,\nDear Vũ Thị Hằng,');
    expect(mail!.text).toContain('Sở Công Thương đã trả lời câu hỏi của Ông/Bà về thủ tục "Cấp Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp Tỉnh"');
    expect(mail!.text).toContain('Câu hỏi (Question):\nHợp tác xã sản xuất gốm có được tham gia bình chọn cấp tỉnh không?');
    expect(mail!.text).toContain('Trả lời (Answer):\nĐược. Hợp tác xã');
    expect(mail!.text).toContain(`${PUBLIC_URL}/procedures/${PROCEDURE}#question-${id}`);
    expect(mail!.messageId).toBe(`<${delivery!.id}@dvc.test>`);

    // Unpublished: gone from the page and from search; published again: back, without a second email.
    expect((await staffDo('officer', id, 'unpublish')).json()).toMatchObject({ status: 'answered', publishedAt: null });
    expect((await publicList()).items.map((i) => i.id)).not.toContain(id);
    expect(await search('hop tac xa gom')).not.toContain(id);
    expect((await staffDo('officer', id, 'publish')).json()).toMatchObject({ status: 'published' });
    expect(await search('hop tac xa gom')).toContain(id);
    expect(await questionEmails(id)).toHaveLength(1);

    // A published answer edited: the new text is public at once and searchable.
    const edited = await answer('officer', id, 'Được, nếu hợp tác xã có sản phẩm làng nghề đạt chuẩn.');
    expect(edited.json()).toMatchObject({ status: 'published', answer: 'Được, nếu hợp tác xã có sản phẩm làng nghề đạt chuẩn.' });
    expect((await publicList()).items.find((i) => i.id === id)?.answer).toBe('Được, nếu hợp tác xã có sản phẩm làng nghề đạt chuẩn.');
    expect(await search('lang nghe dat chuan')).toContain(id);
  });

  test('the staff list: unanswered first, by status, with counts; paged', async () => {
    const pendingId = (await ask({ name: 'Hồ Văn Nam', question: 'Có cần xác nhận của Ủy ban nhân dân cấp xã không?' })).json().id;
    const publishedId = await publishedQuestion('Kết quả được trả qua bưu điện được không?', 'Được, Ông/Bà chọn nhận kết quả qua bưu chính khi nộp hồ sơ.', 'nam.ho@example.vn');
    const all = await staffList('officer');
    const statuses = all.items.map((i) => i.status);
    // Never a pending one after another status; rejected ones only when asked for.
    expect(statuses.indexOf('pending')).toBe(0);
    expect(statuses.lastIndexOf('pending')).toBeLessThan(statuses.indexOf('published'));
    expect(statuses).not.toContain('rejected');
    expect(all.total).toBe(all.counts.pending + all.counts.answered + all.counts.published);
    const pending = await staffList('officer', '&status=pending');
    expect(pending.items.every((i) => i.status === 'pending')).toBe(true);
    expect(pending.items.map((i) => i.id)).toContain(pendingId);
    expect(pending.items.map((i) => i.id)).not.toContain(publishedId);
    expect(pending.total).toBe(pending.counts.pending);
    const first = (await call('GET', '/api/staff/questions?pageSize=1&page=2', tokens.officer)).json();
    expect(first).toMatchObject({ page: 2, pageSize: 1, total: all.total });
    expect(first.items.map((i: { id: string }) => i.id)).toEqual([all.items[1]!.id]);
    // Public paging, too.
    const paged = (await call('GET', `/api/procedures/${PROCEDURE}/questions?pageSize=1`)).json();
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBe((await publicList()).total);
  });

  test('reject hides a question, even a published one; restore brings it back unpublished', async () => {
    const id = await publishedQuestion('Câu hỏi sẽ bị ẩn vì nội dung không phù hợp với thủ tục?', 'Câu trả lời tạm thời.', 'an.dinh@example.vn');
    const rejected = await staffDo('officer', id, 'reject');
    expect(rejected.json()).toMatchObject({ status: 'rejected', publishedAt: null, rejectedAt: expect.any(String) });
    expect((await publicList()).items.map((i) => i.id)).not.toContain(id);
    expect((await staffList('officer')).items.map((i) => i.id)).not.toContain(id);
    expect((await staffList('officer', '&status=rejected')).items.map((i) => i.id)).toContain(id);
    expectProblem(await staffDo('officer', id, 'publish'), 409, 'question-rejected');
    expectProblem(await answer('officer', id, 'Sửa câu trả lời khi đã ẩn'), 409, 'question-rejected');
    expect((await staffDo('officer', id, 'restore')).json()).toMatchObject({ status: 'answered', rejectedAt: null });
    expectProblem(await staffDo('officer', id, 'restore'), 409, 'question-not-rejected');
    expect((await staffDo('officer', id, 'publish')).json()).toMatchObject({ status: 'published' });

    const unanswered = (await ask({ name: 'Lý Thị Thu', question: 'Câu hỏi chưa có câu trả lời thì công khai được không?' })).json().id;
    expectProblem(await staffDo('officer', unanswered, 'publish'), 409, 'question-not-answered');
    expectProblem(await staffDo('officer', unanswered, 'unpublish'), 409, 'question-not-published');
    expect((await staffDo('officer', unanswered, 'reject')).json()).toMatchObject({ status: 'rejected' });
    expect((await staffDo('officer', unanswered, 'restore')).json()).toMatchObject({ status: 'pending' });
  });

  test('an answer taken off the portal before its email left is not sent', async () => {
    const id = await publishedQuestion('Câu hỏi có câu trả lời bị rút lại ngay sau khi công khai?', 'Câu trả lời bị rút lại.', 'rut.lai@example.vn');
    await staffDo('officer', id, 'unpublish');
    // (The earlier tests' emails leave too.)
    expect(await runDeliveries(t.db, { deliverers })).toMatchObject({ failed: 1 });
    const [delivery] = await questionEmails(id);
    expect(delivery).toMatchObject({ state: 'failed', last_error: expect.stringContaining('no longer published') });
    expect(await mailTo('rut.lai@example.vn')).toEqual([]);
  });
});

describe('who may answer', () => {
  let id: string;
  beforeAll(async () => {
    id = (await ask({ name: 'Mai Văn Đức', question: 'Ai được trả lời câu hỏi về thủ tục của Sở Công Thương?' })).json().id;
  });

  test("another agency's staff do not see the question and are told it does not exist", async () => {
    expect((await staffList('officerOther')).items.map((i) => i.id)).not.toContain(id);
    expectProblem(await answer('officerOther', id, 'Trả lời của cơ quan khác'), 404, 'question-not-found');
    for (const action of ['publish', 'unpublish', 'reject', 'restore'] as const) expectProblem(await staffDo('officerOther', id, action), 404, 'question-not-found');
    // Asking for the other agency's list by its code gives nothing either.
    expect((await staffList('officerOther', '&agency=H20.11')).items).toEqual([]);
    const row = await t.db.selectFrom('procedure_question').select(['status', 'answer']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', answer: null });
  });

  test('a citizen cannot answer or list; without a token neither', async () => {
    expectProblem(await answer('citizen', id, 'Công dân tự trả lời'), 403, 'forbidden');
    expectProblem(await staffDo('citizen', id, 'publish'), 403, 'forbidden');
    expectProblem(await call('GET', '/api/staff/questions', tokens.citizen), 403, 'forbidden');
    expectProblem(await call('GET', '/api/staff/questions'), 401, 'unauthenticated');
    expectProblem(await call('PUT', `/api/staff/questions/${id}/answer`, undefined, { answer: 'Không đăng nhập' }), 401, 'unauthenticated');
  });

  test("an admin handles every agency's questions", async () => {
    const list = await staffList('admin', '&agency=H20.11');
    expect(list.items.map((i) => i.id)).toContain(id);
    expect((await answer('admin', id, 'Cán bộ của Sở Công Thương và quản trị hệ thống.')).json()).toMatchObject({ status: 'answered', answeredBy: 'Quản trị hệ thống' });
    expect((await staffDo('admin', id, 'publish')).json()).toMatchObject({ status: 'published' });
  });
});
