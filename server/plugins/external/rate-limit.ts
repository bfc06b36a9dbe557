import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';

declare module 'fastify' {
  interface FastifyInstance {
    /** A route's rate limit of `max` requests per minute and client address, times the configured scale. */
    perMinute: (max: number) => { max: number; timeWindow: string };
  }
}

/**
 * Limits are set per route (login, registration, public lookup); nothing is limited by default. `scale` raises
 * every limit at once, for a test run that logs in many demo users from one address.
 */
export default fp<{ scale?: number }>(async (app, options) => {
  await app.register(rateLimit, { global: false });
  const scale = options.scale ?? 1;
  app.decorate('perMinute', (max: number) => ({ max: Math.ceil(max * scale), timeWindow: '1 minute' }));
});
