import { redirect } from '@sveltejs/kit';
import { loginHref } from '$lib/nav.js';
import { session } from '$lib/session.svelte.js';

/** A citizen's own pages: without a session, log in first and come back. */
export async function load({ url }) {
  await session.ready();
  if (!session.user) redirect(307, loginHref(url.pathname + url.search));
}
