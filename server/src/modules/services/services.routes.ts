import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  availabilityQuerySchema,
  createMaintenanceWindowRequestSchema,
  createOutageRequestSchema,
  createServiceRequestSchema,
  idParamsSchema,
  maintenanceWindowSchema,
  okSchema,
  outageSchema,
  serviceAvailabilitySchema,
  serviceItemParamsSchema,
  serviceSchema,
  serviceSummarySchema,
  updateMaintenanceWindowRequestSchema,
  updateOutageRequestSchema,
  updateServiceRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './services.service.ts';

export function serviceRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['services'];
  const read = { auth: 'service.read' } as const;
  const manage = { auth: 'service.manage' } as const;
  const outages = { auth: 'outage.manage' } as const;
  return async (app) => {
    app.get('/services', { config: read, schema: { tags, response: { 200: z.array(serviceSummarySchema) } } }, async (request) =>
      svc.listServices(db, mustActor(request.actor)),
    );
    app.post('/services', { config: manage, schema: { tags, body: createServiceRequestSchema, response: { 201: serviceSchema } } }, async (request, reply) =>
      reply.code(201).send(await svc.createService(db, mustActor(request.actor), request.body)),
    );
    app.get('/services/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: serviceSchema } } }, async (request) =>
      svc.getService(db, mustActor(request.actor), request.params.id),
    );
    app.patch(
      '/services/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateServiceRequestSchema, response: { 200: serviceSchema } } },
      async (request) => svc.updateService(db, mustActor(request.actor), request.params.id, request.body),
    );
    app.delete('/services/:id', { config: manage, schema: { tags, params: idParamsSchema, response: { 200: serviceSchema } } }, async (request) =>
      svc.retireService(db, mustActor(request.actor), request.params.id),
    );
    app.get(
      '/services/:id/availability',
      { config: read, schema: { tags, params: idParamsSchema, querystring: availabilityQuerySchema, response: { 200: serviceAvailabilitySchema } } },
      async (request) => svc.getAvailability(db, mustActor(request.actor), request.params.id, request.query.at),
    );

    app.get(
      '/services/:id/maintenance-windows',
      { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(maintenanceWindowSchema) } } },
      async (request) => svc.listWindows(db, mustActor(request.actor), request.params.id),
    );
    app.post(
      '/services/:id/maintenance-windows',
      { config: manage, schema: { tags, params: idParamsSchema, body: createMaintenanceWindowRequestSchema, response: { 201: maintenanceWindowSchema } } },
      async (request, reply) => reply.code(201).send(await svc.createWindow(db, mustActor(request.actor), request.params.id, request.body)),
    );
    app.patch(
      '/services/:id/maintenance-windows/:itemId',
      { config: manage, schema: { tags, params: serviceItemParamsSchema, body: updateMaintenanceWindowRequestSchema, response: { 200: maintenanceWindowSchema } } },
      async (request) => svc.updateWindow(db, mustActor(request.actor), request.params.id, request.params.itemId, request.body),
    );
    app.delete(
      '/services/:id/maintenance-windows/:itemId',
      { config: manage, schema: { tags, params: serviceItemParamsSchema, response: { 200: okSchema } } },
      async (request) => {
        await svc.deleteWindow(db, mustActor(request.actor), request.params.id, request.params.itemId);
        return { ok: true as const };
      },
    );

    app.get('/services/:id/outages', { config: read, schema: { tags, params: idParamsSchema, response: { 200: z.array(outageSchema) } } }, async (request) =>
      svc.listOutages(db, mustActor(request.actor), request.params.id),
    );
    app.post(
      '/services/:id/outages',
      { config: outages, schema: { tags, params: idParamsSchema, body: createOutageRequestSchema, response: { 201: outageSchema } } },
      async (request, reply) => reply.code(201).send(await svc.createOutage(db, mustActor(request.actor), request.params.id, request.body)),
    );
    app.patch(
      '/services/:id/outages/:itemId',
      { config: outages, schema: { tags, params: serviceItemParamsSchema, body: updateOutageRequestSchema, response: { 200: outageSchema } } },
      async (request) => svc.updateOutage(db, mustActor(request.actor), request.params.id, request.params.itemId, request.body),
    );
    app.delete(
      '/services/:id/outages/:itemId',
      { config: outages, schema: { tags, params: serviceItemParamsSchema, response: { 200: okSchema } } },
      async (request) => {
        await svc.deleteOutage(db, mustActor(request.actor), request.params.id, request.params.itemId);
        return { ok: true as const };
      },
    );

    // For the incident page: the outages recorded against an incident the caller can see.
    app.get(
      '/tickets/:id/outages',
      { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, response: { 200: z.array(outageSchema) } } },
      async (request) => svc.listTicketOutages(db, mustActor(request.actor), request.params.id),
    );
  };
}
