import type { ApiClient } from '../api/client.js';
import { ApiError, networkError, problemOf } from '../api/problem.js';

/** What the browser can show of a file inline: images in an <img>, PDFs in a frame; anything else is downloaded. */
export function previewKind(mediaType: string): 'image' | 'pdf' | null {
  if (mediaType === 'application/pdf') return 'pdf';
  return mediaType.startsWith('image/') ? 'image' : null;
}

export const filePath = (dossierId: string, fileId: string, download = false): string =>
  `/api/dossiers/${encodeURIComponent(dossierId)}/files/${encodeURIComponent(fileId)}${download ? '?download=true' : ''}`;

/**
 * A dossier file's bytes. They need the bearer token, which a plain link or <iframe src> cannot send, so they are
 * fetched through the API client (token refresh included) and shown from a blob: URL; errors are the API's problems.
 */
export async function fetchFile(api: ApiClient, dossierId: string, fileId: string, download = false): Promise<Blob> {
  let blob: Blob | undefined;
  const response = await api.authorized(async (token) => {
    let answer: Response;
    try {
      answer = await fetch(filePath(dossierId, fileId, download), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    } catch {
      throw networkError();
    }
    if (answer.ok) blob = await answer.blob();
    return { status: answer.status, text: answer.ok ? '' : await answer.text() };
  });
  if (!blob) throw new ApiError(problemOf(response.status, response.text));
  return blob;
}
