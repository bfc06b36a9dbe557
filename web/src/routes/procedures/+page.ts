import { agencies, fields, searchProcedures } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';

const PAGE_SIZE = 20;

/** The filters live in the URL, so a filtered list can be bookmarked and shared. */
export async function load({ url }) {
  const query = {
    q: url.searchParams.get('q') ?? '',
    agency: url.searchParams.get('agency') ?? '',
    field: url.searchParams.get('field') ?? '',
    page: Math.max(1, Number(url.searchParams.get('page')) || 1),
  };
  const [results, agencyList, fieldList] = await loaded(Promise.all([searchProcedures({ ...query, pageSize: PAGE_SIZE }), agencies(), fields()]));
  return { query, results, agencies: agencyList, fields: fieldList };
}
