import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cmdbExportQuerySchema, cmdbImportFieldsSchema, cmdbImportReportSchema, reconcileRequestSchema, reconcileResultSchema } from '@tianshu/contracts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { mustActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { findOrganization } from '../directory/directory.queries.ts';
import { buildTemplate, exportClass, importFile, IMPORT_MAX_BYTES } from './cmdb-import.service.ts';
import { reconcile } from './cmdb-reconcile.service.ts';
import { XLSX_MIME } from './cmdb-spreadsheet.ts';

export function cmdbImportRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  const tags = ['cmdb'];
  const manage = { auth: 'cmdb.ci.manage' } as const;
  const read = { auth: 'cmdb.read' } as const;
  return async (app) => {
    app.post(
      '/cmdb/import',
      { config: manage, schema: { tags, consumes: ['multipart/form-data'], response: { 200: cmdbImportReportSchema } } },
      async (request) => {
        const actor = mustActor(request.actor);
        if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const fields: Record<string, string> = {};
        let file: { buffer: Buffer; filename: string } | null = null;
        for await (const part of request.parts({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } })) {
          if (part.type === 'file') {
            const buffer = await part.toBuffer().catch((err: unknown) => {
              if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('CMDB_IMPORT_FILE_TOO_LARGE', { limit: '10 MB' });
              throw err;
            });
            file = { buffer, filename: part.filename };
          } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        }
        if (!file) throw new AppError('ATTACHMENT_MISSING');
        const parsed = cmdbImportFieldsSchema.safeParse({ mode: fields.mode || undefined, classKey: fields.classKey || undefined });
        if (!parsed.success) throw new AppError('VALIDATION_FAILED', { summary: `mode: ${fields.mode ?? ''}` });
        const f = parsed.data;
        return importFile(db, actor, request.locale, { buffer: file.buffer, filename: file.filename, mode: f.mode, classKey: f.classKey });
      },
    );
    app.get('/cmdb/import/template', { config: read, schema: { tags } }, async (request, reply) => {
      const actor = mustActor(request.actor);
      const org = actor.orgId > 0 ? await findOrganization(db, actor.orgId) : undefined;
      const buf = await buildTemplate({ orgCode: org?.code ?? 'PROVIDER' });
      return reply.header('Content-Type', XLSX_MIME).header('Content-Disposition', 'attachment; filename="cmdb-template.xlsx"').send(buf);
    });
    app.get('/cmdb/export', { config: read, schema: { tags, querystring: cmdbExportQuerySchema } }, async (request, reply) => {
      const r = await exportClass(db, mustActor(request.actor), request.query.classKey, request.query.orgId);
      return reply.header('Content-Type', XLSX_MIME).header('Content-Disposition', `attachment; filename="${r.filename}"`).send(r.buffer);
    });
    app.post('/cmdb/reconcile', { config: manage, schema: { tags, body: reconcileRequestSchema, response: { 200: reconcileResultSchema } } }, async (request) =>
      reconcile(db, mustActor(request.actor), request.locale, request.body),
    );
  };
}
