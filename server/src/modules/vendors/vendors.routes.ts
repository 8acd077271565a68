import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createVendorContractRequestSchema,
  createVendorEvaluationRequestSchema,
  createVendorRequestSchema,
  idParamsSchema,
  updateVendorContractRequestSchema,
  updateVendorRequestSchema,
  vendorContractListQuerySchema,
  vendorContractPageSchema,
  vendorContractSchema,
  vendorDetailSchema,
  vendorEvaluationSchema,
  vendorListQuerySchema,
  vendorPageSchema,
  vendorSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './vendors.service.ts';

export function vendorRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['vendors'];
  const read = { auth: 'vendor.read' } as const;
  const manage = { auth: 'vendor.manage' } as const;
  return async (app) => {
    app.get('/vendors', { config: read, schema: { tags, querystring: vendorListQuerySchema, response: { 200: vendorPageSchema } } }, async (req) =>
      svc.listVendors(db, req.query),
    );
    app.post('/vendors', { config: manage, schema: { tags, body: createVendorRequestSchema, response: { 201: vendorSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createVendor(db, mustActor(req.actor), req.body)),
    );
    app.get('/vendors/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: vendorDetailSchema } } }, async (req) =>
      svc.getVendor(db, mustActor(req.actor), req.params.id),
    );
    app.patch('/vendors/:id', { config: manage, schema: { tags, params: idParamsSchema, body: updateVendorRequestSchema, response: { 200: vendorSchema } } }, async (req) =>
      svc.updateVendor(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.get('/vendors/:id/evaluations', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(vendorEvaluationSchema) } } }, async (req) =>
      svc.listEvaluations(db, req.params.id),
    );
    app.post(
      '/vendors/:id/evaluations',
      { config: manage, schema: { tags, params: idParamsSchema, body: createVendorEvaluationRequestSchema, response: { 201: vendorEvaluationSchema } } },
      async (req, reply) => reply.code(201).send(await svc.createEvaluation(db, mustActor(req.actor), req.params.id, req.body)),
    );

    app.get('/vendor-contracts', { config: read, schema: { tags, querystring: vendorContractListQuerySchema, response: { 200: vendorContractPageSchema } } }, async (req) =>
      svc.listContracts(db, mustActor(req.actor), req.query),
    );
    app.post('/vendor-contracts', { config: manage, schema: { tags, body: createVendorContractRequestSchema, response: { 201: vendorContractSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createContract(db, mustActor(req.actor), req.body)),
    );
    app.get('/vendor-contracts/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: vendorContractSchema } } }, async (req) =>
      svc.getContract(db, mustActor(req.actor), req.params.id),
    );
    app.patch(
      '/vendor-contracts/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateVendorContractRequestSchema, response: { 200: vendorContractSchema } } },
      async (req) => svc.updateContract(db, mustActor(req.actor), req.params.id, req.body),
    );
  };
}
