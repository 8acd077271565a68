import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assetEventSchema,
  assetListQuerySchema,
  assetPageSchema,
  assetSchema,
  assetTagParamsSchema,
  assetTransitionRequestSchema,
  createAssetRequestSchema,
  idParamsSchema,
  updateAssetRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './assets.service.ts';

export function assetRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['assets'];
  const read = { auth: 'asset.read' } as const;
  const manage = { auth: 'asset.manage' } as const;
  return async (app) => {
    app.get('/assets', { config: read, schema: { tags, querystring: assetListQuerySchema, response: { 200: assetPageSchema } } }, async (req) =>
      svc.listAssets(db, mustActor(req.actor), req.query),
    );
    app.get('/assets/categories', { config: read, schema: { tags, response: { 200: z.array(z.string()) } } }, async (req) =>
      svc.listCategories(db, mustActor(req.actor)),
    );
    app.get('/assets/by-tag/:tag', { config: read, schema: { tags, params: assetTagParamsSchema, response: { 200: assetSchema } } }, async (req) =>
      svc.getAssetByTag(db, mustActor(req.actor), req.params.tag),
    );
    app.post('/assets', { config: manage, schema: { tags, body: createAssetRequestSchema, response: { 201: assetSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createAsset(db, mustActor(req.actor), req.body)),
    );
    app.get('/assets/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: assetSchema } } }, async (req) =>
      svc.getAsset(db, mustActor(req.actor), req.params.id),
    );
    app.patch('/assets/:id', { config: manage, schema: { tags, params: idParamsSchema, body: updateAssetRequestSchema, response: { 200: assetSchema } } }, async (req) =>
      svc.updateAsset(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.post(
      '/assets/:id/transition',
      { config: manage, schema: { tags, params: idParamsSchema, body: assetTransitionRequestSchema, response: { 200: assetSchema } } },
      async (req) => svc.transitionAsset(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.get('/assets/:id/events', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(assetEventSchema) } } }, async (req) =>
      svc.listEvents(db, mustActor(req.actor), req.params.id),
    );
  };
}
