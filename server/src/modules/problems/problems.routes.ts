import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createProblemRequestSchema,
  idParamsSchema,
  incidentProblemSchema,
  knownErrorRequestSchema,
  linkChangesRequestSchema,
  linkCisRequestSchema,
  linkIncidentsRequestSchema,
  pageOf,
  problemLinkParamsSchema,
  problemListQuerySchema,
  problemReportQuerySchema,
  problemReportSchema,
  problemSchema,
  problemSummarySchema,
  updateProblemDetailsRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './problems.service.ts';

const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

export function problemRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['problems'];
  const read = { auth: 'ticket.read' } as const;
  const manage = { auth: 'problem.manage' } as const;
  const one = { 200: problemSchema };
  return async (app) => {
    app.get('/problems', { config: read, schema: { tags, querystring: problemListQuerySchema, response: { 200: pageOf(problemSummarySchema) } } }, async (req) =>
      svc.listProblems(db, mustActor(req.actor), req.query),
    );
    app.get('/problems/reports', { config: read, schema: { tags, querystring: problemReportQuerySchema, response: { 200: problemReportSchema } } }, async (req) =>
      svc.report(db, mustActor(req.actor), req.query),
    );
    app.get('/problems/by-incident/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: incidentProblemSchema } } }, async (req) =>
      svc.problemOfIncident(db, mustActor(req.actor), req.params.id),
    );
    app.post(
      '/problems',
      { config: manage, schema: { tags, headers: idempotencyHeaders, body: createProblemRequestSchema, response: { 201: problemSchema } } },
      async (req, reply) => reply.code(201).send(await svc.createProblem(db, mustActor(req.actor), req.body, req.headers['idempotency-key'])),
    );
    app.get('/problems/:id', { config: read, schema: { tags, params: idParamsSchema, response: one } }, async (req) => svc.getProblem(db, mustActor(req.actor), req.params.id));
    app.patch('/problems/:id/details', { config: manage, schema: { tags, params: idParamsSchema, body: updateProblemDetailsRequestSchema, response: one } }, async (req) =>
      svc.updateDetails(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.post('/problems/:id/incidents', { config: manage, schema: { tags, params: idParamsSchema, body: linkIncidentsRequestSchema, response: one } }, async (req) =>
      svc.linkIncidents(db, mustActor(req.actor), req.params.id, req.body.incidentIds),
    );
    app.delete('/problems/:id/incidents/:linkedId', { config: manage, schema: { tags, params: problemLinkParamsSchema, response: one } }, async (req) =>
      svc.unlinkIncident(db, mustActor(req.actor), req.params.id, req.params.linkedId),
    );
    app.post('/problems/:id/cis', { config: manage, schema: { tags, params: idParamsSchema, body: linkCisRequestSchema, response: one } }, async (req) =>
      svc.linkCis(db, mustActor(req.actor), req.params.id, req.body.ciIds),
    );
    app.delete('/problems/:id/cis/:linkedId', { config: manage, schema: { tags, params: problemLinkParamsSchema, response: one } }, async (req) =>
      svc.unlinkCi(db, mustActor(req.actor), req.params.id, req.params.linkedId),
    );
    app.post('/problems/:id/changes', { config: manage, schema: { tags, params: idParamsSchema, body: linkChangesRequestSchema, response: one } }, async (req) =>
      svc.linkChanges(db, mustActor(req.actor), req.params.id, req.body.changeIds),
    );
    app.delete('/problems/:id/changes/:linkedId', { config: manage, schema: { tags, params: problemLinkParamsSchema, response: one } }, async (req) =>
      svc.unlinkChange(db, mustActor(req.actor), req.params.id, req.params.linkedId),
    );
    app.post('/problems/:id/known-error', { config: manage, schema: { tags, params: idParamsSchema, body: knownErrorRequestSchema, response: one } }, async (req) =>
      svc.upsertKnownError(db, mustActor(req.actor), req.params.id, req.body),
    );
  };
}
