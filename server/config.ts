import { databaseConfigFromEnv, type DatabaseConfig } from '../engine/db/database.js';

/** Every setting the server reads, with its default; the README's configuration table lists the same. */
export interface ServerConfig {
  host: string;
  port: number;
  logLevel: string;
  database: DatabaseConfig;
  /** How often the job scheduler polls for due timers and deadlines. */
  schedulerIntervalMs: number;
  /** Whether boot deploys the diagrams in processes/ (idempotent: an unchanged file is not a new version). */
  deployBundledProcesses: boolean;
  /** Whether boot loads the demo catalogue and accounts into an empty database and prints the demo logins. */
  seedDemo: boolean;
  /** Access-token signing secret; unset, one is generated once and kept in the database for every server. */
  jwtSecret: string | undefined;
  /** Multiplies every per-route rate limit (login 10/min, registration 5/min, lookup 20/min…); tests raise it. */
  rateLimitScale: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
    database: databaseConfigFromEnv(env),
    schedulerIntervalMs: Number(env.SCHEDULER_INTERVAL_MS ?? 1000),
    deployBundledProcesses: (env.DEPLOY_BUNDLED_PROCESSES ?? 'true') !== 'false',
    seedDemo: (env.SEED_DEMO ?? 'true') !== 'false',
    jwtSecret: env.JWT_SECRET || undefined,
    rateLimitScale: Number(env.RATE_LIMIT_SCALE ?? 1),
  };
}
