import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ciClassSchema,
  ciDiffQuerySchema,
  ciDiffSchema,
  ciListQuerySchema,
  ciPageSchema,
  ciSchema,
  ciVersionSchema,
  createCiClassRequestSchema,
  createCiRequestSchema,
  idParamsSchema,
  okSchema,
  updateCiClassRequestSchema,
  updateCiRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as classes from './ci-classes.service.ts';
import * as items from './ci-items.service.ts';

export function cmdbRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['cmdb'];
  const read = { auth: 'cmdb.read' } as const;
  const manageClasses = { auth: 'cmdb.class.manage' } as const;
  const manageCis = { auth: 'cmdb.ci.manage' } as const;
  return async (app) => {
    app.get('/ci-classes', { config: { auth: ['cmdb.read', 'cmdb.class.manage'] }, schema: { tags, response: { 200: z.array(ciClassSchema) } } }, async () =>
      classes.listClasses(db),
    );
    app.get('/ci-classes/:id', { config: { auth: ['cmdb.read', 'cmdb.class.manage'] }, schema: { tags, params: idParamsSchema, response: { 200: ciClassSchema } } }, async (req) =>
      classes.getClass(db, req.params.id),
    );
    app.post('/ci-classes', { config: manageClasses, schema: { tags, body: createCiClassRequestSchema, response: { 201: ciClassSchema } } }, async (req, reply) =>
      reply.code(201).send(await classes.createClass(db, mustActor(req.actor), req.body)),
    );
    app.patch(
      '/ci-classes/:id',
      { config: manageClasses, schema: { tags, params: idParamsSchema, body: updateCiClassRequestSchema, response: { 200: ciClassSchema } } },
      async (req) => classes.updateClass(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.delete('/ci-classes/:id', { config: manageClasses, schema: { tags, params: idParamsSchema, response: { 200: okSchema } } }, async (req) => {
      await classes.deleteClass(db, mustActor(req.actor), req.params.id);
      return { ok: true as const };
    });

    app.get('/cis', { config: read, schema: { tags, querystring: ciListQuerySchema, response: { 200: ciPageSchema } } }, async (req) =>
      items.listCis(db, mustActor(req.actor), req.query),
    );
    app.post('/cis', { config: manageCis, schema: { tags, body: createCiRequestSchema, response: { 201: ciSchema } } }, async (req, reply) =>
      reply.code(201).send(await items.createCi(db, mustActor(req.actor), req.body)),
    );
    app.get('/cis/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: ciSchema } } }, async (req) =>
      items.getCi(db, mustActor(req.actor), req.params.id),
    );
    app.patch('/cis/:id', { config: manageCis, schema: { tags, params: idParamsSchema, body: updateCiRequestSchema, response: { 200: ciSchema } } }, async (req) =>
      items.updateCi(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.delete('/cis/:id', { config: manageCis, schema: { tags, params: idParamsSchema, response: { 200: ciSchema } } }, async (req) =>
      items.retireCi(db, mustActor(req.actor), req.params.id),
    );
    app.get('/cis/:id/versions', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(ciVersionSchema) } } }, async (req) =>
      items.listVersions(db, mustActor(req.actor), req.params.id),
    );
    app.get('/cis/:id/diff', { config: read, schema: { tags, params: idParamsSchema, querystring: ciDiffQuerySchema, response: { 200: ciDiffSchema } } }, async (req) =>
      items.diffVersions(db, mustActor(req.actor), req.params.id, req.query.from, req.query.to),
    );
  };
}
