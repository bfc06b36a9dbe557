import { ATTACHMENT_TYPES, MAX_ATTACHMENT_MB, MAX_ATTACHMENTS, MAX_BODY_CHARS, type AttachmentView, type Conversation as ServerConversation, type MessageView } from '../../../../server/messages/message.api.js';
import { withQuery, type ApiClient } from '../api/client.js';
import type { ProblemField } from '../api/problem.js';
import { bilingual } from '../i18n/translate.js';

/** A dossier's conversation (Trao đổi với công dân) as GET /api/dossiers/:id/messages gives it (server/messages). */

export type { MessageSide } from '../../../../server/messages/message.table.js';
export type MessageAttachment = AttachmentView;
export type Message = MessageView<string>;
export type Conversation = ServerConversation<string>;

/** The API's limits, checked before sending. */
export { ATTACHMENT_TYPES, MAX_ATTACHMENT_MB, MAX_ATTACHMENTS, MAX_BODY_CHARS };

export const messagesBase = (dossierId: string) => `/api/dossiers/${encodeURIComponent(dossierId)}/messages`;

export const conversationOf = (api: ApiClient, dossierId: string, before?: number) => api.get<Conversation>(withQuery(messagesBase(dossierId), { before }));

export const markRead = (api: ApiClient, dossierId: string, upTo: number) =>
  api.post<{ lastReadSeq: number | null; unread: number }>(`${messagesBase(dossierId)}/read`, { upTo });

export const attachmentPath = (dossierId: string, attachmentId: string) => `${messagesBase(dossierId)}/attachments/${encodeURIComponent(attachmentId)}?download=true`;

/** What the API would refuse, found before sending: the text's length, the number, size and type of files. */
export function messageProblems(body: string, files: { name: string; size: number; type: string }[]): ProblemField[] {
  const problems: ProblemField[] = [];
  const text = body.trim();
  if (!text) problems.push({ path: '/body/body', message: bilingual('conversation.bodyRequired') });
  else if ([...text].length > MAX_BODY_CHARS) problems.push({ path: '/body/body', message: bilingual('conversation.bodyTooLong', { max: MAX_BODY_CHARS }) });
  if (files.length > MAX_ATTACHMENTS) problems.push({ path: '/body/file', message: bilingual('conversation.tooManyFiles', { max: MAX_ATTACHMENTS }) });
  files.forEach((file, i) => {
    if (file.size === 0 || file.size > MAX_ATTACHMENT_MB * 1024 * 1024) {
      problems.push({ path: `/body/file/${i}`, message: bilingual('conversation.fileTooLarge', { name: file.name, mb: MAX_ATTACHMENT_MB }) });
    } else if (file.type && !(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) {
      problems.push({ path: `/body/file/${i}`, message: bilingual('conversation.fileType', { name: file.name }) });
    }
  });
  return problems;
}

/** Messages of `next` that were not in `previous` and that the reader did not write: what a live region announces. */
export function arrivedFromOthers(previous: Message[], next: Message[]): Message[] {
  const known = new Set(previous.map((m) => m.id));
  return next.filter((m) => !known.has(m.id) && !m.mine);
}

/** Two lists of messages as one, in the order written, each message once (the later copy wins). */
export function mergeMessages(shown: Message[], loaded: Message[]): Message[] {
  return [...new Map([...shown, ...loaded].map((m) => [m.id, m])).values()].sort((a, b) => a.seq - b.seq);
}
