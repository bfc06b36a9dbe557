import type { ApiClient } from '../api/client.js';
import type { DossierFile } from '../api/types.js';
import { postForm } from '../api/upload.js';
import type { DigitisationKind, DigitisationMark, DossierDigitisation } from './digitisation.js';

/** The digitisation routes (server/digitisation/digitisation.routes.ts), through the API client. */

const filePath = (dossierId: string, fileId: string) => `/api/staff/dossiers/${encodeURIComponent(dossierId)}/files/${encodeURIComponent(fileId)}`;

export const digitisationOf = (api: ApiClient, dossierId: string) => api.get<DossierDigitisation>(`/api/staff/dossiers/${encodeURIComponent(dossierId)}/digitisation`);

/** Marks the file digitised; a scan (of the paper original) makes it a certified copy with that scan attached. */
export function markDigitised(api: ApiClient, dossierId: string, fileId: string, kind: DigitisationKind, scan: File | null): Promise<DigitisationMark> {
  if (scan && kind === 'scanned-copy') {
    const form = new FormData();
    form.append('file', scan, scan.name);
    return postForm<DigitisationMark>(api, `${filePath(dossierId, fileId)}/digitisation/scan`, form, () => {});
  }
  return api.post<DigitisationMark>(`${filePath(dossierId, fileId)}/digitisation`, { kind });
}

export const unmarkDigitised = (api: ApiClient, dossierId: string, fileId: string, reason: string) =>
  api.delete(`${filePath(dossierId, fileId)}/digitisation`, { body: { reason } });

export const reclassifyFile = (api: ApiClient, dossierId: string, fileId: string, componentCode: string) =>
  api.post<DossierFile>(`${filePath(dossierId, fileId)}/reclassify`, { componentCode });

export const scanPath = (dossierId: string, fileId: string) =>
  `/api/dossiers/${encodeURIComponent(dossierId)}/files/${encodeURIComponent(fileId)}/digitisation/scan?download=true`;
