import { requireSession } from '$lib/officer/api.js';

export const load = ({ url }) => requireSession(url);
