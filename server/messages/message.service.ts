import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../engine/db/database.js';
import { appendHistoryOnly, inTransaction } from '../../engine/runtime/command.js';
import { onStatusChange, type StatusChange } from '../../engine/process-core.js';
import { actorAt, isAuditor } from '../accounts/grants.js';
import type { SessionUser } from '../accounts/account.service.js';
import { dossierNotFound } from '../dossiers/dossier.service.js';
import { storeBlob } from '../dossiers/dossier.repository.js';
import { checkedContent, safeOriginalName } from '../files.js';
import { HttpProblem, type ProblemField } from '../problems.js';
import { LEADER_ROLES } from '../tasks/task.service.js';
import { DOSSIER_MESSAGE_KIND, type DossierMessageEvent } from '../deliveries/delivery.table.js';
import * as repo from './message.repository.js';
import type { MessageSide } from './message.table.js';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_MB, MAX_ATTACHMENTS, MAX_BODY_CHARS, type Conversation, type MessageView } from './message.api.js';

export { ATTACHMENT_TYPES, MAX_ATTACHMENT_MB, MAX_ATTACHMENTS, MAX_BODY_CHARS };

/**
 * Dossier conversations (Trao đổi với công dân). Who takes part:
 * - the applicant (side `citizen`);
 * - staff of the dossier's agency who work it (side `staff`): its leaders, the officer who received it at the
 *   counter, and those who acted on it or hold a group one of its steps was or is for (who can open its task pages);
 * - auditors read, and write nothing. Anyone else is told the dossier does not exist.
 * A draft has no conversation yet. Once the dossier's process has ended (result returned, withdrawn, reception
 * refused, stopped) the conversation stays readable and takes no more messages: what follows is a new dossier.
 */

/** How many messages one read returns; older ones are read with `before`. */
export const PAGE_SIZE = 50;
/** What the history records of each message. */
export const MESSAGE_EVENT = 'conversation.posted';

/** At each status change the dossier's conversation learns whether its process still runs (the inbox counts open ones). */
const followProcess = (trx: Db, change: StatusChange) => repo.syncConversationOpen(trx, change.instanceId);

/** Installs the conversation's status listener for every command (idempotent). */
export function installConversationHooks(): void {
  onStatusChange(followProcess);
}

type ConversationDossier = NonNullable<Awaited<ReturnType<typeof repo.conversationDossier>>>;
interface Reader {
  dossier: ConversationDossier;
  side: MessageSide | null;
}

async function readerOf(db: Db, user: SessionUser, dossierId: string): Promise<Reader> {
  const dossier = await repo.conversationDossier(db, dossierId);
  if (!dossier) throw dossierNotFound();
  if (dossier.applicant_id === user.id) return { dossier, side: 'citizen' };
  const groups = actorAt(user, dossier.agency_id).groups;
  if (groups.length) {
    const works =
      dossier.received_by === user.id ||
      (dossier.instance_id !== null && (groups.some((g) => LEADER_ROLES.includes(g)) || (await repo.tookPart(db, dossier.instance_id, user.id, groups))));
    if (works) return { dossier, side: 'staff' };
  }
  if (dossier.instance_id !== null && isAuditor(user)) return { dossier, side: null };
  throw dossierNotFound();
}

function closedFor(reader: Reader): Conversation['closed'] {
  if (reader.dossier.state === 'draft' || !reader.dossier.instance_id) return 'draft';
  if (reader.side === null) return 'read-only';
  return reader.dossier.instance_state === 'running' ? null : 'ended';
}

/** The side whose messages a reader has yet to read: the applicant reads the agency's, everyone else the applicant's. */
const otherSide = (side: MessageSide | null): MessageSide => (side === 'citizen' ? 'staff' : 'citizen');

export async function conversation(db: Db, user: SessionUser, dossierId: string, before?: number): Promise<Conversation> {
  const reader = await readerOf(db, user, dossierId);
  const [rows, lastReadSeq] = await Promise.all([repo.messagesOf(db, dossierId, { before, limit: PAGE_SIZE + 1 }), repo.readMarker(db, dossierId, user.id)]);
  const page = rows.slice(0, PAGE_SIZE).reverse();
  const { unread } = await repo.unreadAndLast(db, dossierId, otherSide(reader.side), lastReadSeq ?? 0);
  const closed = closedFor(reader);
  return {
    messages: await viewsOf(db, page, reader, user),
    hasOlder: rows.length > PAGE_SIZE,
    agencyName: reader.dossier.agency_name,
    side: reader.side,
    canWrite: closed === null,
    closed,
    lastReadSeq,
    unread,
  };
}

async function viewsOf(db: Db, rows: Awaited<ReturnType<typeof repo.messagesOf>>, reader: Reader, user: SessionUser): Promise<MessageView[]> {
  const attachments = await repo.attachmentsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    side: r.side,
    authorName: reader.side === 'citizen' && r.side === 'staff' ? null : r.author_name,
    mine: r.author_id === user.id,
    body: r.body,
    createdAt: r.created_at,
    attachments: attachments
      .filter((a) => a.message_id === r.id)
      .map((a) => ({ id: a.id, originalName: a.original_name, mediaType: a.media_type, size: a.size, sha256: a.sha256 })),
  }));
}

const invalid = (errors: ProblemField[]) => new HttpProblem(400, 'validation', { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is invalid' }, errors);

/** The message's text: trimmed, NFC, 1 to MAX_BODY_CHARS characters (code points, as PostgreSQL counts them). */
function checkedBody(fields: Record<string, string>): string {
  const unknown = Object.keys(fields).filter((name) => name !== 'body');
  if (unknown.length) throw invalid(unknown.map((name) => ({ path: `/body/${name}`, message: { vi: `Trường "${name}" không được phép`, en: `unknown field "${name}"` } })));
  const body = (fields.body ?? '').normalize('NFC').trim();
  if (!body) throw invalid([{ path: '/body/body', message: { vi: 'Nhập nội dung trao đổi', en: 'Write a message' } }]);
  if ([...body].length > MAX_BODY_CHARS) throw invalid([{ path: '/body/body', message: { vi: `Tối đa ${MAX_BODY_CHARS} ký tự`, en: `At most ${MAX_BODY_CHARS} characters` } }]);
  return body;
}

export interface MessageInput {
  fields: Record<string, string>;
  files: { filename: string; content: Buffer }[];
}

/**
 * Posts a message with its attachments. Access is judged before the request's body is read (`read`), and the
 * dossier's state again under its instance lock. In one transaction: the history event (so the hash chain
 * covers the message's text by its sha-256 and each attachment by its hash, and the dossier's live pages hear of
 * it), the message, its files, the conversation's ends, the author's read marker — and, from the agency, the
 * applicant's email unless one about new messages still waits to be sent.
 */
export async function post(db: Db, user: SessionUser, dossierId: string, read: () => Promise<MessageInput>): Promise<MessageView> {
  const reader = await readerOf(db, user, dossierId);
  const side = writableSide(reader);
  const input = await read();
  const body = checkedBody(input.fields);
  if (input.files.length > MAX_ATTACHMENTS) {
    throw new HttpProblem(413, 'too-many-files', { vi: `Đính kèm tối đa ${MAX_ATTACHMENTS} tệp`, en: `At most ${MAX_ATTACHMENTS} attachments` }, [
      { path: '/body/file', message: { vi: `Tối đa ${MAX_ATTACHMENTS} tệp`, en: `At most ${MAX_ATTACHMENTS} files` } },
    ]);
  }
  const files = await Promise.all(
    input.files.map(async (file, i) => ({
      ...(await checkedContent(file.content, { maxSizeMb: MAX_ATTACHMENT_MB, allowedTypes: ATTACHMENT_TYPES, path: `/body/file/${i}` })),
      content: file.content,
      originalName: safeOriginalName(file.filename, `tep-${i + 1}`),
    })),
  );
  const { dossier } = reader;
  const instanceId = dossier.instance_id!;
  const id = randomUUID();
  const now = new Date();
  return inTransaction(db, async (trx) => {
    if ((await repo.lockInstanceState(trx, instanceId)) !== 'running') throw conversationEnded();
    await appendHistoryOnly(trx, instanceId, user.id, now, [
      {
        type: MESSAGE_EVENT,
        elementId: null,
        data: {
          messageId: id,
          side,
          bodySha256: createHash('sha256').update(body).digest('hex'),
          attachments: files.map((f) => ({ sha256: f.sha256, size: f.size, mediaType: f.mediaType })),
        },
      },
    ]);
    for (const f of files) await storeBlob(trx, { sha256: f.sha256, size: f.size, media_type: f.mediaType, content: f.content });
    const seq = await repo.insertMessage(trx, { id, dossier_id: dossier.id, author_id: user.id, side, body, created_at: now });
    const stored = await repo.insertAttachments(
      trx,
      files.map((f, position) => ({ message_id: id, position, sha256: f.sha256, size: f.size, media_type: f.mediaType, original_name: f.originalName })),
    );
    await repo.recordInConversation(trx, { dossier_id: dossier.id, agency_id: dossier.agency_id, instance_id: instanceId, side, seq, at: now });
    // Who answers has read what they answer.
    await repo.markRead(trx, dossier.id, user.id, seq, now);
    if (side === 'staff') await queueApplicantMail(trx, dossier.id, id, now);
    return {
      id,
      seq,
      side,
      authorName: user.fullName,
      mine: true,
      body,
      createdAt: now,
      attachments: stored
        .sort((a, b) => a.position - b.position)
        .map((a) => ({ id: a.id, originalName: files[a.position]!.originalName, mediaType: files[a.position]!.mediaType, size: files[a.position]!.size, sha256: files[a.position]!.sha256 })),
    };
  });
}

function writableSide(reader: Reader): MessageSide {
  const closed = closedFor(reader);
  if (closed === 'draft') throw new HttpProblem(409, 'dossier-not-submitted', { vi: 'Hồ sơ chưa nộp nên chưa trao đổi được', en: 'A draft has no conversation yet' });
  if (closed === 'read-only') throw new HttpProblem(403, 'forbidden', { vi: 'Bạn chỉ được xem trao đổi của hồ sơ', en: 'You may read the conversation but not write to it' });
  if (closed === 'ended') throw conversationEnded();
  return reader.side!;
}

const conversationEnded = () =>
  new HttpProblem(409, 'conversation-closed', { vi: 'Hồ sơ đã kết thúc xử lý, không gửi thêm trao đổi được', en: 'The dossier’s processing has ended: the conversation takes no more messages' });

/** The applicant's email about the agency's new message, through the delivery queue (composed when sent). */
async function queueApplicantMail(trx: Db, dossierId: string, messageId: string, at: Date) {
  const contact = await repo.applicantContact(trx, dossierId);
  if (!contact?.email || (await repo.messageMailPending(trx, dossierId))) return;
  const payload: DossierMessageEvent = { kind: DOSSIER_MESSAGE_KIND, to: contact.email, at: at.toISOString(), messageId };
  await repo.queueMessageMail(trx, { dossier_id: dossierId, payload, next_attempt_at: at });
}

/** Moves the reader's marker to `upTo` (at most the last message; the last one when not given). */
export async function markRead(db: Db, user: SessionUser, dossierId: string, upTo?: number): Promise<{ lastReadSeq: number | null; unread: number }> {
  const reader = await readerOf(db, user, dossierId);
  const side = otherSide(reader.side);
  const { last } = await repo.unreadAndLast(db, dossierId, side, 0);
  const target = last === null ? null : Math.min(upTo ?? last, last);
  if (target !== null) await repo.markRead(db, dossierId, user.id, target, new Date());
  const lastReadSeq = await repo.readMarker(db, dossierId, user.id);
  return { lastReadSeq, unread: (await repo.unreadAndLast(db, dossierId, side, lastReadSeq ?? 0)).unread };
}

/** An attachment's content for those who may read the conversation; anyone else is told it does not exist. */
export async function attachmentContent(db: Db, user: SessionUser, dossierId: string, attachmentId: string) {
  await readerOf(db, user, dossierId);
  const file = await repo.attachmentWithContent(db, dossierId, attachmentId);
  if (!file) throw attachmentNotFound();
  return { content: file.content, mediaType: file.media_type, originalName: file.original_name };
}

const attachmentNotFound = () => new HttpProblem(404, 'file-not-found', { vi: 'Không tìm thấy tệp', en: 'File not found' });
