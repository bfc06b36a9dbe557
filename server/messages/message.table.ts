import type { ColumnType } from 'kysely';

/** Who wrote a message: the applicant (công dân) or an officer of the agency (cán bộ). */
export type MessageSide = 'citizen' | 'staff';

export interface DossierMessageTable {
  /** Chosen before the insert: the history event that records the message names it. */
  id: string;
  /** Order of writing across all dossiers; within one dossier, the order of commit (see migration 0013). */
  seq: ColumnType<number, never, never>;
  dossier_id: string;
  author_id: string;
  side: MessageSide;
  body: string;
  created_at: ColumnType<Date, Date, never>;
}

export interface DossierMessageAttachmentTable {
  id: ColumnType<string, never, never>;
  message_id: string;
  position: number;
  sha256: string;
  size: number;
  media_type: string;
  /** As its sender named it: metadata only, never a path. */
  original_name: string;
}

export interface DossierMessageReadTable {
  dossier_id: string;
  user_id: string;
  last_read_seq: number;
  read_at: Date;
}

export interface DossierConversationTable {
  dossier_id: string;
  agency_id: string;
  instance_id: string;
  last_citizen_seq: number | null;
  last_staff_seq: number | null;
  last_message_at: Date;
  /** Whether the dossier's process still runs (kept at each status change): only open ones count in the inbox. */
  open: ColumnType<boolean, boolean | undefined, boolean>;
}
