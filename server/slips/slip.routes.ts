import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { sendPrivateFile, BinaryContent, DownloadQuery } from '../files.js';
import { DateTime, IdParams, Uuid } from '../dossiers/dossier.routes.js';
import * as slips from './slip.service.js';

const Kind = Type.Union([Type.Literal('receipt'), Type.Literal('supplement'), Type.Literal('refusal'), Type.Literal('apology'), Type.Literal('control')]);

const SlipList = Type.Object(
  {
    slips: Type.Array(Type.Object({ kind: Kind, title: Type.String() }, { additionalProperties: false })),
    apology: Type.Object(
      {
        offered: Type.Boolean({ description: 'the dossier is late or due within a day while still being resolved' }),
        canIssue: Type.Boolean({ description: 'the caller is staff of the dossier’s agency and may write one' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/**
 * Slips of Circular 01/2018 as PDF: receipt and appointment (01), supplement request (02), refusal (03), apology
 * and new appointment (04), process control (05, staff and auditors only). Readers are those of the dossier's files.
 */
const slipRoutes: FastifyPluginAsyncTypebox<{ publicUrl: string }> = async (app, options) => {
  const tags = ['slips'];
  const security = [{ bearer: [] }];

  app.get(
    '/api/dossiers/:id/slips',
    {
      onRequest: [app.authenticate],
      schema: { tags, security, summary: 'Các phiếu của hồ sơ — the slips that apply to a dossier now', params: IdParams, response: { 200: SlipList, ...problems(400, 401, 404) } },
    },
    async (request) => slips.listSlips(app.db, request.user, request.params.id),
  );

  app.get(
    '/api/dossiers/:id/slips/:kind',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        security,
        summary: 'In phiếu (PDF) — receipt | supplement | refusal | apology | control; 404 when it does not apply',
        params: Type.Object({ id: Uuid, kind: Kind }, { additionalProperties: false }),
        querystring: DownloadQuery,
        produces: ['application/pdf'],
        response: { 200: BinaryContent, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const slip = await slips.slipPdf(app.db, request.user, request.params.id, request.params.kind, options.publicUrl);
      return sendPrivateFile(reply, { mediaType: 'application/pdf', name: slip.fileName, content: slip.content }, request.query.download);
    },
  );

  app.post(
    '/api/dossiers/:id/apologies',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        security,
        summary: 'Lập phiếu xin lỗi và hẹn lại ngày trả kết quả — staff of the agency, when the dossier is (nearly) late',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }), newDueAt: DateTime }, { additionalProperties: false }),
        response: { 201: SlipList, ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await slips.issueApology(app.db, request.user, request.params.id, { reason: request.body.reason, newDueAt: new Date(request.body.newDueAt) })),
  );
};

export default slipRoutes;
