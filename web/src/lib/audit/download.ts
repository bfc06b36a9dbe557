import { parseResponse, type ApiClient } from '../api/client.js';
import { networkError } from '../api/problem.js';

export interface DownloadedFile {
  blob: Blob;
  /** From the answer's Content-Disposition; null when it names none. */
  fileName: string | null;
}

/** The file name of a Content-Disposition header: RFC 5987 `filename*=UTF-8''…` first, else `filename="…"`. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*[\w-]+'[^']*'([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // malformed escapes: fall back to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(disposition);
  return (plain?.[1] ?? plain?.[2])?.trim() || null;
}

/**
 * A file from the API as a Blob. Downloads need the bearer token, so a plain link cannot fetch them; this goes
 * through the client's session handling (refresh and retry on 401) and throws the API's problem as an ApiError.
 */
export async function fetchFile(client: ApiClient, path: string): Promise<DownloadedFile> {
  let file: DownloadedFile | undefined;
  const response = await client.authorized(async (token) => {
    let answer: Response;
    try {
      answer = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    } catch {
      throw networkError();
    }
    if (!answer.ok) return { status: answer.status, text: await answer.text() };
    file = { blob: await answer.blob(), fileName: fileNameOf(answer.headers.get('content-disposition')) };
    return { status: answer.status, text: '' };
  });
  parseResponse(response);
  return file!;
}
