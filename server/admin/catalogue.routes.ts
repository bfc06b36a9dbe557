import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { HttpProblem } from '../problems.js';
import { Fee, Level, Named, ProcedureDetail } from '../catalogue/catalogue.routes.js';
import * as admin from '../catalogue/catalogue-admin.service.js';
import { procedureByCode } from '../catalogue/catalogue.service.js';
import { readFilePart } from '../files.js';

const Code = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9._-]+$' });
const AgencyLevel = Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]);
const Agency = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), level: AgencyLevel }, { additionalProperties: false });
const Field = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }, { additionalProperties: false });
const Name = Type.String({ minLength: 2, maxLength: 300 });

const Component = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Z0-9_]+$', description: 'TP01…, KQ01…, TP99 (giấy tờ khác)' }),
    name: Type.String({ minLength: 2, maxLength: 500 }),
    kind: Type.Union([Type.Literal('input'), Type.Literal('result')], { description: 'input: giấy tờ nộp; result: kết quả' }),
    required: Type.Boolean(),
    manyFiles: Type.Boolean(),
    signatureRequired: Type.Boolean(),
    maxSizeMb: Type.Integer({ minimum: 1, maximum: 50 }),
    allowedTypes: Type.Array(Type.String({ pattern: '^[a-z]+/[a-z0-9.+-]+$' }), { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);

const ProcedureBody = {
  name: Name,
  agencyCode: Code,
  fieldCode: Code,
  level: Level,
  timeLimitDays: Type.Number({ exclusiveMinimum: 0, maximum: 365 }),
  fee: Fee,
  processKey: Type.String({ minLength: 1, maxLength: 100 }),
  eformSchema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of the eForm (type: object)' }),
  description: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]),
  legalBasis: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]),
  published: Type.Boolean(),
  components: Type.Array(Component, { maxItems: 50 }),
};

/** Admins declare the catalogue: agencies, fields, procedures with dossier template, fee and eForm, and forms. */
const catalogueAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = { onRequest: [app.requireRole('admin')] };
  const base = { tags: ['admin'], security: [{ bearer: [] }] };
  const codeParams = Type.Object({ code: Code }, { additionalProperties: false });

  app.post(
    '/api/admin/agencies',
    { ...guard, schema: { ...base, summary: 'Thêm cơ quan — add an agency', body: Type.Object({ code: Code, name: Name, level: AgencyLevel }, { additionalProperties: false }), response: { 201: Agency, ...problems(400, 401, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await admin.createAgency(app.db, request.body)),
  );
  app.put(
    '/api/admin/agencies/:code',
    { ...guard, schema: { ...base, summary: 'Sửa cơ quan — rename an agency', params: codeParams, body: Type.Object({ name: Name, level: AgencyLevel }, { additionalProperties: false }), response: { 200: Agency, ...problems(400, 401, 403, 404) } } },
    async (request) => admin.updateAgency(app.db, request.params.code, request.body),
  );
  app.post(
    '/api/admin/fields',
    { ...guard, schema: { ...base, summary: 'Thêm lĩnh vực — add a field', body: Type.Object({ code: Code, name: Name }, { additionalProperties: false }), response: { 201: Field, ...problems(400, 401, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await admin.createField(app.db, request.body)),
  );
  app.put(
    '/api/admin/fields/:code',
    { ...guard, schema: { ...base, summary: 'Sửa lĩnh vực — rename a field', params: codeParams, body: Type.Object({ name: Name }, { additionalProperties: false }), response: { 200: Field, ...problems(400, 401, 403, 404) } } },
    async (request) => admin.updateField(app.db, request.params.code, request.body.name),
  );

  app.get(
    '/api/admin/procedures',
    {
      ...guard,
      schema: {
        ...base,
        summary: 'Mọi thủ tục, kể cả chưa công bố — every procedure',
        response: {
          200: Type.Array(
            Type.Object({ code: Type.String(), name: Type.String(), level: Level, timeLimitDays: Type.Number(), published: Type.Boolean(), agency: Named, field: Named }, { additionalProperties: false }),
          ),
          ...problems(401, 403),
        },
      },
    },
    async () => admin.listAllProcedures(app.db),
  );
  app.get(
    '/api/admin/procedures/:code',
    { ...guard, schema: { ...base, summary: 'Cấu hình thủ tục — a procedure, published or not', params: codeParams, response: { 200: ProcedureDetail, ...problems(400, 401, 403, 404) } } },
    async (request) => procedureByCode(app.db, request.params.code, { includeUnpublished: true }),
  );
  app.post(
    '/api/admin/procedures',
    {
      ...guard,
      schema: {
        ...base,
        summary: 'Khai báo thủ tục — a procedure with its dossier template (components), fee and eForm',
        body: Type.Object({ code: Code, ...ProcedureBody }, { additionalProperties: false }),
        response: { 201: ProcedureDetail, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const { code, ...input } = request.body;
      return reply.status(201).send(await app.db.transaction().execute((trx) => admin.saveProcedure(trx, code, input, false)));
    },
  );
  app.put(
    '/api/admin/procedures/:code',
    {
      ...guard,
      schema: {
        ...base,
        summary: 'Sửa thủ tục — replace a procedure’s configuration and template',
        params: codeParams,
        body: Type.Object(ProcedureBody, { additionalProperties: false }),
        response: { 200: ProcedureDetail, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => app.db.transaction().execute((trx) => admin.saveProcedure(trx, request.params.code, request.body, true)),
  );
  app.delete(
    '/api/admin/procedures/:code',
    { ...guard, schema: { ...base, summary: 'Xóa thủ tục chưa có hồ sơ — delete a procedure without dossiers', params: codeParams, response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await admin.deleteProcedure(app.db, request.params.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/procedures/:code/forms',
    {
      ...guard,
      schema: {
        ...base,
        summary: 'Thêm biểu mẫu tải về — add a downloadable form (multipart: name, then file)',
        consumes: ['multipart/form-data'],
        params: codeParams,
        response: {
          201: Type.Object({ id: Type.String(), name: Type.String(), mediaType: Type.String(), size: Type.Integer(), fileName: Type.String() }, { additionalProperties: false }),
          ...problems(400, 401, 403, 404, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const upload = await readFilePart(request);
      const name = upload?.fields.name?.trim() ?? '';
      if (!upload || name.length < 2) {
        throw new HttpProblem(400, 'upload-malformed', { vi: 'Cần gửi tên biểu mẫu (name) rồi đến tệp', en: 'Send the name field, then the file' }, [
          { path: upload ? '/body/name' : '/body/file', message: { vi: 'Thiếu trường', en: 'Missing' } },
        ]);
      }
      return reply.status(201).send(await admin.addForm(app.db, request.params.code, { name, originalName: upload.filename, content: upload.content }));
    },
  );
  app.delete(
    '/api/admin/procedures/:code/forms/:formId',
    {
      ...guard,
      schema: {
        ...base,
        summary: 'Xóa biểu mẫu — remove a downloadable form',
        params: Type.Object({ code: Code, formId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await admin.removeForm(app.db, request.params.code, request.params.formId);
      return reply.status(204).send(null);
    },
  );
};

export default catalogueAdminRoutes;
