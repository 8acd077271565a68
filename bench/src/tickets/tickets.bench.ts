import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { cpuShare, cpuSnapshot, machineBusyCores, type CpuShare } from '../lib/cpu.ts';
import { createHttpClient, type HttpClient } from '../lib/http.ts';
import { runLoad, type LoadResult, type OpOutcome } from '../lib/load.ts';
import { machineInfo, type MachineInfo } from '../lib/machine.ts';
import { createRng } from '../lib/random.ts';
import { startServer, serverLogTail, type ServerProcess } from '../lib/server-process.ts';
import { freshTarget, type DbKind } from '../lib/targets.ts';
import { draftIncident } from './data.ts';
import { rawInsertCeiling } from './raw-ceiling.ts';
import { seedDatabase, type SeedResult } from './seed.ts';

export type TicketsBenchOptions = {
  tickets: number;
  durationMs: number;
  warmupMs: number;
  /** Measured requests per read scenario at concurrency 1 (twice as many at concurrency 4). */
  readRequests: number;
  keepData: boolean;
  log: (msg: string) => void;
};

export type ScenarioResult = LoadResult & {
  id: string;
  label: string;
  method: 'GET' | 'POST' | 'SQL';
  path: string;
  mode: 'duration' | 'count';
  /** For list and search: the `total` the API reported (matching tickets). */
  total?: number;
  /** The API stopped counting at `total`. */
  totalCapped?: boolean;
  /** Where the CPU went while measuring (Linux); `other` > 0.2 cores means a disturbed measurement. */
  cpu: CpuShare | null;
};

/** A read scenario stops at its request count or after this long, whichever comes first. */
const READ_MAX_MS = 60_000;
/** Other work above this many cores during a scenario marks it as disturbed. */
export const NOISE_CORES = 0.2;

export type TicketsBenchResult = {
  benchmark: 'tickets';
  db: DbKind;
  dbLabel: string;
  tickets: number;
  machine: MachineInfo;
  postgresSettings?: Record<string, string>;
  options: { durationS: number; warmupS: number; readRequests: number };
  seed: Omit<SeedResult, 'password' | 'orgs' | 'groupIds'> & { organisations: number };
  server: { startMs: number; peakRssMb: number | null; shutdown: { code: number | null; signal: string | null; ms: number } };
  /** Busy cores of the machine in the 3 s before measuring (should be near 0). */
  machineBusyBefore: number | null;
  /** HEAD or the server's working tree changed while the benchmark ran (others edit concurrently). */
  codeChangedDuringRun: boolean;
  scenarios: ScenarioResult[];
};

export class BenchFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchFailure';
  }
}

type Session = { cookie: string; csrf: string };

async function login(http: HttpClient, username: string, password: string): Promise<Session> {
  const res = await http.request('POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new BenchFailure(`login as ${username} failed: HTTP ${res.status} ${res.body}`);
  const me = JSON.parse(res.body) as { csrfToken?: string };
  const setCookie = res.headers['set-cookie'] ?? [];
  const sid = setCookie.map((c) => /^tianshu_sid=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
  if (!sid || !me.csrfToken) throw new BenchFailure('login returned no session cookie or CSRF token');
  return { cookie: `tianshu_sid=${sid}`, csrf: me.csrfToken };
}

type Page = { items: unknown[]; total: number; totalCapped?: boolean; page: number; pageSize: number };

function parsePage(body: string): Page | null {
  try {
    const p = JSON.parse(body) as Partial<Page>;
    if (!Array.isArray(p.items) || typeof p.total !== 'number') return null;
    return p as Page;
  } catch {
    return null;
  }
}

function failIfErrors(r: ScenarioResult, server: ServerProcess | null): void {
  if (r.errors === 0 && r.ok > 0) return;
  throw new BenchFailure(
    `scenario "${r.label}" (concurrency ${r.concurrency}): ${r.errors} errors of ${r.requests} requests` +
      `${r.ok === 0 ? ', no successful request' : ''}\n  ${r.errorSamples.join('\n  ')}` +
      (server ? `\n--- server log (tail) ---\n${serverLogTail(server.logFile)}` : ''),
  );
}

export async function postgresSettings(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`,
      [['server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'wal_sync_method', 'max_connections', 'work_mem']],
    );
    return Object.fromEntries(r.rows.map((x) => [x.name, x.unit ? `${x.setting} (${x.unit})` : x.setting]));
  } finally {
    await c.end();
  }
}

export async function runTicketsOn(kind: DbKind, opts: TicketsBenchOptions): Promise<TicketsBenchResult> {
  const { log } = opts;
  const machine = machineInfo();
  const target = await freshTarget(kind);
  log(`\n== ${target.label}: ${opts.tickets} tickets ==`);
  let server: ServerProcess | null = null;
  let http: HttpClient | null = null;
  try {
    log('seeding (migrations, directory, bulk load)...');
    const seed = await seedDatabase(target, opts.tickets, log);
    log(
      `  migrate ${Math.round(seed.migrateMs)} ms, load ${Math.round(seed.loadMs / 1000)} s (${Math.round(seed.loadRowsPerSec)} rows/s), ` +
        `events + VACUUM ANALYZE ${Math.round(seed.finishMs / 1000)} s, database ${seed.databaseSizeMb ?? '?'} MB`,
    );
    log('query plans (EXPLAIN ANALYZE, warm):');
    for (const p of seed.plans) {
      log(`  ${p.name.padEnd(44)} exec ${p.executionMs ?? '?'} ms, plan ${p.planningMs ?? '?'} ms: ${p.scans.join(', ')}`);
    }

    const t0 = performance.now();
    server = await startServer({
      dataDir: target.dataDir,
      ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}),
      adminPassword: seed.password,
      logFile: path.join(target.dataDir, 'server.log'),
    });
    const startMs = performance.now() - t0;
    log(`server pid ${server.pid} ready at ${server.url} in ${Math.round(startMs)} ms`);
    const srv = server;
    http = createHttpClient(server.url);
    const client = http;
    const session = await login(client, seed.agentUsername, seed.password);
    const authHeaders = { cookie: session.cookie };

    const pgDatabase = target.databaseUrl ? decodeURIComponent(new URL(target.databaseUrl).pathname.slice(1)) : null;
    const measured = async <T>(run: () => Promise<T>, serverPid: number | null = srv.pid): Promise<{ result: T; cpu: CpuShare | null }> => {
      const a = cpuSnapshot(serverPid, pgDatabase);
      const result = await run();
      return { result, cpu: cpuShare(a, cpuSnapshot(serverPid, pgDatabase)) };
    };
    const machineBusyBefore = await machineBusyCores(3000);
    if (machineBusyBefore !== null && machineBusyBefore > NOISE_CORES) {
      log(`  WARNING: the machine is busy before measuring (${machineBusyBefore} cores): figures will be disturbed`);
    }
    const scenarios: ScenarioResult[] = [];
    const record = (r: ScenarioResult) => {
      failIfErrors(r, srv);
      scenarios.push(r);
      log(
        `  ${r.label.padEnd(44)} c=${String(r.concurrency).padEnd(2)} ${r.ok} ok, ${r.errors} errors, ` +
          `${r.throughput.toFixed(1)}/s, p50 ${r.latency.p50.toFixed(1)} ms, p99 ${r.latency.p99.toFixed(1)} ms` +
          (r.cpu ? `  [cpu: server ${r.cpu.server}, db ${r.cpu.postgres}, bench ${r.cpu.bench}, other ${r.cpu.other}${r.cpu.other > NOISE_CORES ? ' DISTURBED' : ''}]` : ''),
      );
    };

    // ---- reads, with exactly N tickets loaded ----
    const pageOp =
      (url: string, check: (p: Page) => string | null, totals: Page[]) =>
      async (): Promise<OpOutcome> => {
        const r = await client.request('GET', url, { headers: authHeaders });
        if (r.status !== 200) return { ms: r.ms, ok: false, status: r.status, detail: r.body };
        const page = parsePage(r.body);
        const problem = page ? check(page) : 'not a page';
        if (page && totals.length < 1) totals.push(page);
        return problem ? { ms: r.ms, ok: false, status: r.status, detail: `${problem}: ${r.body.slice(0, 200)}` } : { ms: r.ms, ok: true, status: r.status };
      };
    const fullPage = (p: Page) => (p.items.length === Math.min(20, p.total) ? null : `expected ${Math.min(20, p.total)} items, got ${p.items.length}`);

    const listUrl = '/api/tickets?page=1&pageSize=20';
    const first = await client.request('GET', listUrl, { headers: authHeaders });
    const firstPage = first.status === 200 ? parsePage(first.body) : null;
    // The API counts exactly up to 10,000 and then reports a capped total.
    const expectedTotal = Math.min(opts.tickets, 10_000);
    if (!firstPage || firstPage.total !== expectedTotal || (firstPage.totalCapped ?? false) !== opts.tickets > 10_000) {
      throw new BenchFailure(`the list reports ${firstPage?.total ?? `HTTP ${first.status}`} tickets, expected ${expectedTotal}${opts.tickets > 10_000 ? ' (capped)' : ''}: ${first.body.slice(0, 300)}`);
    }

    const reads: { id: string; label: string; url: string | string[]; concurrency: number; count: number; check: (p: Page) => string | null }[] = [
      { id: 'list_c1', label: 'list page 1 (20 rows, newest first)', url: listUrl, concurrency: 1, count: opts.readRequests, check: fullPage },
      { id: 'list_c4', label: 'list page 1 (20 rows, newest first)', url: listUrl, concurrency: 4, count: opts.readRequests * 2, check: fullPage },
      {
        id: 'list_filtered_c1',
        label: 'list filtered state=in_progress&priority=1,2',
        url: '/api/tickets?page=1&pageSize=20&state=in_progress&priority=1,2',
        concurrency: 1,
        count: opts.readRequests,
        check: fullPage,
      },
    ];
    const terms = ['宕机', '登录', '磁盘'];
    for (const term of terms) {
      reads.push({
        id: `search_${term}_c1`,
        label: `search q=${term}`,
        url: `/api/tickets?page=1&pageSize=20&q=${encodeURIComponent(term)}`,
        concurrency: 1,
        count: opts.readRequests,
        check: (p) => (p.total > 0 ? fullPage(p) : 'no hits'),
      });
    }
    reads.push({
      id: 'search_mixed_c4',
      label: `search q=${terms.join('|')} (rotating)`,
      url: terms.map((t) => `/api/tickets?page=1&pageSize=20&q=${encodeURIComponent(t)}`),
      concurrency: 4,
      count: opts.readRequests * 2,
      check: (p) => (p.total > 0 ? fullPage(p) : 'no hits'),
    });

    log('reads:');
    for (const s of reads) {
      const urls = Array.isArray(s.url) ? s.url : [s.url];
      const totals: Page[] = [];
      const ops = urls.map((u) => pageOp(u, s.check, totals));
      const op = (i: number) => {
        const f = ops[i % ops.length];
        if (!f) throw new Error('no operation');
        return f();
      };
      const warm = await runLoad({ concurrency: s.concurrency, count: Math.min(50, s.count), op });
      failIfErrors({ ...warm, id: `${s.id}_warmup`, label: `${s.label} (warm-up)`, method: 'GET', path: urls[0] ?? '', mode: 'count', cpu: null }, srv);
      const { result: r, cpu } = await measured(() => runLoad({ concurrency: s.concurrency, count: s.count, durationMs: READ_MAX_MS, op }));
      record({
        ...r,
        cpu,
        id: s.id,
        label: s.label,
        method: 'GET',
        path: urls.join(' | '),
        mode: 'count',
        ...(urls.length === 1 && totals[0] !== undefined ? { total: totals[0].total, totalCapped: totals[0].totalCapped === true } : {}),
      });
    }

    // ---- ticket creation through the API ----
    const rng = createRng(4242);
    const createOp = async (): Promise<OpOutcome> => {
      const d = draftIncident(rng);
      const org = rng.weighted(seed.orgs.map((o) => [o, o.weight] as const));
      const body = {
        title: d.title,
        description: d.description,
        orgId: org.id,
        impact: d.impact,
        urgency: d.urgency,
        category: d.category,
        service: d.service,
        requesterId: rng.pick(org.requesterIds),
        channel: d.channel,
        callerName: d.callerName,
        callerPhone: d.callerPhone,
        assignmentGroupId: rng.pick(seed.groupIds),
      };
      const r = await client.request('POST', '/api/tickets', {
        body,
        // The web client sends an Idempotency-Key with every create; so does the bench.
        headers: { ...authHeaders, 'x-csrf-token': session.csrf, 'idempotency-key': crypto.randomUUID() },
      });
      const ok = r.status === 201 && r.body.includes('"number":"INC');
      return ok ? { ms: r.ms, ok, status: r.status } : { ms: r.ms, ok: false, status: r.status, detail: r.body };
    };
    log('creates:');
    for (const c of [1, 16]) {
      const warm = await runLoad({ concurrency: c, durationMs: opts.warmupMs, op: createOp });
      failIfErrors({ ...warm, id: `create_c${c}_warmup`, label: 'create ticket (warm-up)', method: 'POST', path: '/api/tickets', mode: 'duration', cpu: null }, srv);
      const { result: r, cpu } = await measured(() => runLoad({ concurrency: c, durationMs: opts.durationMs, op: createOp }));
      record({ ...r, cpu, id: `create_c${c}`, label: 'create ticket', method: 'POST', path: '/api/tickets', mode: 'duration' });
    }

    const peakRssMb = server.peakRssMb();
    http.close();
    http = null;
    log('stopping the server (SIGTERM)...');
    const shutdown = await server.stop();
    const stopped = server;
    server = null;
    if (shutdown.code !== 0) {
      throw new BenchFailure(`server exited with code ${shutdown.code} signal ${shutdown.signal}\n${serverLogTail(stopped.logFile)}`);
    }
    log(`  exited 0 after ${Math.round(shutdown.ms)} ms`);

    let settings: Record<string, string> | undefined;
    if (target.databaseUrl) {
      log('raw PostgreSQL ceiling (pg.Pool of 16, autocommit single-row INSERT):');
      const url = target.databaseUrl;
      const { result: raw, cpu } = await measured(() => rawInsertCeiling(url, { concurrency: 16, durationMs: opts.durationMs, warmupMs: opts.warmupMs }), null);
      record({ ...raw, cpu, id: 'raw_insert_c16', label: 'raw INSERT + COMMIT via pg (scratch table)', method: 'SQL', path: 'INSERT INTO bench_raw_insert', mode: 'duration' });
      settings = await postgresSettings(target.databaseUrl);
    }

    const after = machineInfo().git;
    const codeChangedDuringRun = after.commit !== machine.git.commit || after.serverDirty !== machine.git.serverDirty || machine.git.serverDirty === true;
    if (codeChangedDuringRun) log(`  WARNING: server code changed or is uncommitted (${machine.git.commit} -> ${after.commit}): results may mix two versions`);
    const { password: _p, orgs, groupIds: _g, ...seedInfo } = seed;
    return {
      benchmark: 'tickets',
      db: kind,
      dbLabel: target.label,
      tickets: opts.tickets,
      machine,
      codeChangedDuringRun,
      ...(settings ? { postgresSettings: settings } : {}),
      options: { durationS: opts.durationMs / 1000, warmupS: opts.warmupMs / 1000, readRequests: opts.readRequests },
      seed: { ...seedInfo, organisations: orgs.length },
      server: { startMs, peakRssMb, shutdown },
      machineBusyBefore,
      scenarios,
    };
  } finally {
    http?.close();
    if (server) await server.stop(30_000).catch(() => undefined);
    // The PostgreSQL database stays for inspection until the next run; the PGlite dir unless --keep.
    if (opts.keepData && kind === 'pglite') log(`PGlite data kept in ${target.dataDir}`);
    else await target.cleanup();
  }
}
