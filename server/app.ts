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
import problems from './plugins/app/problems.js';
import auth from './plugins/app/auth.js';
import accountRoutes from './accounts/account.routes.js';
import catalogueRoutes from './catalogue/catalogue.routes.js';
import dossierRoutes from './dossiers/dossier.routes.js';
import counterRoutes from './dossiers/counter.routes.js';
import { keepDossierClock } from './dossiers/dossier-clock.js';
import taskRoutes from './tasks/task.routes.js';
import processDefinitionRoutes from './admin/process-definition.routes.js';
import auditRoutes from './admin/audit.routes.js';
import calendarRoutes from './admin/calendar.routes.js';
import staffRoutes from './admin/staff.routes.js';
import catalogueAdminRoutes from './admin/catalogue.routes.js';
import reportRoutes from './reports/report.routes.js';
import multipart from './plugins/external/multipart.js';

export interface AppOptions {
  db: Db;
  backend: 'pglite' | 'postgresql';
  jwtSecret: string;
  logLevel?: string;
  /** See ServerConfig.rateLimitScale. */
  rateLimitScale?: number;
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
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('db', options.db);
  keepDossierClock();

  await app.register(problems);
  await app.register(helmet);
  await app.register(rateLimit, { scale: options.rateLimitScale });
  await app.register(swagger);
  await app.register(jwt, { secret: options.jwtSecret });
  await app.register(auth);
  await app.register(multipart);

  await app.register(accountRoutes);
  await app.register(catalogueRoutes);
  await app.register(dossierRoutes);
  await app.register(counterRoutes);
  await app.register(taskRoutes);
  await app.register(processDefinitionRoutes);
  await app.register(auditRoutes);
  await app.register(calendarRoutes);
  await app.register(staffRoutes);
  await app.register(import('./plugins/app/web.js'));
  await app.register(catalogueAdminRoutes);
  await app.register(reportRoutes);
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
