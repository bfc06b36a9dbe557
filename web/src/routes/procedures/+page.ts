import { agencies, fields, searchProcedures } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';
import { searchQuestions } from '$lib/questions/questions.js';

const PAGE_SIZE = 20;
const QUESTIONS_SHOWN = 3;

/** The filters live in the URL, so a filtered list can be bookmarked and shared. */
export async function load({ url }) {
  const query = {
    q: url.searchParams.get('q') ?? '',
    agency: url.searchParams.get('agency') ?? '',
    field: url.searchParams.get('field') ?? '',
    page: Math.max(1, Number(url.searchParams.get('page')) || 1),
  };
  // Published questions and answers matching the keyword, beside the first page of procedures.
  const questions = query.q && query.page === 1 ? searchQuestions({ q: query.q, agency: query.agency, field: query.field, pageSize: QUESTIONS_SHOWN }) : null;
  const [results, agencyList, fieldList, questionResults] = await loaded(
    Promise.all([searchProcedures({ ...query, pageSize: PAGE_SIZE }), agencies(), fields(), questions]),
  );
  return { query, results, agencies: agencyList, fields: fieldList, questions: questionResults };
}
