import { procedure } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';

export const load = async ({ params }) => ({ procedure: await loaded(procedure(params.code)) });
