import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

/** Where attachment bytes live. A local directory now; an S3-compatible store can implement the same. */
export type Storage = {
  put(stream: Readable): Promise<{ key: string; size: number; sha256: string; head: Buffer }>;
  get(key: string): Readable;
  remove(key: string): Promise<void>;
};

export function createStorage(root: string): Storage {
  const full = (key: string) => {
    if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key)) throw new Error('bad storage key');
    return path.join(root, key);
  };
  return {
    async put(stream) {
      const id = crypto.randomUUID();
      const key = `${id.slice(0, 2)}/${id}`;
      const file = full(key);
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const hash = crypto.createHash('sha256');
      let size = 0;
      const headChunks: Buffer[] = [];
      let headLen = 0;
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
        if (headLen < 4100) {
          headChunks.push(chunk);
          headLen += chunk.length;
        }
      });
      try {
        await pipeline(stream, fs.createWriteStream(file, { flags: 'wx' }));
      } catch (err) {
        await fs.promises.rm(file, { force: true });
        throw err;
      }
      return { key, size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks).subarray(0, 4100) };
    },
    get(key) {
      return fs.createReadStream(full(key));
    },
    async remove(key) {
      await fs.promises.rm(full(key), { force: true });
    },
  };
}
