import pg from 'pg';
import { runLoad, type LoadResult } from '../lib/load.ts';

/**
 * The PostgreSQL ceiling for durable single-row writes on this machine: autocommit INSERTs (each
 * its own transaction and WAL flush) from a pg.Pool of 16 at concurrency 16, into a scratch table.
 */
export async function rawInsertCeiling(databaseUrl: string, opts: { concurrency: number; durationMs: number; warmupMs: number }): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.concurrency });
  try {
    await pool.query('DROP TABLE IF EXISTS bench_raw_insert');
    await pool.query(`CREATE TABLE bench_raw_insert (
      id bigserial PRIMARY KEY,
      title text NOT NULL,
      org_id bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    const op = async (i: number) => {
      const t = performance.now();
      const r = await pool.query('INSERT INTO bench_raw_insert (title, org_id) VALUES ($1, $2)', [`深圳机房服务器宕机 #${i}`, (i % 8) + 1]);
      return { ms: performance.now() - t, ok: r.rowCount === 1, status: r.rowCount === 1 ? 200 : 500, detail: 'rowCount != 1' };
    };
    await runLoad({ concurrency: opts.concurrency, durationMs: opts.warmupMs, op });
    const result = await runLoad({ concurrency: opts.concurrency, durationMs: opts.durationMs, op });
    await pool.query('DROP TABLE bench_raw_insert');
    return result;
  } finally {
    await pool.end();
  }
}
