import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createWorkflowRequestSchema,
  saveWorkflowRequestSchema,
  validateWorkflowResponseSchema,
  workflowDefinitionSchema,
  workflowKeySchema,
  workflowSchema,
  workflowSummarySchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import type { Permission } from '@tianshu/contracts';
import { registeredNames } from './workflow-registry.ts';
import * as svc from './workflows.service.ts';

const keyParams = z.object({ key: workflowKeySchema }).strict();

export function workflowRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['workflows'];
  // Reading a workflow is part of working tickets (the ticket page draws its state diagram).
  const read = { auth: ['workflow.manage', 'ticket.read'] as Permission[] };
  const manage = { auth: 'workflow.manage' as const };
  return async (app) => {
    app.get('/workflows', { config: read, schema: { tags, response: { 200: z.object({ items: z.array(workflowSummarySchema) }) } } }, async () => ({
      items: await svc.listWorkflows(db),
    }));
    app.get('/workflows/extensions', { config: manage, schema: { tags, response: { 200: z.object({ checks: z.array(z.string()), hooks: z.array(z.string()) }) } } }, async () =>
      registeredNames(),
    );
    app.post('/workflows/validate', { config: manage, schema: { tags, body: z.object({ definition: workflowDefinitionSchema }).strict(), response: { 200: validateWorkflowResponseSchema } } }, async (req) =>
      svc.validateDefinition(req.body.definition),
    );
    app.get(
      '/workflows/:key',
      { config: read, schema: { tags, params: keyParams, querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(), response: { 200: workflowSchema } } },
      async (req) => svc.getWorkflow(db, req.params.key, req.query.version),
    );
    app.post('/workflows', { config: manage, schema: { tags, body: createWorkflowRequestSchema, response: { 201: workflowSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createWorkflow(db, mustActor(req.actor), req.body)),
    );
    app.put('/workflows/:key', { config: manage, schema: { tags, params: keyParams, body: saveWorkflowRequestSchema, response: { 200: workflowSchema } } }, async (req) =>
      svc.saveWorkflow(db, mustActor(req.actor), req.params.key, req.body),
    );
  };
}
