import { error } from '@sveltejs/kit';
import type { DefinitionSource } from '$lib/admin/api.js';
import { t } from '$lib/i18n/index.svelte.js';
import { loaded } from '$lib/load.js';
import { api } from '$lib/session.svelte.js';

/** `?from=<id>&to=<id>`: two versions of one process. The differ is loaded with this page only. */
export async function load({ url, parent }) {
  await parent();
  const ids = [url.searchParams.get('from'), url.searchParams.get('to')];
  if (!ids[0] || !ids[1]) error(400, t('admin.diff.missing'));
  const [[from, to], { diagramChanges }] = await Promise.all([
    Promise.all(ids.map((id) => loaded(api.get<DefinitionSource>(`/api/process-definitions/${encodeURIComponent(id!)}`)))),
    import('$lib/admin/designer/diff.js'),
  ]);
  if (from!.key !== to!.key) error(400, t('admin.diff.otherProcess'));
  return { from: from!, to: to!, changes: await diagramChanges(from!.xml, to!.xml) };
}
