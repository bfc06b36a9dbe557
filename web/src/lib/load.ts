import { error } from '@sveltejs/kit';
import { ApiError } from './api/problem.js';
import { errorMessage } from './errors.js';

/** A page's data, with the API's 4xx problems shown as that error page (404 stays 404) in the current language. */
export async function loaded<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ApiError && err.status >= 400 && err.status < 500) error(err.status, errorMessage(err));
    throw err;
  }
}
