import { randomUUID } from 'node:crypto';
import { fromGatewayAmount, gatewayDate, parseGatewayDate, pipeHash, QUERY_REQUEST_FIELDS, QUERY_RESPONSE_FIELDS, sameHash, signedUrl, toGatewayAmount, VERSION, type Params } from './vnpay.js';

/** The merchant's account at the payment gateway (VNPay protocol): where to send payers, where to ask. */
export interface GatewayConfig {
  /** The payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html */
  payUrl: string;
  /** The transaction API (querydr), e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction */
  queryUrl: string;
  merchantCode: string;
  secret: string;
}

/** The query API sits at a fixed path of the gateway's host (VNPay's layout) unless configured apart. */
export const defaultQueryUrl = (payUrl: string) => new URL('/merchant_webapi/api/transaction', payUrl).toString();

export interface CheckoutRequest {
  txnRef: string;
  amount: number;
  /** What the payer reads at the gateway: ASCII only, as gateways require. */
  orderInfo: string;
  returnUrl: string;
  ipAddr: string;
  createdAt: Date;
  expiresAt: Date;
  locale: 'vn' | 'en';
}

export function checkoutUrl(config: GatewayConfig, request: CheckoutRequest): string {
  const params: Params = {
    vnp_Version: VERSION,
    vnp_Command: 'pay',
    vnp_TmnCode: config.merchantCode,
    vnp_Amount: toGatewayAmount(request.amount),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: request.txnRef,
    vnp_OrderInfo: request.orderInfo,
    vnp_OrderType: 'other',
    vnp_Locale: request.locale,
    vnp_ReturnUrl: request.returnUrl,
    vnp_IpAddr: request.ipAddr,
    vnp_CreateDate: gatewayDate(request.createdAt),
    vnp_ExpireDate: gatewayDate(request.expiresAt),
  };
  return signedUrl(config.payUrl, params, config.secret);
}

/** What the gateway knows of a transaction. */
export type GatewayTransaction =
  | { state: 'paid'; amount: number; transactionNo: string; bankCode: string | null; paidAt: Date | null }
  | { state: 'failed'; responseCode: string }
  | { state: 'pending' }
  | { state: 'not-found' };

export class GatewayError extends Error {
  override name = 'GatewayError';
}

/**
 * Asks the gateway about one transaction (querydr), outside any database transaction. A network failure, an
 * unsigned or wrongly signed answer, or an answer about another transaction is a GatewayError: the question is
 * asked again later, never taken as an answer.
 */
export async function queryTransaction(
  config: GatewayConfig,
  request: { txnRef: string; createdAt: Date; ipAddr: string; now?: Date; timeoutMs?: number },
): Promise<GatewayTransaction> {
  const body: Params = {
    vnp_RequestId: randomUUID().replaceAll('-', ''),
    vnp_Version: VERSION,
    vnp_Command: 'querydr',
    vnp_TmnCode: config.merchantCode,
    vnp_TxnRef: request.txnRef,
    vnp_TransactionDate: gatewayDate(request.createdAt),
    vnp_CreateDate: gatewayDate(request.now ?? new Date()),
    vnp_IpAddr: request.ipAddr,
    vnp_OrderInfo: `Query ${request.txnRef}`,
  };
  body.vnp_SecureHash = pipeHash(QUERY_REQUEST_FIELDS, body, config.secret);
  let answer: Params;
  try {
    const response = await fetch(config.queryUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new GatewayError(`gateway answered HTTP ${response.status}`);
    answer = (await response.json()) as Params;
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw new GatewayError(`gateway unreachable: ${(err as Error).message}`, { cause: err });
  }
  if (!sameHash(answer.vnp_SecureHash, pipeHash(QUERY_RESPONSE_FIELDS, answer, config.secret))) {
    throw new GatewayError('the gateway’s answer is not signed with our secret');
  }
  if (answer.vnp_ResponseCode === '91') return { state: 'not-found' };
  if (answer.vnp_ResponseCode !== '00') throw new GatewayError(`query refused: ${answer.vnp_ResponseCode} ${answer.vnp_Message ?? ''}`);
  if (answer.vnp_TxnRef !== request.txnRef || answer.vnp_TmnCode !== config.merchantCode) {
    throw new GatewayError('the gateway answered about another transaction');
  }
  // vnp_TransactionStatus: 00 paid, 01 not finished, anything else failed or reversed.
  if (answer.vnp_TransactionStatus === '00') {
    return {
      state: 'paid',
      amount: fromGatewayAmount(answer.vnp_Amount),
      transactionNo: answer.vnp_TransactionNo ?? '',
      bankCode: answer.vnp_BankCode || null,
      paidAt: parseGatewayDate(answer.vnp_PayDate),
    };
  }
  if (answer.vnp_TransactionStatus === '01') return { state: 'pending' };
  return { state: 'failed', responseCode: answer.vnp_TransactionStatus ?? '99' };
}
