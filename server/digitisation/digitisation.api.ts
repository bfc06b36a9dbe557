import type { DigitisationKind } from './digitisation.table.js';

// The API's shapes of digitisation (số hóa), shared with the web app, which reads dates as ISO strings (D).

export const DIGITISATION_KINDS: readonly DigitisationKind[] = ['scanned-copy', 'electronic-original'];

export interface DigitisationMark<D = Date> {
  kind: DigitisationKind;
  certifiedBy: { id: string; name: string | null };
  certifiedAt: D;
  /** An electronic original's signer (the signer certificate's common name). */
  signer: string | null;
  /** The certified scan of the paper original, when one was attached (GET …/digitisation/scan). */
  scan: { originalName: string; mediaType: string; size: number; sha256: string } | null;
}

export interface DossierDigitisation<D = Date> {
  /** Whether the caller may mark, unmark and reclassify: a one-stop officer or clerk of the agency, once submitted. */
  canManage: boolean;
  /** The procedure's "other documents" component, whose files may be reclassified; null when it has none. */
  otherDocumentsCode: string | null;
  /** Every live file of the dossier with its mark in force, if any. */
  files: { fileId: string; componentCode: string; mark: DigitisationMark<D> | null }[];
}
