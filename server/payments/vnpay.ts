import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signing rules of VNPay's payment gateway (API 2.1.0), which Vietnamese gateways share in substance; both
 * the server (merchant side) and the sandbox gateway use them.
 * - Redirect, return and IPN: the `vnp_` parameters sorted by key, each key and value URL-encoded as a form
 *   (space as `+`), joined with `&`, HMAC-SHA512 with the merchant's secret, hex in `vnp_SecureHash`.
 * - Transaction query (querydr) and its answer: named fields joined with `|`, the same HMAC.
 */
export type Params = Record<string, string>;

export const VERSION = '2.1.0';
const HASH_FIELDS = ['vnp_SecureHash', 'vnp_SecureHashType'];

const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

/** The signed text of a parameter set: sorted, URL-encoded, without the hash fields. */
export function canonicalQuery(params: Params): string {
  return Object.keys(params)
    .filter((k) => !HASH_FIELDS.includes(k))
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k]!)}`)
    .join('&');
}

export const hmac = (secret: string, text: string) => createHmac('sha512', secret).update(text, 'utf8').digest('hex');

export function signParams(params: Params, secret: string): Params {
  return { ...params, vnp_SecureHash: hmac(secret, canonicalQuery(params)) };
}

/** Whether `params` carry a valid `vnp_SecureHash` under `secret` (compared in constant time). */
export function verifyParams(params: Params, secret: string): boolean {
  return sameHash(params.vnp_SecureHash, hmac(secret, canonicalQuery(params)));
}

export function sameHash(given: string | undefined, expected: string): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase()), Buffer.from(expected));
}

/** A URL with the signed parameters as its query, in canonical order, hash last. */
export function signedUrl(base: string, params: Params, secret: string): string {
  const query = canonicalQuery(params);
  return `${base}?${query}&vnp_SecureHash=${hmac(secret, query)}`;
}

/** Only the `vnp_` parameters, as strings (a query or a form may bring others, or repeat one). */
export function vnpParams(input: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(input)) if (k.startsWith('vnp_') && (typeof v === 'string' || typeof v === 'number')) out[k] = String(v);
  return out;
}

/** Field order of the transaction query's signed text, request and answer (querydr). */
export const QUERY_REQUEST_FIELDS = ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo'];
export const QUERY_RESPONSE_FIELDS = [
  'vnp_ResponseId',
  'vnp_Command',
  'vnp_ResponseCode',
  'vnp_Message',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_BankCode',
  'vnp_PayDate',
  'vnp_TransactionNo',
  'vnp_TransactionType',
  'vnp_TransactionStatus',
  'vnp_OrderInfo',
  'vnp_PromotionCode',
  'vnp_PromotionAmount',
];

export const pipeHash = (fields: string[], values: Params, secret: string) => hmac(secret, fields.map((f) => values[f] ?? '').join('|'));

/** `yyyyMMddHHmmss` in Vietnam's time (GMT+7), the gateway's date format. */
export function gatewayDate(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function parseGatewayDate(text: string | undefined): Date | null {
  const m = text ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text) : null;
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 7, +m[5]!, +m[6]!)) : null;
}

/** Amounts travel in hundredths of a đồng. */
export const toGatewayAmount = (vnd: number) => String(Math.round(vnd * 100));
export const fromGatewayAmount = (text: string | undefined) => (text && /^\d+$/.test(text) ? Number(text) / 100 : NaN);

// Answers of the merchant's IPN endpoint, as the gateway reads them (RspCode).
export const IPN = {
  confirmed: { RspCode: '00', Message: 'Confirm Success' },
  notFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  invalidSignature: { RspCode: '97', Message: 'Invalid signature' },
  error: { RspCode: '99', Message: 'Unknown error' },
} as const;
export type IpnAnswer = (typeof IPN)[keyof typeof IPN];
