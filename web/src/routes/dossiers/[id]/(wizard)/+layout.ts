import { redirect } from '@sveltejs/kit';

/** The wizard edits drafts only; a submitted dossier opens its detail page. */
export async function load({ parent, params }) {
  const { dossier } = await parent();
  if (dossier.state !== 'draft') redirect(307, `/dossiers/${params.id}`);
}
