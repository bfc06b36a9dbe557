import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { problems } from '../schemas.js';
import { ACCESS_TOKEN_TTL_SECONDS } from '../plugins/external/jwt.js';
import * as accounts from './account.service.js';

const RoleGrant = Type.Object(
  { role: Type.String(), agencyId: Type.Union([Type.String(), Type.Null()]), agencyCode: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);

export const Tokens = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
  },
  { additionalProperties: false },
);

/** A session's tokens: the access token with the caller's claims, and a new refresh token (or the rotated one). */
export async function issueTokens(app: FastifyInstance, user: accounts.SessionUser, refreshToken?: string) {
  return {
    accessToken: app.jwt.sign({ sub: user.id, kind: user.kind, name: user.fullName, roles: user.roles }),
    refreshToken: refreshToken ?? (await accounts.issueRefreshToken(app.db, user.id)),
    tokenType: 'Bearer' as const,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
  };
}

/** A person as the ID card names them; shared by registration and counter reception. */
export const PersonFields = {
  fullName: Type.String({ minLength: 2, maxLength: 200, description: 'Họ và tên như trên CCCD' }),
  idNumber: Type.String({ pattern: '^(\\d{9}|\\d{12})$', description: 'Số CMND (9) hoặc CCCD (12 chữ số)' }),
  phone: Type.String({ pattern: '^(\\+84|0)\\d{9,10}$' }),
  email: Type.String({ format: 'email', maxLength: 254 }),
};

const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 10, maxLength: 200 }) }, { additionalProperties: false });

/** Authentication: local accounts with scrypt passwords, 15-minute access tokens, rotating refresh tokens. */
const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tokensFor = (user: accounts.SessionUser, refreshToken?: string) => issueTokens(app, user, refreshToken);

  app.post(
    '/api/auth/register',
    {
      config: { rateLimit: app.perMinute(5) },
      schema: {
        tags: ['auth'],
        summary: 'Đăng ký tài khoản công dân — register a citizen account',
        body: Type.Object(
          {
            ...PersonFields,
            password: Type.String({ minLength: 8, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Tokens, ...problems(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = await accounts.register(app.db, request.body);
      return reply.status(201).send(await tokensFor(user));
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: app.perMinute(10) },
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập bằng email hoặc số định danh — log in',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Tokens, ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => tokensFor(await accounts.login(app.db, request.body.username, request.body.password)),
  );

  app.post(
    '/api/auth/refresh',
    {
      config: { rateLimit: app.perMinute(30) },
      schema: { tags: ['auth'], summary: 'Đổi refresh token lấy cặp token mới — rotate tokens', body: RefreshBody, response: { 200: Tokens, ...problems(400, 401, 429) } },
    },
    async (request) => {
      const { user, refreshToken } = await accounts.rotateRefreshToken(app.db, request.body.refreshToken);
      return tokensFor(user, refreshToken);
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Đăng xuất — revoke the refresh token', body: RefreshBody, response: { 204: Type.Null(), ...problems(400) } } },
    async (request, reply) => {
      await accounts.logout(app.db, request.body.refreshToken);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      onRequest: [app.authenticate],
      schema: {
        tags: ['auth'],
        summary: 'Thông tin tài khoản — the caller’s profile',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object(
            {
              id: Type.String(),
              kind: Type.Union([Type.Literal('citizen'), Type.Literal('staff')]),
              fullName: Type.String(),
              email: Type.Union([Type.String(), Type.Null()]),
              phone: Type.Union([Type.String(), Type.Null()]),
              idNumberMasked: Type.Union([Type.String(), Type.Null()]),
              roles: Type.Array(RoleGrant),
            },
            { additionalProperties: false },
          ),
          ...problems(401),
        },
      },
    },
    async (request) => accounts.profile(app.db, request.user.id),
  );
};

export default accountRoutes;
