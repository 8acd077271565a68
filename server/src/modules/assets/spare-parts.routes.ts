import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createSparePartMovementRequestSchema,
  createSparePartRequestSchema,
  createSparePartTestRequestSchema,
  idParamsSchema,
  sparePartDetailSchema,
  sparePartListQuerySchema,
  sparePartMovementResultSchema,
  sparePartMovementSchema,
  sparePartPageSchema,
  sparePartTestSchema,
  updateSparePartRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './spare-parts.service.ts';

export function sparePartRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['spare-parts'];
  const read = { auth: 'asset.read' } as const;
  const manage = { auth: 'asset.manage' } as const;
  return async (app) => {
    app.get('/spare-parts', { config: read, schema: { tags, querystring: sparePartListQuerySchema, response: { 200: sparePartPageSchema } } }, async (req) =>
      svc.listParts(db, mustActor(req.actor), req.query),
    );
    app.get('/spare-parts/locations', { config: read, schema: { tags, response: { 200: z.array(z.string()) } } }, async (req) =>
      svc.listLocations(db, mustActor(req.actor)),
    );
    app.post('/spare-parts', { config: manage, schema: { tags, body: createSparePartRequestSchema, response: { 201: sparePartDetailSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createPart(db, mustActor(req.actor), req.body)),
    );
    app.get('/spare-parts/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: sparePartDetailSchema } } }, async (req) =>
      svc.getPart(db, mustActor(req.actor), req.params.id),
    );
    app.patch(
      '/spare-parts/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateSparePartRequestSchema, response: { 200: sparePartDetailSchema } } },
      async (req) => svc.updatePart(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.get('/spare-parts/:id/movements', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(sparePartMovementSchema) } } }, async (req) =>
      svc.listMovements(db, mustActor(req.actor), req.params.id),
    );
    app.post(
      '/spare-parts/:id/movements',
      { config: manage, schema: { tags, params: idParamsSchema, body: createSparePartMovementRequestSchema, response: { 201: sparePartMovementResultSchema } } },
      async (req, reply) => reply.code(201).send(await svc.recordMovement(db, mustActor(req.actor), req.params.id, req.body)),
    );
    app.get('/spare-parts/:id/tests', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(sparePartTestSchema) } } }, async (req) =>
      svc.listTests(db, mustActor(req.actor), req.params.id),
    );
    app.post(
      '/spare-parts/:id/tests',
      { config: manage, schema: { tags, params: idParamsSchema, body: createSparePartTestRequestSchema, response: { 201: sparePartTestSchema } } },
      async (req, reply) => reply.code(201).send(await svc.recordTest(db, mustActor(req.actor), req.params.id, req.body)),
    );
  };
}
