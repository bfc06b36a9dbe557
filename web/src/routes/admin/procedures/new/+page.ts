import { procedureChoices } from '$lib/admin/loaders.js';

export async function load({ parent }) {
  await parent();
  return procedureChoices();
}
