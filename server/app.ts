import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Db } from '../engine/db/database.js';
import { listDefinitions } from '../engine/process-core.js';
import helmet from './plugins/external/helmet.js';
import rateLimit from './plugins/external/rate-limit.js';
import swagger from './plugins/external/swagger.js';
import jwt from './plugins/external/jwt.js';
import problems, { sendProblem } from './plugins/app/problems.js';
import inputGuard from './plugins/app/input-guard.js';
import auth from './plugins/app/auth.js';
import accountRoutes from './accounts/account.routes.js';
import catalogueRoutes from './catalogue/catalogue.routes.js';
import questionRoutes from './questions/question.routes.js';
import dossierRoutes from './dossiers/dossier.routes.js';
import counterRoutes from './dossiers/counter.routes.js';
import dossierEvents from './dossiers/dossier-events.js';
import { keepDossierClock } from './dossiers/dossier-clock.js';
import { queueDeliveries } from './deliveries/delivery.service.js';
import deliveryRoutes from './deliveries/delivery.routes.js';
import mailRoutes from './mail/mail.routes.js';
import taskRoutes from './tasks/task.routes.js';
import processDefinitionRoutes from './admin/process-definition.routes.js';
import auditRoutes from './admin/audit.routes.js';
import calendarRoutes from './admin/calendar.routes.js';
import staffRoutes from './admin/staff.routes.js';
import catalogueAdminRoutes from './admin/catalogue.routes.js';
import reportRoutes from './reports/report.routes.js';
import slipRoutes from './slips/slip.routes.js';
import signatureRoutes from './signatures/signature.routes.js';
import digitisationRoutes from './digitisation/digitisation.routes.js';
import { useSigningSecret } from './signatures/certificate.service.js';
import { installSigning } from './signatures/signature.service.js';
import { DEFAULT_PUBLIC_URL } from './config.js';
import multipart from './plugins/external/multipart.js';
import paymentRoutes from './payments/payment.routes.js';
import ssoRoutes from './sso/sso.routes.js';
import type { SsoSettings } from './sso/sso.service.js';
import messageRoutes from './messages/message.routes.js';
import { installConversationHooks } from './messages/message.service.js';
import postalRoutes from './postal/postal.routes.js';
import { installPostal } from './postal/postal.service.js';
import interAgencyRoutes from './inter-agency/inter-agency.routes.js';
import { installInterAgency } from './inter-agency/inter-agency.service.js';
import { DEFAULT_PAYMENT_SETTINGS, installPaymentHooks, type PaymentSettings } from './payments/payment.service.js';

export interface AppOptions {
  db: Db;
  backend: 'pglite' | 'postgresql';
  jwtSecret: string;
  logLevel?: string;
  /** See ServerConfig.rateLimitScale. */
  rateLimitScale?: number;
  /** PostgreSQL's connection string, for the one connection that listens for other servers' dossier events. */
  databaseUrl?: string;
  /** See ServerConfig.publicUrl (the receipt's QR code links there). */
  publicUrl?: string;
  /** See ServerConfig.signingSecret. */
  signingSecret?: string;
  /** The payment gateway (server/payments/setup.ts); absent: no online payment. */
  payments?: PaymentSettings;
  /** Login through the national portal (server/sso/setup.ts); absent: password login only. */
  sso?: SsoSettings | null;
  /** Key shared with the post office (server/deliveries/boot.ts); absent: its reports are refused. */
  postalSecret?: string;
  /** Key shared with the partner agency of inter-agency dossiers (server/deliveries/boot.ts); absent: its results are refused. */
  partnerSecret?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** The HTTP application; `main.ts` runs it, tests drive it with `app.inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      // Credentials and personal identifiers never reach the logs.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.idNumber', 'req.body.refreshToken'],
    },
    requestIdHeader: 'x-request-id',
    // Unknown fields are an error, not silently dropped; every error lists all its fields at once.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    frameworkErrors: sendProblem,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('db', options.db);
  keepDossierClock();
  useSigningSecret(options.signingSecret);
  installSigning();
  queueDeliveries();
  installPaymentHooks();
  installConversationHooks();
  installPostal();
  installInterAgency();

  await app.register(problems);
  await app.register(inputGuard);
  await app.register(helmet);
  await app.register(rateLimit, { scale: options.rateLimitScale });
  await app.register(swagger);
  await app.register(jwt, { secret: options.jwtSecret });
  await app.register(auth);
  await app.register(multipart);

  await app.register(accountRoutes);
  await app.register(ssoRoutes, { settings: options.sso ?? null });
  await app.register(catalogueRoutes);
  await app.register(questionRoutes);
  await app.register(dossierRoutes);
  await app.register(dossierEvents, { databaseUrl: options.databaseUrl });
  await app.register(counterRoutes);
  await app.register(taskRoutes);
  await app.register(processDefinitionRoutes);
  await app.register(auditRoutes);
  await app.register(calendarRoutes);
  await app.register(staffRoutes);
  await app.register(import('./plugins/app/web.js'));
  await app.register(catalogueAdminRoutes);
  await app.register(reportRoutes);
  await app.register(slipRoutes, { publicUrl: options.publicUrl ?? DEFAULT_PUBLIC_URL });
  await app.register(signatureRoutes);
  await app.register(digitisationRoutes);
  await app.register(deliveryRoutes);
  await app.register(mailRoutes);
  await app.register(messageRoutes);
  await app.register(postalRoutes, { secret: options.postalSecret });
  await app.register(interAgencyRoutes, { secret: options.partnerSecret });
  await app.register(paymentRoutes, { settings: options.payments ?? DEFAULT_PAYMENT_SETTINGS, publicUrl: options.publicUrl ?? DEFAULT_PUBLIC_URL });
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Tình trạng hệ thống — liveness and database check',
        response: {
          200: Type.Object(
            {
              status: Type.Literal('ok'),
              database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]),
              processDefinitions: Type.Integer(),
            },
            { additionalProperties: false },
          ),
        },
      },
    },
    async () => {
      await sql`select 1`.execute(app.db);
      return { status: 'ok' as const, database: options.backend, processDefinitions: (await listDefinitions(app.db)).length };
    },
  );
  return app;
}
