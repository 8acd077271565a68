import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { priorityMatrixSchema } from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { getPriorityMatrix } from '../tickets/tickets.service.ts';
import { setPriorityMatrix } from './settings.service.ts';

export function settingsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.get(
      '/settings/priority-matrix',
      { config: { auth: ['ticket.read', 'settings.manage'] }, schema: { tags: ['settings'], response: { 200: priorityMatrixSchema } } },
      async () => getPriorityMatrix(db),
    );
    app.put(
      '/settings/priority-matrix',
      { config: { auth: 'settings.manage' }, schema: { tags: ['settings'], body: priorityMatrixSchema, response: { 200: priorityMatrixSchema } } },
      async (request) => setPriorityMatrix(db, mustActor(request.actor), request.body),
    );
  };
}
