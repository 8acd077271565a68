import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppConfig } from '../config/config.ts';
import type { Database } from '../db/db.ts';
import { registerAuthHooks } from '../auth/auth.hooks.ts';
import { registerErrorHandling, sendError } from './error-handler.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { auditRoutes } from '../audit/audit.routes.ts';
import { directoryRoutes } from '../../modules/directory/directory.routes.ts';
import { ticketRoutes } from '../../modules/tickets/tickets.routes.ts';
import { attachmentRoutes } from '../../modules/tickets/attachments.routes.ts';
import { settingsRoutes } from '../../modules/settings/settings.routes.ts';
import { calendarRoutes } from '../../modules/calendars/calendars.routes.ts';
import { slaRoutes } from '../../modules/sla/sla.routes.ts';
import { notificationRoutes } from '../../modules/notifications/notifications.routes.ts';
import { serviceRoutes } from '../../modules/services/services.routes.ts';
import { cmdbRoutes } from '../../modules/cmdb/cmdb.routes.ts';
import { cmdbRelationRoutes } from '../../modules/cmdb/cmdb-relations.routes.ts';
import { cmdbImportRoutes } from '../../modules/cmdb/cmdb-import.routes.ts';
import { cmdbBaselineRoutes } from '../../modules/cmdb/cmdb-baselines.routes.ts';
import { cmdbAuditRoutes } from '../../modules/cmdb/cmdb-audits.routes.ts';
import { assetRoutes } from '../../modules/assets/assets.routes.ts';
import { sparePartRoutes } from '../../modules/assets/spare-parts.routes.ts';
import { vendorRoutes } from '../../modules/vendors/vendors.routes.ts';
import { workflowRoutes } from '../../modules/workflows/workflows.routes.ts';
import { repairRoutes } from '../../modules/vendors/repairs.routes.ts';
import { approvalRoutes } from '../../modules/approvals/approvals.routes.ts';
import { problemRoutes } from '../../modules/problems/problems.routes.ts';
import { knowledgeRoutes } from '../../modules/knowledge/knowledge.routes.ts';
import { requestRoutes } from '../../modules/requests/requests.routes.ts';
import { releaseRoutes } from '../../modules/releases/releases.routes.ts';
import { changeRoutes } from '../../modules/changes/changes.routes.ts';
import { createStorage } from '../storage/storage.ts';
import type { AppDeps } from './deps.ts';
import './fastify-types.ts';

export type BuildAppOptions = { config: AppConfig; database: Database; logger?: boolean };

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const app = Fastify({
    logger:
      opts.logger === false || config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'] },
    bodyLimit: config.bodyLimitBytes,
    // The client address in the audit log comes from X-Forwarded-For only behind a trusted proxy.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    // Let in-flight requests finish on close; refuse new ones.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const deps: AppDeps = { db: database.db, config, storage: createStorage(path.join(config.dataDir, 'attachments')), listen: database.listen };

  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: config.attachmentMaxBytes, files: 1, fields: 10, parts: 12 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tianshu 天枢 API', version: '0.1.0', description: '运维服务管理平台 API' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tianshu_sid' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerErrorHandling(app, { db: database.db });
  registerAuthHooks(app, { db: database.db, config });

  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    if (!request.url.startsWith('/api/docs')) {
      reply.header('X-Frame-Options', 'DENY');
      reply.header(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
      );
    }
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
  });

  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await database.ping();
      return { status: 'ok', database: database.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: database.kind });
    }
  });
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes(deps), { prefix: '/api' });
  await app.register(directoryRoutes(deps), { prefix: '/api' });
  await app.register(auditRoutes(deps), { prefix: '/api' });
  await app.register(ticketRoutes(deps), { prefix: '/api' });
  await app.register(attachmentRoutes(deps), { prefix: '/api' });
  await app.register(settingsRoutes(deps), { prefix: '/api' });
  await app.register(calendarRoutes(deps), { prefix: '/api' });
  await app.register(slaRoutes(deps), { prefix: '/api' });
  await app.register(notificationRoutes(deps), { prefix: '/api' });
  await app.register(serviceRoutes(deps), { prefix: '/api' });
  await app.register(cmdbRoutes(deps), { prefix: '/api' });
  await app.register(cmdbRelationRoutes(deps), { prefix: '/api' });
  await app.register(cmdbImportRoutes(deps), { prefix: '/api' });
  await app.register(cmdbBaselineRoutes(deps), { prefix: '/api' });
  await app.register(cmdbAuditRoutes(deps), { prefix: '/api' });
  await app.register(assetRoutes(deps), { prefix: '/api' });
  await app.register(sparePartRoutes(deps), { prefix: '/api' });
  await app.register(vendorRoutes(deps), { prefix: '/api' });
  await app.register(repairRoutes(deps), { prefix: '/api' });
  await app.register(workflowRoutes(deps), { prefix: '/api' });
  await app.register(approvalRoutes(deps), { prefix: '/api' });
  await app.register(releaseRoutes(deps), { prefix: '/api' });
  await app.register(changeRoutes(deps), { prefix: '/api' });
  await app.register(problemRoutes(deps), { prefix: '/api' });
  await app.register(knowledgeRoutes(deps), { prefix: '/api' });
  await app.register(requestRoutes(deps), { prefix: '/api' });

  const indexHtml = path.join(config.webDistDir, 'index.html');
  const hasWeb = fs.existsSync(indexHtml);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false, index: false, maxAge: '1h' });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    if (url.startsWith('/api/') || url === '/api' || request.method !== 'GET' || !hasWeb) {
      return sendError(reply, request, 'ROUTE_NOT_FOUND', 404);
    }
    // Client-side routes of the single-page app.
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
  return app;
}
