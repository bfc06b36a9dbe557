import { redirect } from '@sveltejs/kit';
import { STATUS } from '$lib/dossier.js';

/** The service is rated once its result was returned. */
export async function load({ parent, params }) {
  const { dossier } = await parent();
  if (dossier.nationalStatus !== STATUS.resultReturned) redirect(307, `/dossiers/${params.id}`);
}
