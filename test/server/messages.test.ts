import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emailDeliverer } from '../../server/deliveries/channels.js';
import { deliveriesOf } from '../../server/deliveries/delivery.repository.js';
import { runDeliveries } from '../../server/deliveries/delivery.worker.js';
import { startMailCatcher, type MailCatcher } from '../../server/mail/mail-catcher.js';
import { smtpSender, type MailSender } from '../../server/mail/mail.sender.js';
import { MAX_BODY_CHARS, PAGE_SIZE } from '../../server/messages/message.service.js';
import { DEMO_CALLERS, PDF, PNG, actOn, useApiTest } from '../support/api.js';
import { multipart, type Part } from '../support/arbitraries.js';

// Dossier conversations (Trao đổi với công dân): the applicant and the officers working the dossier exchange
// messages with attachments; each is in the hash-chained history, the agency's messages are emailed to the
// applicant, and officers see unread counts in their inbox.

const env = useApiTest({ as: DEMO_CALLERS });
const { t, tokens, userIds } = env;
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

beforeAll(async () => {
  const other = await env.http.call('POST', '/api/auth/register', undefined, {
    fullName: 'Lê Thị Cúc',
    idNumber: '031190000003',
    phone: '0903000003',
    email: 'cuc@dvc.example',
    password: 'mat-khau-cuc-1',
  });
  expect(other.statusCode, other.body).toBe(201);
  tokens.otherCitizen = other.json().accessToken;
});

interface Message {
  id: string;
  seq: number;
  side: 'citizen' | 'staff';
  authorName: string | null;
  mine: boolean;
  body: string;
  attachments: { id: string; originalName: string; mediaType: string; size: number; sha256: string }[];
}
interface Conversation {
  messages: Message[];
  hasOlder: boolean;
  side: 'citizen' | 'staff' | null;
  canWrite: boolean;
  closed: 'draft' | 'ended' | 'read-only' | null;
  lastReadSeq: number | null;
  unread: number;
}

/** A message as the web app sends it: multipart, the `body` field and then the files. */
function post(who: string | undefined, dossierId: string, body: string | null, files: { name: string; content: Buffer; type?: string }[] = [], extra: Part[] = []) {
  const parts: Part[] = [
    ...(body === null ? [] : [{ name: 'body', content: body }]),
    ...extra,
    ...files.map((f) => ({ name: 'file', content: f.content, filename: f.name, contentType: f.type ?? 'application/octet-stream' })),
  ];
  const { body: payload, contentType } = multipart(parts);
  return env.http.call('POST', `/api/dossiers/${dossierId}/messages`, who && tokens[who], payload, { 'content-type': contentType });
}
const read = (who: string, dossierId: string) => env.http.call('GET', `/api/dossiers/${dossierId}/messages`, tokens[who]);
const conversation = async (who: string, dossierId: string) => {
  const res = await read(who, dossierId);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Conversation;
};
const markRead = (who: string, dossierId: string, upTo?: number) => env.http.call('POST', `/api/dossiers/${dossierId}/messages/read`, tokens[who], upTo === undefined ? {} : { upTo });
const attachment = (who: string | undefined, dossierId: string, attachmentId: string) =>
  env.http.call('GET', `/api/dossiers/${dossierId}/messages/attachments/${attachmentId}`, who && tokens[who]);

interface InboxItem {
  id: string;
  dossier: { id: string; code: string };
  unreadMessages: number;
}
async function inbox(who: string, view = 'group', q?: string) {
  const res = await env.http.call('GET', `/api/tasks?view=${view}${q ? `&q=${encodeURIComponent(q)}` : ''}&pageSize=100`, tokens[who]);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: InboxItem[]; counts: { group: number; unread: number } };
}
const rowOf = async (who: string, code: string, view = 'group') => (await inbox(who, view, code)).items.find((i) => i.dossier.code === code);

/** A dossier submitted by the demo citizen and received by the one-stop officer: it waits at the transfer step. */
async function received() {
  const dossier = (await env.http.submitComplete(tokens.citizen!)) as { id: string; code: string };
  await actOn(env, 'officer', dossier.code, '1100');
  return dossier;
}

describe('citizen and officers exchange messages', () => {
  let dossier: { id: string; code: string };
  let question: Message;
  let answer: Message;

  beforeAll(async () => {
    dossier = await received();
  });

  test('the applicant writes with an attachment; the officer holding the dossier reads it, with an unread count', async () => {
    const lastEventSeq = async () => (await env.http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json().lastEventSeq as number;
    const before = await lastEventSeq();
    const res = await post('citizen', dossier.id, '  Xin hỏi: tôi có cần nộp bản sao công chứng không?  ', [{ name: 'giay-to.pdf', content: PDF, type: 'application/pdf' }]);
    expect(res.statusCode, res.body).toBe(201);
    question = res.json();
    expect(question).toMatchObject({ side: 'citizen', mine: true, authorName: 'Nguyễn Văn An', body: 'Xin hỏi: tôi có cần nộp bản sao công chứng không?' });
    expect(question.attachments).toEqual([{ id: expect.any(String), originalName: 'giay-to.pdf', mediaType: 'application/pdf', size: PDF.length, sha256: sha256(PDF) }]);
    // The history grew by the message's event: the dossier's live stream (fed by the history) tells open pages.
    expect(await lastEventSeq()).toBe(before + 1);

    const seen = await conversation('officer', dossier.id);
    expect(seen).toMatchObject({ side: 'staff', canWrite: true, closed: null, lastReadSeq: null, unread: 1, hasOlder: false });
    expect(seen.messages).toEqual([{ ...question, mine: false, createdAt: expect.any(String) }]);
    // The applicant's own message is not unread to them.
    expect(await conversation('citizen', dossier.id)).toMatchObject({ side: 'citizen', unread: 0, lastReadSeq: question.seq });
  });

  test('unread messages show in the officer inbox (per task, a tab count, a view) and go once read', async () => {
    const before = await inbox('officer');
    expect((await rowOf('officer', dossier.code))!.unreadMessages).toBe(1);
    expect(before.counts.unread).toBeGreaterThanOrEqual(1);
    expect((await inbox('officer', 'unread')).items.map((i) => i.dossier.code)).toContain(dossier.code);
    // Another officer of the group has not read it either: read markers are per reader.
    const marked = await markRead('officer', dossier.id);
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toEqual({ lastReadSeq: question.seq, unread: 0 });
    expect((await rowOf('officer', dossier.code))!.unreadMessages).toBe(0);
    expect((await inbox('officer')).counts.unread).toBe(before.counts.unread - 1);
    expect((await inbox('officer', 'unread')).items.map((i) => i.dossier.code)).not.toContain(dossier.code);
    // A second message from the applicant makes it unread again; marking read up to the first leaves one.
    const again = await post('citizen', dossier.id, 'Bổ sung thêm: tôi gửi kèm ảnh chụp.', [{ name: 'anh.png', content: PNG, type: 'image/png' }]);
    expect(again.statusCode, again.body).toBe(201);
    expect((await rowOf('officer', dossier.code))!.unreadMessages).toBe(1);
    expect((await markRead('officer', dossier.id, question.seq)).json()).toEqual({ lastReadSeq: question.seq, unread: 1 });
    // A marker never moves back, nor past the last message.
    expect((await markRead('officer', dossier.id, 2_000_000_000)).json()).toEqual({ lastReadSeq: again.json().seq, unread: 0 });
    expect((await markRead('officer', dossier.id, 1)).json()).toEqual({ lastReadSeq: again.json().seq, unread: 0 });
  });

  test('the officer answers: the applicant sees the agency (not the officer’s name) and an unread message', async () => {
    const res = await post('officer', dossier.id, 'Ông/Bà không cần nộp bản sao công chứng; bản chụp là đủ.', [{ name: 'huong-dan.pdf', content: PDF, type: 'application/pdf' }]);
    expect(res.statusCode, res.body).toBe(201);
    answer = res.json();
    expect(answer).toMatchObject({ side: 'staff', mine: true, authorName: expect.stringMatching(/\S/) });
    const mine = await conversation('citizen', dossier.id);
    expect(mine).toMatchObject({ unread: 1, canWrite: true });
    expect(mine.messages.map((m) => [m.side, m.authorName, m.mine])).toEqual([
      ['citizen', 'Nguyễn Văn An', true],
      ['citizen', 'Nguyễn Văn An', true],
      ['staff', null, false],
    ]);
    // Colleagues working the dossier read every message, with the officer named.
    const leader = await conversation('leader', dossier.id);
    expect(leader.messages.at(-1)).toMatchObject({ side: 'staff', authorName: answer.authorName, mine: false });
    expect((await markRead('citizen', dossier.id)).json()).toEqual({ lastReadSeq: answer.seq, unread: 0 });
  });

  test('attachments are served through the API to those who may read the conversation, and to nobody else', async () => {
    const [file] = answer.attachments;
    for (const who of ['citizen', 'officer', 'leader', 'auditor']) {
      const res = await attachment(who, dossier.id, file!.id);
      expect(res.statusCode, who).toBe(200);
      expect(res.rawPayload.equals(PDF), who).toBe(true);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain("filename*=UTF-8''huong-dan.pdf");
    }
    for (const who of ['otherCitizen', 'officerOther', 'admin']) expect((await attachment(who, dossier.id, file!.id)).statusCode, who).toBe(404);
    expect((await attachment(undefined, dossier.id, file!.id)).statusCode).toBe(401);
    // Another dossier's id with this attachment: not found.
    const other = await received();
    expect((await attachment('citizen', other.id, file!.id)).statusCode).toBe(404);
  });

  test('every message is in the dossier’s hash-chained history, its text and files by sha-256; the chain verifies', async () => {
    const history = (await env.http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json() as { type: string; actorId: string; data: Record<string, unknown> }[];
    const posted = history.filter((e) => e.type === 'conversation.posted');
    expect(posted.map((e) => [e.actorId, e.data.side, e.data.messageId])).toEqual([
      [userIds.citizen, 'citizen', question.id],
      [userIds.citizen, 'citizen', expect.any(String)],
      [userIds.officer, 'staff', answer.id],
    ]);
    expect(posted[0]!.data.bodySha256).toBe(sha256(question.body));
    expect(posted[2]!.data.attachments).toEqual([{ sha256: sha256(PDF), size: PDF.length, mediaType: 'application/pdf' }]);
    const verified = await env.http.call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor);
    expect(verified.json()).toMatchObject({ ok: true });
    // The conversation does not disturb the dossier's work: the officer still takes the next step.
    await actOn(env, 'officer', dossier.code, '2000');
  });
});

describe('the applicant is emailed about the agency’s messages', () => {
  let catcher: MailCatcher;
  let sender: MailSender;

  beforeAll(async () => {
    catcher = await startMailCatcher(t.db, { port: 0 });
    sender = smtpSender(`smtp://127.0.0.1:${catcher.port}`, 'Cổng Dịch vụ công <no-reply@dvc.test>');
  });
  afterAll(async () => {
    sender?.close();
    await catcher?.close();
  });

  test('one email per burst of messages, sent with a link to the dossier and without the message itself', async () => {
    const dossier = await received();
    const messageMails = async () =>
      (await deliveriesOf(t.db, dossier.id)).flatMap((d) => (d.channel === 'email' && 'kind' in d.payload && d.payload.kind === 'dossier-message' ? [{ ...d, payload: d.payload }] : []));
    expect((await post('citizen', dossier.id, 'Cho tôi hỏi tiến độ hồ sơ.')).statusCode).toBe(201);
    expect(await messageMails()).toEqual([]);
    expect((await post('officer', dossier.id, 'Hồ sơ đang được chuyển thụ lý, bí mật 123.')).statusCode).toBe(201);
    expect((await post('officer', dossier.id, 'Dự kiến có kết quả trong tuần.')).statusCode).toBe(201);
    const queued = await messageMails();
    expect(queued.map((d) => [d.state, d.payload.kind, d.payload.to])).toEqual([['pending', 'dossier-message', expect.stringMatching(/^congdan@/)]]);

    await runDeliveries(t.db, { deliverers: { email: emailDeliverer(sender, { publicUrl: 'https://dichvucong.example' }) } });
    expect((await messageMails()).map((d) => d.state)).toEqual(['sent']);
    const mail = (await env.http.call('GET', '/api/admin/mail?pageSize=100', tokens.admin)).json().items.find((m: { messageId: string }) => m.messageId === `<${queued[0]!.id}@dvc.test>`);
    expect(mail.subject).toBe(`Trao đổi mới về hồ sơ ${dossier.code} / New message about dossier ${dossier.code}`);
    expect(mail.text).toContain('Kính gửi Ông/Bà Nguyễn Văn An,\nDear Nguyễn Văn An,');
    expect(mail.text).toMatch(/Sở Công Thương đã gửi trao đổi về hồ sơ của Ông\/Bà lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}\.\nSở Công Thương sent you a message/);
    expect(mail.text).toContain(`https://dichvucong.example/dossiers/${dossier.id}`);
    expect(mail.text).toContain(`Mã hồ sơ (Dossier code): ${dossier.code}`);
    expect(mail.text).not.toContain('bí mật 123');
    // Once sent, the next message of the agency is told again.
    expect((await post('officer', dossier.id, 'Đã có kết quả.')).statusCode).toBe(201);
    expect((await messageMails()).map((d) => d.state)).toEqual(['sent', 'pending']);
  });
});

describe('who may read and write', () => {
  let dossier: { id: string; code: string };

  beforeAll(async () => {
    dossier = await received();
    expect((await post('citizen', dossier.id, 'Câu hỏi của chủ hồ sơ.')).statusCode).toBe(201);
  });

  test('another citizen, another agency’s officer and the admin are told the dossier does not exist', async () => {
    for (const who of ['otherCitizen', 'officerOther', 'admin']) {
      expect((await read(who, dossier.id)).statusCode, who).toBe(404);
      const written = await post(who, dossier.id, 'Xen vào');
      expect([written.statusCode, written.json().type], who).toEqual([404, '/problems/dossier-not-found']);
      expect((await markRead(who, dossier.id)).statusCode, who).toBe(404);
    }
    expect((await read('otherCitizen', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await env.http.call('GET', `/api/dossiers/${dossier.id}/messages`)).statusCode).toBe(401);
    expect((await post(undefined, dossier.id, 'Ẩn danh')).statusCode).toBe(401);
  });

  test('the auditor reads and never writes', async () => {
    expect(await conversation('auditor', dossier.id)).toMatchObject({ side: null, canWrite: false, closed: 'read-only', unread: 1 });
    const written = await post('auditor', dossier.id, 'Thanh tra hỏi');
    expect([written.statusCode, written.json().type]).toEqual([403, '/problems/forbidden']);
    expect((await conversation('officer', dossier.id)).messages).toHaveLength(1);
  });

  test('staff of the agency take part once the dossier reaches a step of theirs; its leaders always', async () => {
    // The handler has had no step of this dossier yet; the department leader leads the agency.
    expect((await read('handler', dossier.id)).statusCode).toBe(404);
    expect((await post('handler', dossier.id, 'Chưa đến lượt')).statusCode).toBe(404);
    expect(await conversation('leader', dossier.id)).toMatchObject({ side: 'staff', canWrite: true });
    await actOn(env, 'officer', dossier.code, '2000');
    await actOn(env, 'leader', dossier.code, '2101', { assignee: userIds.handler });
    expect(await conversation('handler', dossier.id)).toMatchObject({ side: 'staff', canWrite: true, unread: 1 });
    expect((await post('handler', dossier.id, 'Chuyên viên thụ lý trả lời.')).statusCode).toBe(201);
    // The one-stop officer handed it on but keeps the conversation: they acted on it.
    expect((await conversation('officer', dossier.id)).messages).toHaveLength(2);
    expect((await rowOf('handler', dossier.code, 'mine'))!.unreadMessages).toBe(0);
  });

  test('a draft has no conversation; a dossier whose processing ended stays readable and takes no more messages', async () => {
    const draft = (await env.http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
    expect(await conversation('citizen', draft.id)).toMatchObject({ messages: [], canWrite: false, closed: 'draft' });
    const refused = await post('citizen', draft.id, 'Hỏi trước khi nộp');
    expect([refused.statusCode, refused.json().type]).toEqual([409, '/problems/dossier-not-submitted']);
    for (const who of ['officer', 'leader', 'auditor']) expect((await read(who, draft.id)).statusCode, who).toBe(404);

    const ended = (await env.http.submitComplete(tokens.citizen!)) as { id: string; code: string };
    expect((await post('citizen', ended.id, 'Xin tiếp nhận giúp.')).statusCode).toBe(201);
    await actOn(env, 'officer', ended.code, '4200', { note: 'Hồ sơ không thuộc thẩm quyền' });
    for (const who of ['citizen', 'officer']) {
      expect(await conversation(who, ended.id)).toMatchObject({ canWrite: false, closed: 'ended' });
      const late = await post(who, ended.id, 'Còn câu hỏi');
      expect([late.statusCode, late.json().type], who).toEqual([409, '/problems/conversation-closed']);
    }
    expect((await conversation('officer', ended.id)).messages).toHaveLength(1);
    // Its conversation leaves what the inbox scans for unread messages.
    expect(await t.db.selectFrom('dossier_conversation').select('open').where('dossier_id', '=', ended.id).executeTakeFirst()).toEqual({ open: false });
  });
});

describe('bad input is refused with the field at fault', () => {
  let dossier: { id: string; code: string };
  beforeAll(async () => {
    dossier = await received();
  });
  const problemOf = (res: Awaited<ReturnType<typeof post>>) => [res.statusCode, res.json().type, res.json().errors?.map((e: { path: string }) => e.path)];

  test('text: empty, blank, missing or too long', async () => {
    for (const body of ['', '   \n\t ', null]) expect(problemOf(await post('citizen', dossier.id, body)), String(body)).toEqual([400, '/problems/validation', ['/body/body']]);
    expect(problemOf(await post('citizen', dossier.id, 'ạ'.repeat(MAX_BODY_CHARS + 1)))).toEqual([400, '/problems/validation', ['/body/body']]);
    // The limit counts characters, not bytes: the longest Vietnamese text passes.
    const longest = await post('citizen', dossier.id, 'ạ'.repeat(MAX_BODY_CHARS));
    expect(longest.statusCode, longest.body).toBe(201);
    // Far beyond what a field may carry: refused while reading, with the same field.
    expect(problemOf(await post('citizen', dossier.id, 'x'.repeat(100_000)))).toEqual([400, '/problems/validation', ['/body/body']]);
    expect(problemOf(await post('citizen', dossier.id, 'Xin chào', [], [{ name: 'side', content: 'staff' }]))).toEqual([400, '/problems/validation', ['/body/side']]);
  });

  test('files: wrong type by content, empty, too many; a body that is not multipart', async () => {
    const before = (await conversation('officer', dossier.id)).messages.length;
    const text = { name: 'ghi-chu.pdf', content: Buffer.from('chỉ là văn bản, không phải PDF'), type: 'application/pdf' };
    expect(problemOf(await post('citizen', dossier.id, 'Kèm tệp', [text]))).toEqual([415, '/problems/file-type-not-allowed', ['/body/file/0']]);
    expect(problemOf(await post('citizen', dossier.id, 'Kèm tệp', [{ name: 'a.pdf', content: PDF }, { name: 'rong.pdf', content: Buffer.alloc(0) }]))).toEqual([
      413,
      '/problems/file-too-large',
      ['/body/file/1'],
    ]);
    const four = Array.from({ length: 4 }, (_, i) => ({ name: `${i}.pdf`, content: PDF }));
    expect(problemOf(await post('citizen', dossier.id, 'Nhiều tệp', four))).toEqual([413, '/problems/too-many-files', ['/body/file']]);
    const json = await env.http.call('POST', `/api/dossiers/${dossier.id}/messages`, tokens.citizen, { body: 'JSON' });
    expect([json.statusCode, json.json().type]).toEqual([415, '/problems/upload-malformed']);
    const cut = multipart([{ name: 'body', content: 'Cắt ngang' }, { name: 'file', content: PDF, filename: 'a.pdf' }], { close: false, truncateAt: 80 });
    const broken = await env.http.call('POST', `/api/dossiers/${dossier.id}/messages`, tokens.citizen, cut.body, { 'content-type': cut.contentType });
    expect(broken.statusCode).toBe(400);
    // Nothing refused was kept.
    expect((await conversation('officer', dossier.id)).messages).toHaveLength(before);
  });
});

test('a long conversation is read a page at a time, newest page first, older ones with `before`', async () => {
  const dossier = await received();
  for (let i = 1; i <= PAGE_SIZE + 2; i++) expect((await post(i % 2 ? 'citizen' : 'officer', dossier.id, `Tin nhắn số ${i}`)).statusCode).toBe(201);
  const latest = await conversation('leader', dossier.id);
  expect([latest.messages.length, latest.hasOlder, latest.messages[0]!.body, latest.messages.at(-1)!.body]).toEqual([PAGE_SIZE, true, 'Tin nhắn số 3', `Tin nhắn số ${PAGE_SIZE + 2}`]);
  const older = await env.http.call('GET', `/api/dossiers/${dossier.id}/messages?before=${latest.messages[0]!.seq}`, tokens.leader);
  expect((older.json() as Conversation).messages.map((m) => m.body)).toEqual(['Tin nhắn số 1', 'Tin nhắn số 2']);
  expect((older.json() as Conversation).hasOlder).toBe(false);
  // Unread for the leader: every message of the applicant, whichever page it is on.
  expect(latest.unread).toBe((PAGE_SIZE + 2) / 2);
});
