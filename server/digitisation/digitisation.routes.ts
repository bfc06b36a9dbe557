import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { HttpProblem } from '../problems.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import { DateTime, FileParams, FileView, IdParams, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import { sendPrivateFile, BinaryContent, DownloadQuery, readFilePart } from '../files.js';
import * as digitisation from './digitisation.service.js';

const Kind = Type.Union([Type.Literal('scanned-copy'), Type.Literal('electronic-original')], {
  description: 'scanned-copy: bản sao điện tử chứng thực (a certified copy of the paper original); electronic-original: bản gốc điện tử (a PDF whose signature verifies)',
});

const Mark = Type.Object(
  {
    kind: Kind,
    certifiedBy: Type.Object({ id: Uuid, name: Nullable(Type.String()) }, { additionalProperties: false }),
    certifiedAt: DateTime,
    signer: Nullable(Type.String({ description: 'an electronic original’s signer' })),
    scan: Nullable(
      Type.Object(
        { originalName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String() },
        { additionalProperties: false, description: 'the certified scan of the paper original (GET …/digitisation/scan)' },
      ),
    ),
  },
  { additionalProperties: false },
);

const DossierDigitisation = Type.Object(
  {
    canManage: Type.Boolean(),
    otherDocumentsCode: Nullable(Type.String()),
    files: Type.Array(Type.Object({ fileId: Uuid, componentCode: Type.String(), mark: Nullable(Mark) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

/** Digitisation (số hóa) of received components and issued results, and reclassification of "other documents". */
const digitisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const digitisers = { onRequest: [app.requireRole(...digitisation.DIGITISER_ROLES)] };
  const tags = ['officer'];
  const security = [{ bearer: [] }];

  app.get(
    '/api/staff/dossiers/:id/digitisation',
    {
      onRequest: [app.requireRole(...staffTaskGroups, 'auditor')],
      schema: {
        tags,
        security,
        summary: 'Tình trạng số hóa — every file of the dossier with its digitisation mark (the agency’s staff, auditors)',
        params: IdParams,
        response: { 200: DossierDigitisation, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => digitisation.dossierDigitisation(app.db, request.user, request.params.id),
  );

  app.post(
    '/api/staff/dossiers/:id/files/:fileId/digitisation',
    {
      ...digitisers,
      schema: {
        tags,
        security,
        summary: 'Số hóa — mark a file digitised (one-stop officer or clerk of the agency); an electronic original’s signature must verify',
        params: FileParams,
        body: Type.Object({ kind: Kind }, { additionalProperties: false }),
        response: { 201: Mark, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await digitisation.markDigitised(app.db, request.user, request.params.id, request.params.fileId, request.body)),
  );

  app.post(
    '/api/staff/dossiers/:id/files/:fileId/digitisation/scan',
    {
      ...digitisers,
      schema: {
        tags,
        security,
        summary: 'Số hóa kèm bản quét — mark a file a certified copy, attaching the scan of its paper original (multipart: file)',
        consumes: ['multipart/form-data'],
        params: FileParams,
        response: { 201: Mark, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const upload = await readFilePart(request);
      if (!upload) {
        throw new HttpProblem(400, 'upload-malformed', { vi: 'Cần gửi tệp bản quét', en: 'Send the scan as the file part' }, [
          { path: '/body/file', message: { vi: 'Thiếu tệp', en: 'Missing' } },
        ]);
      }
      const mark = await digitisation.markDigitised(app.db, request.user, request.params.id, request.params.fileId, {
        kind: 'scanned-copy',
        scan: { originalName: upload.filename, content: upload.content },
      });
      return reply.status(201).send(mark);
    },
  );

  app.delete(
    '/api/staff/dossiers/:id/files/:fileId/digitisation',
    {
      ...digitisers,
      schema: {
        tags,
        security,
        summary: 'Hủy số hóa — take a mistaken mark back, with the reason (kept in the history)',
        params: FileParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await digitisation.unmarkDigitised(app.db, request.user, request.params.id, request.params.fileId, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/staff/dossiers/:id/files/:fileId/reclassify',
    {
      ...digitisers,
      schema: {
        tags,
        security,
        summary: 'Phân loại lại — move a file from "other documents" (TP99) to the input component it belongs to',
        params: FileParams,
        body: Type.Object({ componentCode: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false }),
        response: { 200: FileView, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request) => digitisation.reclassify(app.db, request.user, request.params.id, request.params.fileId, request.body.componentCode),
  );

  app.get(
    '/api/dossiers/:id/files/:fileId/digitisation/scan',
    {
      onRequest: [app.authenticate],
      schema: {
        tags: ['dossiers'],
        security,
        summary: 'Bản quét được chứng thực — the scan certified as the file’s electronic copy (the applicant, the agency’s staff, auditors)',
        params: FileParams,
        querystring: DownloadQuery,
        produces: ['application/pdf', 'image/*'],
        response: { 200: BinaryContent, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const scan = await digitisation.scanContent(app.db, request.user, request.params.id, request.params.fileId);
      return sendPrivateFile(reply, { ...scan, name: scan.originalName }, request.query.download);
    },
  );
};

export default digitisationRoutes;
