import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { DateTime, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import * as payments from './payment.service.js';
import type { PaymentSettings } from './payment.service.js';
import { receiptPdf } from './receipt.js';
import { BinaryContent, DownloadQuery, sendPrivateFile } from '../files.js';

const Line = Type.Object(
  {
    item: Type.Union([Type.Literal('fee'), Type.Literal('service'), Type.Literal('ship')], { description: 'fee: lệ phí; service: phí; ship: chuyển phát kết quả' }),
    label: Nullable(Type.String()),
    quantity: Nullable(Type.Integer()),
    amount: Type.Number(),
  },
  { additionalProperties: false },
);

export const PaymentView = Type.Object(
  {
    id: Uuid,
    dossierId: Uuid,
    state: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('cancelled')]),
    amount: Type.Number({ description: 'Số tiền phải nộp (đồng)' }),
    computedAmount: Type.Number({ description: 'Số tiền theo cấu hình phí; khác `amount` khi cán bộ điều chỉnh (overrideReason)' }),
    lines: Type.Array(Line),
    overrideReason: Nullable(Type.String()),
    requestedAt: DateTime,
    method: Nullable(Type.Union([Type.Literal('online'), Type.Literal('cash'), Type.Literal('transfer')])),
    reference: Nullable(Type.String()),
    paidAt: Nullable(DateTime),
    receiptNo: Nullable(Type.String({ description: 'Số biên lai điện tử' })),
    cancelledAt: Nullable(DateTime),
    canPayOnline: Type.Boolean({ description: 'pending, and online payment is available' }),
  },
  { additionalProperties: false },
);

const DossierParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const PaymentParams = Type.Object({ id: Uuid, paymentId: Uuid }, { additionalProperties: false });
const GatewayParams = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 2000 }), { description: 'the gateway’s signed vnp_ parameters' });
const IpnAnswer = Type.Object({ RspCode: Type.String(), Message: Type.String() }, { additionalProperties: false });

/**
 * Fees: the dossier's payments, online checkout through the gateway, the gateway's callback and the payer's
 * return, payment at the counter.
 */
const paymentRoutes: FastifyPluginAsyncTypebox<{ settings: PaymentSettings; publicUrl: string }> = async (app, { settings, publicUrl }) => {
  // Where the gateway sends the payer back: the portal's page, which asks GET /api/payments/return.
  const returnUrl = new URL('/payments/return', publicUrl).toString();
  const tags = ['payments'];
  const security = [{ bearer: [] }];
  // Gateways post their callback as a form; this parser is scoped to these routes.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get(
    '/api/dossiers/:id/payments',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        security,
        summary: 'Phí, lệ phí của hồ sơ — the dossier’s payments (applicant, the agency’s staff, auditors)',
        params: DossierParams,
        response: { 200: Type.Array(PaymentView), ...problems(400, 401, 404) },
      },
    },
    async (request) => payments.listPayments(app.db, settings, request.user, request.params.id),
  );

  app.post(
    '/api/dossiers/:id/payments/:paymentId/checkout',
    {
      onRequest: [app.requireRole('citizen')],
      schema: {
        tags,
        security,
        summary: 'Thanh toán trực tuyến — the gateway’s signed payment page to send the browser to',
        params: PaymentParams,
        body: Type.Object({ locale: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])) }, { additionalProperties: false }),
        response: { 200: Type.Object({ redirectUrl: Type.String(), expiresAt: DateTime }, { additionalProperties: false }), ...problems(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      payments.checkout(app.db, settings, request.user, request.params.id, request.params.paymentId, {
        returnUrl,
        ipAddr: request.ip,
        locale: request.body?.locale === 'en' ? 'en' : 'vn',
      }),
  );

  app.post(
    '/api/dossiers/:id/payments/:paymentId/counter',
    {
      onRequest: [app.requireRole('one-stop-officer')],
      schema: {
        tags,
        security,
        summary: 'Thu phí tại quầy — record the fee paid in cash or by bank transfer; the dossier goes back to handling',
        params: PaymentParams,
        body: Type.Object(
          {
            method: Type.Union([Type.Literal('cash'), Type.Literal('transfer')]),
            reference: Type.Optional(Type.String({ maxLength: 100, description: 'số biên lai giấy, mã giao dịch chuyển khoản (bắt buộc khi chuyển khoản)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PaymentView, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => payments.payAtCounter(app.db, settings, request.user, request.params.id, request.params.paymentId, request.body),
  );

  app.get(
    '/api/dossiers/:id/payments/:paymentId/receipt',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        security,
        summary: 'Biên lai điện tử (PDF) — the receipt of a paid fee, for those who may read the dossier',
        params: PaymentParams,
        querystring: DownloadQuery,
        produces: ['application/pdf'],
        response: { 200: BinaryContent, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const receipt = await receiptPdf(app.db, request.user, request.params.id, request.params.paymentId);
      return sendPrivateFile(reply, { mediaType: 'application/pdf', name: receipt.fileName, content: receipt.content }, request.query.download);
    },
  );

  // The gateway's server-to-server notification (IPN). It answers in the gateway's terms, never a problem:
  // 00 confirmed, 02 already confirmed, 01 unknown order, 04 wrong amount, 97 bad signature, 99 error.
  const ipn = async (params: Record<string, string>) => {
    try {
      return (await payments.acceptGatewayReport(app.db, settings, params)).answer;
    } catch (err) {
      app.log.error({ err }, 'payment callback failed');
      return { RspCode: '99', Message: 'Unknown error' };
    }
  };
  const callbackSchema = { tags, summary: 'Cổng thanh toán báo kết quả (IPN) — the gateway’s signed notification', response: { 200: IpnAnswer } };
  app.get('/api/payments/callback', { schema: { ...callbackSchema, querystring: GatewayParams } }, async (request) => ipn(request.query));
  app.post('/api/payments/callback', { schema: { ...callbackSchema, body: GatewayParams } }, async (request) => ipn(request.body));

  app.get(
    '/api/payments/return',
    {
      config: { rateLimit: app.perMinute(30) },
      schema: {
        tags,
        summary: 'Kết quả thanh toán khi trở về — what the payer’s signed return says, applied as the callback would be',
        querystring: GatewayParams,
        response: {
          200: Type.Object(
            {
              outcome: Type.Union([Type.Literal('paid'), Type.Literal('already-paid'), Type.Literal('failed'), Type.Literal('cancelled'), Type.Literal('invalid')]),
              dossier: Nullable(Type.Object({ id: Uuid, code: Nullable(Type.String()) }, { additionalProperties: false })),
              amount: Nullable(Type.Number()),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 429),
        },
      },
    },
    async (request) => {
      // The return is signed by the gateway like the callback: a payer back before the callback sees the result.
      const report = await payments.acceptGatewayReport(app.db, settings, request.query);
      return {
        outcome: report.outcome,
        dossier: report.dossierId ? { id: report.dossierId, code: report.dossierCode ?? null } : null,
        amount: report.amount ?? null,
      };
    },
  );
};

export default paymentRoutes;
