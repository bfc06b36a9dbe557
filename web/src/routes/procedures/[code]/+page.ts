import { procedure } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';
import { publishedQuestions } from '$lib/questions/questions.js';

export const load = async ({ params }) => {
  const [detail, questions] = await loaded(Promise.all([procedure(params.code), publishedQuestions(params.code)]));
  return { procedure: detail, questions };
};
