import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ciBaselineItemPageSchema,
  ciBaselineListQuerySchema,
  ciBaselinePageSchema,
  ciBaselineSchema,
  ciDriftQuerySchema,
  ciDriftReportSchema,
  createCiBaselineRequestSchema,
  idParamsSchema,
  okSchema,
  pageQuerySchema,
  updateCiBaselineRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as baselines from './cmdb-baselines.service.ts';

export function cmdbBaselineRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['cmdb'];
  const audit = { auth: 'cmdb.audit' } as const;
  return async (app) => {
    app.get('/cmdb/baselines', { config: audit, schema: { tags, querystring: ciBaselineListQuerySchema, response: { 200: ciBaselinePageSchema } } }, async (req) =>
      baselines.listBaselines(db, mustActor(req.actor), req.query),
    );
    app.post('/cmdb/baselines', { config: audit, schema: { tags, body: createCiBaselineRequestSchema, response: { 201: ciBaselineSchema } } }, async (req, reply) =>
      reply.code(201).send(await baselines.createBaseline(db, mustActor(req.actor), req.body)),
    );
    app.get('/cmdb/baselines/:id', { config: audit, schema: { tags, params: idParamsSchema, response: { 200: ciBaselineSchema } } }, async (req) =>
      baselines.getBaseline(db, mustActor(req.actor), req.params.id),
    );
    app.patch(
      '/cmdb/baselines/:id',
      { config: audit, schema: { tags, params: idParamsSchema, body: updateCiBaselineRequestSchema, response: { 200: ciBaselineSchema } } },
      async (req) => baselines.updateBaseline(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.delete('/cmdb/baselines/:id', { config: audit, schema: { tags, params: idParamsSchema, response: { 200: okSchema } } }, async (req) => {
      await baselines.deleteBaseline(db, mustActor(req.actor), req.params.id);
      return { ok: true as const };
    });
    app.get(
      '/cmdb/baselines/:id/items',
      { config: audit, schema: { tags, params: idParamsSchema, querystring: pageQuerySchema.strict(), response: { 200: ciBaselineItemPageSchema } } },
      async (req) => baselines.listItems(db, mustActor(req.actor), req.params.id, req.query.page, req.query.pageSize),
    );
    app.get(
      '/cmdb/baselines/:id/drift',
      { config: audit, schema: { tags, params: idParamsSchema, querystring: ciDriftQuerySchema, response: { 200: ciDriftReportSchema } } },
      async (req) => baselines.compareBaseline(db, mustActor(req.actor), req.params.id, req.query),
    );
  };
}
