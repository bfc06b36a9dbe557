import { withQuery } from './api/client.js';
import type { Agency, Field, Page, ProcedureDetail, ProcedureSummary } from './api/types.js';
import { api } from './session.svelte.js';

/** The public catalogue, read without a token; what rarely changes is kept for the page's lifetime. */
const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let entry = cache.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    cache.set(key, entry);
    // A failure is not kept: the next call asks again.
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

export const agencies = () => cached('agencies', () => api.get<Agency[]>('/api/agencies', { auth: false }));

export const fields = () => cached('fields', () => api.get<Field[]>('/api/fields', { auth: false }));

export const procedure = (code: string) => cached(`procedure:${code}`, () => api.get<ProcedureDetail>(`/api/procedures/${encodeURIComponent(code)}`, { auth: false }));

export interface ProcedureQuery {
  q?: string;
  agency?: string;
  field?: string;
  page?: number;
  pageSize?: number;
}

/** Search by keyword (with or without diacritics), agency and field. */
export const searchProcedures = (query: ProcedureQuery) => api.get<Page<ProcedureSummary>>(withQuery('/api/procedures', { ...query }), { auth: false });
