import type { MultipartFile } from '@fastify/multipart';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { storeUpload } from '../../platform/storage/upload.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { loadVisible } from './tickets.service.ts';
import * as qs from './tickets.queries.ts';
import type { attachments } from './tickets.tables.ts';

type Row = typeof attachments.$inferSelect;

export function attachmentDto(r: Row) {
  return {
    id: r.id,
    ticketId: r.ticketId,
    filename: r.filename,
    contentType: r.contentType,
    size: r.size,
    uploadedBy: r.uploadedBy,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listForTicket(deps: AppDeps, actor: Actor, ticketId: number) {
  await loadVisible(deps.db, actor, ticketId);
  return qs.listAttachments(deps.db, ticketId);
}

export async function upload(deps: AppDeps, actor: Actor, ticketId: number, file: MultipartFile | undefined) {
  const { db, storage } = deps;
  await loadVisible(db, actor, ticketId);
  const { stored, contentType, filename } = await storeUpload(deps, file);
  try {
    return await db.transaction(async (tx) => {
      const row = await qs.insertAttachment(tx, {
        ticketId,
        filename,
        contentType,
        size: stored.size,
        sha256: stored.sha256,
        storageKey: stored.key,
        uploadedBy: actor.userId > 0 ? actor.userId : null,
      });
      await qs.insertEvent(tx, {
        ticketId,
        kind: 'attachment',
        actorId: actor.userId > 0 ? actor.userId : null,
        data: { attachmentId: row.id, filename, size: stored.size, contentType },
      });
      await qs.touchTicket(tx, ticketId);
      await recordAudit(tx, { actor, action: 'attachment.upload', objectType: 'ticket', objectId: ticketId, result: 'success', details: { attachmentId: row.id, filename, size: stored.size, sha256: stored.sha256 } });
      return row;
    });
  } catch (err) {
    // Nothing half-written: no row, no orphan file.
    await storage.remove(stored.key);
    throw err;
  }
}

export async function download(deps: AppDeps, actor: Actor, id: number) {
  const { db, storage } = deps;
  const found = await qs.findAttachment(db, id);
  const scope = await ticketOrgScope(db, actor);
  if (!found || !inScope(scope, found.orgId)) {
    if (found) await recordAudit(db, { actor, action: 'access.denied', objectType: 'attachment', objectId: id, result: 'denied', details: { reason: 'out of tenant scope' } });
    throw new AppError('NOT_FOUND', { object: 'attachment' });
  }
  await recordAudit(db, { actor, action: 'attachment.download', objectType: 'attachment', objectId: id, result: 'success', details: { ticketId: found.a.ticketId } });
  return { row: found.a, stream: storage.get(found.a.storageKey) };
}
