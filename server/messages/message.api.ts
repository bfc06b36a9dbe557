import type { MessageSide } from './message.table.js';

// A dossier's conversation (Trao đổi với công dân) as the API gives it, and its limits: shared with the web app,
// which reads dates as ISO strings (D) and checks the limits before sending.

export const MAX_BODY_CHARS = 4000;
export const MAX_ATTACHMENTS = 3;
export const MAX_ATTACHMENT_MB = 10;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'] as const;

export interface AttachmentView {
  id: string;
  originalName: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface MessageView<D = Date> {
  id: string;
  seq: number;
  side: MessageSide;
  /** The author's name; an officer is named to the agency's staff and auditors, and shown to the applicant as the agency. */
  authorName: string | null;
  /** Whether the reader wrote it. */
  mine: boolean;
  body: string;
  createdAt: D;
  attachments: AttachmentView[];
}

export interface Conversation<D = Date> {
  /** Oldest first. */
  messages: MessageView<D>[];
  /** Older messages exist: read them with `before` = the first message's seq. */
  hasOlder: boolean;
  agencyName: string;
  /** The reader's side; null for an auditor. */
  side: MessageSide | null;
  canWrite: boolean;
  /** Why the reader cannot write: a draft, a dossier whose processing ended, or a reader who only reads. */
  closed: 'draft' | 'ended' | 'read-only' | null;
  /** The last message seq the reader has read, and how many of the other side's messages came after it. */
  lastReadSeq: number | null;
  unread: number;
}
