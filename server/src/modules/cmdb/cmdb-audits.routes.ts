import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cmdbAuditReportSchema,
  cmdbAuditRuleSchema,
  cmdbAuditRunListQuerySchema,
  cmdbAuditRunPageSchema,
  cmdbAuditScheduleSchema,
  cmdbAuditViolationPageSchema,
  cmdbAuditViolationQuerySchema,
  createCmdbAuditRuleRequestSchema,
  idParamsSchema,
  okSchema,
  updateCmdbAuditRuleRequestSchema,
  updateCmdbAuditScheduleRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as audits from './cmdb-audits.service.ts';

export function cmdbAuditRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['cmdb'];
  const audit = { auth: 'cmdb.audit' } as const;
  const read = { auth: ['cmdb.audit', 'cmdb.class.manage'] } as const;
  const manage = { auth: 'cmdb.class.manage' } as const;
  return async (app) => {
    app.get('/cmdb/audit-rules', { config: read, schema: { tags, response: { 200: z.array(cmdbAuditRuleSchema) } } }, async () => audits.listRules(db));
    app.post('/cmdb/audit-rules', { config: manage, schema: { tags, body: createCmdbAuditRuleRequestSchema, response: { 201: cmdbAuditRuleSchema } } }, async (req, reply) =>
      reply.code(201).send(await audits.createRule(db, mustActor(req.actor), req.body)),
    );
    app.patch(
      '/cmdb/audit-rules/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateCmdbAuditRuleRequestSchema, response: { 200: cmdbAuditRuleSchema } } },
      async (req) => audits.updateRule(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.delete('/cmdb/audit-rules/:id', { config: manage, schema: { tags, params: idParamsSchema, response: { 200: okSchema } } }, async (req) => {
      await audits.deleteRule(db, mustActor(req.actor), req.params.id);
      return { ok: true as const };
    });

    app.get('/cmdb/audit-schedule', { config: read, schema: { tags, response: { 200: cmdbAuditScheduleSchema } } }, async () => audits.getSchedule(db));
    app.put('/cmdb/audit-schedule', { config: manage, schema: { tags, body: updateCmdbAuditScheduleRequestSchema, response: { 200: cmdbAuditScheduleSchema } } }, async (req) =>
      audits.updateSchedule(db, mustActor(req.actor), req.body),
    );

    app.post('/cmdb/audit-runs', { config: audit, schema: { tags, response: { 201: cmdbAuditReportSchema } } }, async (req, reply) =>
      reply.code(201).send(await audits.runAudit(db, mustActor(req.actor))),
    );
    app.get('/cmdb/audit-runs', { config: audit, schema: { tags, querystring: cmdbAuditRunListQuerySchema, response: { 200: cmdbAuditRunPageSchema } } }, async (req) =>
      audits.listRuns(db, mustActor(req.actor), req.query),
    );
    app.get('/cmdb/audit-runs/latest', { config: audit, schema: { tags, response: { 200: z.object({ report: cmdbAuditReportSchema.nullable() }) } } }, async (req) => ({
      report: await audits.latestReport(db, mustActor(req.actor)),
    }));
    app.get('/cmdb/audit-runs/:id', { config: audit, schema: { tags, params: idParamsSchema, response: { 200: cmdbAuditReportSchema } } }, async (req) =>
      audits.getReport(db, mustActor(req.actor), req.params.id),
    );
    app.get(
      '/cmdb/audit-runs/:id/violations',
      { config: audit, schema: { tags, params: idParamsSchema, querystring: cmdbAuditViolationQuerySchema, response: { 200: cmdbAuditViolationPageSchema } } },
      async (req) => audits.listViolations(db, mustActor(req.actor), req.params.id, req.query),
    );
  };
}
