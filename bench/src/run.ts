// `npm run bench -- <name> [options]`: runs one benchmark against PGlite and/or PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/server-process.ts';
import { benchPgUrl, postgresAvailable, type DbKind } from './lib/targets.ts';
import { BenchFailure, runTicketsOn, type TicketsBenchResult } from './tickets/tickets.bench.ts';
import { cpuTable, plansTable, ticketsNotes, ticketsTable } from './tickets/report.ts';

const USAGE = `usage: npm run bench -- <benchmark> [options]

benchmarks:
  tickets            ticket create / list / search through the HTTP API

options:
  --db pglite|postgres|both   databases to run on (default both; PostgreSQL is skipped under
                              "both" when nothing answers at BENCH_DATABASE_URL, default
                              postgres://postgres@127.0.0.1:5432/tianshu_bench, dropped and recreated)
  --tickets N                 tickets bulk-loaded before measuring (default 100000)
  --duration S                seconds per measured create run (default 10)
  --warmup S                  warm-up seconds before each create run (default 2)
  --requests N                measured requests per read scenario at concurrency 1 (default 400)
  --out DIR                   results directory (default bench/results, or bench/results/quick
                              when --tickets is not the default)
  --keep                      keep the PGlite data dir (the PostgreSQL database is always kept)
`;

const DEFAULT_TICKETS = 100_000;

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      db: { type: 'string', default: 'both' },
      tickets: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      requests: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const name = positionals[0];
  if (values.help || !name) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (name !== 'tickets') {
    process.stderr.write(`unknown benchmark "${name}"\n\n${USAGE}`);
    return 2;
  }
  const dbArg = values.db;
  if (dbArg !== 'pglite' && dbArg !== 'postgres' && dbArg !== 'both') throw new Error(`--db must be pglite, postgres or both, got "${dbArg}"`);
  const tickets = positiveInt('tickets', values.tickets, DEFAULT_TICKETS);
  const opts = {
    tickets,
    durationMs: positiveInt('duration', values.duration, 10) * 1000,
    warmupMs: positiveInt('warmup', values.warmup, 2) * 1000,
    readRequests: Math.max(1, positiveInt('requests', values.requests, 400)),
    keepData: values.keep,
    log: (msg: string) => process.stdout.write(`${msg}\n`),
  };
  const outDir = path.resolve(values.out ?? path.join(REPO_ROOT, 'bench/results', tickets === DEFAULT_TICKETS ? '' : 'quick'));

  const kinds: DbKind[] = [];
  if (dbArg !== 'postgres') kinds.push('pglite');
  if (dbArg !== 'pglite') {
    if (await postgresAvailable()) kinds.push('postgres');
    else if (dbArg === 'postgres') throw new Error(`PostgreSQL does not answer at ${benchPgUrl()}`);
    else opts.log(`PostgreSQL does not answer at ${benchPgUrl()}: running on PGlite only.`);
  }

  const results: TicketsBenchResult[] = [];
  for (const kind of kinds) {
    const r = await runTicketsOn(kind, opts);
    results.push(r);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `tickets-${kind}.json`), `${JSON.stringify(r, null, 2)}\n`);
  }

  // The markdown covers every tickets-*.json in the directory, so a one-database run keeps the other's column.
  const all = (['pglite', 'postgres'] as const)
    .map((k) => path.join(outDir, `tickets-${k}.json`))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as TicketsBenchResult);
  const table = ticketsTable(all);
  const notes = ticketsNotes(all);
  const md = [
    '# Tickets benchmark results',
    '',
    `Command: \`npm run bench -- tickets${tickets === DEFAULT_TICKETS ? '' : ` --tickets ${tickets}`}\` (see docs/benchmarks.md).`,
    'Throughput is successful operations per second of wall time; latency is measured by the client, from request start to the last byte.',
    '',
    table,
    '',
    notes,
    '',
    '## Where the CPU went',
    '',
    'CPU time per successful operation from /proc: the server process (on PGlite the database runs inside it), the PostgreSQL processes serving the bench database, and the cores used by anything else on the machine meanwhile.',
    '',
    cpuTable(all),
    '',
    '## Query plans at load time',
    '',
    'EXPLAIN ANALYZE (second, warm run) of the SQL the server builds for the read scenarios, right after the bulk load and VACUUM ANALYZE. Full plans are in the JSON (`seed.plans`).',
    '',
    plansTable(all),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(outDir, 'tickets.md'), md);
  process.stdout.write(`\n${table}\n\n${notes}\n\nresults: ${path.relative(process.cwd(), outDir) || '.'}/tickets-*.json, tickets.md\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof BenchFailure ? `BENCHMARK FAILED: ${err.message}` : `bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    process.stderr.write(`\n${'!'.repeat(72)}\n${msg}\n${'!'.repeat(72)}\n`);
    process.exit(1);
  },
);
