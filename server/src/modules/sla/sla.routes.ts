import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createSlaRequestSchema,
  idParamsSchema,
  slaDefinitionSchema,
  slaReplayRequestSchema,
  slaReplayResultSchema,
  slaVersionSchema,
  ticketClockSchema,
  updateSlaRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { loadVisible } from '../tickets/tickets.service.ts';
import * as svc from './sla.service.ts';
import { clocksForTicket } from './sla-clocks.service.ts';
import { replayClocks } from './sla-replay.service.ts';

export function slaRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['sla'];
  const read = { auth: ['settings.manage', 'sla.read'] } as const;
  const manage = { auth: 'settings.manage' } as const;
  return async (app) => {
    app.get('/sla-definitions', { config: read, schema: { tags, response: { 200: z.array(slaDefinitionSchema) } } }, async () => svc.listDefinitions(db));
    app.get('/sla-definitions/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: slaDefinitionSchema } } }, async (req) =>
      svc.getDefinition(db, req.params.id),
    );
    app.get(
      '/sla-definitions/:id/versions',
      { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(slaVersionSchema) } } },
      async (req) => svc.listVersions(db, req.params.id),
    );
    app.post('/sla-definitions', { config: manage, schema: { tags, body: createSlaRequestSchema, response: { 201: slaDefinitionSchema } } }, async (req, reply) => {
      const def = await svc.createDefinition(db, mustActor(req.actor), req.body);
      return reply.code(201).send(def);
    });
    app.patch(
      '/sla-definitions/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateSlaRequestSchema, response: { 200: slaDefinitionSchema } } },
      async (req) => svc.updateDefinition(db, mustActor(req.actor), req.params.id, req.body),
    );
    app.post('/sla/replay', { config: manage, schema: { tags, body: slaReplayRequestSchema, response: { 200: slaReplayResultSchema } } }, async (req) =>
      replayClocks(db, mustActor(req.actor), req.body),
    );
    app.get(
      '/tickets/:id/clocks',
      { config: { auth: 'sla.read' }, schema: { tags, params: idParamsSchema, response: { 200: z.array(ticketClockSchema) } } },
      async (req) => {
        await loadVisible(db, mustActor(req.actor), req.params.id);
        return clocksForTicket(db, req.params.id);
      },
    );
  };
}
