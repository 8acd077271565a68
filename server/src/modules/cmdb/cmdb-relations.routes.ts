import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ciRelationSchema,
  ciRelationTypeSchema,
  ciRelationViewSchema,
  createCiRelationRequestSchema,
  createCiRelationTypeRequestSchema,
  idParamsSchema,
  impactNodeSchema,
  impactQuerySchema,
  impactResultSchema,
  okSchema,
  setTicketCisRequestSchema,
  ticketCisSchema,
  updateCiRelationTypeRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as rel from './cmdb-relations.service.ts';

export function cmdbRelationRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['cmdb'];
  const read = { auth: 'cmdb.read' } as const;
  const manageClasses = { auth: 'cmdb.class.manage' } as const;
  const manageCis = { auth: 'cmdb.ci.manage' } as const;
  return async (app) => {
    app.get('/ci-relation-types', { config: { auth: ['cmdb.read', 'cmdb.class.manage'] }, schema: { tags, response: { 200: z.array(ciRelationTypeSchema) } } }, async () =>
      rel.listRelationTypes(db),
    );
    app.post('/ci-relation-types', { config: manageClasses, schema: { tags, body: createCiRelationTypeRequestSchema, response: { 201: ciRelationTypeSchema } } }, async (req, reply) =>
      reply.code(201).send(await rel.createRelationType(db, mustActor(req.actor), req.body)),
    );
    app.patch(
      '/ci-relation-types/:id',
      { config: manageClasses, schema: { tags, params: idParamsSchema, body: updateCiRelationTypeRequestSchema, response: { 200: ciRelationTypeSchema } } },
      async (req) => rel.updateRelationType(db, mustActor(req.actor), req.params.id, req.body),
    );

    app.get('/cis/:id/relations', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(ciRelationViewSchema) } } }, async (req) =>
      rel.listRelationsOf(db, mustActor(req.actor), req.params.id),
    );
    app.post('/ci-relations', { config: manageCis, schema: { tags, body: createCiRelationRequestSchema, response: { 201: ciRelationSchema } } }, async (req, reply) =>
      reply.code(201).send(await rel.createRelation(db, mustActor(req.actor), req.body)),
    );
    app.delete('/ci-relations/:id', { config: manageCis, schema: { tags, params: idParamsSchema, response: { 200: okSchema } } }, async (req) => {
      await rel.deleteRelation(db, mustActor(req.actor), req.params.id);
      return { ok: true as const };
    });
    app.get('/cis/:id/impact', { config: read, schema: { tags, params: idParamsSchema, querystring: impactQuerySchema, response: { 200: impactResultSchema } } }, async (req) =>
      rel.impact(db, mustActor(req.actor), req.params.id, req.query.direction, req.query.depth),
    );
    app.get('/cis/:id/services', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(impactNodeSchema) } } }, async (req) =>
      rel.affectedServices(db, mustActor(req.actor), req.params.id),
    );

    app.get('/tickets/:id/cis', { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, response: { 200: ticketCisSchema } } }, async (req) =>
      rel.getTicketCis(db, mustActor(req.actor), req.params.id),
    );
    app.put('/tickets/:id/cis', { config: { auth: 'ticket.work' }, schema: { tags, params: idParamsSchema, body: setTicketCisRequestSchema, response: { 200: ticketCisSchema } } }, async (req) =>
      rel.setTicketCis(db, mustActor(req.actor), req.params.id, req.body.ciIds),
    );
  };
}
