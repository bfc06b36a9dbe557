import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem, toProblem } from '../../problems.js';

/**
 * Answers an error as application/problem+json; a 500 is logged with its cause and answered without it. Also the
 * app's `frameworkErrors`, which the router raises before any route or error handler (a malformed or too long URL).
 */
export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const body = toProblem(err);
  if (body.status >= 500) request.log.error({ err }, 'request failed');
  return reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send({ ...body, instance: request.url });
}

/** Every error leaves as application/problem+json. */
export default fp(async (app) => {
  app.setErrorHandler(sendProblem);
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send({ ...problem(404, 'not-found', { vi: 'Không tìm thấy địa chỉ này', en: `No route ${request.method} ${request.url}` }), instance: request.url });
  });
});
