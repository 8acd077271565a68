import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  calendarComputeQuerySchema,
  calendarComputeResultSchema,
  calendarImportResultSchema,
  calendarSchema,
  calendarSummarySchema,
  createCalendarRequestSchema,
  idParamsSchema,
  setCalendarDaysRequestSchema,
  updateCalendarRequestSchema,
} from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import * as svc from './calendars.service.ts';
import { listCalendars } from './calendars.queries.ts';

const MAX_ICS_BYTES = 2 * 1024 * 1024;

export function calendarRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['calendars'];
  const read = { auth: ['settings.manage', 'ticket.read'] } as const;
  const manage = { auth: 'settings.manage' } as const;
  return async (app) => {
    app.get('/calendars', { config: read, schema: { tags, response: { 200: z.array(calendarSummarySchema) } } }, async () =>
      (await listCalendars(db)).map(svc.summaryDto),
    );
    app.get('/calendars/:id', { config: read, schema: { tags, params: idParamsSchema, response: { 200: calendarSchema } } }, async (request) =>
      svc.getCalendar(db, request.params.id),
    );
    app.post(
      '/calendars',
      { config: manage, schema: { tags, body: createCalendarRequestSchema, response: { 201: calendarSchema } } },
      async (request, reply) => reply.code(201).send(await svc.createCalendar(db, mustActor(request.actor), request.body)),
    );
    app.patch(
      '/calendars/:id',
      { config: manage, schema: { tags, params: idParamsSchema, body: updateCalendarRequestSchema, response: { 200: calendarSchema } } },
      async (request) => svc.updateCalendar(db, mustActor(request.actor), request.params.id, request.body),
    );
    app.post(
      '/calendars/:id/days',
      { config: manage, schema: { tags, params: idParamsSchema, body: setCalendarDaysRequestSchema, response: { 200: calendarSchema } } },
      async (request) => svc.setCalendarDays(db, mustActor(request.actor), request.params.id, request.body),
    );
    app.get('/calendars/:id/export.ics', { config: read, schema: { tags, params: idParamsSchema } }, async (request, reply) => {
      const { body } = await svc.exportIcs(db, request.params.id);
      return reply
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="calendar-${request.params.id}.ics"`)
        .send(body);
    });
    app.post(
      '/calendars/:id/import',
      { config: manage, schema: { tags, params: idParamsSchema, consumes: ['multipart/form-data'], response: { 200: calendarImportResultSchema } } },
      async (request) => {
        const file = await request.file({ limits: { fileSize: MAX_ICS_BYTES } });
        if (!file) throw new AppError('ATTACHMENT_MISSING');
        const buf = await file.toBuffer().catch((err: unknown) => {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('ATTACHMENT_TOO_LARGE', { limit: '2 MB' });
          throw err;
        });
        return svc.importIcs(db, mustActor(request.actor), request.params.id, buf.toString('utf8'));
      },
    );
    app.get(
      '/calendars/:id/compute',
      { config: read, schema: { tags, params: idParamsSchema, querystring: calendarComputeQuerySchema, response: { 200: calendarComputeResultSchema } } },
      async (request) => svc.compute(db, request.params.id, request.query),
    );
  };
}
