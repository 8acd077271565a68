// `npm run bench -- <name> [options]`: runs one benchmark against PGlite and/or PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/server-process.ts';
import { benchPgUrl, pgDatabaseOf, postgresAvailable, type DbKind } from './lib/targets.ts';
import { BenchFailure, runTicketsOn, type TicketsBenchResult } from './tickets/tickets.bench.ts';
import { cpuTable, plansTable, ticketsNotes, ticketsTable } from './tickets/report.ts';
import { runBusinessTime } from './sla/business-time.bench.ts';
import { runSlaOn, type SlaBenchResult } from './sla/sla.bench.ts';
import { businessTimeNotes, businessTimeTable, passesTable, plansTable as slaPlansTable, sweepNotes, sweepTable } from './sla/report.ts';
import { runCmdbOn, type CmdbBenchResult } from './cmdb/cmdb.bench.ts';
import { notes as cmdbNotes, plansTable as cmdbPlansTable, scenarioTable, seedTable } from './cmdb/report.ts';
import { reconcileTable, runReconcileOn, type ReconcileBenchResult } from './cmdb/reconcile.bench.ts';
import { calendarSection, runCalendarPart } from './workflow/calendar-report.ts';
import { runTransitionsPart, transitionsSection } from './workflow/transitions-report.ts';

const USAGE = `usage: npm run bench -- <benchmark> [options]

benchmarks:
  tickets            ticket create / list / search through the HTTP API
  sla                business-time arithmetic (no database), then the SLA breach sweep over N open
                     tickets with running clocks (in process, no HTTP)
  cmdb               CI impact analysis (impact / affectedServices, in process, no HTTP) over N CIs
                     and M relations in a layered data-centre topology
  workflow           transitions through the HTTP API (normal changes with CAB approvals, concurrency 16),
                     then the change-calendar conflict check against 10,000 scheduled changes (in process)

options:
  --db pglite|postgres|both   databases to run on (default both; PostgreSQL is skipped under
                              "both" when nothing answers at BENCH_DATABASE_URL, default
                              postgres://postgres@127.0.0.1:5432/tianshu_bench, dropped and recreated)
  --tickets N                 tickets bulk-loaded before measuring (default 100000)
  --duration S                tickets: seconds per measured create run (default 10)
  --warmup S                  tickets: warm-up seconds before each create run (default 2)
  --requests N                tickets: measured requests per read scenario at concurrency 1 (default 400)
  --runs N                    sla: timed runs per sweep query (default 50); cmdb: timed calls per
                              scenario (default 200)
  --cis N                     cmdb: CIs bulk-loaded (default 100000)
  --relations M               cmdb: relations bulk-loaded (default 300000); on PostgreSQL cmdb uses the
                              database "<bench database>_cmdb" (default tianshu_bench_cmdb)
  --out DIR                   results directory (default bench/results, or bench/results/quick
                              when --tickets / --cis / --relations is not the default)
  --part impact|reconcile|all cmdb: impact analysis, the reconciliation upsert (20,000 CIs in batches of
                              1,000, three passes; PostgreSQL database "<bench database>_cmdb_reconcile"),
                              or both (default all); cmdb.md always shows every part's latest JSON
  --part transitions|calendar|all
                              workflow: the transitions part, the calendar part, or both (default all);
                              PostgreSQL databases "<bench database>_workflow" and "<bench database>_calendar"
  --concurrency N             workflow transitions: closed-loop workers (default 16)
  --keep                      keep the PGlite data dir (the PostgreSQL database is always kept)
`;

const DEFAULT_TICKETS = 100_000;
const DEFAULT_CIS = 100_000;
const DEFAULT_RELATIONS = 300_000;

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
      runs: { type: 'string' },
      cis: { type: 'string' },
      relations: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      part: { type: 'string', default: 'all' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const name = positionals[0];
  if (values.help || !name) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (name !== 'tickets' && name !== 'sla' && name !== 'cmdb' && name !== 'workflow') {
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
  const cis = positiveInt('cis', values.cis, DEFAULT_CIS);
  const relations = positiveInt('relations', values.relations, DEFAULT_RELATIONS);
  const isDefault = name === 'cmdb' ? cis === DEFAULT_CIS && relations === DEFAULT_RELATIONS : tickets === DEFAULT_TICKETS;
  const outDir = path.resolve(values.out ?? path.join(REPO_ROOT, 'bench/results', isDefault ? '' : 'quick'));

  const kinds: DbKind[] = [];
  if (dbArg !== 'postgres') kinds.push('pglite');
  if (dbArg !== 'pglite') {
    if (await postgresAvailable()) kinds.push('postgres');
    else if (dbArg === 'postgres') throw new Error(`PostgreSQL does not answer at ${benchPgUrl()}`);
    else opts.log(`PostgreSQL does not answer at ${benchPgUrl()}: running on PGlite only.`);
  }

  if (name === 'cmdb') {
    const runs = Math.max(1, positiveInt('runs', values.runs, 200));
    const part = values.part;
    if (part !== 'impact' && part !== 'reconcile' && part !== 'all') throw new Error(`--part must be impact, reconcile or all, got "${part}"`);
    return runCmdb(kinds, outDir, { cis, relations, runs, keepData: opts.keepData, log: opts.log, pgDatabase: `${pgDatabaseOf(benchPgUrl())}_cmdb` }, part);
  }
  if (name === 'workflow') {
    const part = values.part;
    if (part !== 'transitions' && part !== 'calendar' && part !== 'all') throw new Error(`--part must be transitions, calendar or all, got "${part}"`);
    const base = pgDatabaseOf(benchPgUrl());
    const workflowOut = path.resolve(values.out ?? path.join(REPO_ROOT, 'bench/results'));
    if (part !== 'calendar') {
      await runTransitionsPart(kinds, workflowOut, {
        concurrency: Math.max(1, positiveInt('concurrency', values.concurrency, 16)),
        durationMs: Math.max(1, positiveInt('duration', values.duration, 20)) * 1000,
        warmupMs: positiveInt('warmup', values.warmup, 3) * 1000,
        log: opts.log,
        pgDatabase: `${base}_workflow`,
      });
    }
    if (part !== 'transitions') {
      await runCalendarPart(kinds, workflowOut, {
        changes: 10_000,
        cis: 2_000,
        services: 50,
        runs: Math.max(1, positiveInt('runs', values.runs, 500)),
        keepData: opts.keepData,
        log: opts.log,
        pgDatabase: `${base}_calendar`,
      });
    }
    const md = ['# Workflow benchmark results', '', 'Command: `npm run bench -- workflow` (see docs/benchmarks.md).', '', transitionsSection(workflowOut), '', calendarSection(workflowOut), ''].join('\n');
    fs.mkdirSync(workflowOut, { recursive: true });
    fs.writeFileSync(path.join(workflowOut, 'workflow.md'), md);
    process.stdout.write(`\n${md}\nresults: ${path.relative(process.cwd(), workflowOut) || '.'}/workflow-*.json, workflow.md\n`);
    return 0;
  }
  if (name === 'sla') return runSla(kinds, outDir, tickets, positiveInt('runs', values.runs, 50), opts.keepData, opts.log);
  return runTickets(kinds, outDir, opts);
}

async function runTickets(kinds: DbKind[], outDir: string, opts: Parameters<typeof runTicketsOn>[1]): Promise<number> {
  const tickets = opts.tickets;
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

async function runSla(kinds: DbKind[], outDir: string, tickets: number, queryRuns: number, keepData: boolean, log: (msg: string) => void): Promise<number> {
  log('== business-time arithmetic (one thread, no database) ==');
  const businessTime = runBusinessTime(log);
  for (const kind of kinds) {
    const r = await runSlaOn(kind, businessTime, { tickets, queryRuns: Math.max(1, queryRuns), keepData, log });
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `sla-${kind}.json`), `${JSON.stringify(r, null, 2)}\n`);
  }
  // Like tickets: the markdown covers every sla-*.json in the directory.
  const all = (['pglite', 'postgres'] as const)
    .map((k) => path.join(outDir, `sla-${k}.json`))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as SlaBenchResult);
  const bt = businessTimeTable(all);
  const sweep = sweepTable(all);
  const md = [
    '# SLA benchmark results',
    '',
    `Command: \`npm run bench -- sla${tickets === DEFAULT_TICKETS ? '' : ` --tickets ${tickets}`}\` (see docs/benchmarks.md).`,
    '',
    '## Business-time arithmetic (one thread, no database)',
    '',
    'The pure functions of server/src/modules/calendars/business-time.ts and sla/clock.ts, called in a loop in the bench process. Measured once per run and copied into both JSON files (`businessTime`).',
    '',
    bt,
    '',
    businessTimeNotes(all),
    '',
    `## Breach sweep with ${[...new Set(all.map((r) => r.tickets.toLocaleString('en-US')))].join(' / ')} open tickets`,
    '',
    'In process (no HTTP, no job queue): the server\'s own `sweepClocks`, `dueTicketIds` and `unclockedRecentTickets` on a freshly loaded, VACUUM ANALYZEd database. A pass is one `sweepClocks(db, now, 100)` call as the `sla.sweep` job makes it: select up to 100 due tickets, then per ticket a transaction that locks it, re-derives its clocks from the timeline and fires the reached warnings, breaches and escalations (notifications, e-mail outbox rows, timeline events), then the orphan repair query. Passes repeat at the same scan instant until nothing is due (each takes the next 100); the per-pass figures use the full passes.',
    '',
    sweep,
    '',
    sweepNotes(all),
    '',
    '### Passes',
    '',
    passesTable(all),
    '',
    '### Query plans',
    '',
    'EXPLAIN (ANALYZE, BUFFERS), second run, of the SQL the server\'s query functions send, right after the load. Full plans in the JSON (`plans`).',
    '',
    slaPlansTable(all),
    '',
  ].join('\n');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'sla.md'), md);
  process.stdout.write(`\n${bt}\n\n${sweep}\n\nresults: ${path.relative(process.cwd(), outDir) || '.'}/sla-*.json, sla.md\n`);
  return 0;
}

async function runCmdb(kinds: DbKind[], outDir: string, opts: Parameters<typeof runCmdbOn>[1], part: 'impact' | 'reconcile' | 'all'): Promise<number> {
  for (const kind of kinds) {
    if (part === 'reconcile') break;
    const r = await runCmdbOn(kind, opts);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `cmdb-${kind}.json`), `${JSON.stringify(r, null, 2)}\n`);
  }
  for (const kind of kinds) {
    if (part === 'impact') break;
    const r = await runReconcileOn(kind, { log: opts.log, pgDatabase: `${opts.pgDatabase}_reconcile` });
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `cmdb-reconcile-${kind}.json`), `${JSON.stringify(r, null, 2)}\n`);
  }
  const reconciled = (['pglite', 'postgres'] as const)
    .map((k) => path.join(outDir, `cmdb-reconcile-${k}.json`))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as ReconcileBenchResult);
  // Like the others: the markdown covers every cmdb-*.json in the directory.
  const all = (['pglite', 'postgres'] as const)
    .map((k) => path.join(outDir, `cmdb-${k}.json`))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as CmdbBenchResult);
  const isDefault = opts.cis === DEFAULT_CIS && opts.relations === DEFAULT_RELATIONS;
  const table = scenarioTable(all);
  const md = [
    '# CMDB impact benchmark results',
    '',
    `Command: \`npm run bench -- cmdb${isDefault ? '' : ` --cis ${opts.cis} --relations ${opts.relations}`}\` (see docs/benchmarks.md).`,
    '',
    'In process (no HTTP): the server\'s own `impact(db, actor, id, direction, depth)` (GET /api/cis/:id/impact) and `affectedServices(db, actor, id)` ' +
      '(GET /api/cis/:id/services) on a freshly loaded, VACUUM ANALYZEd database. A call is everything the route handler does: the visibility check, the ' +
      'tenant scope, the class tree, the breadth-first walk (one statement per level), and for `impact` the relation types and the edges between the found nodes. ' +
      '`upstream` = what the CI depends on; `downstream` = what a failure of the CI affects. Results are cut at 2,000 nodes (`truncated`). ' +
      'Actor: an agent (sees every organisation) unless marked tenant-scoped (a customer user of the CIs\' organisation: the walk joins ci_items per step to stay in scope).',
    '',
    table,
    '',
    cmdbNotes(all),
    '',
    '## Data set',
    '',
    seedTable(all),
    '',
    '## Query plans',
    '',
    'EXPLAIN (ANALYZE, BUFFERS), second run, of the statements `impact` / `affectedServices` send (each level of the breadth-first walk and the edges query), for the first root of each set, right after the load. Full plans in the JSON (`plans`).',
    '',
    cmdbPlansTable(all),
    '',
    '## Reconciliation upsert (discovery push)',
    '',
    'In process (no HTTP): the route\'s own `reconcile(db, actor, locale, body)` (POST /api/cmdb/reconcile), one transaction per batch of 1,000 virtual machines ' +
      '(class server.vm, serial number + hostname + IP, five attributes). Three passes over the same 20,000 CIs: the first discovery creates them, an identical ' +
      'rescan leaves them unchanged (no writes), a rescan with 10% changed updates those (one version row each). Target: ≥ 5,000 CIs/s on PostgreSQL. ' +
      `Command: \`npm run bench -- cmdb --part reconcile\`.`,
    '',
    reconcileTable(reconciled),
    '',
  ].join('\n');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'cmdb.md'), md);
  process.stdout.write(`\n${table}\n\n${cmdbNotes(all)}\n\nresults: ${path.relative(process.cwd(), outDir) || '.'}/cmdb-*.json, cmdb.md\n`);
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
