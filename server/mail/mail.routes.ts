import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { DateTime, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import { caughtMailPage } from './caught-mail.repository.js';

const CaughtMail = Type.Object(
  {
    id: Uuid,
    messageId: Type.String(),
    from: Type.String(),
    to: Type.Array(Type.String()),
    subject: Type.String(),
    text: Type.String(),
    html: Nullable(Type.String()),
    size: Type.Integer(),
    receivedAt: DateTime,
  },
  { additionalProperties: false },
);

/** The demo's caught mail (what the local SMTP catcher received), for the admin to see what applicants are sent. */
const mailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin/mail',
    {
      onRequest: [app.requireRole('admin')],
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'Thư đã gửi (bản demo) — mail caught by the local SMTP catcher, newest first',
        querystring: Type.Object(
          { page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(CaughtMail), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }, { additionalProperties: false }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { page, pageSize } = request.query;
      const { rows, total } = await caughtMailPage(app.db, { limit: pageSize, offset: (page - 1) * pageSize });
      return {
        items: rows.map((r) => ({
          id: r.id,
          messageId: r.message_id,
          from: r.mail_from,
          to: r.recipients,
          subject: r.subject,
          text: r.text_body,
          html: r.html_body,
          size: r.size,
          receivedAt: r.received_at,
        })),
        total,
        page,
        pageSize,
      };
    },
  );
};

export default mailRoutes;
