import { loaded } from '$lib/load.js';
import { STAFF_QUESTIONS_DEPENDENCY, staffQuery, staffQuestions } from '$lib/questions/questions.js';

/** The tab and page live in the URL; the API decides which agencies' questions the user handles. */
export async function load({ url, depends, parent }) {
  depends(STAFF_QUESTIONS_DEPENDENCY);
  // After the login guard of the layout.
  await parent();
  const query = staffQuery(url.searchParams);
  return { query, questions: await loaded(staffQuestions(query)) };
}
