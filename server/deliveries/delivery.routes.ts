import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { DateTime, IdParams, Nullable } from '../dossiers/dossier.routes.js';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import * as deliveries from './delivery.service.js';

/** A dossier's national-portal sync state, as staff and auditors see it. */
export const SyncState = Type.Object(
  {
    state: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
    attempts: Type.Integer(),
    lastError: Nullable(Type.String()),
    lastAttemptAt: Nullable(DateTime),
    status: Type.Integer({ description: 'national status the latest sync message carries' }),
    queuedAt: DateTime,
    sentAt: Nullable(DateTime),
  },
  { additionalProperties: false, description: 'Trạng thái đồng bộ Cổng DVC quốc gia — the latest sync message to the national portal' },
);

/** Sync with the national portal: its state per dossier, and the officers' "Đồng bộ lại" (resync). */
const deliveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = { tags: ['officer'], security: [{ bearer: [] }], params: IdParams };

  app.get(
    '/api/dossiers/:id/sync',
    {
      onRequest: [app.requireRole('auditor', ...staffTaskGroups)],
      schema: { ...base, summary: 'Trạng thái đồng bộ — the dossier’s sync with the national portal (staff of its agency, auditors)', response: { 200: Nullable(SyncState), ...problems(400, 401, 403, 404) } },
    },
    async (request) => deliveries.syncStateFor(app.db, request.user, request.params.id),
  );

  app.post(
    '/api/dossiers/:id/resync',
    {
      onRequest: [app.requireRole(...staffTaskGroups)],
      schema: { ...base, summary: 'Đồng bộ lại — queue the dossier’s latest state for the national portal (staff of its agency)', response: { 202: SyncState, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => reply.code(202).send(await deliveries.resync(app.db, request.user, request.params.id)),
  );
};

export default deliveryRoutes;
