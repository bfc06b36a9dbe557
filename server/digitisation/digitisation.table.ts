import type { Generated } from 'kysely';

/** Bản sao điện tử chứng thực (a certified copy of a paper original) or bản gốc điện tử (a signed electronic original). */
export type DigitisationKind = 'scanned-copy' | 'electronic-original';

/** A file certified as digitised; see migrations/0015_digitisation.ts. Undone by revoking, never deleted. */
export interface DossierFileDigitisationTable {
  id: Generated<string>;
  file_id: string;
  dossier_id: string;
  kind: DigitisationKind;
  /** The scan of the paper original the officer attached, stored by content hash in file_blob. */
  scan_sha256: string | null;
  scan_size: number | null;
  scan_media_type: string | null;
  /** As the officer's scanner named it: metadata only, never a path. */
  scan_name: string | null;
  /** An electronic original's signer and certificate fingerprint (SHA-256, hex), from its signature. */
  signer: string | null;
  signer_fingerprint: string | null;
  certified_by: string;
  certified_at: Date;
  revoked_by: string | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
}
