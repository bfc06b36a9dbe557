import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER } from '../deliveries/signature.js';
import { assertSignedReport, keepRawJsonBodies } from '../deliveries/signed-request.js';
import { POSTAL_EVENTS_PATH } from './post-office.js';
import { recordPostalState } from './postal.service.js';

const EventReport = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 100 }),
    orderId: Type.String({ format: 'uuid' }),
    trackingCode: Type.String({ minLength: 1, maxLength: 64 }),
    state: Type.Union([Type.Literal('awaiting-confirmation'), Type.Literal('accepted'), Type.Literal('delivered')]),
    at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

/**
 * The post office reports the states of our orders here (signed with the shared POSTAL_SECRET, as our orders to
 * it are). Without a secret (no post office configured) the route refuses every report.
 */
const postalRoutes: FastifyPluginAsyncTypebox<{ secret: string | undefined }> = async (app, { secret }) => {
  const rawBody = keepRawJsonBodies(app);

  app.post(
    POSTAL_EVENTS_PATH,
    {
      config: { rateLimit: app.perMinute(600) },
      schema: {
        tags: ['postal'],
        summary: 'Bưu điện báo trạng thái bưu gửi — the post office reports an order’s state (signed, idempotent)',
        headers: Type.Object({ [IDEMPOTENCY_HEADER]: Type.String({ minLength: 1, maxLength: 100 }), [SIGNATURE_HEADER]: Type.String({ maxLength: 200 }) }),
        body: EventReport,
        response: { 200: Type.Object({ changed: Type.Boolean() }, { additionalProperties: false }), ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => {
      assertSignedReport(secret, request, rawBody(request), request.body.eventId, {
        code: 'postal-signature-invalid',
        message: { vi: 'Chữ ký của bưu điện không hợp lệ', en: 'The post office’s signature is invalid' },
      });
      const { orderId, state, trackingCode, at } = request.body;
      // Recorded at our time (the history's order); the post's own time is kept with the event.
      return recordPostalState(app.db, orderId, { state, trackingCode, at: new Date(), reportedAt: at });
    },
  );
};

export default postalRoutes;
