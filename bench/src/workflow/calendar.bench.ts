import os from 'node:os';
import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase, rows, type Db } from '../../../server/src/platform/db/db.ts';
import { hashPassword } from '../../../server/src/platform/auth/password.ts';
import { actorFromPrincipal, type Actor } from '../../../server/src/platform/auth/actor.ts';
import { insertOrganization, insertUser } from '../../../server/src/modules/directory/directory.queries.ts';
import { ensureBuiltinClasses } from '../../../server/src/modules/cmdb/builtin-classes.ts';
import { conflictsOf, getConflicts, calendar } from '../../../server/src/modules/changes/changes.service.ts';
import { cpuShare, cpuSnapshot, machineBusyCores, type CpuShare } from '../lib/cpu.ts';
import { machineInfo, type MachineInfo } from '../lib/machine.ts';
import { createRng } from '../lib/random.ts';
import { percentile, round } from '../lib/stats.ts';
import { freshTarget, type DbKind } from '../lib/targets.ts';
import { explainQueries, loggingDb, type CapturedQuery, type QueryPlan } from '../tickets/plans.ts';
import { NOISE_CORES, postgresSettings } from '../tickets/tickets.bench.ts';

/**
 * Change calendar conflict check (issue 5): one change checked against N scheduled changes. Seeds N active
 * changes (bulk SQL) over half a year with 1-3 CIs each out of `cis` applications, every application
 * impacting one of `services` business services, plus global blackouts and weekly maintenance windows for a
 * fifth of the services; then times the server's own functions in process (no HTTP).
 */

/** The issue's target: p99 <= 50 ms on PostgreSQL for one change against 10,000 scheduled changes. */
export const CALENDAR_TARGET_MS = 50;

export type CalendarBenchOptions = { changes: number; cis: number; services: number; runs: number; keepData: boolean; log: (msg: string) => void; pgDatabase: string };

export type CalendarScenario = {
  id: string;
  label: string;
  call: string;
  runs: number;
  ms: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Conflicts found per call. */
  conflicts: { median: number; max: number; mean: number; callsWithAny: number };
  cpu: CpuShare | null;
  /** Wall time of the timed runs, and the CPU (bench process + PostgreSQL) they used per call: what a quiet machine would see. */
  wallMs: number;
  cpuMsPerCall: number | null;
};

export type CalendarSeed = {
  changes: number;
  activeStates: Record<string, number>;
  cis: number;
  services: number;
  ciLinks: number;
  serviceLinks: number;
  blackouts: number;
  maintenanceWindows: number;
  spanDays: number;
  migrateMs: number;
  loadMs: number;
  finishMs: number;
  databaseSizeMb: number | null;
};

export type CalendarBenchResult = {
  benchmark: 'workflow-calendar';
  db: DbKind;
  dbLabel: string;
  machine: MachineInfo;
  postgresSettings?: Record<string, string>;
  loadAverage: { start: number[]; beforeMeasure: number[]; end: number[] };
  machineBusyBefore: number | null;
  codeChangedDuringRun: boolean;
  targetMs: number;
  seed: CalendarSeed;
  scenarios: CalendarScenario[];
  plans: QueryPlan[];
};

const DAY = 86_400_000;
const SPAN_DAYS = 180;
const BASE = Date.UTC(2027, 0, 4); // a Monday
const idLiteral = (ids: readonly number[]) => `{${ids.join(',')}}`;
const tsLiteral = (ms: readonly number[]) => `{${ms.map((m) => `"${new Date(m).toISOString()}"`).join(',')}}`;
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[s.length >> 1] ?? 0) : 0;
};

type Subject = { id: number; state: string; start: Date; end: Date; ciIds: number[]; serviceIds: number[] };

async function seed(db: Db, opts: CalendarBenchOptions, migrateMs: number, log: (m: string) => void): Promise<{ seed: CalendarSeed; actor: Actor; subjects: Subject[] }> {
  const t0 = performance.now();
  await ensureBuiltinClasses(db);
  const hash = await hashPassword('Bench-Passw0rd!');
  const provider = await insertOrganization(db, { name: '运维服务商', code: 'PROVIDER', kind: 'provider' });
  const customer = await insertOrganization(db, { name: '某银行数据中心', code: 'BANK', kind: 'customer' });
  const agentRow = await insertUser(db, { orgId: provider.id, username: 'bench_agent', displayName: '变更经理', passwordHash: hash, roles: ['manager'], mustChangePassword: false, email: null });
  const actor = actorFromPrincipal(
    { user_id: agentRow.id, username: agentRow.username, display_name: agentRow.displayName, org_id: provider.id, org_kind: 'provider', roles: ['manager'], locale: 'zh-CN', must_change_password: false },
    { via: 'session' },
  );
  const classId = async (key: string) => Number((await rows<{ id: number }>(db, sql`SELECT id FROM ci_classes WHERE key = ${key}`))[0]?.id);
  const bsClass = await classId('business_service');
  const appClass = await classId('application');
  await rows(db, sql`INSERT INTO ci_items (class_id, name, org_id, status, importance) SELECT ${bsClass}, '业务服务-' || g, ${customer.id}, 'in_use', 'core' FROM generate_series(1, ${opts.services}) g`);
  await rows(db, sql`INSERT INTO ci_items (class_id, name, org_id, status) SELECT ${appClass}, 'app-' || g, ${customer.id}, 'in_use' FROM generate_series(1, ${opts.cis}) g`);
  const services = (await rows<{ id: number }>(db, sql`SELECT id FROM ci_items WHERE class_id = ${bsClass} ORDER BY id`)).map((r) => Number(r.id));
  const apps = (await rows<{ id: number }>(db, sql`SELECT id FROM ci_items WHERE class_id = ${appClass} ORDER BY id`)).map((r) => Number(r.id));
  const serviceOfApp = (i: number) => services[i % services.length] as number;

  // Tickets: 90% scheduled, 10% implementing; numbers outside the live sequence's range.
  await rows(
    db,
    sql`INSERT INTO tickets (type, number, org_id, title, state, impact, urgency, priority, channel)
        SELECT 'change', 'CHG9' || lpad(g::text, 6, '0'), ${customer.id}, '计划变更 ' || g, CASE WHEN g % 10 = 0 THEN 'implementing' ELSE 'scheduled' END, 3, 3, 4, 'web'
        FROM generate_series(1, ${opts.changes}) g`,
  );
  const tickets = (await rows<{ id: number; state: string }>(db, sql`SELECT id, state FROM tickets WHERE type = 'change' ORDER BY id`)).map((r) => ({ id: Number(r.id), state: r.state }));
  const rng = createRng(20270104);
  const starts: number[] = [];
  const ends: number[] = [];
  const linkTicket: number[] = [];
  const linkCi: number[] = [];
  const svcTicket: number[] = [];
  const svcId: number[] = [];
  const subjects: Subject[] = [];
  for (const t of tickets) {
    // Mostly nights and weekends, 1-8 hours.
    const day = rng.int(0, SPAN_DAYS - 1);
    const hour = rng.weighted([
      [0, 4],
      [1, 3],
      [2, 3],
      [20, 2],
      [22, 3],
      [10, 1],
      [14, 1],
    ] as const);
    const start = BASE + day * DAY + hour * 3_600_000 - 8 * 3_600_000;
    const end = start + rng.int(1, 8) * 3_600_000;
    starts.push(start);
    ends.push(end);
    const n = rng.weighted([
      [1, 4],
      [2, 4],
      [3, 2],
    ] as const);
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(rng.int(0, apps.length - 1));
    const svc = new Set<number>();
    for (const i of chosen) {
      linkTicket.push(t.id);
      linkCi.push(apps[i] as number);
      svc.add(serviceOfApp(i));
    }
    for (const s of svc) {
      svcTicket.push(t.id);
      svcId.push(s);
    }
    if (subjects.length < 2000 && rng.chance(0.3)) {
      subjects.push({ id: t.id, state: t.state, start: new Date(start), end: new Date(end), ciIds: [...chosen].map((i) => apps[i] as number), serviceIds: [...svc] });
    }
  }
  const ids = tickets.map((t) => t.id);
  await rows(
    db,
    sql`INSERT INTO change_details (ticket_id, change_type, risk_level, risk_score, rollback_plan, planned_start, planned_end)
        SELECT t, 'normal', 'medium', 6, '回退到变更前快照', s, e FROM unnest(${idLiteral(ids)}::bigint[], ${tsLiteral(starts)}::timestamptz[], ${tsLiteral(ends)}::timestamptz[]) AS u(t, s, e)`,
  );
  await rows(db, sql`INSERT INTO change_cis (ticket_id, ci_id) SELECT * FROM unnest(${idLiteral(linkTicket)}::bigint[], ${idLiteral(linkCi)}::bigint[])`);
  await rows(db, sql`INSERT INTO change_services (ticket_id, service_ci_id) SELECT * FROM unnest(${idLiteral(svcTicket)}::bigint[], ${idLiteral(svcId)}::bigint[])`);
  // Windows: three global freezes (春节, 清明, 五一 style), weekly maintenance for a fifth of the services.
  const blackouts = [
    ['春节封网', 40, 47],
    ['清明封网', 93, 96],
    ['五一封网', 117, 122],
  ] as const;
  for (const [name, a, b] of blackouts) {
    await rows(db, sql`INSERT INTO change_windows (kind, name, starts_at, ends_at) VALUES ('blackout', ${name}, ${new Date(BASE + a * DAY).toISOString()}::timestamptz, ${new Date(BASE + b * DAY).toISOString()}::timestamptz)`);
  }
  const maintained = services.filter((_s, i) => i % 5 === 0);
  for (const s of maintained) {
    const recurrence = JSON.stringify({ weekdays: [6, 7], start: '00:00', end: '06:00', timeZone: 'Asia/Shanghai' });
    await rows(db, sql`INSERT INTO change_windows (kind, name, service_ci_id, starts_at, recurrence) VALUES ('maintenance', '周末维护', ${s}, ${new Date(BASE - 30 * DAY).toISOString()}::timestamptz, ${recurrence}::jsonb)`);
  }
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  await rows(db, sql`VACUUM ANALYZE`);
  const finishMs = performance.now() - t1;
  let databaseSizeMb: number | null = null;
  try {
    const [r] = await rows<{ b: number }>(db, sql`SELECT pg_database_size(current_database())::bigint AS b`);
    databaseSizeMb = r ? round(Number(r.b) / 1024 / 1024, 1) : null;
  } catch {
    databaseSizeMb = null;
  }
  const activeStates: Record<string, number> = {};
  for (const t of tickets) activeStates[t.state] = (activeStates[t.state] ?? 0) + 1;
  log(`  seeded ${tickets.length} changes, ${linkCi.length} CI links, ${svcId.length} service links in ${Math.round(loadMs)} ms; VACUUM ANALYZE ${Math.round(finishMs)} ms`);
  return {
    seed: {
      changes: tickets.length,
      activeStates,
      cis: apps.length,
      services: services.length,
      ciLinks: linkCi.length,
      serviceLinks: svcId.length,
      blackouts: blackouts.length,
      maintenanceWindows: maintained.length,
      spanDays: SPAN_DAYS,
      migrateMs: round(migrateMs),
      loadMs: round(loadMs),
      finishMs: round(finishMs),
      databaseSizeMb,
    },
    actor,
    subjects,
  };
}

export async function runCalendarOn(kind: DbKind, opts: CalendarBenchOptions): Promise<CalendarBenchResult> {
  const { log } = opts;
  const machine = machineInfo();
  const loadStart = os.loadavg().map((v) => round(v));
  const target = await freshTarget(kind, kind === 'postgres' ? opts.pgDatabase : undefined);
  log(`\n== ${target.label}: change calendar, ${opts.changes} scheduled changes ==`);
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 4 });
  try {
    const db = database.db;
    const t0 = performance.now();
    await migrateDatabase(database);
    const migrateMs = performance.now() - t0;
    const { seed: seeded, actor, subjects } = await seed(db, opts, migrateMs, log);
    if (!subjects.length) throw new Error('no subjects sampled');

    // Plans of the statements one check sends, on the freshly analysed database.
    const captured: CapturedQuery[] = [];
    const capture = loggingDb(database, (query, params) => {
      if (/jsonb_to_recordset/.test(query)) captured.push({ name: 'conflict check (CIs, services, windows: one statement)', query, params });
    });
    await conflictsOf(capture, null, subjects[0] as Subject);
    const plans = await explainQueries(db, captured);
    log('query plans (EXPLAIN ANALYZE, warm):');
    for (const p of plans) log(`  ${p.name.padEnd(40)} exec ${p.executionMs ?? '?'} ms  ${p.scans.join(', ')}`);

    const machineBusyBefore = await machineBusyCores(3000);
    if (machineBusyBefore !== null && machineBusyBefore > NOISE_CORES) log(`  WARNING: the machine is busy before measuring (${machineBusyBefore} cores): figures will be disturbed`);
    const loadBefore = os.loadavg().map((v) => round(v));
    const pgDatabase = target.databaseUrl ? decodeURIComponent(new URL(target.databaseUrl).pathname.slice(1)) : null;

    const scenario = async (id: string, label: string, call: string, runs: number, fn: (s: Subject) => Promise<number>): Promise<CalendarScenario> => {
      for (let i = 0; i < 20; i++) await fn(subjects[i % subjects.length] as Subject);
      const ms: number[] = [];
      const found: number[] = [];
      const a = cpuSnapshot(null, pgDatabase);
      const w0 = performance.now();
      for (let i = 0; i < runs; i++) {
        const s = subjects[i % subjects.length] as Subject;
        const t = performance.now();
        found.push(await fn(s));
        ms.push(performance.now() - t);
      }
      const wallMs = performance.now() - w0;
      const cpu = cpuShare(a, cpuSnapshot(null, pgDatabase));
      ms.sort((x, y) => x - y);
      const r: CalendarScenario = {
        wallMs: round(wallMs),
        cpuMsPerCall: cpu ? round(((cpu.bench + cpu.postgres + cpu.server) * wallMs) / runs, 2) : null,
        id,
        label,
        call,
        runs,
        ms: {
          p50: round(percentile(ms, 50), 2),
          p95: round(percentile(ms, 95), 2),
          p99: round(percentile(ms, 99), 2),
          max: round(ms[ms.length - 1] ?? Number.NaN, 2),
          mean: round(ms.reduce((x, v) => x + v, 0) / Math.max(1, ms.length), 2),
        },
        conflicts: { median: med(found), max: Math.max(...found), mean: round(found.reduce((x, v) => x + v, 0) / Math.max(1, found.length), 2), callsWithAny: found.filter((n) => n > 0).length },
        cpu,
      };
      log(`  ${label.padEnd(60)} p50 ${r.ms.p50} / p95 ${r.ms.p95} / p99 ${r.ms.p99} / max ${r.ms.max} ms; conflicts median ${r.conflicts.median} (max ${r.conflicts.max}), ${r.conflicts.callsWithAny}/${runs} with any` + (r.cpuMsPerCall !== null ? `; CPU ${r.cpuMsPerCall} ms/call, machine busy ${cpu?.other ?? '?'} cores with other work` : ''));
      return r;
    };

    log(`scenarios (${opts.runs} timed runs each after 20 warm-up calls, cycling over ${subjects.length} changes):`);
    const scenarios: CalendarScenario[] = [];
    scenarios.push(
      await scenario('check', 'conflict check of one change (its CIs, services, window)', 'conflictsOf(db, scope, change)', opts.runs, async (s) => (await conflictsOf(db, null, s)).length),
    );
    scenarios.push(
      await scenario('route', 'GET /api/changes/:id/conflicts (visibility, links, check)', 'getConflicts(db, actor, id)', opts.runs, async (s) => (await getConflicts(db, actor, s.id)).conflicts.length),
    );
    const weekRuns = Math.max(5, Math.round(opts.runs / 25));
    scenarios.push(
      await scenario('calendar-week', 'GET /api/changes/calendar, one week with every change’s conflicts', 'calendar(db, actor, from, from + 7 d)', weekRuns, async (s) => {
        const from = new Date(s.start.getTime() - (s.start.getTime() % DAY));
        const r = await calendar(db, actor, from.toISOString(), new Date(from.getTime() + 7 * DAY).toISOString());
        return r.changes.filter((c) => c.conflicts.length > 0).length;
      }),
    );
    const loadEnd = os.loadavg().map((v) => round(v));
    let settings: Record<string, string> | undefined;
    if (target.databaseUrl) settings = await postgresSettings(target.databaseUrl);
    const after = machineInfo().git;
    const codeChangedDuringRun = after.commit !== machine.git.commit || after.serverDirty !== machine.git.serverDirty || machine.git.serverDirty === true;
    return {
      benchmark: 'workflow-calendar',
      db: kind,
      dbLabel: target.label,
      machine,
      ...(settings ? { postgresSettings: settings } : {}),
      loadAverage: { start: loadStart, beforeMeasure: loadBefore, end: loadEnd },
      machineBusyBefore,
      codeChangedDuringRun,
      targetMs: CALENDAR_TARGET_MS,
      seed: seeded,
      scenarios,
      plans,
    };
  } finally {
    await database.close();
    if (opts.keepData && kind === 'pglite') log(`PGlite data kept in ${target.dataDir}`);
    else await target.cleanup();
  }
}
