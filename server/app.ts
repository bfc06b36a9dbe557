import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../engine/db/database.js';
import { listDefinitions } from '../engine/process-core.js';

export interface AppOptions {
  db: Db;
  backend: 'pglite' | 'postgresql';
  logLevel?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** The HTTP application; `main.ts` runs it, tests drive it with `app.inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] },
    requestIdHeader: 'x-request-id',
  });
  app.decorate('db', options.db);

  app.get(
    '/api/health',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['status', 'database', 'processDefinitions'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              database: { type: 'string', enum: ['pglite', 'postgresql'] },
              processDefinitions: { type: 'integer' },
            },
          },
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
