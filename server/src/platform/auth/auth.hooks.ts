import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission } from '@tianshu/contracts';
import type { AppConfig } from '../config/config.ts';
import type { Db } from '../db/db.ts';
import { AppError } from '../errors/error-registry.ts';
import { localeFromHeader } from '../i18n/locale.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { RouteAuth } from '../http/fastify-types.ts';
import { actorFromPrincipal } from './actor.ts';
import { deleteSession, findSession, findToken, touchSession, touchToken } from './auth.queries.ts';
import { sha256 } from './password.ts';

export const SESSION_COOKIE = 'tianshu_sid';
const TOUCH_EVERY_MS = 30_000;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const time = (v: Date | string | null) => (v === null ? null : new Date(v).getTime());

/** Resolves the caller (session cookie or bearer token) and enforces each route's `auth` config. */
export function registerAuthHooks(app: FastifyInstance, deps: { db: Db; config: AppConfig }) {
  const { db, config } = deps;
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');

  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (url.startsWith('/api/') && !url.startsWith('/api/docs') && route.config?.auth === undefined) {
      throw new Error(`route ${route.method} ${url} declares no auth config`);
    }
  });

  app.addHook('onRequest', async (request) => {
    request.locale = localeFromHeader(request.headers['accept-language']);
    // Static files and health checks need no caller: no session lookup for every script chunk.
    if (!request.url.startsWith('/api/')) return;
    const authz = request.headers.authorization;
    if (authz?.startsWith('Bearer ')) {
      const token = authz.slice(7).trim();
      const row = token ? await findToken(db, sha256(token)) : undefined;
      const now = Date.now();
      if (!row || row.revoked_at !== null || (row.expires_at !== null && (time(row.expires_at) ?? 0) < now) || row.status !== 'active') {
        throw new AppError('AUTH_TOKEN_INVALID');
      }
      if ((time(row.last_used_at) ?? 0) < now - TOUCH_EVERY_MS) await touchToken(db, Number(row.token_id));
      request.actor = actorFromPrincipal(row, { ip: request.ip ?? null, via: 'token' });
      request.locale = row.locale;
      return;
    }
    const sid = request.cookies[SESSION_COOKIE];
    if (!sid) return;
    const idHash = sha256(sid);
    const row = await findSession(db, idHash);
    if (!row) return;
    const now = Date.now();
    const idleLimit = config.sessionIdleMinutes * 60_000;
    const lastSeen = time(row.last_seen_at) ?? 0;
    if ((time(row.expires_at) ?? 0) < now || lastSeen < now - idleLimit || row.status !== 'active') {
      await deleteSession(db, idHash);
      request.sessionExpired = true;
      return;
    }
    if (lastSeen < now - TOUCH_EVERY_MS) await touchSession(db, idHash);
    request.actor = actorFromPrincipal(row, { ip: request.ip ?? null, via: 'session', sessionIdHash: idHash, csrfToken: row.csrf_token });
    request.locale = row.locale;
  });

  app.addHook('preHandler', async (request) => {
    const cfg = request.routeOptions.config;
    const auth: RouteAuth | undefined = cfg?.auth;
    if (auth === undefined || auth === 'public') return;
    const actor = request.actor;
    if (!actor) throw new AppError(request.sessionExpired ? 'AUTH_SESSION_EXPIRED' : 'AUTH_REQUIRED');
    // Cookie-authenticated writes must echo the session's CSRF token (tokens are not sent by browsers).
    if (actor.via === 'session' && MUTATING.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== actor.csrfToken) {
        await denied(db, request, 'csrf');
        throw new AppError('AUTH_CSRF_FAILED');
      }
    }
    if (actor.mustChangePassword && !cfg.allowPasswordChange) throw new AppError('AUTH_PASSWORD_CHANGE_REQUIRED');
    if (auth === 'session') return;
    const needed: readonly Permission[] = typeof auth === 'string' ? [auth] : auth;
    if (!needed.some((p) => actor.permissions.has(p))) {
      await denied(db, request, needed.join('|'));
      const err = new AppError('FORBIDDEN');
      err.audited = true;
      throw err;
    }
  });
}

/** Records a refused request in the audit log (outside any business transaction). */
export async function denied(db: Db, request: FastifyRequest, reason: string, objectType?: string, objectId?: string | number) {
  await recordAudit(db, {
    actor: request.actor,
    ip: request.ip,
    action: 'access.denied',
    objectType: objectType ?? null,
    objectId: objectId ?? null,
    result: 'denied',
    details: { method: request.method, route: request.routeOptions.url ?? request.url, reason },
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    sessionExpired?: boolean;
  }
}
