// The API's shapes of dossiers shared with the web app, which reads dates as ISO strings (D).

/** A result issued to the citizen, reusable in later dossiers (GET /api/wallet). */
export interface WalletFile<D = Date> {
  id: string;
  originalName: string;
  mediaType: string;
  size: number;
  sha256: string;
  issuedAt: D;
  /** What it is: the result component's name, and the dossier that issued it. */
  name: string;
  dossier: { id: string; code: string | null };
}
