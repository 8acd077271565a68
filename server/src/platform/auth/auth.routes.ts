import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiTokenSchema,
  changePasswordRequestSchema,
  createApiTokenRequestSchema,
  createdApiTokenSchema,
  idParamsSchema,
  loginRequestSchema,
  meSchema,
  okSchema,
  updateMeRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../http/deps.ts';
import { mustActor as must } from './actor.ts';
import { SESSION_COOKIE } from './auth.hooks.ts';
import * as auth from './auth.service.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function authRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db, config } = deps;
  return async (app) => {
    const tags = ['auth'];
    app.post(
      '/auth/login',
      { config: { auth: 'public' }, schema: { tags, body: loginRequestSchema, response: { 200: meSchema } } },
      async (request, reply) => {
        const { sid, me } = await auth.login(deps, request.body, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        reply.setCookie(SESSION_COOKIE, sid, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: config.cookieSecure,
          maxAge: config.sessionMaxHours * 3600,
        });
        return me;
      },
    );
    app.post(
      '/auth/logout',
      { config: { auth: 'session', allowPasswordChange: true }, schema: { tags, response: { 200: okSchema } } },
      async (request, reply) => {
        await auth.logout(db, must(request.actor), false);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true as const };
      },
    );
    app.post(
      '/auth/logout-all',
      { config: { auth: 'session', allowPasswordChange: true }, schema: { tags, response: { 200: okSchema } } },
      async (request, reply) => {
        await auth.logout(db, must(request.actor), true);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true as const };
      },
    );
    app.get(
      '/auth/me',
      { config: { auth: 'session', allowPasswordChange: true }, schema: { tags, response: { 200: meSchema } } },
      async (request) => auth.getMe(db, must(request.actor)),
    );
    app.patch(
      '/auth/me',
      { config: { auth: 'session', allowPasswordChange: true }, schema: { tags, body: updateMeRequestSchema, response: { 200: meSchema } } },
      async (request) => auth.updateMe(db, must(request.actor), request.body),
    );
    app.post(
      '/auth/password',
      {
        config: { auth: 'session', allowPasswordChange: true },
        schema: { tags, body: changePasswordRequestSchema, response: { 200: meSchema } },
      },
      async (request) => auth.changePassword(deps, must(request.actor), request.body),
    );
    const tokenOut = (t: Awaited<ReturnType<typeof auth.listApiTokens>>[number]) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: iso(t.lastUsedAt),
      expiresAt: iso(t.expiresAt),
      revokedAt: iso(t.revokedAt),
    });
    app.get(
      '/auth/tokens',
      { config: { auth: 'session' }, schema: { tags, response: { 200: z.array(apiTokenSchema) } } },
      async (request) => (await auth.listApiTokens(db, must(request.actor))).map(tokenOut),
    );
    app.post(
      '/auth/tokens',
      { config: { auth: 'session' }, schema: { tags, body: createApiTokenRequestSchema, response: { 201: createdApiTokenSchema } } },
      async (request, reply) => {
        const { row, secret } = await auth.createApiToken(db, must(request.actor), request.body);
        return reply.code(201).send({ ...tokenOut(row), token: secret });
      },
    );
    app.delete(
      '/auth/tokens/:id',
      { config: { auth: 'session' }, schema: { tags, params: idParamsSchema, response: { 200: okSchema } } },
      async (request) => {
        await auth.revokeApiToken(db, must(request.actor), request.params.id);
        return { ok: true as const };
      },
    );
  };
}
