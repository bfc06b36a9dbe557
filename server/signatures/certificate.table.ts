import type { ColumnType, Generated } from 'kysely';

/** An agency's signing certificate (PKCS#12); see migrations/0010_agency_certificates.ts for how it is kept. */
export interface AgencyCertificateTable {
  id: Generated<string>;
  agency_id: string;
  /** The PKCS#12 file as uploaded: encrypted under its own password. */
  p12: Buffer;
  /** The password, sealed with AES-256-GCM under the server's signing key (see certificate.service.ts). */
  password_sealed: string;
  subject: string;
  issuer: string;
  serial: string;
  /** SHA-256 of the certificate's DER, hex: how a signature's signer is matched to the agency. */
  fingerprint: string;
  not_before: Date;
  not_after: Date;
  uploaded_by: string | null;
  created_at: ColumnType<Date, never, never>;
  retired_at: Date | null;
}
