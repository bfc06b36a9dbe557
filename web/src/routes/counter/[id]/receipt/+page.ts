import { redirect } from '@sveltejs/kit';
import { loaded } from '$lib/load.js';
import { receivedApplicantName } from '$lib/officer/api.js';

/** A draft has no receipt yet. */
export async function load({ parent, params }) {
  const { dossier } = await parent();
  if (dossier.state === 'draft' || !dossier.code) redirect(307, `/counter/${params.id}`);
  return { applicantName: await loaded(receivedApplicantName(dossier.code)) };
}
