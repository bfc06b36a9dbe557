import type { HandleClientError } from '@sveltejs/kit';
import { errorMessage } from '$lib/errors.js';

/** Unexpected failures (the API unreachable, a 5xx) reach the error page with a message the user can read. */
export const handleError: HandleClientError = ({ error }) => {
  console.error(error);
  return { message: errorMessage(error) };
};
