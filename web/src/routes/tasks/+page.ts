import { loaded } from '$lib/load.js';
import { colleagues, INBOX_DEPENDENCY } from '$lib/officer/api.js';
import { inboxApiPath, inboxQuery } from '$lib/officer/inbox.js';
import type { Inbox } from '$lib/officer/types.js';
import { api } from '$lib/session.svelte.js';

/** The tab, search and page live in the URL; colleagues' names say who holds a task. */
export async function load({ url, depends, parent }) {
  depends(INBOX_DEPENDENCY);
  // After the login guard of the layout.
  await parent();
  const query = inboxQuery(url.searchParams);
  const [inbox, staff] = await loaded(Promise.all([api.get<Inbox>(inboxApiPath(query)), colleagues()]));
  return { query, inbox, staff };
}
