import { parseResponse, type ApiClient, type RawResponse } from './client.js';
import { networkError } from './problem.js';
import type { DossierFile } from './types.js';

/** Where a dossier's files live: the applicant's own dossiers, or those an officer opened at the counter. */
export type DossierBase = '/api/dossiers' | '/api/counter/dossiers';

/**
 * Uploads one file to a dossier component (multipart: `componentCode`, then the file, as the API expects) with
 * XMLHttpRequest, which unlike fetch reports upload progress; `onProgress` gets 0…1.
 */
export async function uploadFile(
  api: ApiClient,
  dossierId: string,
  componentCode: string,
  file: File,
  onProgress: (fraction: number) => void,
  base: DossierBase = '/api/dossiers',
): Promise<DossierFile> {
  const response = await api.authorized(
    (token) =>
      new Promise<RawResponse>((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open('POST', `${base}/${encodeURIComponent(dossierId)}/files`);
        request.setRequestHeader('accept', 'application/json');
        if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
        request.upload.onprogress = (event) => {
          if (event.lengthComputable) onProgress(event.loaded / event.total);
        };
        request.onload = () => resolve({ status: request.status, text: request.responseText });
        request.onerror = () => reject(networkError());
        const body = new FormData();
        body.append('componentCode', componentCode);
        body.append('file', file, file.name);
        onProgress(0);
        request.send(body);
      }),
  );
  return parseResponse<DossierFile>(response);
}
