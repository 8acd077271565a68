import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changeCalendarQuerySchema,
  changeCalendarSchema,
  changeConflictsSchema,
  changeDetailSchema,
  changeListQuerySchema,
  changePageSchema,
  changeReportQuerySchema,
  changeReportSchema,
  changeTemplateSchema,
  changeWindowListQuerySchema,
  changeWindowSchema,
  createChangeRequestSchema,
  createChangeTemplateRequestSchema,
  createChangeWindowRequestSchema,
  cutoverStepParamsSchema,
  cutoverStepSchema,
  executeCutoverStepRequestSchema,
  idParamsSchema,
  okSchema,
  setCutoverRequestSchema,
  updateChangeRequestSchema,
  updateChangeTemplateRequestSchema,
  updateChangeWindowRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './changes.service.ts';

const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
const templateListQuerySchema = z.object({ active: z.enum(['true', 'false']).optional() }).strict();

export function changeRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['changes'];
  const read = { auth: 'ticket.read' } as const;
  const manage = { auth: 'change.manage' } as const;
  const implement = { auth: 'change.implement' } as const;
  const admin = { auth: 'change.calendar.manage' } as const;
  const reports = { auth: ['change.manage', 'change.calendar.manage'] } as const;
  return async (app) => {
    app.get('/changes', { config: read, schema: { tags, querystring: changeListQuerySchema, response: { 200: changePageSchema } } }, async (req) =>
      svc.listChanges(db, mustActor(req.actor), req.query),
    );
    app.post(
      '/changes',
      { config: manage, schema: { tags, headers: idempotencyHeaders, body: createChangeRequestSchema, response: { 200: changeDetailSchema, 201: changeDetailSchema } } },
      async (req, reply) => {
        const r = await svc.createChange(db, mustActor(req.actor), req.body, req.headers['idempotency-key']);
        return reply.code(r.replay ? 200 : 201).send(r.change);
      },
    );
    app.get('/changes/calendar', { config: read, schema: { tags, querystring: changeCalendarQuerySchema, response: { 200: changeCalendarSchema } } }, async (req) =>
      svc.calendar(db, mustActor(req.actor), req.query.from, req.query.to),
    );
    app.get('/changes/reports', { config: reports, schema: { tags, querystring: changeReportQuerySchema, response: { 200: changeReportSchema } } }, async (req) =>
      svc.report(db, mustActor(req.actor), req.query.from, req.query.to, req.query.orgId),
    );

    app.get('/changes/templates', { config: read, schema: { tags, querystring: templateListQuerySchema, response: { 200: z.array(changeTemplateSchema) } } }, async (req) =>
      svc.listTemplates(db, req.query.active === 'true'),
    );
    app.post('/changes/templates', { config: admin, schema: { tags, body: createChangeTemplateRequestSchema, response: { 201: changeTemplateSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createTemplate(db, mustActor(req.actor), req.body)),
    );
    app.patch(
      '/changes/templates/:id',
      { config: admin, schema: { tags, params: idParamsSchema, body: updateChangeTemplateRequestSchema, response: { 200: changeTemplateSchema } } },
      async (req) => svc.updateTemplate(db, mustActor(req.actor), req.params.id, req.body),
    );

    app.get('/changes/windows', { config: read, schema: { tags, querystring: changeWindowListQuerySchema, response: { 200: z.array(changeWindowSchema) } } }, async (req) =>
      svc.listWindows(db, req.query.kind, req.query.from, req.query.to),
    );
    app.post('/changes/windows', { config: admin, schema: { tags, body: createChangeWindowRequestSchema, response: { 201: changeWindowSchema } } }, async (req, reply) =>
      reply.code(201).send(await svc.createWindow(db, mustActor(req.actor), req.body)),
    );
    app.patch(
      '/changes/windows/:id',
      { config: admin, schema: { tags, params: idParamsSchema, body: updateChangeWindowRequestSchema, response: { 200: changeWindowSchema } } },
      async (req) => svc.updateWindow(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.delete('/changes/windows/:id', { config: admin, schema: { tags, params: idParamsSchema, response: { 200: okSchema } } }, async (req) => {
      await svc.deleteWindow(db, mustActor(req.actor), req.params.id);
      return { ok: true as const };
    });

    app.get('/changes/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: changeDetailSchema } } }, async (req) =>
      svc.getChange(db, mustActor(req.actor), req.params.id),
    );
    app.patch('/changes/:id', { config: manage, schema: { tags, params: idParamsSchema, body: updateChangeRequestSchema, response: { 200: changeDetailSchema } } }, async (req) =>
      svc.updateChange(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.get('/changes/:id/conflicts', { config: read, schema: { tags, params: idParamsSchema, response: { 200: changeConflictsSchema } } }, async (req) =>
      svc.getConflicts(db, mustActor(req.actor), req.params.id),
    );
    app.put(
      '/changes/:id/cutover',
      { config: manage, schema: { tags, params: idParamsSchema, body: setCutoverRequestSchema, response: { 200: z.array(cutoverStepSchema) } } },
      async (req) => svc.setCutover(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.post(
      '/changes/:id/cutover/:stepId',
      { config: implement, schema: { tags, params: cutoverStepParamsSchema, body: executeCutoverStepRequestSchema, response: { 200: z.array(cutoverStepSchema) } } },
      async (req) => svc.executeStep(db, mustActor(req.actor), req.params.id, req.params.stepId, req.body),
    );
  };
}
