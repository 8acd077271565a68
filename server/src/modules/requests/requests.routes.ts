import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  catalogueEntrySchema,
  catalogueSchema,
  completeRequestTaskRequestSchema,
  createRequestTypeRequestSchema,
  idParamsSchema,
  pageOf,
  requestDetailSchema,
  requestFormSchema,
  requestFormVersionParamsSchema,
  requestListQuerySchema,
  requestSummarySchema,
  requestTaskParamsSchema,
  requestTaskSchema,
  requestTypeKeyParamsSchema,
  requestTypeSchema,
  saveRequestFormRequestSchema,
  submitRequestRequestSchema,
  updateRequestTaskRequestSchema,
  updateRequestTypeRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './requests.service.ts';

const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
const orgQuery = z.object({ orgId: z.coerce.number().int().positive().optional() }).strict();
const typeDetailSchema = requestTypeSchema.extend({
  forms: z.array(z.object({ version: z.number().int(), createdAt: z.string(), createdByName: z.string().nullable() })),
});

export function requestRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['requests'];
  const manage = { auth: 'request.type.manage' } as const;
  const requester = { auth: ['ticket.create'] } as const;
  return async (app) => {
    /* catalogue (服务目录) */
    app.get('/request-catalogue', { config: requester, schema: { tags, querystring: orgQuery, response: { 200: catalogueSchema } } }, async (req) => ({
      items: await svc.catalogue(db, mustActor(req.actor), req.query.orgId),
    }));
    app.get(
      '/request-catalogue/:key',
      { config: requester, schema: { tags, params: requestTypeKeyParamsSchema, querystring: orgQuery, response: { 200: catalogueEntrySchema } } },
      async (req) => svc.catalogueEntry(db, mustActor(req.actor), req.params.key, req.query.orgId),
    );

    /* requests */
    app.post(
      '/requests',
      { config: requester, schema: { tags, headers: idempotencyHeaders, body: submitRequestRequestSchema, response: { 200: requestDetailSchema, 201: requestDetailSchema } } },
      async (req, reply) => {
        const actor = mustActor(req.actor);
        const r = await svc.submit(db, actor, req.body, req.headers['idempotency-key']);
        return reply.code(r.replay ? 200 : 201).send(await svc.getRequest(db, actor, r.id));
      },
    );
    app.get(
      '/requests',
      { config: { auth: ['ticket.create', 'request.read'] }, schema: { tags, querystring: requestListQuerySchema, response: { 200: pageOf(requestSummarySchema) } } },
      async (req) => svc.listRequests(db, mustActor(req.actor), req.query),
    );
    app.get('/requests/:id', { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, response: { 200: requestDetailSchema } } }, async (req) =>
      svc.getRequest(db, mustActor(req.actor), req.params.id),
    );
    app.post(
      '/requests/:id/tasks/:taskId/complete',
      { config: { auth: 'ticket.work' }, schema: { tags, params: requestTaskParamsSchema, body: completeRequestTaskRequestSchema, response: { 200: requestTaskSchema } } },
      async (req) => svc.completeTask(db, mustActor(req.actor), req.params.id, req.params.taskId, req.body),
    );
    app.patch(
      '/requests/:id/tasks/:taskId',
      { config: { auth: 'ticket.work' }, schema: { tags, params: requestTaskParamsSchema, body: updateRequestTaskRequestSchema, response: { 200: requestTaskSchema } } },
      async (req) => svc.updateTask(db, mustActor(req.actor), req.params.id, req.params.taskId, req.body),
    );

    /* admin: request types and their forms */
    app.get('/request-types', { config: manage, schema: { tags, response: { 200: z.object({ items: z.array(requestTypeSchema) }) } } }, async () => ({
      items: await svc.listTypes(db),
    }));
    app.post('/request-types', { config: manage, schema: { tags, body: createRequestTypeRequestSchema, response: { 201: requestTypeSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createType(db, mustActor(req.actor), req.body)),
    );
    app.get('/request-types/:id', { config: manage, schema: { tags, params: idParamsSchema, response: { 200: typeDetailSchema } } }, async (req) =>
      svc.getType(db, req.params.id),
    );
    app.patch(
      '/request-types/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateRequestTypeRequestSchema, response: { 200: requestTypeSchema } } },
      async (req) => svc.updateType(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.put(
      '/request-types/:id/form',
      { config: manage, schema: { tags, params: idParamsSchema, body: saveRequestFormRequestSchema, response: { 200: requestTypeSchema } } },
      async (req) => svc.saveForm(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.get(
      '/request-types/:id/forms/:version',
      { config: manage, schema: { tags, params: requestFormVersionParamsSchema, response: { 200: requestFormSchema } } },
      async (req) => svc.getForm(db, req.params.id, req.params.version),
    );
  };
}
