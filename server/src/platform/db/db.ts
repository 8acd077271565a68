import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** One handle type for both drivers: the same queries run on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the pool or an open transaction. */
export type Queryable = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The driver underneath, for pg-boss (its own pool on PostgreSQL; the same PGlite instance). */
  raw: { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; connectionString: string };
  /**
   * LISTEN on a channel (NOTIFY is sent with pg_notify inside a transaction, delivered on commit).
   * Resolves to an unlisten function. PostgreSQL holds one dedicated connection for all channels.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

type RawRunner = (name: string, text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
const rawRunners = new WeakMap<object, RawRunner>();

/**
 * Runs a hot statement as a named prepared statement on PostgreSQL (planned once per connection,
 * not on every call); on PGlite, a plain parameterised query. `text` uses $1..$n placeholders.
 * Only for a few statements on the request path whose planning costs as much as their execution.
 */
export async function runPrepared<T>(db: Db, name: string, text: string, params: unknown[]): Promise<T[]> {
  const run = rawRunners.get(db);
  if (!run) throw new Error('database handle not opened with openDatabase');
  return (await run(name, text, params)) as T[];
}

/** runPrepared on a pool handle; inside a transaction, the same statement with bound parameters. */
export async function runPreparedOn<T>(q: Queryable, name: string, text: string, params: unknown[]): Promise<T[]> {
  const run = rawRunners.get(q);
  if (run) return (await run(name, text, params)) as T[];
  return runWithPlaceholders<T>(q, text, params);
}

// int8 as JS numbers on node-postgres, as PGlite already does (ids stay below 2^53).
pg.types.setTypeParser(20, (v) => Number(v));

const migrationsFolder = path.resolve(import.meta.dirname, '../../../drizzle');

export type OpenOptions = {
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' for an in-memory database (tests). */
  dataDir: string;
  poolSize?: number;
};

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
    pool.on('error', () => {
      // An idle client died (server restart); the pool replaces it on the next query.
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    rawRunners.set(db, async (name, text, params) => (await pool.query({ name, text, values: params })).rows as Record<string, unknown>[]);
    const listener = pgListener(opts.databaseUrl);
    return {
      db,
      kind: 'postgres',
      raw: { kind: 'postgres', connectionString: opts.databaseUrl },
      listen: listener.listen,
      async ping() {
        await pool.query('select 1');
      },
      async close() {
        await listener.close();
        await pool.end();
      },
    };
  }
  let target = opts.dataDir;
  if (!target.startsWith('memory://')) {
    target = path.join(opts.dataDir, 'pgdata');
    // PGlite does not create parent directories.
    fs.mkdirSync(target, { recursive: true });
  }
  const client = await PGlite.create(target, {
    extensions: { pg_trgm },
    // Without these the WAL grows towards 1 GB on an embedded install.
    postgresqlconf: ['max_wal_size = 64MB', 'min_wal_size = 32MB'],
  } as Parameters<typeof PGlite.create>[1]);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  rawRunners.set(db, async (_name, text, params) => (await client.query<Record<string, unknown>>(text, params)).rows);
  return {
    db,
    kind: 'pglite',
    raw: { kind: 'pglite', client },
    async listen(channel, onPayload) {
      return client.listen(channel, onPayload);
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      try {
        await client.query('CHECKPOINT');
      } finally {
        await client.close();
      }
    },
  };
}

/** One lazily opened LISTEN connection shared by every channel; reconnects after a failure. */
function pgListener(connectionString: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;
  const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`;
  const connect = () => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString });
      c.on('notification', (n) => {
        for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
      });
      c.on('error', () => {
        // Drop it; the next listen() or the retry below reconnects and re-subscribes.
        client = null;
        connecting = null;
        if (!closed && handlers.size) setTimeout(() => void connect().catch(() => undefined), 1000).unref();
      });
      await c.connect();
      for (const channel of handlers.keys()) await c.query(`LISTEN ${quote(channel)}`);
      client = c;
      return c;
    })();
    connecting.catch(() => {
      connecting = null;
    });
    return connecting;
  };
  return {
    async listen(channel: string, onPayload: (payload: string) => void) {
      let set = handlers.get(channel);
      const first = !set;
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(onPayload);
      const c = client ?? (await connect());
      if (first) await c.query(`LISTEN ${quote(channel)}`); // harmless if connect() already did
      return async () => {
        set.delete(onPayload);
        if (set.size === 0) {
          handlers.delete(channel);
          await client?.query(`UNLISTEN ${quote(channel)}`).catch(() => undefined);
        }
      };
    },
    async close() {
      closed = true;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/** Applies the committed drizzle-kit migrations with the native migrator of each driver. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    await migratePg(database.db as unknown as Parameters<typeof migratePg>[0], { migrationsFolder });
  } else {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
  }
}

/**
 * Runs a statement written with $1..$n placeholders on any Queryable (inside a transaction too,
 * where runPrepared cannot go): each placeholder becomes a bound parameter.
 */
export async function runWithPlaceholders<T>(q: Queryable, text: string, params: readonly unknown[]): Promise<T[]> {
  const chunks: SQL[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, m.index)), sql`${params[Number(m[1]) - 1]}`);
    last = m.index + m[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return rows<T>(q, sql.join(chunks));
}

/**
 * Runs several writes (insert / update / delete builders or sql) in one round trip, as the
 * data-modifying CTEs of one statement: each runs exactly once and to completion, all or none.
 * Round trips are what a request pays most for on these machines (each is a socket write and a
 * wake-up of the server process), so the hot write paths batch their inserts this way. The
 * statements cannot see each other's rows. `first` needs a RETURNING clause: its rows (raw column
 * names) are the result.
 */
export async function writeTogether<T = Record<string, unknown>>(q: Queryable, first: SQLWrapper, ...rest: SQLWrapper[]): Promise<T[]> {
  // getSQL(): an embedded builder would come wrapped in parentheses, which a CTE body must not have.
  const others = rest.map((w, i) => sql`, ${sql.raw(`w${i + 1}`)} AS (${w.getSQL()})`);
  return rows<T>(q, sql`WITH w0 AS (${first.getSQL()})${sql.join(others)} SELECT * FROM w0`);
}

/** Rows of a raw SQL query, whichever driver runs it. */
export async function rows<T>(q: Queryable, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await q.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
