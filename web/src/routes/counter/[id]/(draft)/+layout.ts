import { redirect } from '@sveltejs/kit';

/** A received dossier can no longer change: its receipt is what is left to show. */
export async function load({ parent, params }) {
  const { dossier } = await parent();
  if (dossier.state !== 'draft') redirect(307, `/counter/${params.id}/receipt`);
}
