import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { dossierNotFound, namedHistory } from '../dossiers/dossier.service.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import { DateTime, HistoryEvent, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import { verifyHistory } from '../../engine/process-core.js';
import { grantsOf, isAuditor } from '../accounts/grants.js';
import { dossierByIdForStaff } from '../tasks/task.repository.js';
import type { SessionUser } from '../accounts/account.service.js';
import type { Db } from '../../engine/db/database.js';
import { findDossiers } from './audit.repository.js';

/** Auditors read any dossier's history; staff read those of their agencies. Nobody else learns it exists. */
async function readableInstance(db: Db, user: SessionUser, dossierId: string): Promise<string> {
  const dossier = await dossierByIdForStaff(db, dossierId);
  if (!dossier?.instance_id || !(isAuditor(user) || grantsOf(user).some((g) => g.agencyId === dossier.agency_id))) {
    throw dossierNotFound();
  }
  return dossier.instance_id;
}

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const readers = { onRequest: [app.requireRole('auditor', ...staffTaskGroups)] };
  const params = Type.Object({ id: Uuid }, { additionalProperties: false });

  app.get(
    '/api/audit/dossiers',
    {
      ...readers,
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        summary: 'Tìm hồ sơ để thanh tra — submitted dossiers by code prefix or applicant name (auditors: all; staff: their agencies)',
        querystring: Type.Object(
          { q: Type.String({ maxLength: 100, default: '' }), limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object(
              {
                id: Uuid,
                code: Nullable(Type.String()),
                procedure: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
                agency: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
                applicantName: Type.String(),
                nationalStatus: Nullable(Type.Integer()),
                definitionId: Nullable(Uuid),
                submittedAt: Nullable(DateTime),
                dueAt: Nullable(DateTime),
              },
              { additionalProperties: false },
            ),
          ),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => {
      const agencyIds = isAuditor(request.user) ? null : grantsOf(request.user).map((g) => g.agencyId);
      const rows = await findDossiers(app.db, { q: request.query.q, agencyIds, limit: request.query.limit });
      return rows.map((r) => ({
        id: r.id,
        code: r.code,
        procedure: { code: r.procedure_code, name: r.procedure_name },
        agency: { code: r.agency_code, name: r.agency_name },
        applicantName: r.applicant_name,
        nationalStatus: r.dossier_status,
        definitionId: r.definition_id,
        submittedAt: r.submitted_at,
        dueAt: r.due_at,
      }));
    },
  );

  app.get(
    '/api/dossiers/:id/history',
    {
      ...readers,
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        summary: 'Lịch sử xử lý hồ sơ — every event, in order, with its hash',
        params,
        response: {
          200: Type.Array(HistoryEvent),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request) => namedHistory(app.db, await readableInstance(app.db, request.user, request.params.id)),
  );

  app.get(
    '/api/dossiers/:id/history/verify',
    {
      ...readers,
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        summary: 'Kiểm tra toàn vẹn lịch sử — recompute the hash chain, name the first altered or missing event',
        params,
        response: {
          200: Type.Object(
            {
              ok: Type.Boolean(),
              events: Type.Integer(),
              lastHash: Type.Optional(Type.String()),
              firstBadSeq: Type.Optional(Type.Integer()),
              fault: Type.Optional(Type.Union([Type.Literal('missing'), Type.Literal('unlinked'), Type.Literal('altered'), Type.Literal('truncated')])),
              reason: Type.Optional(Type.String()),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request) => verifyHistory(app.db, await readableInstance(app.db, request.user, request.params.id)),
  );
};

export default auditRoutes;
