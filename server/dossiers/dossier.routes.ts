import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problems } from '../schemas.js';
import { HttpProblem } from '../problems.js';
import * as dossiers from './dossier.service.js';
import { BinaryContent, DownloadQuery, readFilePart, sendPrivateFile } from '../files.js';
import { checkDossierPdf, signatureHeaders } from '../signatures/signature.service.js';
import { RATING_INDICES, type RatingIndex } from './dossier.table.js';

export const Uuid = Type.String({ format: 'uuid' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
// Dates leave as ISO 8601 strings; the handlers return Date objects that fast-json-stringify formats.
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });

export const FileView = Type.Object(
  { id: Uuid, componentCode: Type.String(), originalName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String(), uploadedAt: DateTime },
  { additionalProperties: false },
);
/** One event of a dossier's hash-chained history, as auditors and the agency's staff read it. */
export const HistoryEvent = Type.Object(
  {
    seq: Type.Integer(),
    version: Type.Integer(),
    type: Type.String(),
    elementId: Nullable(Type.String()),
    actorId: Nullable(Type.String()),
    actorName: Nullable(Type.String()),
    at: DateTime,
    data: Type.Record(Type.String(), Type.Unknown()),
    hash: Type.String(),
  },
  { additionalProperties: false },
);
const PostalState = Type.Union([Type.Literal('chosen'), Type.Literal('requested'), Type.Literal('awaiting-confirmation'), Type.Literal('accepted'), Type.Literal('delivered')], {
  description: 'chosen: not sent yet; requested: queued for the post office; then chờ xác nhận, đã nhận bưu gửi, đã phát',
});
const PostalOrder = Type.Object(
  { state: PostalState, trackingCode: Nullable(Type.String()), recipientName: Type.String(), phone: Type.String(), address: Type.String(), updatedAt: DateTime },
  { additionalProperties: false },
);
const PostalView = Type.Object(
  {
    collection: Nullable(PostalOrder),
    result: Nullable(PostalOrder),
  },
  { additionalProperties: false, description: 'Dịch vụ bưu chính công ích: thu gom hồ sơ (collection) và chuyển trả kết quả (result)' },
);
const Summary = {
  id: Uuid,
  code: Nullable(Type.String()),
  state: Type.Union([Type.Literal('draft'), Type.Literal('submitted')]),
  procedure: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
  nationalStatus: Nullable(Type.Integer({ minimum: 1, maximum: 10 })),
  submittedAt: Nullable(DateTime),
  dueAt: Nullable(DateTime),
  createdAt: DateTime,
};
export const DossierSummary = Type.Object(Summary, { additionalProperties: false });
export const DossierDetail = Type.Object(
  {
    ...Summary,
    agency: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
    channel: Type.Union([Type.Literal('online'), Type.Literal('counter'), Type.Literal('post')]),
    form: Type.Record(Type.String(), Type.Unknown()),
    files: Type.Array(FileView),
    pin: Nullable(Type.String({ description: 'Mã tra cứu in trên phiếu biên nhận' })),
    rescheduledDueAt: Nullable(DateTime),
    timeline: Type.Array(
      Type.Object(
        {
          at: DateTime,
          kind: Type.Union([Type.Literal('submitted'), Type.Literal('action'), Type.Literal('status'), Type.Literal('postal'), Type.Literal('apology')]),
          status: Type.Optional(Type.Integer()),
          newDueAt: Type.Optional(DateTime),
          action: Type.Optional(Type.String()),
          actionName: Type.Optional(Type.String()),
          step: Type.Optional(Nullable(Type.String())),
          note: Type.Optional(Type.String()),
          postal: Type.Optional(Type.Object({ direction: Type.Union([Type.Literal('collection'), Type.Literal('return')]), state: PostalState }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    postal: PostalView,
    lastEventSeq: Nullable(Type.Integer({ description: 'Where the history ended when read: `after` for GET /api/dossiers/:id/events' })),
  },
  { additionalProperties: false },
);
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const FileParams = Type.Object({ id: Uuid, fileId: Uuid }, { additionalProperties: false });

/** A multipart upload: the componentCode field first, then the file. */
export async function readUpload(request: FastifyRequest): Promise<{ componentCode: string; originalName: string; content: Buffer }> {
  const upload = await readFilePart(request);
  const componentCode = upload?.fields.componentCode;
  if (!upload || !componentCode) {
    throw new HttpProblem(400, 'upload-malformed', { vi: 'Cần gửi mã thành phần (componentCode) rồi đến tệp', en: 'Send the componentCode field, then the file' }, [
      { path: upload ? '/body/componentCode' : '/body/file', message: { vi: 'Thiếu trường', en: 'Missing' } },
    ]);
  }
  return { componentCode, originalName: upload.filename, content: upload.content };
}

/** The citizen's dossiers: draft, eForm, files, submission, and reading them back. */
const dossierRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const citizen = { onRequest: [app.requireRole('citizen')] };
  const tags = ['dossiers'];
  const security = [{ bearer: [] }];
  draftRoutes(app, '/api/dossiers', citizen, tags);

  app.post(
    '/api/dossiers',
    {
      ...citizen,
      schema: {
        tags,
        security,
        summary: 'Tạo hồ sơ nháp — create a draft (Idempotency-Key makes retries safe)',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
        body: Type.Object({ procedureCode: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false }),
        response: { 201: DossierDetail, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const draft = await dossiers.createDraft(app.db, request.user, request.body.procedureCode, request.headers['idempotency-key'] ?? null);
      return reply.status(201).send(draft);
    },
  );

  app.get(
    '/api/dossiers',
    { ...citizen, schema: { tags, security, summary: 'Hồ sơ của tôi — my dossiers', response: { 200: Type.Array(DossierSummary), ...problems(401, 403) } } },
    async (request) => dossiers.listMine(app.db, request.user),
  );

  app.get(
    '/api/wallet',
    {
      ...citizen,
      schema: {
        tags,
        security,
        summary: 'Kho giấy tờ — results issued to me, reusable in later dossiers',
        response: {
          200: Type.Array(
            Type.Object(
              {
                id: Uuid,
                originalName: Type.String(),
                mediaType: Type.String(),
                size: Type.Integer(),
                sha256: Type.String(),
                issuedAt: DateTime,
                name: Type.String(),
                dossier: Type.Object({ id: Uuid, code: Nullable(Type.String()) }, { additionalProperties: false }),
              },
              { additionalProperties: false },
            ),
          ),
          ...problems(401, 403),
        },
      },
    },
    async (request) => dossiers.wallet(app.db, request.user),
  );

  app.post(
    '/api/dossiers/:id/files/from-wallet',
    {
      ...citizen,
      schema: {
        tags,
        security,
        summary: 'Đính kèm từ kho giấy tờ — attach an issued result to a component, without uploading it again',
        params: IdParams,
        body: Type.Object({ componentCode: Type.String({ minLength: 1, maxLength: 50 }), walletFileId: Uuid }, { additionalProperties: false }),
        response: { 201: FileView, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await dossiers.attachFromWallet(app.db, request.user, request.params.id, request.body)),
  );

  app.get(
    '/api/dossiers/:id/files/:fileId',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        security,
        summary: 'Tải tệp — a file of the dossier, for its applicant, the agency’s staff and auditors',
        params: FileParams,
        querystring: DownloadQuery,
        produces: ['application/pdf', 'image/*'],
        response: { 200: BinaryContent, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const file = await dossiers.fileContent(app.db, request.user, request.params.id, request.params.fileId);
      // A signed PDF travels with its signature check (x-signature-status, -signer, -signed-at).
      const signature = file.mediaType === 'application/pdf' ? signatureHeaders(await checkDossierPdf(app.db, request.params.id, file.content)) : {};
      return sendPrivateFile(reply.headers(signature), { ...file, name: file.originalName }, request.query.download);
    },
  );

  app.post(
    '/api/dossiers/:id/supplement',
    {
      ...citizen,
      schema: {
        tags,
        security,
        summary: 'Nộp bổ sung — answer a supplement request (upload the files first)',
        params: IdParams,
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
        response: { 200: DossierDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => dossiers.supplement(app.db, request.user, request.params.id, request.body.note ?? null),
  );

  app.post(
    '/api/dossiers/:id/withdraw',
    {
      ...citizen,
      schema: {
        tags,
        security,
        summary: 'Đề nghị rút hồ sơ — ask to withdraw (an officer decides)',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: DossierDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => dossiers.withdraw(app.db, request.user, request.params.id, request.body.reason),
  );

  const Score = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)]);
  const Satisfaction = Type.Union([Type.Literal('very-satisfied'), Type.Literal('satisfied'), Type.Literal('not-satisfied')]);
  const Indices = Type.Object(Object.fromEntries(RATING_INDICES.map((index) => [index, Score])) as Record<RatingIndex, typeof Score>, { additionalProperties: false });
  app.post(
    '/api/dossiers/:id/rating',
    {
      ...citizen,
      schema: {
        tags,
        security,
        summary: 'Đánh giá mức độ hài lòng — rate the service (nine indices 0–2 and satisfaction), once, after the result',
        params: IdParams,
        body: Type.Object({ indices: Indices, satisfaction: Satisfaction, comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ indices: Indices, satisfaction: Satisfaction, comment: Type.Optional(Type.String()), score: Type.Integer(), ratedAt: DateTime }, { additionalProperties: false }),
          ...problems(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await dossiers.rate(app.db, request.user, request.params.id, request.body)),
  );

  app.get(
    '/api/lookup',
    {
      config: { rateLimit: app.perMinute(20) },
      schema: {
        tags: ['lookup'],
        summary: 'Tra cứu hồ sơ bằng mã hồ sơ và mã tra cứu — public lookup (no personal data)',
        querystring: Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 40 }), pin: Type.String({ pattern: '^\\d{6}$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              code: Type.String(),
              procedure: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
              agency: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
              nationalStatus: Nullable(Type.Integer()),
              submittedAt: DateTime,
              dueAt: DateTime,
              rescheduledDueAt: Nullable(DateTime),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 404, 429),
        },
      },
    },
    async (request) => dossiers.lookup(app.db, request.query.code, request.query.pin),
  );

};


/**
 * Reading and completing a draft: the citizen's own under /api/dossiers, and the one a one-stop officer opened for
 * a walk-in applicant under /api/counter/dossiers. The service decides who may touch which dossier.
 */
export function draftRoutes(
  app: Parameters<FastifyPluginAsyncTypebox>[0],
  prefix: '/api/dossiers' | '/api/counter/dossiers',
  guard: { onRequest: ReturnType<FastifyInstance['requireRole']>[] },
  tags: string[],
) {
  const security = [{ bearer: [] }];
  app.get(
    `${prefix}/:id`,
    { ...guard, schema: { tags, security, summary: 'Chi tiết hồ sơ — a dossier with form, files, status and timeline', params: IdParams, response: { 200: DossierDetail, ...problems(400, 401, 403, 404) } } },
    async (request) => dossiers.dossierDetail(app.db, request.user, request.params.id),
  );

  app.put(
    `${prefix}/:id/form`,
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Lưu tờ khai điện tử — save the eForm (validated against the procedure’s schema)',
        params: IdParams,
        body: Type.Object({ data: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false }),
        response: { 200: DossierDetail, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => dossiers.saveForm(app.db, request.user, request.params.id, request.body.data),
  );

  app.put(
    `${prefix}/:id/postal`,
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Chọn dịch vụ bưu chính — collection of the paper dossier and/or the result by post, with the address (a draft)',
        params: IdParams,
        body: Type.Object(
          {
            collection: Type.Boolean({ description: 'Bưu điện thu gom hồ sơ giấy tại địa chỉ' }),
            result: Type.Boolean({ description: 'Nhận kết quả qua bưu chính (phí chuyển phát theo cấu hình của thủ tục)' }),
            recipientName: Type.Optional(Type.String({ maxLength: 200 })),
            phone: Type.Optional(Type.String({ maxLength: 20 })),
            address: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DossierDetail, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => dossiers.choosePostal(app.db, request.user, request.params.id, request.body),
  );

  app.post(
    `${prefix}/:id/files`,
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Tải lên tệp cho một thành phần — upload a file (multipart: componentCode, then file)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: FileView, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await dossiers.addFile(app.db, request.user, request.params.id, await readUpload(request))),
  );

  app.delete(
    `${prefix}/:id/files/:fileId`,
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Xóa tệp khỏi hồ sơ nháp — remove a file from a draft',
        params: FileParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await dossiers.removeFile(app.db, request.user, request.params.id, request.params.fileId);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    `${prefix}/:id`,
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Xóa hồ sơ nháp — discard a draft (a submitted dossier is withdrawn instead)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await dossiers.discardDraft(app.db, request.user, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${prefix}/:id/submit`,
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Nộp hồ sơ — submit: code, appointment date and receipt PIN',
        params: IdParams,
        body: Type.Object({ declarationAccepted: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: DossierDetail, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => dossiers.submit(app.db, request.user, request.params.id, request.body.declarationAccepted),
  );
}

export default dossierRoutes;
