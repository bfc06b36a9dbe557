import type { ApiClient } from './api/client.js';
import type { MessageKey } from './i18n/messages.js';

/** The slips of Circular 01/2018 the API prints (GET /api/dossiers/:id/slips/:kind). */
export type SlipKind = 'receipt' | 'supplement' | 'refusal' | 'apology' | 'control';

export interface SlipList {
  slips: { kind: SlipKind; title: string }[];
  /** The dossier is late or due within a day; `canIssue`: the reader is staff of its agency. */
  apology: { offered: boolean; canIssue: boolean };
}

export const slipLabels: Record<SlipKind, MessageKey> = {
  receipt: 'slips.kind.receipt',
  supplement: 'slips.kind.supplement',
  refusal: 'slips.kind.refusal',
  apology: 'slips.kind.apology',
  control: 'slips.kind.control',
};

const base = (dossierId: string) => `/api/dossiers/${encodeURIComponent(dossierId)}`;

export const slipsOf = (api: ApiClient, dossierId: string) => api.get<SlipList>(`${base(dossierId)}/slips`);

export const slipPath = (dossierId: string, kind: SlipKind) => `${base(dossierId)}/slips/${kind}?download=true`;

/** `2031-03-14T16:30` typed in a datetime-local field, read as Vietnam time (UTC+7 all year), whatever the browser's zone. */
export function vietnamTime(local: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
  const at = new Date(`${local}:00+07:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

export const issueApology = (api: ApiClient, dossierId: string, body: { reason: string; newDueAt: Date }) =>
  api.post<SlipList>(`${base(dossierId)}/apologies`, { reason: body.reason, newDueAt: body.newDueAt.toISOString() });

/** What GET /api/dossiers/:id/files/:fileId/signature says of a file. */
export interface SignatureCheck {
  valid: boolean;
  signer: string | null;
  signedAt: string | null;
  fingerprint: string | null;
  reason?: 'no-signature' | 'tampered' | 'expired' | 'untrusted';
}

export const signatureOf = (api: ApiClient, dossierId: string, fileId: string) =>
  api.get<SignatureCheck>(`${base(dossierId)}/files/${encodeURIComponent(fileId)}/signature`);
