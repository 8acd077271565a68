import os from 'node:os';
import { migrateDatabase, openDatabase } from '../../../server/src/platform/db/db.ts';
import type { Actor } from '../../../server/src/platform/auth/actor.ts';
import { affectedServices, impact, MAX_IMPACT_NODES } from '../../../server/src/modules/cmdb/cmdb-relations.service.ts';
import { cpuShare, cpuSnapshot, machineBusyCores, type CpuShare } from '../lib/cpu.ts';
import { machineInfo, type MachineInfo } from '../lib/machine.ts';
import { createRng } from '../lib/random.ts';
import { percentile, round } from '../lib/stats.ts';
import { freshTarget, type DbKind } from '../lib/targets.ts';
import { explainQueries, loggingDb, type CapturedQuery, type QueryPlan } from '../tickets/plans.ts';
import { NOISE_CORES, postgresSettings } from '../tickets/tickets.bench.ts';
import { seedCmdb, type CmdbSeedResult } from './seed.ts';

/** The issue's target: impact of a business service on PostgreSQL, 100,000 CIs / 300,000 relations, p99 <= 100 ms. */
export const IMPACT_TARGET_MS = 100;
export const ROOTS = 50;

export type CmdbBenchOptions = { cis: number; relations: number; runs: number; keepData: boolean; log: (msg: string) => void; pgDatabase: string };

export type ScenarioResult = {
  id: string;
  label: string;
  call: string;
  actor: 'agent' | 'customer';
  roots: number;
  runs: number;
  ms: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Nodes returned (the root included for impact), over the runs. */
  nodes: { min: number; median: number; max: number; mean: number };
  edges: { median: number; max: number } | null;
  /** Runs whose result hit MAX_IMPACT_NODES (2,000) and was cut. */
  truncated: number;
  /** Runs whose result contains at least one business service (the root not counted). */
  reachServices: number;
  cpu: CpuShare | null;
};

export type CmdbBenchResult = {
  benchmark: 'cmdb';
  db: DbKind;
  dbLabel: string;
  machine: MachineInfo;
  postgresSettings?: Record<string, string>;
  loadAverage: { start: number[]; beforeMeasure: number[]; end: number[] };
  machineBusyBefore: number | null;
  codeChangedDuringRun: boolean;
  maxImpactNodes: number;
  seed: CmdbSeedResult;
  scenarios: ScenarioResult[];
  plans: QueryPlan[];
};

type Outcome = { nodes: number; edges: number | null; truncated: boolean; services: number };

const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[s.length >> 1] ?? 0) : 0;
};

export async function runCmdbOn(kind: DbKind, opts: CmdbBenchOptions): Promise<CmdbBenchResult> {
  const { log } = opts;
  const machine = machineInfo();
  const loadStart = os.loadavg().map((v) => round(v));
  const target = await freshTarget(kind, kind === 'postgres' ? opts.pgDatabase : undefined);
  log(`\n== ${target.label}: ${opts.cis} CIs, ${opts.relations} relations ==`);
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 4 });
  try {
    const db = database.db;
    const t0 = performance.now();
    await migrateDatabase(database);
    const migrateMs = performance.now() - t0;
    const { seed, actors, ids } = await seedCmdb(database, opts.cis, opts.relations, migrateMs, log);
    log(`  load ${Math.round(seed.loadMs / 1000)} s, VACUUM ANALYZE ${Math.round(seed.finishMs / 1000)} s, database ${seed.databaseSizeMb ?? '?'} MB`);
    log(`  relations by type: ${seed.relationsByType.map((r) => `${r.key} ${r.count}`).join(', ')}; ${seed.cyclePairs} mutual pairs`);

    const rng = createRng(424242);
    const sample = (xs: number[], k: number) => {
      const pool = [...xs];
      const out: number[] = [];
      while (out.length < k && pool.length) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as number);
      return out;
    };
    const bsRoots = sample(ids.businessServices, ROOTS);
    const infraRoots = [...sample(ids.physicalServers, ROOTS - Math.round(ROOTS / 5)), ...sample(ids.racks, Math.round(ROOTS / 5))];
    const bsSet = new Set(ids.businessServices);

    // Plans on the freshly analysed database: the statements impact() sends, captured with their parameters.
    const captured: CapturedQuery[] = [];
    let label = '';
    const capture = loggingDb(database, (query, params) => {
      if (/ci_relations r WHERE/i.test(query)) captured.push({ name: label, query, params });
    });
    label = 'impact upstream of a business service, depth 5';
    await impact(capture, actors.agent, bsRoots[0] as number, 'upstream', 5);
    label = 'impact downstream of a physical server, depth 5';
    await impact(capture, actors.agent, infraRoots[0] as number, 'downstream', 5);
    label = 'affectedServices of a physical server (downstream 10, business services only)';
    await affectedServices(capture, actors.agent, infraRoots[0] as number);
    label = 'impact upstream of a business service, depth 5, tenant-scoped';
    await impact(capture, actors.customer, bsRoots[0] as number, 'upstream', 5);
    // Per call: one statement per breadth-first level, then (impact only) the edges among the found CIs.
    const levels = new Map<string, number>();
    const named = captured.map((c) => {
      if (/OFFSET 0/.test(c.query)) return { ...c, name: `${c.name}: edges` };
      const n = (levels.get(c.name) ?? 0) + 1;
      levels.set(c.name, n);
      return { ...c, name: `${c.name}: level ${n}` };
    });
    const plans = await explainQueries(db, named);
    log('query plans (EXPLAIN ANALYZE, warm):');
    for (const p of plans) log(`  ${p.name.padEnd(90)} exec ${p.executionMs ?? '?'} ms`);

    const machineBusyBefore = await machineBusyCores(3000);
    if (machineBusyBefore !== null && machineBusyBefore > NOISE_CORES) log(`  WARNING: the machine is busy before measuring (${machineBusyBefore} cores): figures will be disturbed`);
    const loadBefore = os.loadavg().map((v) => round(v));
    log(`  load average before measuring: ${loadBefore.join(' / ')}`);
    const pgDatabase = target.databaseUrl ? decodeURIComponent(new URL(target.databaseUrl).pathname.slice(1)) : null;

    const scenario = async (
      id: string,
      lbl: string,
      call: string,
      actorName: 'agent' | 'customer',
      roots: number[],
      fn: (actor: Actor, root: number) => Promise<Outcome>,
    ): Promise<ScenarioResult> => {
      const actor = actors[actorName];
      for (let i = 0; i < Math.min(10, roots.length); i++) await fn(actor, roots[i] as number);
      const ms: number[] = [];
      const outs: Outcome[] = [];
      const a = cpuSnapshot(null, pgDatabase);
      for (let i = 0; i < opts.runs; i++) {
        const root = roots[i % roots.length] as number;
        const t = performance.now();
        const o = await fn(actor, root);
        ms.push(performance.now() - t);
        outs.push(o);
      }
      const cpu = cpuShare(a, cpuSnapshot(null, pgDatabase));
      ms.sort((x, y) => x - y);
      const nodes = outs.map((o) => o.nodes);
      const edges = outs.map((o) => o.edges).filter((e): e is number => e !== null);
      const r: ScenarioResult = {
        id,
        label: lbl,
        call,
        actor: actorName,
        roots: roots.length,
        runs: opts.runs,
        ms: {
          p50: round(percentile(ms, 50), 2),
          p95: round(percentile(ms, 95), 2),
          p99: round(percentile(ms, 99), 2),
          max: round(ms[ms.length - 1] ?? Number.NaN, 2),
          mean: round(ms.reduce((s, v) => s + v, 0) / Math.max(1, ms.length), 2),
        },
        nodes: { min: Math.min(...nodes), median: med(nodes), max: Math.max(...nodes), mean: round(nodes.reduce((s, v) => s + v, 0) / Math.max(1, nodes.length), 1) },
        edges: edges.length ? { median: med(edges), max: Math.max(...edges) } : null,
        truncated: outs.filter((o) => o.truncated).length,
        reachServices: outs.filter((o) => o.services > 0).length,
        cpu,
      };
      log(
        `  ${lbl.padEnd(64)} p50 ${r.ms.p50} / p95 ${r.ms.p95} / p99 ${r.ms.p99} / max ${r.ms.max} ms; nodes median ${r.nodes.median} (max ${r.nodes.max}), ` +
          `truncated ${r.truncated}/${r.runs}, reach services ${r.reachServices}/${r.runs}` +
          (cpu ? `  [cpu: bench ${cpu.bench}, db ${cpu.postgres}, other ${cpu.other}]` : ''),
      );
      return r;
    };
    const viaImpact = (direction: 'upstream' | 'downstream', depth: number) => async (actor: Actor, root: number): Promise<Outcome> => {
      const res = await impact(db, actor, root, direction, depth);
      return { nodes: res.nodes.length, edges: res.edges.length, truncated: res.truncated, services: res.nodes.filter((x) => x.id !== root && bsSet.has(x.id)).length };
    };
    const viaServices = async (actor: Actor, root: number): Promise<Outcome> => {
      const res = await affectedServices(db, actor, root);
      return { nodes: res.length, edges: null, truncated: res.length >= MAX_IMPACT_NODES, services: res.length };
    };

    log(`scenarios (${opts.runs} timed runs each, cycling over ${ROOTS} roots, after 10 warm-up calls):`);
    const scenarios: ScenarioResult[] = [];
    scenarios.push(await scenario('bs-up-5', 'business service, upstream (what it depends on), depth 5', "impact(…, 'upstream', 5)", 'agent', bsRoots, viaImpact('upstream', 5)));
    scenarios.push(await scenario('bs-up-10', 'business service, upstream, depth 10', "impact(…, 'upstream', 10)", 'agent', bsRoots, viaImpact('upstream', 10)));
    scenarios.push(await scenario('bs-down-5', 'business service, downstream (what depends on it), depth 5', "impact(…, 'downstream', 5)", 'agent', bsRoots, viaImpact('downstream', 5)));
    scenarios.push(await scenario('infra-down-5', 'physical server / rack, downstream (what it impacts), depth 5', "impact(…, 'downstream', 5)", 'agent', infraRoots, viaImpact('downstream', 5)));
    scenarios.push(await scenario('infra-down-10', 'physical server / rack, downstream, depth 10', "impact(…, 'downstream', 10)", 'agent', infraRoots, viaImpact('downstream', 10)));
    scenarios.push(await scenario('infra-services', 'physical server / rack, affected business services', 'affectedServices(…)', 'agent', infraRoots, viaServices));
    scenarios.push(await scenario('bs-up-5-scoped', 'business service, upstream, depth 5, tenant-scoped actor', "impact(…, 'upstream', 5)", 'customer', bsRoots, viaImpact('upstream', 5)));
    scenarios.push(await scenario('infra-down-5-scoped', 'physical server / rack, downstream, depth 5, tenant-scoped', "impact(…, 'downstream', 5)", 'customer', infraRoots, viaImpact('downstream', 5)));
    const loadEnd = os.loadavg().map((v) => round(v));
    log(`  load average after measuring: ${loadEnd.join(' / ')}`);

    let settings: Record<string, string> | undefined;
    if (target.databaseUrl) settings = await postgresSettings(target.databaseUrl);
    const after = machineInfo().git;
    const codeChangedDuringRun = after.commit !== machine.git.commit || after.serverDirty !== machine.git.serverDirty || machine.git.serverDirty === true;
    if (codeChangedDuringRun) log(`  WARNING: server code changed or is uncommitted (${machine.git.commit} -> ${after.commit}): results may mix two versions`);
    return {
      benchmark: 'cmdb',
      db: kind,
      dbLabel: target.label,
      machine,
      ...(settings ? { postgresSettings: settings } : {}),
      loadAverage: { start: loadStart, beforeMeasure: loadBefore, end: loadEnd },
      machineBusyBefore,
      codeChangedDuringRun,
      maxImpactNodes: MAX_IMPACT_NODES,
      seed,
      scenarios,
      plans,
    };
  } finally {
    await database.close();
    if (opts.keepData && kind === 'pglite') log(`PGlite data kept in ${target.dataDir}`);
    else await target.cleanup();
  }
}
