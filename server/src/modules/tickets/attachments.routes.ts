import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentSchema, idParamsSchema } from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import * as svc from './attachments.service.ts';

export function attachmentRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const tags = ['attachments'];
  return async (app) => {
    app.get(
      '/tickets/:id/attachments',
      { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema, response: { 200: z.array(attachmentSchema) } } },
      async (request) => (await svc.listForTicket(deps, mustActor(request.actor), request.params.id)).map(svc.attachmentDto),
    );
    app.post(
      '/tickets/:id/attachments',
      {
        config: { auth: 'ticket.read' },
        schema: { tags, params: idParamsSchema, consumes: ['multipart/form-data'], response: { 201: attachmentSchema } },
      },
      async (request, reply) => {
        const actor = mustActor(request.actor);
        const file = await request.file();
        const row = await svc.upload(deps, actor, request.params.id, file);
        return reply.code(201).send(svc.attachmentDto(row));
      },
    );
    app.get(
      '/attachments/:id/download',
      { config: { auth: 'ticket.read' }, schema: { tags, params: idParamsSchema } },
      async (request, reply) => {
        const { row, stream } = await svc.download(deps, mustActor(request.actor), request.params.id);
        const ascii = row.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
        return reply
          .header('Content-Type', row.contentType)
          .header('Content-Length', String(row.size))
          .header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.filename)}`)
          .send(stream);
      },
    );
  };
}
