import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { HttpProblem } from '../problems.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import { DateTime, FileParams, FileView, IdParams, Nullable, readUpload, Uuid } from '../dossiers/dossier.routes.js';
import { readFilePart } from '../files.js';
import * as certificates from './certificate.service.js';
import { fileSignature } from './signature.service.js';
import { attachResult } from './result-file.service.js';

const CertificateView = Type.Object(
  {
    id: Uuid,
    subject: Type.String(),
    issuer: Type.String(),
    serial: Type.String(),
    fingerprint: Type.String({ description: 'SHA-256 of the certificate (DER), hex' }),
    notBefore: DateTime,
    notAfter: DateTime,
    createdAt: DateTime,
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);

const SignatureCheck = Type.Object(
  {
    valid: Type.Boolean(),
    signer: Nullable(Type.String({ description: 'the signer certificate’s common name' })),
    signedAt: Nullable(DateTime),
    fingerprint: Nullable(Type.String()),
    reason: Type.Optional(Type.Union([Type.Literal('no-signature'), Type.Literal('tampered'), Type.Literal('expired'), Type.Literal('untrusted')])),
  },
  { additionalProperties: false },
);

const AgencyParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });

/** Digital signatures: agencies' certificates (admin), result documents, and the check of a signed file. */
const signatureRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { onRequest: [app.requireRole('admin')] };
  const security = [{ bearer: [] }];

  app.post(
    '/api/admin/agencies/:code/certificate',
    {
      ...admin,
      schema: {
        tags: ['admin'],
        security,
        summary: 'Tải lên chứng thư số của cơ quan — multipart: password, then the PKCS#12 file; checked (opens, has its key, valid now), then used for signing',
        consumes: ['multipart/form-data'],
        params: AgencyParams,
        response: { 201: CertificateView, ...problems(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request, reply) => {
      const upload = await readFilePart(request);
      const password = upload?.fields.password;
      if (!upload || password === undefined) {
        throw new HttpProblem(400, 'upload-malformed', { vi: 'Cần gửi mật khẩu (password) rồi đến tệp chứng thư', en: 'Send the password field, then the certificate file' }, [
          { path: upload ? '/body/password' : '/body/file', message: { vi: 'Thiếu trường', en: 'Missing' } },
        ]);
      }
      const view = await certificates.uploadCertificate(app.db, request.user.id, request.params.code, { p12: upload.content, password });
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/admin/agencies/:code/certificates',
    {
      ...admin,
      schema: { tags: ['admin'], security, summary: 'Chứng thư số của cơ quan — in use and retired', params: AgencyParams, response: { 200: Type.Array(CertificateView), ...problems(400, 401, 403, 404) } },
    },
    async (request) => certificates.agencyCertificates(app.db, request.params.code),
  );

  app.get(
    '/api/dossiers/:id/files/:fileId/signature',
    {
      onRequest: [app.authenticate],
      schema: {
        tags: ['dossiers'],
        security,
        summary: 'Kiểm tra chữ ký số của tệp — valid, signer, signing time; or why not: tampered, expired, untrusted, no signature',
        params: FileParams,
        response: { 200: SignatureCheck, ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const check = await fileSignature(app.db, request.user, request.params.id, request.params.fileId);
      return check.valid ? { ...check, reason: undefined } : { signer: null, signedAt: null, fingerprint: null, ...check };
    },
  );

  app.post(
    '/api/staff/dossiers/:id/files',
    {
      onRequest: [app.requireRole(...staffTaskGroups)],
      schema: {
        tags: ['officer'],
        security,
        summary: 'Đính kèm kết quả giải quyết — a result component’s file (KQ01…; multipart: componentCode, then file), by an officer working on the dossier now',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: FileView, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await attachResult(app.db, request.user, request.params.id, await readUpload(request))),
  );
};

export default signatureRoutes;
