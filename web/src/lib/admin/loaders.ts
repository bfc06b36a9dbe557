import type { Agency, Field } from '../api/types.js';
import { loaded } from '../load.js';
import { api } from '../session.svelte.js';
import { versionsByKey, type ProcessDefinition } from './api.js';

/**
 * What the procedure editor picks from, read fresh (not from the public catalogue's page-lifetime cache: the
 * admin may have just added an agency or deployed a process).
 */
export async function procedureChoices() {
  const [agencies, fields, definitions] = await Promise.all([
    loaded(api.get<Agency[]>('/api/agencies')),
    loaded(api.get<Field[]>('/api/fields')),
    loaded(api.get<ProcessDefinition[]>('/api/process-definitions')),
  ]);
  return { agencies, fields, processes: versionsByKey(definitions).map(({ key, name }) => ({ key, name })) };
}
