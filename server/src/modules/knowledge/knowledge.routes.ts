import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createKnowledgeArticleRequestSchema,
  idParamsSchema,
  knowledgeArticleSchema,
  knowledgeArticleSummarySchema,
  knowledgeListQuerySchema,
  knowledgeSuggestQuerySchema,
  knowledgeSuggestResponseSchema,
  pageOf,
  updateKnowledgeArticleRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './knowledge.service.ts';

export function knowledgeRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['knowledge'];
  const read = { auth: 'knowledge.read' } as const;
  const manage = { auth: 'knowledge.manage' } as const;
  return async (app) => {
    app.get('/knowledge', { config: read, schema: { tags, querystring: knowledgeListQuerySchema, response: { 200: pageOf(knowledgeArticleSummarySchema) } } }, async (req) =>
      svc.listArticles(db, mustActor(req.actor), req.query),
    );
    app.get('/knowledge/suggest', { config: read, schema: { tags, querystring: knowledgeSuggestQuerySchema, response: { 200: knowledgeSuggestResponseSchema } } }, async (req) =>
      svc.suggest(db, mustActor(req.actor), req.query),
    );
    app.get('/knowledge/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: knowledgeArticleSchema } } }, async (req) =>
      svc.getArticle(db, mustActor(req.actor), req.params.id),
    );
    app.post('/knowledge', { config: manage, schema: { tags, body: createKnowledgeArticleRequestSchema, response: { 201: knowledgeArticleSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createArticle(db, mustActor(req.actor), req.body)),
    );
    app.patch(
      '/knowledge/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateKnowledgeArticleRequestSchema, response: { 200: knowledgeArticleSchema } } },
      async (req) => svc.updateArticle(db, mustActor(req.actor), req.params.id, req.body),
    );
  };
}
