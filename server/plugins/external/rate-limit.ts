import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';

/** Limits are set per route (login, registration, public lookup); nothing is limited by default. */
export default fp(async (app) => {
  await app.register(rateLimit, { global: false });
});
