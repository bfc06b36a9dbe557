import type { WalletFile } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** The citizen's document wallet, offered beside each upload (results already issued need no new upload). */
export async function load({ parent }) {
  await parent();
  return { wallet: await loaded(api.get<WalletFile[]>('/api/wallet')) };
}
