import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../engine/db/database.js';
import type { MessageSide } from './message.table.js';
import { DOSSIER_MESSAGE_KIND, type DossierMessageEvent } from '../deliveries/delivery.table.js';

/** The dossier as its conversation needs it: who may take part, and whether its process still runs. */
export async function conversationDossier(db: Db, id: string) {
  return db
    .selectFrom('dossier')
    .innerJoin('agency', 'agency.id', 'dossier.agency_id')
    .leftJoin('process_instance', 'process_instance.id', 'dossier.instance_id')
    .select([
      'dossier.id',
      'dossier.applicant_id',
      'dossier.agency_id',
      'dossier.state',
      'dossier.instance_id',
      'dossier.received_by',
      'agency.name as agency_name',
      'process_instance.state as instance_state',
    ])
    .where('dossier.id', '=', id)
    .executeTakeFirst();
}

/**
 * Whether a staff member took part in the dossier's work: acted on it, or holds one of the groups a step of it was
 * (or is) for — the officers who can open one of its task pages. Read from the dossier's own history (task.created
 * events carry their groups), a range of the history's primary key.
 */
export async function tookPart(db: Db, instanceId: string, userId: string, groups: string[]): Promise<boolean> {
  const row = await db
    .selectFrom('history_event')
    .select(sql.lit(1).as('one'))
    .where('instance_id', '=', instanceId)
    .where((eb) =>
      eb.or([eb('actor_id', '=', userId), eb.and([eb('type', '=', 'task.created'), sql<SqlBool>`data->'candidateGroups' ?| ${sql.val(groups)}::text[]`])]),
    )
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/** The instance's state under its row lock, which every history append of the dossier also takes. */
export async function lockInstanceState(db: Db, instanceId: string) {
  return (await db.selectFrom('process_instance').select('state').where('id', '=', instanceId).forUpdate().executeTakeFirstOrThrow()).state;
}

/** Up to `limit` messages of the dossier before `before` (newest first), with their authors. */
export async function messagesOf(db: Db, dossierId: string, options: { before?: number; limit: number }) {
  let query = db
    .selectFrom('dossier_message')
    .innerJoin('app_user as author', 'author.id', 'dossier_message.author_id')
    .select([
      'dossier_message.id',
      'dossier_message.seq',
      'dossier_message.side',
      'dossier_message.body',
      'dossier_message.created_at',
      'dossier_message.author_id',
      'author.full_name as author_name',
    ])
    .where('dossier_message.dossier_id', '=', dossierId);
  if (options.before !== undefined) query = query.where('dossier_message.seq', '<', options.before);
  return query.orderBy('dossier_message.seq', 'desc').limit(options.limit).execute();
}

export async function attachmentsOf(db: Db, messageIds: string[]) {
  if (!messageIds.length) return [];
  return db
    .selectFrom('dossier_message_attachment')
    .select(['id', 'message_id', 'sha256', 'size', 'media_type', 'original_name'])
    .where('message_id', 'in', messageIds)
    .orderBy('message_id')
    .orderBy('position')
    .execute();
}

/** An attachment of a message of the dossier, with its content. */
export async function attachmentWithContent(db: Db, dossierId: string, attachmentId: string) {
  return db
    .selectFrom('dossier_message_attachment as a')
    .innerJoin('dossier_message as m', 'm.id', 'a.message_id')
    .innerJoin('file_blob', 'file_blob.sha256', 'a.sha256')
    .select(['a.original_name', 'a.media_type', 'file_blob.content'])
    .where('a.id', '=', attachmentId)
    .where('m.dossier_id', '=', dossierId)
    .executeTakeFirst();
}

export async function readMarker(db: Db, dossierId: string, userId: string): Promise<number | null> {
  const row = await db.selectFrom('dossier_message_read').select('last_read_seq').where('dossier_id', '=', dossierId).where('user_id', '=', userId).executeTakeFirst();
  return row?.last_read_seq ?? null;
}

/** Messages of one side after `afterSeq`, and the dossier's last message seq. */
export async function unreadAndLast(db: Db, dossierId: string, side: MessageSide, afterSeq: number) {
  const row = await db
    .selectFrom('dossier_message')
    .select((eb) => [eb.fn.countAll<string>().filterWhere((f) => f.and([f('side', '=', side), f('seq', '>', afterSeq)])).as('unread'), eb.fn.max('seq').as('last')])
    .where('dossier_id', '=', dossierId)
    .executeTakeFirstOrThrow();
  return { unread: Number(row.unread), last: row.last === null ? null : Number(row.last) };
}

export async function insertMessage(db: Db, row: { id: string; dossier_id: string; author_id: string; side: MessageSide; body: string; created_at: Date }) {
  return (await db.insertInto('dossier_message').values(row).returning('seq').executeTakeFirstOrThrow()).seq;
}

export async function insertAttachments(db: Db, rows: { message_id: string; position: number; sha256: string; size: number; media_type: string; original_name: string }[]) {
  if (!rows.length) return [];
  return db.insertInto('dossier_message_attachment').values(rows).returning(['id', 'position']).execute();
}

/** Where each side's messages of the dossier end, for the inbox's unread filter. */
export async function recordInConversation(db: Db, row: { dossier_id: string; agency_id: string; instance_id: string; side: MessageSide; seq: number; at: Date }) {
  const column = row.side === 'citizen' ? 'last_citizen_seq' : 'last_staff_seq';
  await db
    .insertInto('dossier_conversation')
    .values({ dossier_id: row.dossier_id, agency_id: row.agency_id, instance_id: row.instance_id, [column]: row.seq, last_message_at: row.at, open: true })
    .onConflict((oc) => oc.column('dossier_id').doUpdateSet({ [column]: row.seq, last_message_at: row.at, open: true }))
    .execute();
}

/** The conversation (if any) of the instance's dossier follows whether its process still runs. */
export async function syncConversationOpen(db: Db, instanceId: string) {
  await db
    .updateTable('dossier_conversation')
    .set({ open: sql<boolean>`exists (select 1 from process_instance pi where pi.id = ${instanceId} and pi.state = 'running')` })
    .where('instance_id', '=', instanceId)
    .execute();
}

/** Moves the reader's marker forward to `seq` (never back: a late "read" from another tab changes nothing). */
export async function markRead(db: Db, dossierId: string, userId: string, seq: number, at: Date) {
  await db
    .insertInto('dossier_message_read')
    .values({ dossier_id: dossierId, user_id: userId, last_read_seq: seq, read_at: at })
    .onConflict((oc) =>
      oc.columns(['dossier_id', 'user_id']).doUpdateSet({ last_read_seq: sql`greatest(dossier_message_read.last_read_seq, excluded.last_read_seq)`, read_at: at }),
    )
    .execute();
}

/**
 * The inbox's unread count of a listed task (its row joins `dossier`): the applicant's messages on the task's
 * dossier after the officer's read marker, counted along dossier_message_dossier_idx.
 */
export function unreadOfInboxRow(userId: string): RawBuilder<number> {
  return sql<number>`(select count(*)::int from dossier_message m
    where m.dossier_id = dossier.id and m.side = 'citizen'
      and m.seq > coalesce((select r.last_read_seq from dossier_message_read r where r.dossier_id = dossier.id and r.user_id = ${userId}), 0))`;
}

/**
 * Ids of the open tasks of dossiers of `agencyIds` where the applicant wrote after the officer's read marker.
 * Driven by the agencies' open conversations in which the applicant wrote (dossier_conversation_agency_idx: few
 * next to their open tasks), each joined to its open tasks along task_open_idx (lateral, and `offset 0` so that
 * the planner keeps it so rather than hashing every open task of the province). Uncorrelated, so a filter or count
 * over the inbox's tasks tests `task.id in (…)` against one set.
 */
export function tasksWithUnread(userId: string, agencyIds: string[]): RawBuilder<string> {
  if (!agencyIds.length) return sql<string>`select null::uuid where false`;
  return sql<string>`select t.id from dossier_conversation c
    cross join lateral (select task.id from task where task.instance_id = c.instance_id and task.state = 'open' offset 0) t
    where c.agency_id in (${sql.join(agencyIds.map((id) => sql`${id}::uuid`))}) and c.open and c.last_citizen_seq is not null
      and c.last_citizen_seq > coalesce((select r.last_read_seq from dossier_message_read r where r.dossier_id = c.dossier_id and r.user_id = ${userId}), 0)`;
}

/** Whether an email about new messages of the dossier is still waiting to go: one more would say the same. */
export async function messageMailPending(db: Db, dossierId: string): Promise<boolean> {
  const row = await db
    .selectFrom('delivery')
    .select('id')
    .where('dossier_id', '=', dossierId)
    .where('channel', '=', 'email')
    .where('state', '=', 'pending')
    .where(sql<SqlBool>`payload->>'kind' = ${DOSSIER_MESSAGE_KIND}`)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/** The applicant's email about new messages, in the delivery queue behind the dossier's earlier emails. */
export async function queueMessageMail(db: Db, row: { dossier_id: string; payload: DossierMessageEvent; next_attempt_at: Date }) {
  await db
    .insertInto('delivery')
    .values({ channel: 'email', dossier_id: row.dossier_id, payload: JSON.stringify(row.payload), next_attempt_at: row.next_attempt_at })
    .execute();
}

export async function applicantContact(db: Db, dossierId: string) {
  return db
    .selectFrom('dossier')
    .innerJoin('app_user', 'app_user.id', 'dossier.applicant_id')
    .select(['app_user.email'])
    .where('dossier.id', '=', dossierId)
    .executeTakeFirst();
}
