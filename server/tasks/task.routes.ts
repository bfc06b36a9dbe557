import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { HttpProblem } from '../problems.js';
import { DateTime, DossierDetail, HistoryEvent, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import * as tasks from './task.service.js';
import { SyncState } from '../deliveries/delivery.routes.js';
import { Liaison } from '../inter-agency/inter-agency.routes.js';

const TaskView = Type.Object(
  {
    id: Uuid,
    instanceId: Uuid,
    elementId: Type.String(),
    name: Nullable(Type.String()),
    candidateGroups: Type.Array(Type.String()),
    assignee: Nullable(Type.String()),
    stepCode: Nullable(Type.String()),
    formKey: Nullable(Type.String()),
    state: Type.String(),
    createdAt: DateTime,
    dueAt: Nullable(DateTime),
    overdue: Type.Boolean(),
    actions: Type.Array(
      Type.Object(
        {
          code: Type.String(),
          name: Type.String(),
          assignTo: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'groups of whom one must be named as assignee with this action' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Outcome = Type.Object(
  { instanceId: Uuid, version: Type.Integer(), dossierStatus: Nullable(Type.Integer()), completed: Type.Boolean() },
  { additionalProperties: false },
);

const TaskParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** `If-Match: "7"` (or W/"7", or 7): the instance version the officer saw. */
function expectedVersion(header: string | undefined): number {
  const match = header ? /^(?:W\/)?"?(\d+)"?$/.exec(header.trim()) : null;
  if (!match) {
    throw new HttpProblem(428, 'if-match-required', { vi: 'Thiếu phiên bản hồ sơ (If-Match); vui lòng tải lại trang', en: 'Send If-Match with the version you acted on' }, [
      { path: '/headers/if-match', message: { vi: 'Thiếu hoặc sai định dạng', en: 'Missing or malformed' } },
    ]);
  }
  return Number(match[1]);
}

/** Officers: inbox, task page, claim, actions (optimistic by version), reassign, undo of one's own last action. */
const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const staff = { onRequest: [app.requireRole(...staffTaskGroups)] };
  const tags = ['officer'];
  const security = [{ bearer: [] }];

  app.get(
    '/api/staff',
    {
      ...staff,
      schema: {
        tags,
        security,
        summary: 'Cán bộ cùng cơ quan — colleagues to assign or hand work to',
        querystring: Type.Object({ role: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })) }, { additionalProperties: false }),
        response: {
          200: Type.Array(
            Type.Object(
              { id: Uuid, fullName: Type.String(), roles: Type.Array(Type.Object({ role: Type.String(), agencyCode: Type.String() }, { additionalProperties: false })) },
              { additionalProperties: false },
            ),
          ),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => tasks.colleagues(app.db, request.user, request.query.role),
  );

  app.get(
    '/api/tasks',
    {
      ...staff,
      schema: {
        tags,
        security,
        summary: 'Hộp công việc — open tasks of my agency for my roles',
        querystring: Type.Object(
          {
            view: Type.Union([Type.Literal('mine'), Type.Literal('group'), Type.Literal('unread'), Type.Literal('overdue'), Type.Literal('due-soon'), Type.Literal('agency')], {
              default: 'group',
              description:
                '`agency`: every open task of the agencies the caller leads (leaders hand work on from there); `unread`: tasks whose dossier has messages from the applicant the caller has not read',
            }),
            q: Type.Optional(Type.String({ maxLength: 100, description: 'dossier code or applicant name' })),
            page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              items: Type.Array(
                Type.Object(
                  {
                    id: Uuid,
                    step: Type.Object({ elementId: Type.String(), name: Nullable(Type.String()) }, { additionalProperties: false }),
                    assignee: Nullable(Type.String()),
                    dueAt: Nullable(DateTime),
                    overdue: Type.Boolean(),
                    createdAt: DateTime,
                    dossier: Type.Object({ id: Uuid, code: Nullable(Type.String()), dueAt: Nullable(DateTime), applicantName: Type.String() }, { additionalProperties: false }),
                    procedure: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
                    version: Type.Integer(),
                    unreadMessages: Type.Integer({ description: 'messages from the applicant on the dossier that the caller has not read' }),
                  },
                  { additionalProperties: false },
                ),
              ),
              total: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
              counts: Type.Object(
                { mine: Type.Integer(), group: Type.Integer(), unread: Type.Integer(), overdue: Type.Integer(), dueSoon: Type.Integer(), agency: Type.Integer() },
                { additionalProperties: false },
              ),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => tasks.inbox(app.db, request.user, request.query),
  );

  app.get(
    '/api/tasks/:id',
    {
      ...staff,
      schema: {
        tags,
        security,
        summary: 'Trang xử lý — the task, its dossier, history and available actions',
        params: TaskParams,
        response: {
          200: Type.Object(
            {
              task: Nullable(TaskView),
              dossier: Type.Object({ ...DossierDetail.properties, applicantName: Type.String() }, { additionalProperties: false }),
              history: Type.Array(HistoryEvent),
              version: Type.Integer(),
              sync: Nullable(SyncState),
              liaison: Nullable(Liaison),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const page = await tasks.taskPage(app.db, request.user, request.params.id);
      return reply.header('etag', `"${page.version}"`).send(page);
    },
  );

  app.post(
    '/api/tasks/:id/claim',
    { ...staff, schema: { tags, security, summary: 'Nhận xử lý — claim the task', params: TaskParams, response: { 200: TaskView, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => tasks.claim(app.db, request.user, request.params.id),
  );

  app.post(
    '/api/tasks/:id/actions',
    {
      ...staff,
      schema: {
        tags,
        security,
        summary: 'Thực hiện thao tác — take one of the task’s actions (If-Match: the version you saw)',
        params: TaskParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 20 })) }),
        body: Type.Object(
          {
            actionCode: Type.String({ minLength: 1, maxLength: 10 }),
            note: Type.Optional(Type.String({ maxLength: 4000 })),
            input: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown())),
            assignee: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 200: Outcome, ...problems(400, 401, 403, 404, 409, 422, 428) },
      },
    },
    async (request, reply) => {
      const outcome = await tasks.takeAction(app.db, request.user, request.params.id, request.body, expectedVersion(request.headers['if-match']));
      return reply.header('etag', `"${outcome.version}"`).send(outcome);
    },
  );

  app.post(
    '/api/tasks/:id/reassign',
    {
      ...staff,
      schema: {
        tags,
        security,
        summary: 'Chuyển người xử lý — a leader hands the task to another officer (or back to the group)',
        params: TaskParams,
        body: Type.Object({ to: Nullable(Uuid), reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: TaskView, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => tasks.reassign(app.db, request.user, request.params.id, request.body),
  );

  app.post(
    '/api/dossiers/:id/undo',
    {
      ...staff,
      schema: {
        tags,
        security,
        summary: 'Hoàn tác thao tác cuối của tôi — take back my last action while nothing happened since',
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: Outcome, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => tasks.undoLast(app.db, request.user, request.params.id, request.body.reason),
  );
};

export default taskRoutes;
