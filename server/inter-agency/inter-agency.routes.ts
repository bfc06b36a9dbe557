import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { staffTaskGroups } from '../../engine/bpmn/moddle.js';
import { problems } from '../schemas.js';
import { DateTime, IdParams, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER } from '../deliveries/signature.js';
import { assertSignedReport, keepRawJsonBodies } from '../deliveries/signed-request.js';
import { INTERAGENCY_RESULTS_PATH } from './partner-agency.js';
import * as liaison from './inter-agency.service.js';

const Decision = Type.Union([Type.Literal('approved'), Type.Literal('refused')]);

const ResultReport = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 100 }),
    requestId: Type.String({ format: 'uuid', description: 'the request answered (its Idempotency-Key when we sent it)' }),
    decision: Decision,
    note: Type.String({ maxLength: 4000 }),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** A dossier's liaison with the partner agency, as staff and auditors see it. */
export const Liaison = Type.Object(
  {
    requests: Type.Array(
      Type.Object(
        {
          requestId: Uuid,
          queuedAt: DateTime,
          state: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
          attempts: Type.Integer(),
          lastError: Nullable(Type.String()),
          lastAttemptAt: Nullable(DateTime),
          sentAt: Nullable(DateTime),
          answer: Nullable(Type.Object({ decision: Decision, note: Type.String(), reference: Nullable(Type.String()), at: DateTime }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'Trạng thái liên thông — the requests sent to the partner agency and its result' },
);

/**
 * Inter-agency liaison (liên thông): the partner agency's results (signed with the shared PARTNER_SECRET, as our
 * requests to it are; without a secret every result is refused), and the dossier's liaison state for staff.
 */
const interAgencyRoutes: FastifyPluginAsyncTypebox<{ secret: string | undefined }> = async (app, { secret }) => {
  const rawBody = keepRawJsonBodies(app);

  app.post(
    INTERAGENCY_RESULTS_PATH,
    {
      config: { rateLimit: app.perMinute(600) },
      schema: {
        tags: ['inter-agency'],
        summary: 'Cơ quan phối hợp trả kết quả liên thông — the partner agency answers a request (signed, idempotent)',
        headers: Type.Object({ [IDEMPOTENCY_HEADER]: Type.String({ minLength: 1, maxLength: 100 }), [SIGNATURE_HEADER]: Type.String({ maxLength: 200 }) }),
        body: ResultReport,
        response: { 200: Type.Object({ changed: Type.Boolean() }, { additionalProperties: false }), ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => {
      assertSignedReport(secret, request, rawBody(request), request.body.eventId, {
        code: 'interagency-signature-invalid',
        message: { vi: 'Chữ ký của cơ quan phối hợp không hợp lệ', en: 'The partner agency’s signature is invalid' },
      });
      const { eventId, requestId, decision, note, reference } = request.body;
      return liaison.recordPartnerResult(app.db, { eventId, requestId, decision, note: note.trim().normalize('NFC'), reference });
    },
  );

  const base = { tags: ['officer'], security: [{ bearer: [] }] };

  app.get(
    '/api/dossiers/:id/liaison',
    {
      onRequest: [app.requireRole('auditor', ...staffTaskGroups)],
      schema: {
        ...base,
        params: IdParams,
        summary: 'Trạng thái liên thông — the dossier’s requests to the partner agency (staff of its agency, auditors)',
        response: { 200: Nullable(Liaison), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => liaison.liaisonFor(app.db, request.user, request.params.id),
  );

  app.post(
    '/api/dossiers/:id/liaison/requests/:requestId/retry',
    {
      onRequest: [app.requireRole(...staffTaskGroups)],
      schema: {
        ...base,
        params: Type.Object({ id: Uuid, requestId: Uuid }, { additionalProperties: false }),
        summary: 'Gửi lại yêu cầu liên thông — send a request the queue gave up on again (staff of the dossier’s agency)',
        response: { 202: Liaison, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await liaison.retryRequest(app.db, request.user, request.params.id, request.params.requestId)),
  );
};

export default interAgencyRoutes;
