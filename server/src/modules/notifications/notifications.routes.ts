import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createNotificationChannelRequestSchema,
  idParamsSchema,
  notificationChannelSchema,
  notificationChannelTestResultSchema,
  notificationDeliveryListQuerySchema,
  notificationDeliveryPageSchema,
  notificationListQuerySchema,
  notificationPageSchema,
  notificationPreferencesSchema,
  notificationSchema,
  okSchema,
  readAllResultSchema,
  unreadCountSchema,
  updateNotificationChannelRequestSchema,
  updateNotificationPreferencesRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { findSession } from '../../platform/auth/auth.queries.ts';
import * as svc from './notifications.service.ts';
import { createNotificationHub } from './notifications.stream.ts';

/** A comment line every 25 s keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

export function notificationRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db, config } = deps;
  const tags = ['notifications'];
  const session = { auth: 'session' } as const;
  const manage = { auth: 'notification.manage' } as const;
  return async (app) => {
    const hub = createNotificationHub(deps.listen);
    /** Open event streams, ended before the server closes (they are never idle). */
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });
    app.addHook('onClose', async () => hub.close());

    app.get(
      '/notifications',
      { config: session, schema: { tags, querystring: notificationListQuerySchema, response: { 200: notificationPageSchema } } },
      async (request) => svc.listMine(db, mustActor(request.actor), request.query),
    );
    app.get('/notifications/unread-count', { config: session, schema: { tags, response: { 200: unreadCountSchema } } }, async (request) =>
      svc.unreadCount(db, mustActor(request.actor).userId),
    );
    app.post(
      '/notifications/:id/read',
      { config: session, schema: { tags, params: idParamsSchema, response: { 200: notificationSchema } } },
      async (request) => svc.markRead(db, mustActor(request.actor), request.params.id),
    );
    app.post('/notifications/read-all', { config: session, schema: { tags, response: { 200: readAllResultSchema } } }, async (request) =>
      svc.markAllRead(db, mustActor(request.actor)),
    );

    /**
     * Server-sent events: `event: unread` with {count} on connect and after every change of the
     * signed-in user's notifications (NOTIFY on commit), plus a heartbeat comment.
     */
    app.get(
      '/notifications/stream',
      {
        config: session,
        schema: { tags, summary: 'Server-sent events (text/event-stream): `event: unread` with {"count": n}' },
      },
      async (request, reply) => {
        const actor = mustActor(request.actor);
        let closed = false;
        let running = false;
        let again = false;
        const raw = reply.raw;
        const push = async () => {
          if (closed) return;
          if (running) {
            again = true;
            return;
          }
          running = true;
          try {
            do {
              again = false;
              const { count } = await svc.unreadCount(db, actor.userId);
              if (!closed) raw.write(`event: unread\ndata: ${JSON.stringify({ count })}\n\n`);
            } while (again && !closed);
          } catch {
            // The database hiccupped; the next change or the client's reconnect brings the count.
          } finally {
            running = false;
          }
        };
        // Subscribe before counting so that no change between the two is missed.
        const unsubscribe = await hub.subscribe(actor.userId, () => void push());
        reply.hijack();
        raw.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
          'X-Content-Type-Options': 'nosniff',
        });
        raw.write('retry: 5000\n\n');
        // The stream outlives no session: checked with every heartbeat (idle timeout, logout, expiry).
        const sessionValid = async () => {
          if (!actor.sessionIdHash) return true;
          const row = await findSession(db, actor.sessionIdHash);
          const now = Date.now();
          return (
            row !== undefined &&
            row.status === 'active' &&
            new Date(row.expires_at).getTime() > now &&
            new Date(row.last_seen_at).getTime() > now - config.sessionIdleMinutes * 60_000
          );
        };
        const heartbeat = setInterval(() => {
          void sessionValid()
            .catch(() => true)
            .then((valid) => {
              if (closed) return;
              if (valid) raw.write(': ping\n\n');
              else end();
            });
        }, HEARTBEAT_MS);
        const cleanup = () => {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(end);
        };
        const end = () => {
          cleanup();
          raw.end();
        };
        streams.add(end);
        request.raw.on('close', cleanup);
        raw.on('close', cleanup);
        raw.on('error', cleanup);
        await push();
      },
    );

    app.get('/notifications/preferences', { config: session, schema: { tags, response: { 200: notificationPreferencesSchema } } }, async (request) =>
      svc.getPreferences(db, mustActor(request.actor)),
    );
    app.put(
      '/notifications/preferences',
      { config: session, schema: { tags, body: updateNotificationPreferencesRequestSchema, response: { 200: notificationPreferencesSchema } } },
      async (request) => svc.updatePreferences(db, mustActor(request.actor), request.body),
    );

    app.get('/notification-channels', { config: manage, schema: { tags, response: { 200: z.array(notificationChannelSchema) } } }, async () =>
      svc.listChannels(db),
    );
    app.post(
      '/notification-channels',
      { config: manage, schema: { tags, body: createNotificationChannelRequestSchema, response: { 201: notificationChannelSchema } } },
      async (request, reply) => reply.code(201).send(await svc.createChannel(db, mustActor(request.actor), request.body)),
    );
    app.patch(
      '/notification-channels/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateNotificationChannelRequestSchema, response: { 200: notificationChannelSchema } } },
      async (request) => svc.updateChannel(db, mustActor(request.actor), request.params.id, request.body),
    );
    app.delete(
      '/notification-channels/:id',
      { config: manage, schema: { tags, params: idParamsSchema, response: { 200: okSchema } } },
      async (request) => {
        await svc.deleteChannel(db, mustActor(request.actor), request.params.id);
        return { ok: true as const };
      },
    );
    app.post(
      '/notification-channels/:id/test',
      { config: manage, schema: { tags, params: idParamsSchema, response: { 200: notificationChannelTestResultSchema } } },
      async (request) => svc.testChannel(db, config, mustActor(request.actor), request.params.id),
    );

    app.get(
      '/notification-deliveries',
      { config: manage, schema: { tags, querystring: notificationDeliveryListQuerySchema, response: { 200: notificationDeliveryPageSchema } } },
      async (request) => svc.listDeliveries(db, request.query),
    );
  };
}
