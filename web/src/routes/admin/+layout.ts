import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n/index.svelte.js';
import { audiencesOf, loginHref } from '$lib/nav.js';
import { session } from '$lib/session.svelte.js';

/** The admin's pages: log in first; another account sees a plain refusal (the API refuses it anyway). */
export async function load({ url }) {
  await session.ready();
  if (!session.user) redirect(307, loginHref(url.pathname + url.search));
  if (!audiencesOf(session.user).has('admin')) error(403, t('admin.forbidden'));
}
