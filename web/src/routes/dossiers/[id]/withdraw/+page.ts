import { redirect } from '@sveltejs/kit';
import { canWithdraw } from '$lib/dossier.js';

export async function load({ parent, params }) {
  const { dossier } = await parent();
  if (!canWithdraw(dossier)) redirect(307, `/dossiers/${params.id}`);
}
