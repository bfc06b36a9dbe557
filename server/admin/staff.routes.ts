import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { DateTime, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import * as staff from './staff.service.js';

const Role = Type.Object({ role: Type.String({ maxLength: 40 }), agencyCode: Type.Optional(Nullable(Type.String({ maxLength: 50 }))) }, { additionalProperties: false });
const StaffView = {
  id: Uuid,
  fullName: Type.String(),
  email: Type.String(),
  locked: Type.Boolean(),
  roles: Type.Array(Type.Object({ role: Type.String(), agencyCode: Nullable(Type.String()) }, { additionalProperties: false })),
};
const Staff = Type.Object(StaffView, { additionalProperties: false });
const Params = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Admins manage staff accounts: roles per agency, and locking an account with the work it leaves behind. */
const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { onRequest: [app.requireRole('admin')] };
  const base = { tags: ['admin'], security: [{ bearer: [] }] };

  app.get('/api/admin/staff', { ...admin, schema: { ...base, summary: 'Danh sách cán bộ — staff accounts', response: { 200: Type.Array(Staff), ...problems(401, 403) } } }, async () =>
    staff.listStaff(app.db),
  );

  app.post(
    '/api/admin/staff',
    {
      ...admin,
      schema: {
        ...base,
        summary: 'Tạo tài khoản cán bộ — create a staff account (a password is generated if none is given)',
        body: Type.Object(
          {
            fullName: Type.String({ minLength: 2, maxLength: 200 }),
            email: Type.String({ format: 'email', maxLength: 254 }),
            password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
            roles: Type.Array(Role, { minItems: 1, maxItems: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...StaffView, initialPassword: Type.Optional(Type.String()) }, { additionalProperties: false }), ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await staff.createStaff(app.db, request.body)),
  );

  app.put(
    '/api/admin/staff/:id/roles',
    {
      ...admin,
      schema: {
        ...base,
        summary: 'Phân quyền — replace the account’s roles',
        params: Params,
        body: Type.Object({ roles: Type.Array(Role, { maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: Staff, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => staff.setRoles(app.db, request.params.id, request.body.roles),
  );

  app.post(
    '/api/admin/staff/:id/lock',
    {
      ...admin,
      schema: {
        ...base,
        summary: 'Khóa tài khoản — lock the account; its open tasks go back to their groups’ inboxes, listed',
        params: Params,
        response: {
          200: Type.Object(
            {
              ...StaffView,
              returnedTasks: Type.Array(
                Type.Object({ taskId: Uuid, step: Nullable(Type.String()), dueAt: Nullable(DateTime), dossierId: Uuid, dossierCode: Nullable(Type.String()) }, { additionalProperties: false }),
              ),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request) => staff.lockStaff(app.db, request.user, request.params.id),
  );

  app.post(
    '/api/admin/staff/:id/unlock',
    { ...admin, schema: { ...base, summary: 'Mở khóa tài khoản — unlock the account', params: Params, response: { 200: Staff, ...problems(400, 401, 403, 404) } } },
    async (request) => staff.unlockStaff(app.db, request.params.id),
  );
};

export default staffRoutes;
