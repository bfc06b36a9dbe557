import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import * as catalogue from './catalogue.service.js';
import { formContent } from './catalogue-admin.service.js';
import { contentDisposition } from '../files.js';

export const Named = Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false });
export const Level = Type.Union([Type.Literal('full'), Type.Literal('partial')], { description: 'full: toàn trình; partial: một phần' });

const ProcedureSummary = Type.Object(
  { code: Type.String(), name: Type.String(), level: Level, timeLimitDays: Type.Number(), agency: Named, field: Named },
  { additionalProperties: false },
);

const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** A fee rule: `amount` per unit of a numeric eForm field and/or when an eForm field equals a value, capped at `max`. */
const FeeRule = Type.Object(
  {
    item: Type.Union([Type.Literal('fee'), Type.Literal('service'), Type.Literal('ship')], { description: 'fee: lệ phí; service: phí; ship: chuyển phát' }),
    label: Type.String({ minLength: 2, maxLength: 200, description: 'e.g. "Lệ phí chứng thực mỗi bản"' }),
    amount: Type.Integer({ minimum: 0, maximum: 1e12 }),
    perField: Type.Optional(OrNull(Type.String({ minLength: 1, maxLength: 100, description: 'numeric eForm field counting units (copies, pages)' }))),
    when: Type.Optional(
      OrNull(Type.Object({ field: Type.String({ minLength: 1, maxLength: 100 }), equals: Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]) }, { additionalProperties: false })),
    ),
    max: Type.Optional(OrNull(Type.Integer({ minimum: 0, maximum: 1e12 }))),
  },
  { additionalProperties: false },
);

/** Fee configuration (domain.md): amounts in VND; editable 3 = officer may change fee and charge, 2 = charge only. */
export const Fee = Type.Object(
  {
    feeAmount: Type.Number({ minimum: 0, description: 'Lệ phí' }),
    serviceAmount: Type.Number({ minimum: 0, description: 'Phí' }),
    shipAmount: Type.Number({ minimum: 0, description: 'Phí chuyển phát, khi nhận kết quả qua bưu điện (người nộp chọn nhận kết quả qua bưu chính, hoặc hồ sơ nộp qua bưu điện)' }),
    editable: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    rules: Type.Optional(Type.Array(FeeRule, { maxItems: 20, description: 'Quy tắc tính phí, cộng thêm vào các mức trên (server/payments/fee-rules.ts)' })),
  },
  { additionalProperties: false },
);

export const ProcedureDetail = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    level: Level,
    timeLimitDays: Type.Number({ description: 'Thời hạn giải quyết, ngày làm việc' }),
    agency: Named,
    field: Named,
    published: Type.Boolean(),
    forms: Type.Array(
      Type.Object(
        { id: Type.String(), name: Type.String(), mediaType: Type.String(), size: Type.Integer(), fileName: Type.String() },
        { additionalProperties: false, description: 'Biểu mẫu tải về: GET /api/procedures/{code}/forms/{id}' },
      ),
    ),
    description: Type.Union([Type.String(), Type.Null()]),
    legalBasis: Type.Union([Type.String(), Type.Null()]),
    processKey: Type.String(),
    fee: Fee,
    eformSchema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of the eForm (tờ khai điện tử)' }),
    components: Type.Array(
      Type.Object(
        {
          code: Type.String(),
          name: Type.String(),
          kind: Type.Union([Type.Literal('input'), Type.Literal('result')]),
          required: Type.Boolean(),
          manyFiles: Type.Boolean(),
          signatureRequired: Type.Boolean(),
          maxSizeMb: Type.Integer(),
          allowedTypes: Type.Array(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The public catalogue: agencies, fields and published procedures, searchable with or without diacritics. */
const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/agencies',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Danh sách cơ quan — agencies',
        response: {
          200: Type.Array(
            Type.Object(
              { id: Type.String(), code: Type.String(), name: Type.String(), level: Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]) },
              { additionalProperties: false },
            ),
          ),
        },
      },
    },
    async () => catalogue.listAgencies(app.db),
  );

  app.get(
    '/api/fields',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Danh sách lĩnh vực — fields',
        response: { 200: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }, { additionalProperties: false })) },
      },
    },
    async () => catalogue.listFields(app.db),
  );

  app.get(
    '/api/procedures',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Tìm thủ tục hành chính — search procedures (diacritics optional, typos tolerated)',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 200 })),
            agency: Type.Optional(Type.String({ maxLength: 50, description: 'agency code' })),
            field: Type.Optional(Type.String({ maxLength: 50, description: 'field code' })),
            page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            { items: Type.Array(ProcedureSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() },
            { additionalProperties: false },
          ),
          ...problems(400),
        },
      },
    },
    async (request) => catalogue.searchProcedures(app.db, request.query),
  );

  app.get(
    '/api/procedures/:code',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Chi tiết thủ tục — a procedure with its components, fee, time limit and eForm',
        params: Type.Object({ code: Type.String({ maxLength: 50 }) }, { additionalProperties: false }),
        response: { 200: ProcedureDetail, ...problems(404) },
      },
    },
    async (request) => catalogue.procedureByCode(app.db, request.params.code),
  );

  app.get(
    '/api/procedures/:code/forms/:formId',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Tải biểu mẫu — download a form of the procedure',
        params: Type.Object({ code: Type.String({ maxLength: 50 }), formId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        produces: ['application/pdf', 'application/octet-stream'],
        response: { 200: Type.Unsafe({ type: 'string', format: 'binary' }), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const form = await formContent(app.db, request.params.code, request.params.formId);
      return reply.type(form.mediaType).header('content-disposition', contentDisposition(form.originalName, 'attachment')).send(form.content);
    },
  );
};

export default catalogueRoutes;
