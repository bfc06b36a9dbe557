import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { SessionUser } from '../../accounts/account.service.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; kind: SessionUser['kind']; name: string; roles: SessionUser['roles'] };
    user: SessionUser;
  }
}

/** Short-lived access tokens (15 min), read from `Authorization: Bearer`. */
export default fp<{ secret: string }>(async (app, options) => {
  await app.register(jwt, {
    secret: options.secret,
    sign: { expiresIn: ACCESS_TOKEN_TTL_SECONDS },
    formatUser: (payload) => ({ id: payload.sub, kind: payload.kind, fullName: payload.name, roles: payload.roles }),
  });
});
