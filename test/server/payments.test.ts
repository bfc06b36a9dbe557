import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../server/app.js';
import { seedDemo, type DemoAccount } from '../../server/seed/seed.js';
import { startPaymentSandbox, type PaymentSandbox } from '../../server/payment-sandbox/sandbox.js';
import { reconcilePayments } from '../../server/payments/reconcile.js';
import type { PaymentSettings } from '../../server/payments/payment.service.js';
import { actOn as actOnIn, api, openTaskOf as openTaskOfIn, PDF, type ApiTest } from '../support/api.js';
import { useTestDb } from '../support/test-db.js';
import { pdfText } from '../support/pdf-text.js';
import { vndInWords } from '../../server/payments/receipt.js';

// Online payment against the real sandbox gateway (over HTTP, on a random port), the counter, reconciliation,
// and the fee configuration that feeds them. The app listens on a port too: the gateway calls it back.
const t = useTestDb({ seed: true });
const MERCHANT = { code: 'DVCTEST01', secret: randomBytes(32).toString('hex') };
const RECONCILE_AFTER_MS = 10 * 60_000;
const PUBLIC_URL = 'http://portal.example';

let sandbox: PaymentSandbox;
let settings: PaymentSettings;
let accounts: DemoAccount[];
// What the shared helpers (actOn, openTaskOf) need of an API test.
const env = { tokens: {}, userIds: {} } as ApiTest;
let app: FastifyInstance;

async function startApp() {
  app = await buildApp({ db: t.db, backend: t.backend === 'postgres' ? 'postgresql' : 'pglite', logLevel: 'silent', jwtSecret: 'test-secret-0123456789', rateLimitScale: 100, payments: settings, publicUrl: PUBLIC_URL });
  await app.listen({ host: '127.0.0.1', port: 0 });
  sandbox.merchants.get(MERCHANT.code)!.ipnUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/payments/callback`;
  env.app = app;
  env.http = api(app);
  const who = { citizen: 'citizen', officer: 'one-stop-officer @ H20.24.16', officerElsewhere: 'one-stop-officer @ H20.11', leader: 'dept-leader @ H20.24.16', handler: 'handler @ H20.24.16', admin: 'admin', auditor: 'auditor' };
  for (const [name, description] of Object.entries(who)) {
    const account = accounts.find((a) => a.description.startsWith(description))!;
    env.tokens[name] = await env.http.login(account.login, account.password);
    env.userIds[name] = (await env.http.call('GET', '/api/me', env.tokens[name])).json().id;
  }
}

beforeAll(async () => {
  sandbox = await startPaymentSandbox({ merchants: [{ ...MERCHANT, ipnUrl: 'http://127.0.0.1:9/' }], ipnRetries: 0 });
  settings = { gateway: { payUrl: sandbox.payUrl, queryUrl: sandbox.queryUrl, merchantCode: MERCHANT.code, secret: MERCHANT.secret }, reconcileAfterMs: RECONCILE_AFTER_MS, checkoutTtlMs: 15 * 60_000 };
  accounts = (await seedDemo(t.db)).accounts;
  await startApp();
  const other = await env.http.call('POST', '/api/auth/register', undefined, { fullName: 'Trần Thị Bình', idNumber: '079188000002', phone: '0987000002', email: 'binh@dvc.example', password: 'mat-khau-binh-1' });
  env.tokens.otherCitizen = other.json().accessToken;
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

const call = (...args: Parameters<ApiTest['http']['call']>) => env.http.call(...args);
const tokens = env.tokens;

/** Certification (CT01, a commune): 2.000 đồng per copy, at most 60.000; 25.000 for the result by post. */
const certificationFee = {
  feeAmount: 0,
  serviceAmount: 0,
  shipAmount: 25_000,
  editable: 3,
  rules: [{ item: 'fee', label: 'Lệ phí chứng thực mỗi bản', amount: 2_000, perField: 'copies', max: 60_000 }],
};

async function putProcedure(code: string, change: Record<string, unknown>) {
  const current = (await call('GET', `/api/admin/procedures/${code}`, tokens.admin)).json();
  const { code: _code, agency, field, forms: _forms, ...rest } = current;
  return call('PUT', `/api/admin/procedures/${code}`, tokens.admin, { ...rest, agencyCode: agency.code, fieldCode: field.code, ...change });
}

interface FeeDossier {
  id: string;
  code: string;
  payment: { id: string; amount: number; computedAmount: number; lines: unknown[]; state: string; overrideReason: string | null };
}

/** A CT01 dossier of `copies` copies, received, assigned and at the fee step (action 5300 by the handler); `byPost`: the result by post. */
async function dossierAtFee(copies: number, requestInput?: Record<string, unknown>, byPost = false): Promise<FeeDossier> {
  const draft = (await call('POST', '/api/dossiers', tokens.citizen, { procedureCode: 'CT01' })).json();
  expect((await call('PUT', `/api/dossiers/${draft.id}/form`, tokens.citizen, { data: { documentName: 'Bằng tốt nghiệp đại học', copies } })).statusCode).toBe(200);
  expect((await env.http.upload(draft.id, tokens.citizen!, 'TP01', { name: 'bang.pdf', content: PDF })).statusCode).toBe(201);
  if (byPost) {
    const postal = { collection: false, result: true, recipientName: 'Nguyễn Văn An', phone: '0912345678', address: 'Số 12 Trần Phú, phường Cẩm Thành' };
    expect((await call('PUT', `/api/dossiers/${draft.id}/postal`, tokens.citizen, postal)).statusCode).toBe(200);
  }
  const submitted = await call('POST', `/api/dossiers/${draft.id}/submit`, tokens.citizen, { declarationAccepted: true });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const code = submitted.json().code as string;
  await actOnIn(env, 'officer', code, '1100');
  await actOnIn(env, 'officer', code, '2000');
  await actOnIn(env, 'leader', code, '2101', { assignee: env.userIds.handler });
  await actOnIn(env, 'handler', code, '5300', { note: 'Đề nghị nộp lệ phí chứng thực', ...(requestInput ? { input: requestInput } : {}) });
  const payments = (await call('GET', `/api/dossiers/${draft.id}/payments`, tokens.citizen)).json();
  return { id: draft.id, code, payment: payments[0] };
}

async function nationalStatus(dossierId: string) {
  return (await call('GET', `/api/dossiers/${dossierId}`, tokens.citizen)).json().nationalStatus as number;
}

async function paymentOf(dossier: FeeDossier) {
  return (await call('GET', `/api/dossiers/${dossier.id}/payments`, tokens.citizen)).json().find((p: { id: string }) => p.id === dossier.payment.id);
}

/** The citizen's checkout, then the gateway's page, as a browser gets them. */
async function openGatewayPage(dossier: FeeDossier, token = tokens.citizen) {
  const checkout = await call('POST', `/api/dossiers/${dossier.id}/payments/${dossier.payment.id}/checkout`, token, {});
  expect(checkout.statusCode, checkout.body).toBe(200);
  const page = await fetch(checkout.json().redirectUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  return { redirectUrl: checkout.json().redirectUrl as string, html, txnRef: /name="txnRef" value="([^"]+)"/.exec(html)![1]! };
}

/** The payer presses a button on the gateway's page; answers where the gateway sends the browser. */
async function press(txnRef: string, choice: 'pay' | 'cancel') {
  const res = await fetch(`${sandbox.origin}/paymentv2/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ tmn: MERCHANT.code, txnRef, choice }),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

/** VNPay's signature, computed here independently of the code under test. */
function sign(params: Record<string, string>) {
  const text = Object.keys(params)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k]!).replace(/%20/g, '+')}`)
    .join('&');
  return { ...params, vnp_SecureHash: createHmac('sha512', MERCHANT.secret).update(text).digest('hex') };
}

const callback = async (params: Record<string, string>) => (await call('GET', `/api/payments/callback?${new URLSearchParams(params)}`)).json();

async function historyLength(dossierId: string) {
  return (await call('GET', `/api/dossiers/${dossierId}/history`, tokens.auditor)).json().length as number;
}

describe('fee configuration', () => {
  test('a process asking for the fee with nothing to charge is refused at save, as are rules on unknown fields', async () => {
    const noAmount = await putProcedure('CT01', { fee: { feeAmount: 0, serviceAmount: 0, shipAmount: 0, editable: 2 } });
    expect(noAmount.statusCode).toBe(422);
    expect(noAmount.json().errors.map((e: { path: string }) => e.path)).toContain('/body/fee');
    const badRule = await putProcedure('CT01', { fee: { ...certificationFee, rules: [{ item: 'fee', label: 'Theo trang', amount: 1_000, perField: 'pages' }] } });
    expect(badRule.statusCode).toBe(422);
    expect(badRule.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/fee/rules/0/perField']);
    // "Not charged" (editable 0) is a configuration too: free, or paid outside the system.
    expect((await putProcedure('CT01', { fee: { feeAmount: 0, serviceAmount: 0, shipAmount: 0, editable: 0 } })).statusCode).toBe(200);

    const saved = await putProcedure('CT01', { fee: certificationFee });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().fee).toEqual(certificationFee);
    expect((await call('GET', '/api/procedures/CT01')).json().fee.rules).toHaveLength(1);
  });

  test('the fee request computes the amount from the rules, or takes the officer’s amount with a reason', async () => {
    const five = await dossierAtFee(5);
    expect(await nationalStatus(five.id)).toBe(6);
    expect(five.payment).toMatchObject({ state: 'pending', amount: 10_000, computedAmount: 10_000, overrideReason: null, canPayOnline: true });
    expect(five.payment.lines).toEqual([{ item: 'fee', label: 'Lệ phí chứng thực mỗi bản', quantity: 5, amount: 10_000 }]);
    // Capped at 60.000 however many copies.
    expect((await dossierAtFee(40)).payment.amount).toBe(60_000);

    // Shipping is charged when the applicant chose to receive the result by post.
    const posted = await dossierAtFee(5, undefined, true);
    expect(posted.payment.lines).toEqual([
      { item: 'ship', label: null, quantity: null, amount: 25_000 },
      { item: 'fee', label: 'Lệ phí chứng thực mỗi bản', quantity: 5, amount: 10_000 },
    ]);
    expect(posted.payment.amount).toBe(35_000);

    const changed = await dossierAtFee(2, { fee: { amount: 54_000, reason: 'Có thêm bản dịch công chứng 50.000 đồng' } });
    expect(changed.payment).toMatchObject({ amount: 54_000, computedAmount: 4_000, overrideReason: 'Có thêm bản dịch công chứng 50.000 đồng' });
  });

  test('an amount without a reason is refused, and nothing is committed', async () => {
    const draft = await dossierAtFee(1);
    // Back to handling by paying, then ask again without a reason.
    expect((await call('POST', `/api/dossiers/${draft.id}/payments/${draft.payment.id}/counter`, tokens.officer, { method: 'cash' })).statusCode).toBe(200);
    const task = await openTaskOfIn(env, 'handler', draft.code, 'mine');
    const refused = await call('POST', `/api/tasks/${task!.id}/actions`, tokens.handler, { actionCode: '5300', input: { fee: { amount: 9_000 } } }, { 'if-match': `"${task!.version}"` });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/input/fee/reason']);
    expect(await nationalStatus(draft.id)).toBe(4);
    expect((await call('GET', `/api/dossiers/${draft.id}/payments`, tokens.citizen)).json()).toHaveLength(1);
  });
});

describe('online payment through the gateway', () => {
  test('signed redirect → gateway page → callback → dossier back in handling; the return page says paid', async () => {
    const dossier = await dossierAtFee(5);
    const { redirectUrl, html, txnRef } = await openGatewayPage(dossier);
    const sent = new URL(redirectUrl);
    expect(sent.origin).toBe(sandbox.origin);
    expect(sent.searchParams.get('vnp_Amount')).toBe('1000000');
    expect(sent.searchParams.get('vnp_TmnCode')).toBe(MERCHANT.code);
    expect(sent.searchParams.get('vnp_ReturnUrl')).toBe(`${PUBLIC_URL}/payments/return`);
    const { vnp_SecureHash: hash, ...signed } = Object.fromEntries(sent.searchParams);
    expect(sign(signed).vnp_SecureHash).toBe(hash);
    expect(html).toContain('Thanh toán');
    expect(html).toContain('Hủy');
    expect(html).toContain('10.000');

    const back = await press(txnRef, 'pay');
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/payments/return`);
    expect(sandbox.callbacks.at(-1)).toEqual({ txnRef, answer: '00' });
    const paid = await paymentOf(dossier);
    expect(paid).toMatchObject({ state: 'paid', method: 'online', amount: 10_000 });
    expect(paid.receiptNo).toMatch(/^H20\.24\.16-BL\d{4}-\d{6}$/);
    expect(await nationalStatus(dossier.id)).toBe(4);
    expect((await openTaskOfIn(env, 'handler', dossier.code, 'mine'))?.step.elementId).toBe('handle');
    const confirmation = (await call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json().find((e: { type: string; data: { action?: string } }) => e.type === 'task.completed' && e.data.action === '1300');
    expect(confirmation.actorId).toBe('system:payments');

    const returned = await call('GET', `/api/payments/return?${back.searchParams}`);
    expect(returned.json()).toEqual({ outcome: 'already-paid', dossier: { id: dossier.id, code: dossier.code }, amount: 10_000 });
  });

  test('a cancelled payment leaves the fee pending, to pay again under a new reference', async () => {
    const dossier = await dossierAtFee(3);
    const first = await openGatewayPage(dossier);
    const back = await press(first.txnRef, 'cancel');
    expect(back.searchParams.get('vnp_ResponseCode')).toBe('24');
    expect((await call('GET', `/api/payments/return?${back.searchParams}`)).json().outcome).toBe('failed');
    expect((await paymentOf(dossier)).state).toBe('pending');
    expect(await nationalStatus(dossier.id)).toBe(6);

    // The bank declines the next try (51: insufficient funds); a third goes through.
    const second = await openGatewayPage(dossier);
    expect(second.txnRef).not.toBe(first.txnRef);
    sandbox.behaviour.declinePayments = true;
    try {
      expect((await press(second.txnRef, 'pay')).searchParams.get('vnp_ResponseCode')).toBe('51');
    } finally {
      sandbox.behaviour.declinePayments = false;
    }
    expect((await paymentOf(dossier)).state).toBe('pending');
    const third = await openGatewayPage(dossier);
    await press(third.txnRef, 'pay');
    expect((await paymentOf(dossier)).state).toBe('paid');
  });

  test('a bad signature is refused, by the gateway and by the callback', async () => {
    const dossier = await dossierAtFee(4);
    const checkout = (await call('POST', `/api/dossiers/${dossier.id}/payments/${dossier.payment.id}/checkout`, tokens.citizen, {})).json();
    const tampered = new URL(checkout.redirectUrl);
    tampered.searchParams.set('vnp_Amount', '100');
    expect((await fetch(tampered)).status).toBe(400);

    const { txnRef } = await openGatewayPage(dossier);
    const forged = sign({ vnp_Amount: '800000', vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_TmnCode: MERCHANT.code, vnp_TxnRef: txnRef, vnp_TransactionNo: '1' });
    expect(await callback({ ...forged, vnp_SecureHash: forged.vnp_SecureHash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) })).toEqual({ RspCode: '97', Message: 'Invalid signature' });
    expect(await callback({ ...forged, vnp_TransactionNo: '2' })).toMatchObject({ RspCode: '97' });
    const other = createHmac('sha512', 'another-merchant-secret').update('x').digest('hex');
    expect(await callback({ ...forged, vnp_SecureHash: other })).toMatchObject({ RspCode: '97' });
    expect((await call('GET', `/api/payments/return?${new URLSearchParams({ ...forged, vnp_TransactionNo: '3' })}`)).json().outcome).toBe('invalid');
    expect((await paymentOf(dossier)).state).toBe('pending');
    expect(await nationalStatus(dossier.id)).toBe(6);
  });

  test('a signed report of the wrong amount, or of an unknown order or merchant, changes nothing', async () => {
    const dossier = await dossierAtFee(4);
    const { txnRef } = await openGatewayPage(dossier);
    const base = { vnp_Amount: '800000', vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_TmnCode: MERCHANT.code, vnp_TxnRef: txnRef, vnp_TransactionNo: '77', vnp_BankCode: 'NCB' };
    expect(await callback(sign({ ...base, vnp_Amount: '100' }))).toEqual({ RspCode: '04', Message: 'Invalid amount' });
    expect(await callback(sign({ ...base, vnp_TxnRef: 'unknown-reference' }))).toMatchObject({ RspCode: '01' });
    expect(await callback(sign({ ...base, vnp_TmnCode: 'OTHERSHOP' }))).toMatchObject({ RspCode: '01' });
    expect((await paymentOf(dossier)).state).toBe('pending');
    // The right amount, signed: accepted.
    expect(await callback(sign(base))).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    expect(await nationalStatus(dossier.id)).toBe(4);
  });

  test('a replayed callback changes nothing and answers "already confirmed"', async () => {
    const dossier = await dossierAtFee(6);
    const { txnRef } = await openGatewayPage(dossier);
    const back = await press(txnRef, 'pay');
    const params = Object.fromEntries(back.searchParams);
    const before = { payment: await paymentOf(dossier), events: await historyLength(dossier.id), detail: (await call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json() };
    for (let i = 0; i < 3; i++) expect(await callback(params)).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
    const post = await call('POST', '/api/payments/callback', undefined, new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(post.json()).toMatchObject({ RspCode: '02' });
    expect(await paymentOf(dossier)).toEqual(before.payment);
    expect(await historyLength(dossier.id)).toBe(before.events);
    expect((await call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json()).toEqual(before.detail);
  });
});

describe('reconciliation', () => {
  // Checkouts the tests above left open are asked about once, a day ahead: their next turn is then far away.
  beforeAll(async () => {
    await reconcilePayments(t.db, settings, { now: new Date(Date.now() + 86_400_000) });
  });

  test('a lost callback with the gateway down: reconciliation waits, then confirms once the gateway answers', async () => {
    const dossier = await dossierAtFee(7);
    const { txnRef } = await openGatewayPage(dossier);
    sandbox.behaviour.dropCallbacks = true;
    try {
      await press(txnRef, 'pay');
    } finally {
      sandbox.behaviour.dropCallbacks = false;
    }
    expect((await paymentOf(dossier)).state).toBe('pending');
    // Too young to ask about.
    expect(await reconcilePayments(t.db, settings)).toMatchObject({ asked: 0 });

    const later = new Date(Date.now() + RECONCILE_AFTER_MS + 1000);
    sandbox.behaviour.offline = true;
    const errors: unknown[] = [];
    try {
      expect(await reconcilePayments(t.db, settings, { now: later, onError: (e) => errors.push(e) })).toMatchObject({ asked: 1, unreachable: 1, confirmed: 0 });
    } finally {
      sandbox.behaviour.offline = false;
    }
    expect(String(errors[0])).toMatch(/HTTP 503/);
    expect((await paymentOf(dossier)).state).toBe('pending');
    // The failed question moved the attempt's turn a minute on.
    expect(await reconcilePayments(t.db, settings, { now: later })).toMatchObject({ asked: 0 });

    const round = await reconcilePayments(t.db, settings, { now: new Date(later.getTime() + 61_000) });
    expect(round).toMatchObject({ asked: 1, confirmed: 1 });
    expect((await paymentOf(dossier)).state).toBe('paid');
    expect(await nationalStatus(dossier.id)).toBe(4);
    // Nothing left to ask; the late callback now answers "already confirmed".
    expect(await reconcilePayments(t.db, settings, { now: new Date(later.getTime() + 3_600_000) })).toMatchObject({ asked: 0 });
  });

  test('a checkout left open at the gateway is asked about and waits; the fee stays payable', async () => {
    const dossier = await dossierAtFee(2);
    await openGatewayPage(dossier);
    const later = new Date(Date.now() + RECONCILE_AFTER_MS + 1000);
    expect(await reconcilePayments(t.db, settings, { now: later })).toMatchObject({ asked: 1, waiting: 1 });
    expect((await paymentOf(dossier)).state).toBe('pending');
  });

  test('a restart in the middle loses nothing: paid while the server was down, confirmed after it came back', async () => {
    const dossier = await dossierAtFee(8);
    const { txnRef } = await openGatewayPage(dossier);
    await app.close();
    await press(txnRef, 'pay');
    expect(sandbox.callbacks.at(-1)!.answer).toMatch(/^error/);
    await t.reopen();
    await startApp();
    expect((await paymentOf(dossier)).state).toBe('pending');
    expect(await reconcilePayments(t.db, settings, { now: new Date(Date.now() + RECONCILE_AFTER_MS + 1000) })).toMatchObject({ confirmed: 1 });
    expect((await paymentOf(dossier)).state).toBe('paid');
    expect(await nationalStatus(dossier.id)).toBe(4);
    const verify = (await call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor)).json();
    expect(verify.ok).toBe(true);
  });
});

describe('payment at the counter', () => {
  test('a one-stop officer records cash or a transfer; the dossier goes back to handling', async () => {
    const dossier = await dossierAtFee(5);
    const url = `/api/dossiers/${dossier.id}/payments/${dossier.payment.id}/counter`;
    const missing = await call('POST', url, tokens.officer, { method: 'transfer' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].path).toBe('/body/reference');
    expect((await call('POST', url, tokens.officerElsewhere, { method: 'cash' })).statusCode).toBe(404);
    expect((await call('POST', url, tokens.handler, { method: 'cash' })).statusCode).toBe(403);

    // The step's generic "confirm" is refused while the system collects the fee.
    const task = await openTaskOfIn(env, 'officer', dossier.code);
    const manual = await call('POST', `/api/tasks/${task!.id}/actions`, tokens.officer, { actionCode: '1300' }, { 'if-match': `"${task!.version}"` });
    expect(manual.statusCode).toBe(409);
    expect(manual.json().type).toBe('/problems/payment-pending');

    const paid = await call('POST', url, tokens.officer, { method: 'transfer', reference: 'FT24123456789' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ state: 'paid', method: 'transfer', reference: 'FT24123456789' });
    expect(await nationalStatus(dossier.id)).toBe(4);
    const again = await call('POST', url, tokens.officer, { method: 'cash' });
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toBe('/problems/payment-paid');
    // Money received cannot be undone by undoing the confirmation.
    const undo = await call('POST', `/api/dossiers/${dossier.id}/undo`, tokens.officer, { reason: 'Nhầm' });
    expect(undo.statusCode).toBe(409);
    expect(undo.json().type).toBe('/problems/payment-confirmed');
    // A late online payment of the same fee is no second confirmation.
    const checkout = await call('POST', `/api/dossiers/${dossier.id}/payments/${dossier.payment.id}/checkout`, tokens.citizen, {});
    expect(checkout.json().type).toBe('/problems/payment-paid');
  });

  test('undoing the fee request cancels its payment, unless a checkout is under way', async () => {
    const dossier = await dossierAtFee(3);
    const undone = await call('POST', `/api/dossiers/${dossier.id}/undo`, tokens.handler, { reason: 'Chưa cần thu phí' });
    expect(undone.statusCode, undone.body).toBe(200);
    expect((await paymentOf(dossier)).state).toBe('cancelled');

    const paying = await dossierAtFee(3);
    await openGatewayPage(paying);
    const refused = await call('POST', `/api/dossiers/${paying.id}/undo`, tokens.handler, { reason: 'Chưa cần thu phí' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().type).toBe('/problems/payment-in-progress');
    expect(await nationalStatus(paying.id)).toBe(6);
  });
});

describe('authorization', () => {
  test('only the applicant checks out; the agency’s staff and auditors read; others are told nothing exists', async () => {
    const dossier = await dossierAtFee(1);
    const checkout = `/api/dossiers/${dossier.id}/payments/${dossier.payment.id}/checkout`;
    expect((await call('POST', checkout, tokens.otherCitizen, {})).statusCode).toBe(404);
    expect((await call('POST', checkout, tokens.officer, {})).statusCode).toBe(403);
    expect((await call('POST', checkout, undefined, {})).statusCode).toBe(401);
    expect((await call('GET', `/api/dossiers/${dossier.id}/payments`, tokens.otherCitizen)).statusCode).toBe(404);
    expect((await call('GET', `/api/dossiers/${dossier.id}/payments`, tokens.officerElsewhere)).statusCode).toBe(404);
    expect((await call('GET', `/api/dossiers/${dossier.id}/payments`, tokens.officer)).json()).toHaveLength(1);
    expect((await call('GET', `/api/dossiers/${dossier.id}/payments`, tokens.auditor)).json()).toHaveLength(1);
    // Another dossier's payment id under this dossier is not found.
    const other = await dossierAtFee(1);
    expect((await call('POST', `/api/dossiers/${dossier.id}/payments/${other.payment.id}/checkout`, tokens.citizen, {})).statusCode).toBe(404);
  });
});

describe('e-receipt', () => {
  test('amounts in words as receipts write them', () => {
    expect(vndInWords(10_000)).toBe('Mười nghìn đồng');
    expect(vndInWords(54_000)).toBe('Năm mươi tư nghìn đồng');
    expect(vndInWords(1_505_000)).toBe('Một triệu năm trăm linh năm nghìn đồng');
    expect(vndInWords(2_000_015)).toBe('Hai triệu không trăm mười lăm đồng');
    expect(vndInWords(3_021_000_000)).toBe('Ba tỷ không trăm hai mươi mốt triệu đồng');
  });

  test('after payment, the applicant, the agency’s staff and auditors get the receipt; before it, nobody', async () => {
    const dossier = await dossierAtFee(2, { fee: { amount: 54_000, reason: 'Có thêm bản dịch công chứng 50.000 đồng' } });
    const url = `/api/dossiers/${dossier.id}/payments/${dossier.payment.id}/receipt`;
    const early = await call('GET', url, tokens.citizen);
    expect(early.statusCode).toBe(409);
    expect(early.json().type).toBe('/problems/receipt-not-available');
    const paid = (await call('POST', `/api/dossiers/${dossier.id}/payments/${dossier.payment.id}/counter`, tokens.officer, { method: 'cash', reference: 'Quyển 01 số 0042' })).json();

    const res = await call('GET', url, tokens.citizen);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`bien-lai-${paid.receiptNo}.pdf`);
    const text = (await pdfText(res.rawPayload)).replace(/\s+/g, ' ');
    for (const expected of ['BIÊN LAI THU PHÍ, LỆ PHÍ', paid.receiptNo, dossier.code, 'Lệ phí chứng thực mỗi bản', '4.000', 'Điều chỉnh của cán bộ: Có thêm bản dịch công chứng', '50.000', 'Tổng cộng', '54.000', 'Năm mươi tư nghìn đồng', 'Tiền mặt tại Bộ phận Một cửa', 'Quyển 01 số 0042', 'Nguyễn Văn An']) {
      expect(text).toContain(expected);
    }
    expect((await call('GET', url, tokens.officer)).statusCode).toBe(200);
    expect((await call('GET', url, tokens.auditor)).statusCode).toBe(200);
    expect((await call('GET', url, tokens.otherCitizen)).statusCode).toBe(404);
    expect((await call('GET', url, tokens.officerElsewhere)).statusCode).toBe(404);
  });
});
