import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type pg from 'pg';
import * as schema from '../../../server/src/platform/db/schema.ts';
import { rows, type Database, type Db } from '../../../server/src/platform/db/db.ts';
import { listTickets, type ListFilter } from '../../../server/src/modules/tickets/tickets.queries.ts';

export type CapturedQuery = { name: string; query: string; params: unknown[] };

export type QueryPlan = {
  name: string;
  query: string;
  params: unknown[];
  planningMs: number | null;
  executionMs: number | null;
  /** The scan nodes of the plan, e.g. "Parallel Seq Scan on tickets". */
  scans: string[];
  plan: string[];
};

/** A second drizzle handle on the same connection, logging every statement it sends. */
export function loggingDb(database: Database, onQuery: (query: string, params: unknown[]) => void): Db {
  const logger = { logQuery: onQuery };
  // drizzle exposes the driver's client as $client; the server's Database type does not declare it.
  const client = (database.db as unknown as { $client: unknown }).$client;
  return (
    database.kind === 'postgres'
      ? drizzlePg(client as pg.Pool, { schema, logger })
      : drizzlePglite(client as PGlite, { schema, logger })
  ) as unknown as Db;
}

function kindOf(query: string): string {
  const q = query.trim().toLowerCase();
  if (q.startsWith('select count(')) return 'count';
  if (/^select ("tickets"\.)?"id" from "tickets"/.test(q)) return 'page ids';
  if (/^select .* from "tickets"/.test(q)) return 'rows';
  return 'query';
}

/**
 * The statements the server's own listTickets sends for a filter, in order, with their real
 * parameters: whatever shape the query code has today, the plans follow it.
 */
export async function captureListQueries(database: Database, name: string, filter: Partial<ListFilter>): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  const db = loggingDb(database, (query, params) => {
    captured.push({ name: `${name}: ${kindOf(query)}`, query, params });
  });
  await listTickets(db, { page: 1, pageSize: 20, sort: '-createdAt', scope: null, me: 0, myGroups: [], ...filter });
  return captured;
}

/** Rebinds $1..$n of a captured query as drizzle parameters (numbered again by the driver). */
function rebind(query: string, params: unknown[]): SQL {
  const parts = query.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i % 2 === 0) chunks.push(sql.raw(part));
    else chunks.push(sql`${sql.param(params[Number(part) - 1])}`);
  }
  return sql.join(chunks, sql``);
}

/** EXPLAIN (ANALYZE, BUFFERS) of each query, run twice; the second (warm) run is kept. */
export async function explainQueries(db: Db, queries: CapturedQuery[]): Promise<QueryPlan[]> {
  const out: QueryPlan[] = [];
  for (const q of queries) {
    const stmt = sql`EXPLAIN (ANALYZE, BUFFERS) ${rebind(q.query, q.params)}`;
    await rows(db, stmt);
    const lines = (await rows<Record<string, string>>(db, stmt)).map((r) => String(Object.values(r)[0] ?? ''));
    const ms = (label: string) => {
      const m = new RegExp(`${label} Time: ([0-9.]+) ms`).exec(lines.join('\n'));
      return m?.[1] ? Number(m[1]) : null;
    };
    const scans = [
      ...new Set(
        lines
          .map((l) => /((?:Parallel )?(?:Seq|Index|Index Only|Bitmap Heap|Bitmap Index) Scan(?: Backward)?(?: using \S+)? on \S+)/.exec(l)?.[1])
          .filter((s): s is string => s !== undefined),
      ),
    ];
    out.push({ name: q.name, query: q.query, params: q.params, planningMs: ms('Planning'), executionMs: ms('Execution'), scans, plan: lines });
  }
  return out;
}

/** Plans of the SQL behind the benchmark's read scenarios, on the loaded database. */
export async function benchPlans(database: Database): Promise<QueryPlan[]> {
  const queries = [
    ...(await captureListQueries(database, 'list', {})),
    ...(await captureListQueries(database, 'list state=in_progress&priority=1,2', { state: ['in_progress'], priority: [1, 2] })),
    ...(await captureListQueries(database, 'search q=宕机', { q: '宕机' })),
  ];
  return explainQueries(database.db, queries);
}
