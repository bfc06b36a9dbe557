import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../../problems.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid access token is required. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** preHandler: a valid access token holding one of `roles` (in any agency) is required. */
    requireRole: (...roles: string[]) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export default fp(async (app) => {
  const authenticate = async (request: FastifyRequest) => {
    try {
      await request.jwtVerify();
    } catch {
      throw new HttpProblem(401, 'unauthenticated', { vi: 'Vui lòng đăng nhập', en: 'A valid access token is required' });
    }
  };
  app.decorate('authenticate', authenticate);
  app.decorate('requireRole', (...roles: string[]) => async (request: FastifyRequest) => {
    await authenticate(request);
    if (!request.user.roles.some((grant) => roles.includes(grant.role))) {
      throw new HttpProblem(403, 'forbidden', { vi: 'Bạn không có quyền thực hiện thao tác này', en: `Requires one of the roles: ${roles.join(', ')}` });
    }
  });
});
