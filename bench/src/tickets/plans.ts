import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pg-proxy';
import * as schema from '../../../server/src/platform/db/schema.ts';
import { rows, type Db } from '../../../server/src/platform/db/db.ts';
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

/**
 * The SQL the server's own listTickets builds for a filter, captured without a database
 * (drizzle's proxy driver answers every query with no rows): items query, then count query.
 */
export async function captureListQueries(name: string, filter: Partial<ListFilter>): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  const proxy = drizzle(
    async (query, params) => {
      captured.push({ name: `${name} ${captured.length === 0 ? 'items' : 'count'}`, query, params });
      return { rows: [] };
    },
    { schema },
  ) as unknown as Db;
  await listTickets(proxy, { page: 1, pageSize: 20, sort: '-createdAt', scope: null, me: 0, myGroups: [], ...filter });
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

/** The list and search queries the benchmark's read scenarios hit. */
export async function benchQueries(): Promise<CapturedQuery[]> {
  return [
    ...(await captureListQueries('list', {})),
    ...(await captureListQueries('list state=in_progress&priority=1,2', { state: ['in_progress'], priority: [1, 2] })),
    ...(await captureListQueries('search q=宕机', { q: '宕机' })),
  ];
}
