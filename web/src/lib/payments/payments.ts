import type { ApiClient } from '../api/client.js';
import { fetchFile, saveDownload } from '../audit/download.js';
import type { MessageKey } from '../i18n/messages.js';

/** A fee the applicant is asked to pay (GET /api/dossiers/:id/payments). */
export interface Payment {
  id: string;
  dossierId: string;
  state: 'pending' | 'paid' | 'cancelled';
  amount: number;
  computedAmount: number;
  lines: { item: 'fee' | 'service' | 'ship'; label: string | null; quantity: number | null; amount: number }[];
  overrideReason: string | null;
  requestedAt: string;
  method: 'online' | 'cash' | 'transfer' | null;
  reference: string | null;
  paidAt: string | null;
  receiptNo: string | null;
  cancelledAt: string | null;
  /** Pending, and online payment is available on this server. */
  canPayOnline: boolean;
}

/** What the gateway's signed return says (GET /api/payments/return). */
export interface PaymentReturn {
  outcome: 'paid' | 'already-paid' | 'failed' | 'cancelled' | 'invalid';
  dossier: { id: string; code: string | null } | null;
  amount: number | null;
}

export const ITEM_LABELS: Record<Payment['lines'][number]['item'], MessageKey> = {
  fee: 'payment.item.fee',
  service: 'payment.item.service',
  ship: 'payment.item.ship',
};

export const METHOD_LABELS: Record<NonNullable<Payment['method']>, MessageKey> = {
  online: 'payment.method.online',
  cash: 'payment.method.cash',
  transfer: 'payment.method.transfer',
};

const base = (dossierId: string) => `/api/dossiers/${encodeURIComponent(dossierId)}/payments`;

export const paymentsOf = (api: ApiClient, dossierId: string) => api.get<Payment[]>(base(dossierId));

/** Starts paying online: the browser then goes to the gateway's page. */
export const checkout = (api: ApiClient, dossierId: string, paymentId: string, locale: 'vi' | 'en') =>
  api.post<{ redirectUrl: string; expiresAt: string }>(`${base(dossierId)}/${encodeURIComponent(paymentId)}/checkout`, { locale });

export const payAtCounter = (api: ApiClient, dossierId: string, paymentId: string, body: { method: 'cash' | 'transfer'; reference?: string }) =>
  api.post<Payment>(`${base(dossierId)}/${encodeURIComponent(paymentId)}/counter`, body);

/** The e-receipt PDF, handed to the browser as a download (it needs the bearer token, which a link cannot send). */
export async function downloadReceipt(api: ApiClient, payment: Payment): Promise<void> {
  const file = await fetchFile(api, `${base(payment.dossierId)}/${encodeURIComponent(payment.id)}/receipt?download=true`);
  saveDownload(file, `bien-lai-${payment.receiptNo}.pdf`);
}

/** The action that confirms the fee is paid (schemas/action-codes.json): the fee step offers it. */
export const FEE_CONFIRM_ACTION = '1300';
