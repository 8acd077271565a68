import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { packageVersion } from './machine.ts';

export type DbKind = 'pglite' | 'postgres';

/** A fresh, empty database for one benchmark run. */
export type Target = {
  kind: DbKind;
  label: string;
  /** PGlite data dir (server DATA_DIR), or a scratch dir for attachments with PostgreSQL. */
  dataDir: string;
  databaseUrl?: string;
  cleanup(): Promise<void>;
};

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/tianshu_bench';

export function benchPgUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL;
}

function maintenanceUrl(url: string): { admin: string; dbName: string } {
  const u = new URL(url);
  const dbName = decodeURIComponent(u.pathname.replace(/^\//, ''));
  u.pathname = '/postgres';
  return { admin: u.toString(), dbName };
}

/** True when a PostgreSQL server answers at the bench URL's host (checked via the `postgres` database). */
export async function postgresAvailable(url = benchPgUrl()): Promise<boolean> {
  const client = new pg.Client({ connectionString: maintenanceUrl(url).admin, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The bench URL with another database name (benchmarks that must not clash with each other's database). */
export function benchPgUrlFor(dbName: string): string {
  const u = new URL(benchPgUrl());
  u.pathname = `/${encodeURIComponent(dbName)}`;
  return u.toString();
}

/** The database name of a PostgreSQL URL. */
export function pgDatabaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** `pgDatabase`: on PostgreSQL, use this database name instead of the bench URL's. */
export async function freshTarget(kind: DbKind, pgDatabase?: string): Promise<Target> {
  if (kind === 'pglite') {
    const dir = tempDir('tianshu-bench-pglite-');
    return {
      kind,
      label: `PGlite ${packageVersion('@electric-sql/pglite') ?? ''}`.trim(),
      dataDir: dir,
      async cleanup() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = pgDatabase ? benchPgUrlFor(pgDatabase) : benchPgUrl();
  const { admin, dbName } = maintenanceUrl(url);
  // The database is dropped and recreated: refuse anything that is not clearly a bench database.
  if (!/bench/i.test(dbName)) throw new Error(`refusing to drop database "${dbName}": its name must contain "bench"`);
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  let version = '';
  try {
    const ident = `"${dbName.replace(/"/g, '""')}"`;
    await client.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${ident}`);
    const r = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    version = (r.rows[0]?.v ?? '').split(' ')[0] ?? '';
  } finally {
    await client.end();
  }
  const dir = tempDir('tianshu-bench-pg-');
  return {
    kind,
    label: `PostgreSQL ${version}`.trim(),
    dataDir: dir,
    databaseUrl: url,
    async cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
