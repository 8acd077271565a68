import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createReleaseDeploymentRequestSchema,
  createReleaseRecordRequestSchema,
  createReleaseRequestSchema,
  idParamsSchema,
  linkReleaseChangesRequestSchema,
  releaseChangeParamsSchema,
  releaseCmdbConfirmationRequestSchema,
  releaseDeploymentParamsSchema,
  releaseDeploymentSchema,
  releaseListQuerySchema,
  releasePageSchema,
  releaseRecordSchema,
  releaseReportQuerySchema,
  releaseReportSchema,
  releaseSchema,
  updateReleaseDeploymentRequestSchema,
  updateReleaseDetailsRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './releases.service.ts';

const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

export function releaseRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['releases'];
  const read = { auth: 'ticket.read' } as const;
  const manage = { auth: 'release.manage' } as const;
  return async (app) => {
    app.get('/releases', { config: read, schema: { tags, querystring: releaseListQuerySchema, response: { 200: releasePageSchema } } }, async (req) =>
      svc.listReleases(db, mustActor(req.actor), req.query),
    );
    // Before /releases/:id so "reports" is not taken for an id.
    app.get('/releases/reports', { config: read, schema: { tags, querystring: releaseReportQuerySchema, response: { 200: releaseReportSchema } } }, async (req) =>
      svc.report(db, mustActor(req.actor), req.query),
    );
    app.post(
      '/releases',
      { config: manage, schema: { tags, headers: idempotencyHeaders, body: createReleaseRequestSchema, response: { 200: releaseSchema, 201: releaseSchema } } },
      async (req, reply) => {
        const actor = mustActor(req.actor);
        const r = await svc.createRelease(db, actor, req.body, req.headers['idempotency-key']);
        return reply.code(r.replay ? 200 : 201).send(await svc.getRelease(db, actor, r.id));
      },
    );
    app.get('/releases/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: releaseSchema } } }, async (req) =>
      svc.getRelease(db, mustActor(req.actor), req.params.id),
    );
    app.patch('/releases/:id', { config: manage, schema: { tags, params: idParamsSchema, body: updateReleaseDetailsRequestSchema, response: { 200: releaseSchema } } }, async (req) =>
      svc.updateDetails(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.post('/releases/:id/changes', { config: manage, schema: { tags, params: idParamsSchema, body: linkReleaseChangesRequestSchema, response: { 200: releaseSchema } } }, async (req) =>
      svc.linkChanges(db, mustActor(req.actor), req.params.id, req.body.changeIds),
    );
    app.delete('/releases/:id/changes/:changeId', { config: manage, schema: { tags, params: releaseChangeParamsSchema, response: { 200: releaseSchema } } }, async (req) =>
      svc.unlinkChange(db, mustActor(req.actor), req.params.id, req.params.changeId),
    );
    app.post(
      '/releases/:id/records',
      { config: manage, schema: { tags, params: idParamsSchema, body: createReleaseRecordRequestSchema, response: { 201: releaseRecordSchema } } },
      async (req, reply) => reply.code(201).send(await svc.addRecord(db, mustActor(req.actor), req.params.id, req.body)),
    );
    app.post(
      '/releases/:id/deployments',
      { config: manage, schema: { tags, params: idParamsSchema, body: createReleaseDeploymentRequestSchema, response: { 201: releaseDeploymentSchema } } },
      async (req, reply) => reply.code(201).send(await svc.addDeployment(db, mustActor(req.actor), req.params.id, req.body)),
    );
    app.patch(
      '/releases/:id/deployments/:deploymentId',
      { config: manage, schema: { tags, params: releaseDeploymentParamsSchema, body: updateReleaseDeploymentRequestSchema, response: { 200: releaseDeploymentSchema } } },
      async (req) => svc.updateDeployment(db, mustActor(req.actor), req.params.id, req.params.deploymentId, req.body),
    );
    app.post(
      '/releases/:id/cmdb-confirmation',
      { config: manage, schema: { tags, params: idParamsSchema, body: releaseCmdbConfirmationRequestSchema, response: { 200: releaseSchema } } },
      async (req) => svc.confirmCmdb(db, mustActor(req.actor), req.params.id, req.body),
    );
  };
}
