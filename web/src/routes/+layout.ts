import { session } from '$lib/session.svelte.js';

// A single-page app: rendered in the browser only, served by the API server's fallback page.
export const ssr = false;
export const prerender = false;

export async function load() {
  // The header shows who is logged in from the first paint on.
  await session.ready();
}
