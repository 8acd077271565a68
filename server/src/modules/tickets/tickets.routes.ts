import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commentRequestSchema,
  createTicketRequestSchema,
  idParamsSchema,
  pageOf,
  ticketEventSchema,
  ticketListQuerySchema,
  ticketSchema,
  ticketSummarySchema,
  transitionRequestSchema,
  updateTicketRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import * as svc from './tickets.service.ts';
import type { ticketEvents } from './tickets.tables.ts';

const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

export function eventDto(e: typeof ticketEvents.$inferSelect, actorName: string | null) {
  return {
    id: e.id,
    ticketId: e.ticketId,
    kind: e.kind as z.infer<typeof ticketEventSchema>['kind'],
    internal: e.internal,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName,
    body: e.body,
    data: (e.data ?? {}) as Record<string, unknown>,
  };
}

export function ticketRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['tickets'];
  return async (app) => {
    app.get(
      '/tickets',
      { config: { auth: 'ticket.read' }, schema: { tags, querystring: ticketListQuerySchema, response: { 200: pageOf(ticketSummarySchema) } } },
      async (request) => {
        const q = request.query;
        const r = await svc.listTickets(db, mustActor(request.actor), q);
        return { items: r.items, total: r.total, totalCapped: r.totalCapped, page: q.page, pageSize: q.pageSize };
      },
    );
    app.post(
      '/tickets',
      {
        config: { auth: 'ticket.create' },
        schema: { tags, headers: idempotencyHeaders, body: createTicketRequestSchema, response: { 200: ticketSchema, 201: ticketSchema } },
      },
      async (request, reply) => {
        const actor = mustActor(request.actor);
        // Other types carry their own records (a change's rollback plan, a request's form): their endpoints create them.
        const own: Record<string, string> = { request: '/api/requests', problem: '/api/problems', change: '/api/changes', release: '/api/releases' };
        const path = own[request.body.type];
        if (path) throw new AppError('TICKET_TYPE_ENDPOINT', { type: request.body.type, path });
        const r = await svc.createTicket(db, actor, request.body, request.headers['idempotency-key']);
        return reply.code(r.replay ? 200 : 201).send(await svc.ticketDtoFor(db, actor, r.row));
      },
    );
    app.get(
      '/tickets/:id',
      { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, response: { 200: ticketSchema } } },
      async (request) => {
        const actor = mustActor(request.actor);
        return svc.ticketDtoFor(db, actor, await svc.loadVisible(db, actor, request.params.id));
      },
    );
    app.patch(
      '/tickets/:id',
      { config: { auth: 'ticket.work' }, schema: { tags, params: idParamsSchema, body: updateTicketRequestSchema, response: { 200: ticketSchema } } },
      async (request) => svc.updateTicket(db, mustActor(request.actor), request.params.id, request.body),
    );
    app.post(
      '/tickets/:id/transitions',
      { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, body: transitionRequestSchema, response: { 200: ticketSchema } } },
      async (request) => svc.transition(db, mustActor(request.actor), request.params.id, request.body),
    );
    app.post(
      '/tickets/:id/comments',
      { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, body: commentRequestSchema, response: { 201: ticketEventSchema } } },
      async (request, reply) => {
        const actor = mustActor(request.actor);
        const ev = await svc.addComment(db, actor, request.params.id, request.body);
        return reply.code(201).send(eventDto(ev, actor.displayName));
      },
    );
    app.get(
      '/tickets/:id/events',
      { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, response: { 200: z.array(ticketEventSchema) } } },
      async (request) => (await svc.listEvents(db, mustActor(request.actor), request.params.id)).map((r) => eventDto(r.e, r.actorName)),
    );
  };
}

