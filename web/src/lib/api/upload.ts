import { parseResponse, type ApiClient, type RawResponse } from './client.js';
import { networkError } from './problem.js';
import type { DossierFile } from './types.js';

/** Where a dossier's files go: the applicant's own dossiers, those an officer opened at the counter, or the result documents staff attach. */
export type DossierBase = '/api/dossiers' | '/api/counter/dossiers' | '/api/staff/dossiers';

/**
 * Uploads one file to a dossier component (multipart: `componentCode`, then the file, as the API expects);
 * `onProgress` gets 0…1.
 */
export async function uploadFile(
  api: ApiClient,
  dossierId: string,
  componentCode: string,
  file: File,
  onProgress: (fraction: number) => void,
  base: DossierBase = '/api/dossiers',
): Promise<DossierFile> {
  const body = new FormData();
  body.append('componentCode', componentCode);
  body.append('file', file, file.name);
  return postForm<DossierFile>(api, `${base}/${encodeURIComponent(dossierId)}/files`, body, onProgress);
}

/** The bits of XMLHttpRequest an upload takes: declared here, as node tests import this module and the root typecheck has no DOM library. */
interface UploadRequest {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  status: number;
  responseText: string;
  send(body: FormData): void;
}
const newRequest = () => new (globalThis as unknown as { XMLHttpRequest: new () => UploadRequest }).XMLHttpRequest();

/** POSTs a multipart form with XMLHttpRequest, which unlike fetch reports upload progress; `onProgress` gets 0…1. */
export async function postForm<T>(api: ApiClient, path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  const response = await api.authorized(
    (token) =>
      new Promise<RawResponse>((resolve, reject) => {
        const request = newRequest();
        request.open('POST', path);
        request.setRequestHeader('accept', 'application/json');
        if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
        request.upload.onprogress = (event) => {
          if (event.lengthComputable) onProgress(event.loaded / event.total);
        };
        request.onload = () => resolve({ status: request.status, text: request.responseText });
        request.onerror = () => reject(networkError());
        onProgress(0);
        request.send(form);
      }),
  );
  return parseResponse<T>(response);
}
