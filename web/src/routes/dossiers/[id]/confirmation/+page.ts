import { redirect } from '@sveltejs/kit';

/** Shown after submission; a draft has nothing to confirm yet. */
export async function load({ parent, params }) {
  const { dossier } = await parent();
  if (dossier.state === 'draft') redirect(307, `/dossiers/${params.id}`);
}
