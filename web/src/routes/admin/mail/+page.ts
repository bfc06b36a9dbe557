import { withQuery } from '$lib/api/client.js';
import type { Page } from '$lib/api/types.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** One message the demo's local SMTP catcher received (`GET /api/admin/mail`). */
interface CaughtMail {
  id: string;
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  size: number;
  receivedAt: string;
}

const PAGE_SIZE = 20;

/** `?page=` (the first by default), newest mail first. */
export async function load({ url, parent }) {
  await parent();
  const asked = Number(url.searchParams.get('page'));
  const page = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
  return { mail: await loaded(api.get<Page<CaughtMail>>(withQuery('/api/admin/mail', { page, pageSize: PAGE_SIZE }))) };
}
