import type { MultipartFile } from '@fastify/multipart';
import { fileTypeFromBuffer } from 'file-type';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppDeps } from '../../platform/http/deps.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { loadVisible } from './tickets.service.ts';
import * as qs from './tickets.queries.ts';
import type { attachments } from './tickets.tables.ts';

type Row = typeof attachments.$inferSelect;

/** Executables are refused; everything else is stored and always served as a download. */
const REJECTED = new Set([
  'application/x-msdownload',
  'application/x-elf',
  'application/x-executable',
  'application/x-mach-binary',
  'application/x-sharedlib',
  'application/vnd.microsoft.portable-executable',
]);

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

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned || 'file';
}

export async function listForTicket(deps: AppDeps, actor: Actor, ticketId: number) {
  await loadVisible(deps.db, actor, ticketId);
  return qs.listAttachments(deps.db, ticketId);
}

export async function upload(deps: AppDeps, actor: Actor, ticketId: number, file: MultipartFile | undefined) {
  const { db, storage, config } = deps;
  await loadVisible(db, actor, ticketId);
  if (!file) throw new AppError('ATTACHMENT_MISSING');
  const stored = await storage.put(file.file);
  const limitText = `${Math.round(config.attachmentMaxBytes / 1024 / 1024)} MB`;
  if (file.file.truncated) {
    await storage.remove(stored.key);
    throw new AppError('ATTACHMENT_TOO_LARGE', { limit: limitText });
  }
  if (stored.size === 0) {
    await storage.remove(stored.key);
    throw new AppError('ATTACHMENT_MISSING');
  }
  const sniffed = await fileTypeFromBuffer(stored.head);
  const contentType = sniffed?.mime ?? (looksLikeText(stored.head) ? 'text/plain; charset=utf-8' : 'application/octet-stream');
  if (REJECTED.has(sniffed?.mime ?? '')) {
    await storage.remove(stored.key);
    throw new AppError('ATTACHMENT_TYPE_REJECTED', { type: sniffed?.ext ?? '' });
  }
  const filename = cleanName(file.filename);
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
