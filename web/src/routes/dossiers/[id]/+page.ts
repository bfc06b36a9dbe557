import { redirect } from '@sveltejs/kit';
import { resumeStep } from '$lib/dossier.js';

/** A draft has no detail page yet: it opens where the applicant left off. */
export async function load({ parent, params }) {
  const { dossier, procedure } = await parent();
  if (dossier.state === 'draft') redirect(307, `/dossiers/${params.id}/${resumeStep(dossier, procedure)}`);
}
