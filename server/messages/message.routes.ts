import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { sendPrivateFile, BinaryContent, DownloadQuery, readParts } from '../files.js';
import { DateTime, IdParams, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import * as messages from './message.service.js';

const Side = Type.Union([Type.Literal('citizen'), Type.Literal('staff')]);
const Attachment = Type.Object(
  { id: Uuid, originalName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String() },
  { additionalProperties: false },
);
const Message = Type.Object(
  {
    id: Uuid,
    seq: Type.Integer(),
    side: Side,
    authorName: Nullable(Type.String({ description: 'null: an officer, shown to the applicant as the agency' })),
    mine: Type.Boolean(),
    body: Type.String(),
    createdAt: DateTime,
    attachments: Type.Array(Attachment),
  },
  { additionalProperties: false },
);
const ReadState = { lastReadSeq: Nullable(Type.Integer()), unread: Type.Integer({ description: 'messages of the other side after lastReadSeq' }) };

/**
 * Dossier conversations (Trao đổi với công dân): the applicant and the officers working the dossier; auditors read.
 * The service decides who may read and write which dossier's conversation.
 */
const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const signedIn = { onRequest: [app.authenticate] };
  const tags = ['dossiers'];
  const security = [{ bearer: [] }];

  app.get(
    '/api/dossiers/:id/messages',
    {
      ...signedIn,
      schema: {
        tags,
        security,
        summary: 'Trao đổi về hồ sơ — the conversation between the applicant and the officers working the dossier',
        description: `At most ${messages.PAGE_SIZE} messages, oldest first; \`before\` (a message's seq) reads older ones.`,
        params: IdParams,
        querystring: Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            {
              messages: Type.Array(Message),
              hasOlder: Type.Boolean(),
              agencyName: Type.String(),
              side: Nullable(Side),
              canWrite: Type.Boolean(),
              closed: Nullable(Type.Union([Type.Literal('draft'), Type.Literal('ended'), Type.Literal('read-only')])),
              ...ReadState,
            },
            { additionalProperties: false },
          ),
          ...problems(400, 401, 404),
        },
      },
    },
    async (request) => messages.conversation(app.db, request.user, request.params.id, request.query.before),
  );

  app.post(
    '/api/dossiers/:id/messages',
    {
      ...signedIn,
      schema: {
        tags,
        security,
        summary: 'Gửi trao đổi — post a message (multipart: the `body` field, then up to three `file` parts)',
        description:
          `Text of 1–${messages.MAX_BODY_CHARS} characters; files of at most ${messages.MAX_ATTACHMENT_MB} MB each (${messages.ATTACHMENT_TYPES.join(', ')}, ` +
          'checked by content). The message is recorded in the dossier’s history; a message from the agency is emailed to the applicant. ' +
          'Refused on a draft and once the dossier’s processing has ended (409); auditors read only (403).',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: Message, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const message = await messages.post(app.db, request.user, request.params.id, () =>
        // Room for the longest text in UTF-8 (4 bytes a character) and the files; nothing else.
        readParts(request, { maxFiles: messages.MAX_ATTACHMENTS + 1, maxFields: 2, maxFieldBytes: messages.MAX_BODY_CHARS * 4 + 64 }),
      );
      return reply.status(201).send(message);
    },
  );

  app.post(
    '/api/dossiers/:id/messages/read',
    {
      ...signedIn,
      schema: {
        tags,
        security,
        summary: 'Đánh dấu đã đọc — mark the conversation read up to a message (the last one when not given)',
        params: IdParams,
        body: Type.Object({ upTo: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })) }, { additionalProperties: false }),
        response: { 200: Type.Object(ReadState, { additionalProperties: false }), ...problems(400, 401, 404) },
      },
    },
    async (request) => messages.markRead(app.db, request.user, request.params.id, request.body.upTo),
  );

  app.get(
    '/api/dossiers/:id/messages/attachments/:attachmentId',
    {
      ...signedIn,
      schema: {
        tags,
        security,
        summary: 'Tải tệp đính kèm trao đổi — an attachment of the conversation, for those who may read it',
        params: Type.Object({ id: Uuid, attachmentId: Uuid }, { additionalProperties: false }),
        querystring: DownloadQuery,
        produces: ['application/pdf', 'image/*'],
        response: { 200: BinaryContent, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const file = await messages.attachmentContent(app.db, request.user, request.params.id, request.params.attachmentId);
      return sendPrivateFile(reply, { ...file, name: file.originalName }, request.query.download);
    },
  );
};

export default messageRoutes;
