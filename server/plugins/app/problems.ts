import fp from 'fastify-plugin';
import { PROBLEM_CONTENT_TYPE, problem, toProblem } from '../../problems.js';

/** Every error leaves as application/problem+json; a 500 is logged with its cause and answered without it. */
export default fp(async (app) => {
  app.setErrorHandler((err, request, reply) => {
    const body = toProblem(err);
    if (body.status >= 500) request.log.error({ err }, 'request failed');
    reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send({ ...body, instance: request.url });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send({ ...problem(404, 'not-found', { vi: 'Không tìm thấy địa chỉ này', en: `No route ${request.method} ${request.url}` }), instance: request.url });
  });
});
