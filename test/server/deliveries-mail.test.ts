import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emailDeliverer, type Deliverers } from '../../server/deliveries/channels.js';
import { claimDue, deliveriesOf } from '../../server/deliveries/delivery.repository.js';
import { DEFAULT_DELIVERY_POLICY, runDeliveries } from '../../server/deliveries/delivery.worker.js';
import { startMailCatcher, type MailCatcher } from '../../server/mail/mail-catcher.js';
import { smtpSender, type MailSender } from '../../server/mail/mail.sender.js';
import { DEMO_CALLERS, actOn, business, PDF, useApiTest } from '../support/api.js';

const env = useApiTest({ as: DEMO_CALLERS });
const { t, tokens, userIds } = env;
const CITIZEN_EMAIL = /^congdan@/;
let catcher: MailCatcher;
let port: number;
let sender: MailSender;
let deliverers: Deliverers;

const listen = async () => {
  catcher = await startMailCatcher(t.db, { port: port ?? 0 });
  port = catcher.port;
};

beforeAll(async () => {
  await listen();
  // The port is fixed once known, so that a restarted catcher is found at the same address.
  sender = smtpSender(`smtp://127.0.0.1:${port}`, 'Cổng Dịch vụ công <no-reply@dvc.test>');
  deliverers = { email: emailDeliverer(sender) };
});
afterAll(async () => {
  sender?.close();
  await catcher?.close();
});

const run = (now = new Date()) => runDeliveries(t.db, { deliverers, now });
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);
/** The caught mail, newest first, as the admin's page reads it. */
const caught = async (query = '') => {
  const res = await env.http.call('GET', `/api/admin/mail${query}`, tokens.admin);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { messageId: string; to: string[]; subject: string; text: string; from: string }[]; total: number };
};
const mailAbout = async (code: string) => (await caught('?pageSize=100')).items.filter((m) => m.subject.includes(code)).reverse();
const emailRows = async (dossierId: string) => (await deliveriesOf(t.db, dossierId)).filter((d) => d.channel === 'email');

describe('email notifications', () => {
  let dossier: { id: string; code: string };

  beforeAll(async () => {
    dossier = await env.http.submitComplete(tokens.citizen!);
  });

  test('submission and reception reach the applicant through SMTP: Vietnamese, each line with its English below', async () => {
    await actOn(env, 'officer', dossier.code, '1100');
    expect(await run()).toMatchObject({ sent: 2, retrying: 0, failed: 0 });
    const mails = await mailAbout(dossier.code);
    expect(mails.map((m) => m.subject)).toEqual([`Hồ sơ ${dossier.code} đã được nộp / Dossier ${dossier.code} submitted`, `Hồ sơ ${dossier.code} đã được tiếp nhận / Dossier ${dossier.code} received`]);
    const received = mails[1]!;
    expect(received.to).toEqual([expect.stringMatching(CITIZEN_EMAIL)]);
    expect(received.from).toContain('no-reply@dvc.test');
    expect(received.text).toContain('Kính gửi Ông/Bà Nguyễn Văn An,\nDear Nguyễn Văn An,');
    expect(received.text).toMatch(/Ngày hẹn trả kết quả: \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}\.\nAppointment for the result: /);
    expect(received.text).toContain(`Mã hồ sơ (Dossier code): ${dossier.code}\nThủ tục (Procedure): Cấp Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp Tỉnh\nCơ quan giải quyết (Agency): Sở Công Thương`);
    // The Message-ID is the delivery's: a copy sent again is recognisable.
    const rows = await emailRows(dossier.id);
    expect(mails.map((m) => m.messageId)).toEqual(rows.map((r) => `<${r.id}@dvc.test>`));
  });

  test('every status change is mailed: "in progress" with the appointment, a supplement request with its reason', async () => {
    await actOn(env, 'officer', dossier.code, '2000'); // → 4
    await actOn(env, 'leader', dossier.code, '2101', { assignee: userIds.handler }); // still 4: no mail
    await actOn(env, 'handler', dossier.code, '2300');
    await actOn(env, 'leader', dossier.code, '5200', { note: 'Thiếu danh sách trích ngang sản phẩm' });
    expect((await emailRows(dossier.id)).map((r) => r.payload.status)).toEqual([1, 2, 4, 5]);
    expect(await run()).toMatchObject({ sent: 2 });
    const [inProgress, supplement] = (await mailAbout(dossier.code)).slice(-2);
    expect(inProgress!.subject).toBe(`Hồ sơ ${dossier.code} đang được giải quyết / Dossier ${dossier.code} in progress`);
    expect(inProgress!.text).toMatch(/Ngày hẹn trả kết quả: \d{2}:\d{2} ngày/);
    expect(supplement!.subject).toBe(`Yêu cầu bổ sung hồ sơ ${dossier.code} / Supplement requested for dossier ${dossier.code}`);
    expect(supplement!.text).toContain('Nội dung cần bổ sung: Thiếu danh sách trích ngang sản phẩm\nWhat is needed: Thiếu danh sách trích ngang sản phẩm');
  });

  test('SMTP server down: retried with backoff, delivered when it is back', async () => {
    await catcher.close();
    expect((await env.http.call('POST', `/api/dossiers/${dossier.id}/supplement`, tokens.citizen, { note: 'Đã bổ sung' })).statusCode).toBe(200);
    await actOn(env, 'handler', dossier.code, '5300', { note: 'Lệ phí thẩm định: 1.000.000 đồng' }); // → 6
    const t0 = new Date();
    // Two to send: back in progress (4, the supplement answered), then the fee request (6), which waits behind it.
    expect(await run(t0)).toMatchObject({ sent: 0, retrying: 1 });
    const [pending, queued] = (await emailRows(dossier.id)).slice(-2);
    expect([pending, queued]).toMatchObject([
      { payload: { status: 4 }, state: 'pending', attempts: 1 },
      { payload: { status: 6 }, state: 'pending', attempts: 0 },
    ]);
    expect(pending!.last_error).toMatch(/ECONNREFUSED/);
    expect(await run(later(t0, DEFAULT_DELIVERY_POLICY.backoffMs - 1000))).toMatchObject({ retrying: 0, sent: 0 });
    expect(await run(later(t0, DEFAULT_DELIVERY_POLICY.backoffMs))).toMatchObject({ retrying: 1 });

    await listen();
    expect(await run(later(t0, 3 * DEFAULT_DELIVERY_POLICY.backoffMs))).toMatchObject({ sent: 2 });
    const [fee] = (await mailAbout(dossier.code)).slice(-1);
    expect(fee!.subject).toContain('Yêu cầu nộp phí, lệ phí');
    expect(fee!.text).toContain('Nội dung: Lệ phí thẩm định: 1.000.000 đồng');
    expect((await emailRows(dossier.id)).slice(-2)).toMatchObject([
      { state: 'sent', attempts: 3, last_error: null },
      { state: 'sent', attempts: 1, last_error: null },
    ]);
  });

  test('replay: running the worker again sends nothing; a message sent twice is kept once', async () => {
    const before = (await caught()).total;
    expect(await run()).toMatchObject({ sent: 0 });
    expect((await caught()).total).toBe(before);

    // Fee confirmed → 4, mailed; returned to handling. Approve the whole way to "result ready" (9).
    await actOn(env, 'officer', dossier.code, '1300');
    expect(await run()).toMatchObject({ sent: 1 });
    for (const [who, code] of [['handler', '2600'], ['leader', '3100']] as const) await actOn(env, who, dossier.code, code);
    await actOn(env, 'director', dossier.code, '3200');
    await actOn(env, 'clerk', dossier.code, '3300'); // → 9

    // A worker sends the "result ready" mail, then its lease runs out before it records it: sent again.
    const t0 = new Date();
    const claimed = (await claimDue(t.db, t0, ['email'], later(t0, DEFAULT_DELIVERY_POLICY.leaseMs)))[0]!;
    expect(claimed.payload.status).toBe(9);
    await deliverers.email!.deliver(t.db, claimed);
    expect(await run(later(t0, DEFAULT_DELIVERY_POLICY.leaseMs))).toMatchObject({ sent: 1 });
    const ready = (await mailAbout(dossier.code)).filter((m) => m.subject.includes('đã có kết quả'));
    expect(ready).toHaveLength(1);
    expect((await caught()).total).toBe(before + 2);
  });

  test('an applicant without an email address is sent nothing', async () => {
    const opened = (await env.http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: { fullName: 'Trần Thị Hoa', idNumber: '038190009999' }, form: business })).json();
    expect((await env.http.upload(opened.id, tokens.officer!, 'TP05', { name: 'don.pdf', content: PDF }, '/api/counter/dossiers')).statusCode).toBe(201);
    expect((await env.http.call('POST', `/api/counter/dossiers/${opened.id}/submit`, tokens.officer, { declarationAccepted: true })).statusCode).toBe(200);
    const rows = await deliveriesOf(t.db, opened.id);
    expect(rows.map((r) => [r.channel, r.payload.status])).toEqual([
      ['portal-sync', 1],
      ['portal-sync', 2],
    ]);
  });

  test('the caught mail is the admin’s to read, page by page', async () => {
    const all = await caught();
    const first = await caught('?page=1&pageSize=1');
    expect(first.items).toHaveLength(1);
    expect(first.total).toBe(all.total);
    expect((await caught('?page=2&pageSize=1')).items[0]!.messageId).not.toBe(first.items[0]!.messageId);
    expect((await env.http.call('GET', '/api/admin/mail', tokens.officer)).statusCode).toBe(403);
    expect((await env.http.call('GET', '/api/admin/mail')).statusCode).toBe(401);
    expect((await env.http.call('GET', '/api/admin/mail?pageSize=1000', tokens.admin)).statusCode).toBe(400);
  });
});

// Last: a restarted database leaves the app of this file with a closed handle.
describe('restart', () => {
  test('a server stopped between claiming a mail and sending it loses nothing; the applicant gets it once', async () => {
    await run();
    const dossier = await env.http.submitComplete(tokens.citizen!);
    const t0 = new Date();
    const claimed = (await claimDue(t.db, t0, ['email'], later(t0, DEFAULT_DELIVERY_POLICY.leaseMs)))[0]!;
    expect(claimed.dossier_id).toBe(dossier.id);
    await catcher.close();
    await t.reopen();
    await listen();
    expect(await run(later(t0, 1000))).toMatchObject({ sent: 0 });
    expect(await run(later(t0, DEFAULT_DELIVERY_POLICY.leaseMs))).toMatchObject({ sent: 1 });
    const mails = await t.db.selectFrom('caught_mail').select(['subject', 'message_id']).where('subject', 'like', `%${dossier.code}%`).execute();
    expect(mails).toEqual([{ subject: `Hồ sơ ${dossier.code} đã được nộp / Dossier ${dossier.code} submitted`, message_id: `<${claimed.id}@dvc.test>` }]);
  });
});
