import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEntrySchema, auditQuerySchema, auditVerifySchema, pageOf } from '@tianshu/contracts';
import type { AppDeps } from '../http/deps.ts';
import { mustActor } from '../auth/actor.ts';
import { iterateAudit, searchAudit } from './audit.queries.ts';
import { recordAudit, verifyAudit } from './audit.service.ts';
import type { auditLog } from './audit.tables.ts';

type Row = typeof auditLog.$inferSelect;
const entryOut = (r: Row) => ({
  id: r.id,
  at: r.at.toISOString(),
  actorId: r.actorId,
  actorName: r.actorName,
  actorIp: r.actorIp,
  action: r.action,
  objectType: r.objectType,
  objectId: r.objectId,
  result: r.result,
  details: r.details,
  sealed: r.hash !== null,
});

/** Quotes a CSV cell and defuses spreadsheet formulas (=, +, -, @ at the start). */
function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replaceAll('"', '""')}"`;
}

export function auditRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.get(
      '/audit',
      { config: { auth: 'audit.read' }, schema: { tags: ['audit'], querystring: auditQuerySchema, response: { 200: pageOf(auditEntrySchema) } } },
      async (request) => {
        const q = request.query;
        const r = await searchAudit(db, q);
        return { items: r.items.map(entryOut), total: r.total, page: q.page, pageSize: q.pageSize };
      },
    );
    app.get(
      '/audit/export',
      { config: { auth: 'audit.read' }, schema: { tags: ['audit'], querystring: auditQuerySchema } },
      async (request, reply) => {
        const actor = mustActor(request.actor);
        const { page: _p, pageSize: _s, ...filters } = request.query;
        await recordAudit(db, { actor, action: 'audit.export', objectType: 'audit_log', result: 'success', details: { filters } });
        const header = ['id', 'time', 'actor', 'actor_ip', 'action', 'object_type', 'object_id', 'result', 'details', 'sealed'];
        async function* lines() {
          // BOM so Excel opens the UTF-8 Chinese text correctly.
          yield `\uFEFF${header.join(',')}\r\n`;
          for await (const page of iterateAudit(db, filters)) {
            yield page
              .map((r) =>
                [r.id, r.at.toISOString(), r.actorName, r.actorIp, r.action, r.objectType, r.objectId, r.result, r.details, r.hash !== null]
                  .map(csvCell)
                  .join(','),
              )
              .join('\r\n') + '\r\n';
          }
        }
        const stamp = new Date().toISOString().slice(0, 10);
        reply
          .header('Content-Type', 'text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`);
        return reply.send(Readable.from(lines()));
      },
    );
    app.get(
      '/audit/verify',
      { config: { auth: 'audit.read' }, schema: { tags: ['audit'], response: { 200: auditVerifySchema } } },
      async (request) => {
        const result = await verifyAudit(db);
        await recordAudit(db, { actor: mustActor(request.actor), action: 'audit.verify', objectType: 'audit_log', result: 'success', details: { ok: result.ok, checked: result.checked } });
        return result;
      },
    );
  };
}
