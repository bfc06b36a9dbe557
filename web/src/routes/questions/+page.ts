import { loaded } from '$lib/load.js';
import { searchQuestions } from '$lib/questions/questions.js';

const PAGE_SIZE = 10;

/** The keyword and page live in the URL, so a search can be bookmarked and shared. */
export async function load({ url }) {
  const query = { q: url.searchParams.get('q')?.trim() ?? '', page: Math.max(1, Math.floor(Number(url.searchParams.get('page'))) || 1) };
  return { query, results: await loaded(searchQuestions({ q: query.q, page: query.page, pageSize: PAGE_SIZE })) };
}
