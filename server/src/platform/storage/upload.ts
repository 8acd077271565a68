import type { Multipart, MultipartFile } from '@fastify/multipart';
import { fileTypeFromBuffer } from 'file-type';
import type { AppDeps } from '../http/deps.ts';
import { AppError } from '../errors/error-registry.ts';
import type { Storage } from './storage.ts';

export type StoredFile = Awaited<ReturnType<Storage['put']>>;
/** An uploaded file that passed the checks: its bytes are in storage under `stored.key`. */
export type StoredUpload = { stored: StoredFile; contentType: string; filename: string };

/** Executables are refused; everything else is stored and always served as a download. */
const REJECTED = new Set([
  'application/x-msdownload',
  'application/x-elf',
  'application/x-executable',
  'application/x-mach-binary',
  'application/x-sharedlib',
  'application/vnd.microsoft.portable-executable',
]);

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    // The last bytes may cut a multi-byte character in half: leave them out.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/** The base name without path parts or control characters, at most 200 characters. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned || 'file';
}

/**
 * Streams an uploaded file into storage and checks it: size limit, not empty, type sniffed from the
 * bytes (the declared type is ignored), executables refused. On refusal the stored bytes are removed
 * and an AppError is thrown; on success the caller owns the stored file and must remove it if its
 * own transaction fails.
 */
export async function storeUpload(deps: Pick<AppDeps, 'storage' | 'config'>, file: MultipartFile | undefined): Promise<StoredUpload> {
  const { storage, config } = deps;
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
  return { stored, contentType, filename: cleanName(file.filename) };
}

/**
 * Reads a whole multipart request: the one file through storeUpload, the text fields by name (before
 * or after the file). A request without a file is refused; if anything fails after the file was
 * stored, the file is removed again.
 */
export async function storeUploadWithFields(
  deps: Pick<AppDeps, 'storage' | 'config'>,
  parts: AsyncIterable<Multipart>,
): Promise<{ upload: StoredUpload; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  let upload: StoredUpload | undefined;
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        // The app-wide multipart limit already allows one file per request; this keeps a looser caller safe.
        if (upload) throw new AppError('VALIDATION_FAILED', { summary: 'one file per request' });
        upload = await storeUpload(deps, part);
      }
      else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    if (upload) await deps.storage.remove(upload.stored.key);
    throw err;
  }
  if (!upload) throw new AppError('ATTACHMENT_MISSING');
  return { upload, fields };
}
