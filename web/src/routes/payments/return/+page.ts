import { loaded } from '$lib/load.js';
import type { PaymentReturn } from '$lib/payments/payments.js';
import { api } from '$lib/session.svelte.js';

/**
 * Where the payment gateway sends the payer back, with its signed result in the query: the API checks the
 * signature and applies it (as the gateway's own callback would), then says how it went.
 */
export async function load({ url }) {
  return { result: await loaded(api.get<PaymentReturn>(`/api/payments/return${url.search}`, { auth: false })) };
}
