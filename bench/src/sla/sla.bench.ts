import os from 'node:os';
import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase, rows, type Db } from '../../../server/src/platform/db/db.ts';
import { sweepClocks } from '../../../server/src/modules/sla/sla-clocks.service.ts';
import { dueTicketIds, unclockedRecentTickets } from '../../../server/src/modules/sla/sla.queries.ts';
import { cpuShare, cpuSnapshot, machineBusyCores, type CpuShare } from '../lib/cpu.ts';
import { machineInfo, type MachineInfo } from '../lib/machine.ts';
import { percentile, round } from '../lib/stats.ts';
import { freshTarget, type DbKind } from '../lib/targets.ts';
import { explainQueries, loggingDb, type CapturedQuery, type QueryPlan } from '../tickets/plans.ts';
import { BenchFailure, NOISE_CORES, postgresSettings } from '../tickets/tickets.bench.ts';
import type { BusinessTimeResult } from './business-time.bench.ts';
import { SCAN_INSTANT, seedSla, type SlaSeedResult } from './seed.ts';

export const SCAN_TARGET_MS = 1000;
/** The server's sweep job calls sweepClocks(db) with its default batch. */
export const SWEEP_BATCH = 100;
const MAX_PASSES = 10;
const ORPHAN_WINDOW_MS = 15 * 60_000;
/** The backlog case: the sweep did not run for a day (server down) and then looks. */
const BACKLOG_MS = 86_400_000;

export type SlaBenchOptions = {
  tickets: number;
  /** Timed runs per query (after 3 warm-up runs). */
  queryRuns: number;
  keepData: boolean;
  log: (msg: string) => void;
};

export type QueryTiming = { name: string; runs: number; rows: number; p50: number; p95: number; max: number; mean: number };

export type SweepPass = {
  pass: number;
  /** Tickets with a clock due at the scan instant before the pass. */
  dueBefore: number;
  /** What sweepClocks returned: tickets handled (due ones plus any orphan repaired). */
  handled: number;
  wallMs: number;
  msPerTicket: number | null;
  /** Statements the pass sent, as logged by drizzle (BEGIN/COMMIT not counted). */
  statements: number;
  notifications: number;
  deliveries: number;
  slaEvents: number;
  cpu: CpuShare | null;
};

export type SlaBenchResult = {
  benchmark: 'sla';
  db: DbKind;
  dbLabel: string;
  tickets: number;
  machine: MachineInfo;
  postgresSettings?: Record<string, string>;
  /** os.loadavg() (1, 5, 15 min) at the start of the database part, before measuring, at the end. */
  loadAverage: { start: number[]; beforeMeasure: number[]; end: number[] };
  /** Busy cores of the machine in the 3 s before measuring (should be near 0). */
  machineBusyBefore: number | null;
  codeChangedDuringRun: boolean;
  /** Measured once per invocation, without a database, and copied into every database's file. */
  businessTime: BusinessTimeResult;
  seed: SlaSeedResult;
  queries: {
    due: QueryTiming;
    dueBacklog: QueryTiming & { scanInstant: string; dueTickets: number; dueClocks: number };
    orphans: QueryTiming;
    /** Where the CPU went while the three were timed. */
    cpu: CpuShare | null;
  };
  plans: QueryPlan[];
  sweep: {
    batch: number;
    scanInstant: string;
    passes: SweepPass[];
    /** A pass with nothing due: the due selection and the orphan repair query alone. */
    idle: SweepPass;
    /** Clocks still due at the scan instant after the passes (should be 0). */
    remainingDue: number;
    cpu: CpuShare | null;
  };
};

async function timeQuery(name: string, runs: number, run: () => Promise<number>): Promise<QueryTiming> {
  let n = 0;
  for (let i = 0; i < 3; i++) n = await run();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    n = await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return {
    name,
    runs,
    rows: n,
    p50: round(percentile(ms, 50), 3),
    p95: round(percentile(ms, 95), 3),
    max: round(ms[ms.length - 1] ?? Number.NaN, 3),
    mean: round(ms.reduce((s, v) => s + v, 0) / Math.max(1, ms.length), 3),
  };
}

async function scalar(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const [r] = await rows<{ n: number | string | null }>(db, query);
  return Number(r?.n ?? 0);
}

const dueCount = (db: Db, at: Date) =>
  scalar(db, sql`SELECT count(DISTINCT ticket_id) AS n FROM ticket_slas WHERE next_check_at <= ${at.toISOString()}::timestamptz`);

export async function runSlaOn(kind: DbKind, businessTime: BusinessTimeResult, opts: SlaBenchOptions): Promise<SlaBenchResult> {
  const { log } = opts;
  const machine = machineInfo();
  const loadStart = os.loadavg().map((v) => round(v));
  const target = await freshTarget(kind);
  log(`\n== ${target.label}: ${opts.tickets} open tickets with running clocks ==`);
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 4 });
  try {
    const db = database.db;
    log('seeding (migrations, directory, calendar, SLA definition, bulk load)...');
    const t0 = performance.now();
    await migrateDatabase(database);
    const seed = await seedSla(database, opts.tickets, performance.now() - t0, log);
    log(
      `  migrate ${Math.round(seed.migrateMs)} ms, load ${Math.round(seed.loadMs / 1000)} s (${Math.round(seed.loadTicketsPerSec)} tickets/s with clocks), ` +
        `events + VACUUM ANALYZE ${Math.round(seed.finishMs / 1000)} s, database ${seed.databaseSizeMb ?? '?'} MB`,
    );
    log(
      `  ${seed.clocks} clocks (${seed.breachedClocks} breached, ${seed.clocksWithNextCheck} with a next check); ` +
        `${seed.dueTickets} tickets due at ${seed.scanInstant} (${seed.dueBreaches} reach their breach point)`,
    );
    const now = SCAN_INSTANT;
    const backlogNow = new Date(now.getTime() + BACKLOG_MS);
    const orphanSince = new Date(now.getTime() - ORPHAN_WINDOW_MS);
    const dueAtScan = await dueCount(db, now);
    if (dueAtScan !== seed.dueTickets) throw new BenchFailure(`expected ${seed.dueTickets} due tickets at the scan instant, the database has ${dueAtScan}`);

    // Plans first, on the freshly analysed database (EXPLAIN ANALYZE of the SQL the server's own functions send).
    const captured: CapturedQuery[] = [];
    let label = '';
    const capture = loggingDb(database, (query, params) => captured.push({ name: label, query, params }));
    label = 'due selection (dueTicketIds, LIMIT 100)';
    await dueTicketIds(capture, now, SWEEP_BATCH);
    label = 'due selection, backlog +24 h';
    await dueTicketIds(capture, backlogNow, SWEEP_BATCH);
    label = 'orphan repair (unclockedRecentTickets, LIMIT 50)';
    await unclockedRecentTickets(capture, orphanSince, 50);
    const plans = await explainQueries(db, captured);
    log('query plans (EXPLAIN ANALYZE, warm):');
    for (const p of plans) log(`  ${p.name.padEnd(48)} exec ${p.executionMs ?? '?'} ms, plan ${p.planningMs ?? '?'} ms: ${p.scans.join(', ')}`);

    const machineBusyBefore = await machineBusyCores(3000);
    if (machineBusyBefore !== null && machineBusyBefore > NOISE_CORES) {
      log(`  WARNING: the machine is busy before measuring (${machineBusyBefore} cores): figures will be disturbed`);
    }
    const loadBefore = os.loadavg().map((v) => round(v));
    const pgDatabase = target.databaseUrl ? decodeURIComponent(new URL(target.databaseUrl).pathname.slice(1)) : null;

    log(`queries (${opts.queryRuns} timed runs each):`);
    const queriesStart = cpuSnapshot(null, pgDatabase);
    const due = await timeQuery('dueTicketIds(now, 100)', opts.queryRuns, async () => (await dueTicketIds(db, now, SWEEP_BATCH)).length);
    const backlogTickets = await dueCount(db, backlogNow);
    const backlogClocks = await scalar(db, sql`SELECT count(*) AS n FROM ticket_slas WHERE next_check_at <= ${backlogNow.toISOString()}::timestamptz`);
    const dueBacklog = await timeQuery('dueTicketIds(now + 24 h, 100)', opts.queryRuns, async () => (await dueTicketIds(db, backlogNow, SWEEP_BATCH)).length);
    const orphans = await timeQuery('unclockedRecentTickets(now - 15 min, 50)', opts.queryRuns, async () => (await unclockedRecentTickets(db, orphanSince, 50)).length);
    const queriesCpu = cpuShare(queriesStart, cpuSnapshot(null, pgDatabase));
    for (const q of [due, dueBacklog, orphans]) log(`  ${q.name.padEnd(44)} ${q.rows} rows, p50 ${q.p50} ms, p95 ${q.p95} ms, max ${q.max} ms`);
    log(`  (backlog: ${backlogTickets} tickets / ${backlogClocks} clocks due at ${backlogNow.toISOString()})`);

    // The sweep, on a handle that counts the statements it sends (the caches are per handle, like the server's).
    let statements = 0;
    const counted = loggingDb(database, (query) => {
      // node-postgres logs BEGIN/COMMIT through drizzle, PGlite does not: count the same thing on both.
      if (!/^\s*(begin|commit|rollback)\b/i.test(query)) statements++;
    });
    const maxId = async () => ({
      notification: await scalar(db, sql`SELECT coalesce(max(id), 0) AS n FROM notifications`),
      delivery: await scalar(db, sql`SELECT coalesce(max(id), 0) AS n FROM notification_deliveries`),
      event: await scalar(db, sql`SELECT coalesce(max(id), 0) AS n FROM ticket_events`),
    });
    const pass = async (i: number): Promise<SweepPass> => {
      const dueBefore = await dueCount(db, now);
      const ids = await maxId();
      statements = 0;
      const a = cpuSnapshot(null, pgDatabase);
      const t = performance.now();
      const handled = await sweepClocks(counted, now, SWEEP_BATCH);
      const wallMs = performance.now() - t;
      const cpu = cpuShare(a, cpuSnapshot(null, pgDatabase));
      const sent = statements;
      const p: SweepPass = {
        pass: i,
        dueBefore,
        handled,
        wallMs: round(wallMs, 1),
        msPerTicket: handled ? round(wallMs / handled, 2) : null,
        statements: sent,
        notifications: await scalar(db, sql`SELECT count(*) AS n FROM notifications WHERE id > ${ids.notification}`),
        deliveries: await scalar(db, sql`SELECT count(*) AS n FROM notification_deliveries WHERE id > ${ids.delivery}`),
        slaEvents: await scalar(db, sql`SELECT count(*) AS n FROM ticket_events WHERE id > ${ids.event} AND kind = 'sla'`),
        cpu,
      };
      log(
        `  pass ${String(i).padEnd(2)} due ${String(dueBefore).padStart(4)}, handled ${String(handled).padStart(3)} in ${p.wallMs} ms` +
          `${p.msPerTicket === null ? '' : ` (${p.msPerTicket} ms/ticket)`}, ${sent} statements, ${p.notifications} notifications, ` +
          `${p.deliveries} deliveries, ${p.slaEvents} timeline events` +
          (cpu && wallMs >= 200 ? `  [cpu: bench ${cpu.bench}, db ${cpu.postgres}, other ${cpu.other}${cpu.other > NOISE_CORES ? ' DISTURBED' : ''}]` : ''),
      );
      return p;
    };
    log(`sweep passes (sweepClocks(db, ${now.toISOString()}, ${SWEEP_BATCH})):`);
    const passes: SweepPass[] = [];
    const before = cpuSnapshot(null, pgDatabase);
    for (let i = 1; i <= MAX_PASSES; i++) {
      if ((await dueCount(db, now)) === 0) break;
      const p = await pass(i);
      passes.push(p);
      if (p.handled === 0) throw new BenchFailure(`sweep pass ${i} handled nothing while ${p.dueBefore} tickets were due`);
    }
    const sweepCpu = cpuShare(before, cpuSnapshot(null, pgDatabase));
    const idle = await pass(0);
    const remainingDue = await dueCount(db, now);
    if (remainingDue > 0) log(`  WARNING: ${remainingDue} tickets still due after ${passes.length} passes`);

    let settings: Record<string, string> | undefined;
    if (target.databaseUrl) settings = await postgresSettings(target.databaseUrl);
    const after = machineInfo().git;
    const codeChangedDuringRun = after.commit !== machine.git.commit || after.serverDirty !== machine.git.serverDirty || machine.git.serverDirty === true;
    if (codeChangedDuringRun) log(`  WARNING: server code changed or is uncommitted (${machine.git.commit} -> ${after.commit}): results may mix two versions`);
    return {
      benchmark: 'sla',
      db: kind,
      dbLabel: target.label,
      tickets: opts.tickets,
      machine,
      ...(settings ? { postgresSettings: settings } : {}),
      loadAverage: { start: loadStart, beforeMeasure: loadBefore, end: os.loadavg().map((v) => round(v)) },
      machineBusyBefore,
      codeChangedDuringRun,
      businessTime,
      seed,
      queries: { due, dueBacklog: { ...dueBacklog, scanInstant: backlogNow.toISOString(), dueTickets: backlogTickets, dueClocks: backlogClocks }, orphans, cpu: queriesCpu },
      plans,
      sweep: { batch: SWEEP_BATCH, scanInstant: now.toISOString(), passes, idle, remainingDue, cpu: sweepCpu },
    };
  } finally {
    await database.close();
    if (opts.keepData && kind === 'pglite') log(`PGlite data kept in ${target.dataDir}`);
    else await target.cleanup();
  }
}
