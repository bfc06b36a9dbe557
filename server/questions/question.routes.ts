import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import { problems } from '../schemas.js';
import { DateTime, IdParams, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import * as questions from './question.service.js';
import { QUESTION_LIMITS } from './question.table.js';

const Status = Type.Union(
  [Type.Literal('pending'), Type.Literal('answered'), Type.Literal('published'), Type.Literal('rejected')],
  { description: 'pending: chưa trả lời; answered: đã trả lời, chưa công khai; published: đã công khai; rejected: đã ẩn' },
);
const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
};
const Named = Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false });
const CodeParams = Type.Object({ code: Type.String({ maxLength: 50 }) }, { additionalProperties: false });

const PublishedQuestion = Type.Object(
  {
    id: Uuid,
    askerName: Type.String(),
    question: Type.String(),
    askedAt: DateTime,
    answer: Type.String(),
    answeredAt: DateTime,
    procedure: Named,
    agencyName: Type.String({ description: 'the agency that answered (the procedure’s)' }),
  },
  { additionalProperties: false, description: 'Câu hỏi và câu trả lời đã công khai' },
);
const PublishedPage = Type.Object(
  { items: Type.Array(PublishedQuestion), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() },
  { additionalProperties: false },
);

const StaffQuestion = Type.Object(
  {
    id: Uuid,
    procedure: Named,
    agency: Named,
    askerName: Type.String(),
    askerRegistered: Type.Boolean({ description: 'asked while logged in' }),
    notifyByEmail: Type.Boolean({ description: 'the asker left an email, told once when the answer is first published' }),
    question: Type.String(),
    askedAt: DateTime,
    status: Status,
    answer: Nullable(Type.String()),
    answeredBy: Nullable(Type.String({ description: 'name of the staff member who last wrote the answer' })),
    answeredAt: Nullable(DateTime),
    publishedAt: Nullable(DateTime),
    rejectedAt: Nullable(DateTime),
    notifiedAt: Nullable(DateTime),
  },
  { additionalProperties: false },
);

/**
 * Public questions and answers (Hỏi đáp): anyone asks about a procedure and reads the published answers; the staff
 * of the procedure's agency (and admins) answer, publish, unpublish, reject and restore.
 */
const questionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/procedures/:code/questions',
    {
      schema: {
        tags: ['questions'],
        summary: 'Hỏi đáp về thủ tục — published questions and answers of a procedure, the latest first',
        params: CodeParams,
        querystring: Type.Object(Paging, { additionalProperties: false }),
        response: { 200: PublishedPage, ...problems(400, 404) },
      },
    },
    async (request) => questions.publishedFor(app.db, request.params.code, request.query),
  );

  app.post(
    '/api/procedures/:code/questions',
    {
      // Anyone may ask, so asking is limited per address, as registration is.
      config: { rateLimit: app.perMinute(5) },
      schema: {
        tags: ['questions'],
        summary: 'Đặt câu hỏi — ask a question about a procedure (anyone; shown once the agency answers and publishes it)',
        description: 'With a valid access token the question is linked to the account; an invalid token is refused (401).',
        params: CodeParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: QUESTION_LIMITS.name.min, maxLength: QUESTION_LIMITS.name.max, description: 'Họ và tên người hỏi (công khai cùng câu hỏi)' }),
            email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'Nhận thư báo khi câu trả lời được công khai; không công khai' })),
            question: Type.String({ minLength: QUESTION_LIMITS.question.min, maxLength: QUESTION_LIMITS.question.max }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Uuid, status: Status, askedAt: DateTime }, { additionalProperties: false }),
          ...problems(400, 401, 404, 429),
        },
      },
    },
    async (request, reply) => {
      if (request.headers.authorization) await app.authenticate(request, reply);
      const asked = await questions.ask(app.db, request.params.code, request.body, request.headers.authorization ? request.user : null);
      return reply.status(201).send(asked);
    },
  );

  app.get(
    '/api/questions',
    {
      schema: {
        tags: ['questions'],
        summary: 'Tìm hỏi đáp — search published questions and answers (diacritics optional, typos tolerated); the latest without q',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 200 })),
            agency: Type.Optional(Type.String({ maxLength: 50, description: 'agency code' })),
            field: Type.Optional(Type.String({ maxLength: 50, description: 'field code' })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: PublishedPage, ...problems(400) },
      },
    },
    async (request) => questions.searchPublished(app.db, request.query),
  );

  const staff = { onRequest: [app.requireRole('admin', ...staffTaskGroups)] };
  const base = { tags: ['questions'], security: [{ bearer: [] }] };

  app.get(
    '/api/staff/questions',
    {
      ...staff,
      schema: {
        ...base,
        summary: 'Câu hỏi cần trả lời — the questions about the procedures of my agencies (admins: every agency), unanswered first',
        querystring: Type.Object(
          { status: Type.Optional(Status), agency: Type.Optional(Type.String({ maxLength: 50, description: 'agency code' })), ...Paging },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              items: Type.Array(StaffQuestion),
              total: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
              counts: Type.Object({ pending: Type.Integer(), answered: Type.Integer(), published: Type.Integer(), rejected: Type.Integer() }, {
                additionalProperties: false,
                description: 'questions of each status, in the same agencies',
              }),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => questions.staffQuestions(app.db, request.user, request.query),
  );

  app.put(
    '/api/staff/questions/:id/answer',
    {
      ...staff,
      schema: {
        ...base,
        summary: 'Trả lời câu hỏi — write or edit the answer (a published answer changes at once)',
        params: IdParams,
        body: Type.Object(
          { answer: Type.String({ minLength: QUESTION_LIMITS.answer.min, maxLength: QUESTION_LIMITS.answer.max }) },
          { additionalProperties: false },
        ),
        response: { 200: StaffQuestion, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => questions.answer(app.db, request.user, request.params.id, request.body.answer),
  );

  const transitions = [
    ['publish', 'Công khai — publish the answer on the procedure’s page and in search; the asker’s email is queued the first time', questions.publish],
    ['unpublish', 'Thôi công khai — take the answer off the portal (it stays answered)', questions.unpublish],
    ['reject', 'Ẩn câu hỏi — reject an abusive or off-topic question (never shown)', questions.reject],
    ['restore', 'Khôi phục — undo a rejection', questions.restore],
  ] as const;
  for (const [action, summary, change] of transitions) {
    app.post(
      `/api/staff/questions/:id/${action}`,
      { ...staff, schema: { ...base, summary, params: IdParams, response: { 200: StaffQuestion, ...problems(400, 401, 403, 404, 409) } } },
      async (request) => change(app.db, request.user, request.params.id),
    );
  }
};

export default questionRoutes;
