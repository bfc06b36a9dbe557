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

/** The bits of the DOM a download takes: declared here, as node tests import this module and the root typecheck has no DOM library. */
interface DownloadLink {
  href: string;
  download: string;
  click(): void;
  remove(): void;
}
const dom = () => (globalThis as unknown as { document: { createElement(tag: 'a'): DownloadLink; body: { append(link: DownloadLink): void } } }).document;

/** Hands a fetched file to the browser as a download, under its own name or `fallbackName`; returns the name used. */
export function saveDownload(file: DownloadedFile, fallbackName: string): string {
  const name = file.fileName ?? fallbackName;
  const url = URL.createObjectURL(file.blob);
  const link = Object.assign(dom().createElement('a'), { href: url, download: name });
  dom().body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
