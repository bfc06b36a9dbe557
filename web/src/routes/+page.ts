import { agencies } from '$lib/catalogue.js';
import { loaded } from '$lib/load.js';

export const load = async () => ({ agencies: await loaded(agencies()) });
