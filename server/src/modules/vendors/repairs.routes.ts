import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  addRepairDocumentRequestSchema,
  createRepairOrderRequestSchema,
  idParamsSchema,
  repairDocumentSchema,
  repairListQuerySchema,
  repairOrderDetailSchema,
  repairOrderPageSchema,
  repairTransitionRequestSchema,
  ticketApprovalsSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import * as svc from './repairs.service.ts';

export function repairRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['repairs'];
  const read = { auth: 'vendor.read' } as const;
  const write = { auth: 'asset.manage' } as const;
  return async (app) => {
    app.get('/repairs', { config: read, schema: { tags, querystring: repairListQuerySchema, response: { 200: repairOrderPageSchema } } }, async (req) =>
      svc.listRepairs(db, mustActor(req.actor), req.query),
    );
    app.post('/repairs', { config: write, schema: { tags, body: createRepairOrderRequestSchema, response: { 201: repairOrderDetailSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createRepair(db, mustActor(req.actor), req.body)),
    );
    app.get('/repairs/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: repairOrderDetailSchema } } }, async (req) =>
      svc.getRepair(db, mustActor(req.actor), req.params.id),
    );
    app.get('/repairs/:id/approvals', { config: read, schema: { tags, params: idParamsSchema, response: { 200: ticketApprovalsSchema } } }, async (req) =>
      svc.repairApprovals(db, mustActor(req.actor), req.params.id),
    );
    // Either permission gets through; the service checks the one the action needs (approve/reject: repair.approve).
    app.post(
      '/repairs/:id/transitions',
      { config: { auth: ['asset.manage', 'repair.approve'] }, schema: { tags, params: idParamsSchema, body: repairTransitionRequestSchema, response: { 200: repairOrderDetailSchema } } },
      async (req) => svc.transitionRepair(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.post(
      '/repairs/:id/documents',
      { config: write, schema: { tags, params: idParamsSchema, body: addRepairDocumentRequestSchema, response: { 201: repairDocumentSchema } } },
      async (req, reply) => reply.code(201).send(await svc.addDocument(db, mustActor(req.actor), req.params.id, req.body)),
    );
    // Multipart: the part `file` plus an optional field `description`.
    app.post(
      '/repairs/:id/documents/file',
      { config: write, schema: { tags, params: idParamsSchema, consumes: ['multipart/form-data'], response: { 201: repairDocumentSchema } } },
      async (req, reply) => {
        const actor = mustActor(req.actor);
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        return reply.code(201).send(await svc.uploadDocument(deps, actor, req.params.id, req.parts()));
      },
    );
    app.get('/repair-documents/:id/download', { config: read, schema: { tags, params: idParamsSchema } }, async (req, reply) => {
      const f = await svc.downloadDocument(deps, mustActor(req.actor), req.params.id);
      const ascii = f.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .header('Content-Type', f.contentType)
        .header('Content-Length', String(f.size))
        .header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .send(f.stream);
    });
  };
}
