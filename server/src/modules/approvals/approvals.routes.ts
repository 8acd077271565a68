import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  approvalLinkDecideRequestSchema,
  approvalLinkDecideResultSchema,
  approvalLinkInfoSchema,
  approvalLinkParamsSchema,
  batchDecideRequestSchema,
  batchDecideResultSchema,
  cabGroupsSchema,
  decideRequestSchema,
  decisionResultSchema,
  delegateRequestSchema,
  delegateResultSchema,
  idParamsSchema,
  myApprovalsQuerySchema,
  myApprovalsSchema,
  ticketApprovalsSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './approvals.service.ts';

export function approvalRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['approvals'];
  // Every signed-in user may see and decide their own tasks; the service checks they are the approver.
  const session = { auth: 'session' } as const;
  const pub = { auth: 'public' } as const;
  return async (app) => {
    app.get('/approvals/mine', { config: session, schema: { tags, querystring: myApprovalsQuerySchema, response: { 200: myApprovalsSchema } } }, async (req) =>
      svc.myApprovals(db, mustActor(req.actor), req.query),
    );
    app.post(
      '/approvals/tasks/:id/decision',
      { config: session, schema: { tags, params: idParamsSchema, body: decideRequestSchema, response: { 200: decisionResultSchema } } },
      async (req) => svc.decide(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.post('/approvals/decisions', { config: session, schema: { tags, body: batchDecideRequestSchema, response: { 200: batchDecideResultSchema } } }, async (req) =>
      svc.decideMany(db, mustActor(req.actor), req.body),
    );
    app.post(
      '/approvals/tasks/:id/delegate',
      { config: session, schema: { tags, params: idParamsSchema, body: delegateRequestSchema, response: { 200: delegateResultSchema } } },
      async (req) => svc.delegate(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.get('/tickets/:id/approvals', { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, response: { 200: ticketApprovalsSchema } } }, async (req) =>
      svc.ticketApprovals(db, mustActor(req.actor), req.params.id),
    );
    app.get('/approvals/cab-groups', { config: { auth: 'settings.manage' }, schema: { tags, response: { 200: cabGroupsSchema } } }, async () => svc.getCabGroups(db));
    app.put('/approvals/cab-groups', { config: { auth: 'settings.manage' }, schema: { tags, body: cabGroupsSchema, response: { 200: cabGroupsSchema } } }, async (req) =>
      svc.setCabGroups(db, mustActor(req.actor), req.body),
    );

    // Signed links from e-mail / IM: the token is the credential. GET only shows; POST decides.
    app.get('/approval-links/:token', { config: pub, schema: { tags, params: approvalLinkParamsSchema, response: { 200: approvalLinkInfoSchema } } }, async (req, reply) => {
      void reply.header('Cache-Control', 'no-store');
      return svc.linkInfo(db, req.params.token);
    });
    app.post(
      '/approval-links/:token',
      { config: pub, schema: { tags, params: approvalLinkParamsSchema, body: approvalLinkDecideRequestSchema, response: { 200: approvalLinkDecideResultSchema } } },
      async (req) => svc.decideByLink(db, req.params.token, req.body.comment, req.ip),
    );
  };
}
