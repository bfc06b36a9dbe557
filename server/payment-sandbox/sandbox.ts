import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { escapeHtml as escape, readBody, sendHtml as html, sendJson as json, startLocalServer } from '../demo-peers/http.js';
import {
  gatewayDate,
  parseGatewayDate,
  pipeHash,
  QUERY_REQUEST_FIELDS,
  QUERY_RESPONSE_FIELDS,
  sameHash,
  signParams,
  verifyParams,
  vnpParams,
  type Params,
} from '../payments/vnpay.js';

/**
 * A payment gateway for the demo and the tests, speaking VNPay's protocol (2.1.0) at VNPay's paths: it checks
 * the signed redirect, shows a payment page (Vietnamese, with "Thanh toán" / "Hủy"), then calls the merchant's
 * IPN server to server and sends the browser back to the return URL, both with signed results; it answers the
 * signed transaction query (querydr) that reconciliation uses. It keeps its transactions in memory, and can be
 * told to drop its callbacks, decline payments or be down, to exercise the merchant's failure paths.
 */
export interface SandboxMerchant {
  code: string;
  secret: string;
  /** Where the IPN goes (a gateway has it from the merchant's registration, not from the request). */
  ipnUrl: string;
}

export interface SandboxBehaviour {
  /** Never call the IPN (the merchant must learn the result by asking). */
  dropCallbacks: boolean;
  /** The bank declines every payment (response code 51, insufficient funds). */
  declinePayments: boolean;
  /** Every request answers 503, as a gateway under maintenance. */
  offline: boolean;
}

interface Transaction {
  merchant: SandboxMerchant;
  txnRef: string;
  amount: string;
  orderInfo: string;
  returnUrl: string;
  createDate: string;
  expiresAt: Date | null;
  state: 'pending' | 'paid' | 'failed';
  responseCode: string | null;
  transactionNo: string | null;
  payDate: string | null;
}

export interface CallbackRecord {
  txnRef: string;
  /** The merchant's RspCode, or the failure reaching it. */
  answer: string;
}

export interface PaymentSandbox {
  origin: string;
  payUrl: string;
  queryUrl: string;
  behaviour: SandboxBehaviour;
  merchants: Map<string, SandboxMerchant>;
  /** Every IPN call made and what the merchant answered, in order. */
  callbacks: CallbackRecord[];
  close(): Promise<void>;
}

const PAY_PATH = '/paymentv2/vpcpay.html';
const CONFIRM_PATH = '/paymentv2/confirm';
const QUERY_PATH = '/merchant_webapi/api/transaction';

/** The payment page and the transaction query API of a sandbox at `origin`. */
export const sandboxUrls = (origin: string) => ({ payUrl: `${origin}${PAY_PATH}`, queryUrl: `${origin}${QUERY_PATH}` });
const MAX_BODY = 64 * 1024;

export async function startPaymentSandbox(options: {
  port?: number;
  host?: string;
  merchants: SandboxMerchant[];
  /** IPN calls after a failed one (network error, or an answer other than 00/02). */
  ipnRetries?: number;
  ipnRetryDelayMs?: number;
}): Promise<PaymentSandbox> {
  const merchants = new Map(options.merchants.map((m) => [m.code, m]));
  const transactions = new Map<string, Transaction>();
  const behaviour: SandboxBehaviour = { dropCallbacks: false, declinePayments: false, offline: false };
  const callbacks: CallbackRecord[] = [];
  const retryTimers = new Set<NodeJS.Timeout>();
  let lastTransactionNo = 14_000_000;

  const key = (merchant: string, txnRef: string) => `${merchant}\n${txnRef}`;

  async function deliverIpn(txn: Transaction, params: Params, retriesLeft: number) {
    let answer: string;
    try {
      const response = await fetch(`${txn.merchant.ipnUrl}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
      answer = String(((await response.json()) as { RspCode?: unknown }).RspCode ?? `HTTP ${response.status}`);
    } catch (err) {
      answer = `error: ${(err as Error).message}`;
    }
    callbacks.push({ txnRef: txn.txnRef, answer });
    if (answer !== '00' && answer !== '02' && retriesLeft > 0) {
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        void deliverIpn(txn, params, retriesLeft - 1);
      }, options.ipnRetryDelayMs ?? 2000);
      retryTimers.add(timer);
    }
  }

  /** The signed result the browser and the IPN carry. */
  function resultParams(txn: Transaction): Params {
    const params: Params = {
      vnp_Amount: txn.amount,
      vnp_BankCode: 'NCB',
      vnp_CardType: 'ATM',
      vnp_OrderInfo: txn.orderInfo,
      vnp_PayDate: txn.payDate ?? gatewayDate(new Date()),
      vnp_ResponseCode: txn.responseCode ?? '99',
      vnp_TmnCode: txn.merchant.code,
      vnp_TransactionNo: txn.transactionNo ?? '0',
      vnp_TransactionStatus: txn.state === 'paid' ? '00' : '02',
      vnp_TxnRef: txn.txnRef,
    };
    if (txn.state === 'paid') params.vnp_BankTranNo = `VNP${txn.transactionNo}`;
    return signParams(params, txn.merchant.secret);
  }

  function payPage(url: URL, res: ServerResponse) {
    const params = vnpParams(Object.fromEntries(url.searchParams));
    const merchant = merchants.get(params.vnp_TmnCode ?? '');
    if (!merchant || !verifyParams(params, merchant.secret)) {
      return html(res, 400, errorPage('Sai chữ ký', 'Invalid signature', 'Yêu cầu thanh toán không đúng chữ ký của đơn vị (mã lỗi 70).', 'The payment request is not signed by a known merchant (code 70).'));
    }
    const amount = params.vnp_Amount ?? '';
    const wellFormed =
      params.vnp_Command === 'pay' && params.vnp_CurrCode === 'VND' && /^\d+$/.test(amount) && Number(amount) > 0 && params.vnp_TxnRef && params.vnp_ReturnUrl && params.vnp_CreateDate;
    if (!wellFormed || !/^https?:\/\//.test(params.vnp_ReturnUrl ?? '')) {
      return html(res, 400, errorPage('Yêu cầu không hợp lệ', 'Invalid request', 'Thiếu hoặc sai tham số thanh toán (mã lỗi 03).', 'Missing or malformed payment parameters (code 03).'));
    }
    const expiresAt = parseGatewayDate(params.vnp_ExpireDate);
    if (expiresAt && expiresAt < new Date()) {
      return html(res, 400, errorPage('Giao dịch đã hết hạn', 'Transaction expired', 'Đã quá thời gian chờ thanh toán (mã lỗi 15).', 'The time to pay has passed (code 15).'));
    }
    const k = key(merchant.code, params.vnp_TxnRef!);
    const existing = transactions.get(k);
    if (existing && existing.state !== 'pending') {
      return html(res, 409, errorPage('Giao dịch đã tồn tại', 'Duplicate transaction', 'Mã giao dịch này đã được sử dụng (mã lỗi 94).', 'This transaction reference was used already (code 94).'));
    }
    const txn: Transaction = existing ?? {
      merchant,
      txnRef: params.vnp_TxnRef!,
      amount,
      orderInfo: params.vnp_OrderInfo ?? '',
      returnUrl: params.vnp_ReturnUrl!,
      createDate: params.vnp_CreateDate!,
      expiresAt,
      state: 'pending',
      responseCode: null,
      transactionNo: null,
      payDate: null,
    };
    transactions.set(k, txn);
    return html(res, 200, checkoutPage(txn));
  }

  async function confirm(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req, MAX_BODY));
    const txn = transactions.get(key(form.get('tmn') ?? '', form.get('txnRef') ?? ''));
    if (!txn) return html(res, 404, errorPage('Không tìm thấy giao dịch', 'Transaction not found', 'Giao dịch không tồn tại (mã lỗi 01).', 'No such transaction (code 01).'));
    if (txn.state === 'pending') {
      const choice = form.get('choice');
      if (txn.expiresAt && txn.expiresAt < new Date()) {
        txn.state = 'failed';
        txn.responseCode = '11';
      } else if (choice === 'pay' && !behaviour.declinePayments) {
        txn.state = 'paid';
        txn.responseCode = '00';
        txn.transactionNo = String(++lastTransactionNo);
        txn.payDate = gatewayDate(new Date());
      } else {
        txn.state = 'failed';
        txn.responseCode = choice === 'pay' ? '51' : '24';
      }
      if (!behaviour.dropCallbacks) await deliverIpn(txn, resultParams(txn), options.ipnRetries ?? 3);
    }
    const separator = txn.returnUrl.includes('?') ? '&' : '?';
    res.writeHead(302, { location: `${txn.returnUrl}${separator}${new URLSearchParams(resultParams(txn))}` }).end();
  }

  async function query(req: IncomingMessage, res: ServerResponse) {
    let body: Params;
    try {
      body = vnpParams(JSON.parse(await readBody(req, MAX_BODY)) as Record<string, unknown>);
    } catch {
      return json(res, 400, { vnp_ResponseCode: '03', vnp_Message: 'Invalid request' });
    }
    const merchant = merchants.get(body.vnp_TmnCode ?? '');
    const answer: Params = { vnp_ResponseId: randomUUID().replaceAll('-', ''), vnp_Command: 'querydr', vnp_TmnCode: body.vnp_TmnCode ?? '', vnp_TxnRef: body.vnp_TxnRef ?? '' };
    if (!merchant) return json(res, 200, { ...answer, vnp_ResponseCode: '02', vnp_Message: 'Invalid merchant' });
    const sign = (fields: Params) => ({ ...fields, vnp_SecureHash: pipeHash(QUERY_RESPONSE_FIELDS, fields, merchant.secret) });
    if (body.vnp_Command !== 'querydr' || !sameHash(body.vnp_SecureHash, pipeHash(QUERY_REQUEST_FIELDS, body, merchant.secret))) {
      return json(res, 200, sign({ ...answer, vnp_ResponseCode: '97', vnp_Message: 'Invalid Checksum' }));
    }
    const txn = transactions.get(key(merchant.code, body.vnp_TxnRef ?? ''));
    if (!txn) return json(res, 200, sign({ ...answer, vnp_ResponseCode: '91', vnp_Message: 'Transaction not found' }));
    // A payer who never finished before the deadline: the transaction failed (11, timed out).
    if (txn.state === 'pending' && txn.expiresAt && txn.expiresAt < new Date()) {
      txn.state = 'failed';
      txn.responseCode = '11';
    }
    return json(
      res,
      200,
      sign({
        ...answer,
        vnp_ResponseCode: '00',
        vnp_Message: 'QueryDR Success',
        vnp_Amount: txn.amount,
        vnp_BankCode: txn.state === 'paid' ? 'NCB' : '',
        vnp_PayDate: txn.payDate ?? '',
        vnp_TransactionNo: txn.transactionNo ?? '',
        vnp_TransactionType: '01',
        vnp_TransactionStatus: txn.state === 'paid' ? '00' : txn.state === 'pending' ? '01' : '02',
        vnp_OrderInfo: txn.orderInfo,
        vnp_PromotionCode: '',
        vnp_PromotionAmount: '',
      }),
    );
  }

  const server = await startLocalServer(
    async (req, res, url) => {
      const route = `${req.method} ${url.pathname}`;
      if (behaviour.offline) return json(res, 503, { message: 'Cổng thanh toán đang bảo trì / gateway under maintenance' });
      if (route === `GET ${PAY_PATH}`) return payPage(url, res);
      if (route === `POST ${CONFIRM_PATH}`) return confirm(req, res);
      if (route === `POST ${QUERY_PATH}`) return query(req, res);
      return html(res, 404, errorPage('Không tìm thấy', 'Not found', 'Địa chỉ không tồn tại.', 'No such page.'));
    },
    { port: options.port, host: options.host },
  );
  const origin = server.origin;
  return {
    origin,
    ...sandboxUrls(origin),
    behaviour,
    merchants,
    callbacks,
    close: async () => {
      for (const timer of retryTimers) clearTimeout(timer);
      await server.close();
    },
  };
}

function layout(title: string, body: string) {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Cổng thanh toán thử nghiệm</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}
main{max-width:28rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 1rem}.en{color:#555;font-size:.875rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem}dt{color:#555}dd{margin:0;font-weight:600;word-break:break-all}
.amount{font-size:1.5rem;color:#b91c1c}.badge{display:inline-block;background:#fef3c7;padding:.125rem .5rem;border-radius:.25rem;font-size:.75rem;margin-bottom:1rem}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}button{flex:1;font-size:1rem;padding:.75rem;border-radius:.375rem;border:1px solid #1d4ed8;cursor:pointer}
.pay{background:#1d4ed8;color:#fff}.cancel{background:#fff;color:#1d4ed8}
</style></head><body><main>${body}</main></body></html>`;
}

function checkoutPage(txn: Transaction) {
  const vnd = new Intl.NumberFormat('vi-VN').format(Number(txn.amount) / 100);
  return layout(
    'Thanh toán',
    `<span class="badge">Môi trường thử nghiệm — không trừ tiền thật / sandbox, no real money</span>
<h1>Thanh toán phí, lệ phí <span class="en">/ Pay the fee</span></h1>
<dl>
<dt>Đơn vị <span class="en">/ Merchant</span></dt><dd>${escape(txn.merchant.code)}</dd>
<dt>Nội dung <span class="en">/ Order</span></dt><dd>${escape(txn.orderInfo)}</dd>
<dt>Mã giao dịch <span class="en">/ Reference</span></dt><dd>${escape(txn.txnRef)}</dd>
<dt>Số tiền <span class="en">/ Amount</span></dt><dd class="amount">${escape(vnd)} ₫</dd>
</dl>
<form method="post" action="${CONFIRM_PATH}">
<input type="hidden" name="tmn" value="${escape(txn.merchant.code)}"><input type="hidden" name="txnRef" value="${escape(txn.txnRef)}">
<div class="actions"><button class="pay" name="choice" value="pay">Thanh toán <span class="en">/ Pay</span></button>
<button class="cancel" name="choice" value="cancel">Hủy <span class="en">/ Cancel</span></button></div>
</form>`,
  );
}

function errorPage(titleVi: string, titleEn: string, vi: string, en: string) {
  return layout(titleVi, `<h1>${escape(titleVi)} <span class="en">/ ${escape(titleEn)}</span></h1><p>${escape(vi)}</p><p class="en">${escape(en)}</p>`);
}
