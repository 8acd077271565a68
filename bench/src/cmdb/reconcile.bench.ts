import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { ReconcileItem } from '@tianshu/contracts';
import { migrateDatabase, openDatabase, rows } from '../../../server/src/platform/db/db.ts';
import { systemActor } from '../../../server/src/platform/auth/actor.ts';
import { insertOrganization } from '../../../server/src/modules/directory/directory.queries.ts';
import { ensureBuiltinClasses } from '../../../server/src/modules/cmdb/builtin-classes.ts';
import { reconcile } from '../../../server/src/modules/cmdb/cmdb-reconcile.service.ts';
import { cpuShare, cpuSnapshot, machineBusyCores, type CpuShare } from '../lib/cpu.ts';
import { machineInfo, type MachineInfo } from '../lib/machine.ts';
import { percentile, round } from '../lib/stats.ts';
import { freshTarget, type DbKind } from '../lib/targets.ts';
import { BenchFailure, NOISE_CORES } from '../tickets/tickets.bench.ts';

/** The target: >= 5,000 CIs/s upserted in batches of 1,000 on PostgreSQL. */
export const RECONCILE_TARGET_PER_S = 5000;
export const RECONCILE_CIS = 20_000;
export const RECONCILE_BATCH = 1000;

export type ReconcilePass = {
  id: 'create' | 'resend' | 'update10';
  label: string;
  cis: number;
  batches: number;
  totals: { created: number; updated: number; unchanged: number; conflict: number };
  seconds: number;
  cisPerSecond: number;
  batchMs: { p50: number; p95: number; max: number };
  cpu: CpuShare | null;
};

export type ReconcileBenchResult = {
  benchmark: 'cmdb-reconcile';
  db: DbKind;
  dbLabel: string;
  machine: MachineInfo;
  loadAverage: { start: number[]; end: number[] };
  machineBusyBefore: number | null;
  cis: number;
  batch: number;
  passes: ReconcilePass[];
  finalCounts: { cis: number; versions: number };
};

function items(orgCode: string, n: number, pass: 'create' | 'resend' | 'update10'): ReconcileItem[] {
  return Array.from({ length: n }, (_, i) => ({
    class: 'server.vm',
    org: orgCode,
    identifiers: {
      serialNumber: `VM-${String(i).padStart(6, '0')}`,
      hostname: `vm-${String(i).padStart(6, '0')}`,
      ip: `10.${Math.floor(i / 65_536) + 100}.${Math.floor(i / 256) % 256}.${i % 256}`,
    },
    attributes: {
      os: 'Kylin V10',
      os_version: 'SP3',
      cpu_cores: pass === 'update10' && i % 10 === 0 ? 16 : 8,
      memory_gb: 32,
      platform: 'KVM',
    },
    status: 'in_use',
  }));
}

/**
 * The reconciliation API as a discovery tool drives it: 20,000 VMs in batches of 1,000, three passes
 * (first discovery creates, an identical rescan changes nothing, a rescan with 10% changed updates).
 * In process (no HTTP): the route's own `reconcile(db, actor, locale, body)`, one transaction per batch.
 */
export async function runReconcileOn(kind: DbKind, opts: { log: (m: string) => void; pgDatabase: string; cis?: number }): Promise<ReconcileBenchResult> {
  const { log } = opts;
  const N = opts.cis ?? RECONCILE_CIS;
  const loadStart = os.loadavg().map((v) => round(v));
  const target = await freshTarget(kind, kind === 'postgres' ? opts.pgDatabase : undefined);
  log(`\n== ${target.label}: reconcile ${N} CIs in batches of ${RECONCILE_BATCH} ==`);
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 4 });
  try {
    const db = database.db;
    await migrateDatabase(database);
    await ensureBuiltinClasses(db);
    const org = await insertOrganization(db, { name: '发现基准客户', code: 'RECON-BENCH', kind: 'customer' });
    const actor = systemActor();
    const pgDatabase = target.databaseUrl ? decodeURIComponent(new URL(target.databaseUrl).pathname.slice(1)) : null;
    const machineBusyBefore = await machineBusyCores(3000);
    if (machineBusyBefore !== null && machineBusyBefore > NOISE_CORES) log(`  WARNING: the machine is busy before measuring (${machineBusyBefore} cores)`);

    const pass = async (id: ReconcilePass['id'], label: string, expect: Partial<ReconcilePass['totals']>): Promise<ReconcilePass> => {
      const all = items(org.code, N, id);
      const totals = { created: 0, updated: 0, unchanged: 0, conflict: 0 };
      const batchMs: number[] = [];
      const a = cpuSnapshot(null, pgDatabase);
      const t0 = performance.now();
      for (let i = 0; i < all.length; i += RECONCILE_BATCH) {
        const t = performance.now();
        const r = await reconcile(db, actor, 'zh-CN', { source: 'bench', items: all.slice(i, i + RECONCILE_BATCH) });
        batchMs.push(performance.now() - t);
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r.totals[k];
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuShare(a, cpuSnapshot(null, pgDatabase));
      for (const [k, v] of Object.entries(expect)) {
        if (totals[k as keyof typeof totals] !== v) throw new BenchFailure(`${label}: expected ${k} = ${v}, got ${JSON.stringify(totals)}`);
      }
      batchMs.sort((x, y) => x - y);
      const r: ReconcilePass = {
        id,
        label,
        cis: all.length,
        batches: batchMs.length,
        totals,
        seconds: round(seconds, 2),
        cisPerSecond: Math.round(all.length / seconds),
        batchMs: { p50: round(percentile(batchMs, 50), 1), p95: round(percentile(batchMs, 95), 1), max: round(batchMs[batchMs.length - 1] ?? 0, 1) },
        cpu,
      };
      log(`  ${label.padEnd(44)} ${r.cisPerSecond.toLocaleString('en-US')} CIs/s (${r.seconds} s; batch p50 ${r.batchMs.p50} / p95 ${r.batchMs.p95} ms) ${JSON.stringify(totals)}`);
      return r;
    };
    const passes = [
      await pass('create', 'first discovery: all created', { created: N, conflict: 0 }),
      await pass('resend', 'identical rescan: all unchanged', { unchanged: N, created: 0, updated: 0 }),
      await pass('update10', 'rescan with 10% changed: updated', { updated: Math.ceil(N / 10), unchanged: N - Math.ceil(N / 10), created: 0 }),
    ];
    const [counts] = await rows<{ cis: number; versions: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM ci_items WHERE org_id = ${org.id})::int AS cis,
                 (SELECT count(*) FROM ci_versions v JOIN ci_items c ON c.id = v.ci_id WHERE c.org_id = ${org.id})::int AS versions`,
    );
    const finalCounts = { cis: Number(counts?.cis ?? 0), versions: Number(counts?.versions ?? 0) };
    if (finalCounts.cis !== N || finalCounts.versions !== N + Math.ceil(N / 10)) {
      throw new BenchFailure(`after three passes expected ${N} CIs and ${N + Math.ceil(N / 10)} versions, got ${JSON.stringify(finalCounts)}`);
    }
    return {
      benchmark: 'cmdb-reconcile',
      db: kind,
      dbLabel: target.label,
      machine: machineInfo(),
      loadAverage: { start: loadStart, end: os.loadavg().map((v) => round(v)) },
      machineBusyBefore,
      cis: N,
      batch: RECONCILE_BATCH,
      passes,
      finalCounts,
    };
  } finally {
    await database.close();
    await target.cleanup();
  }
}

export function reconcileTable(results: ReconcileBenchResult[]): string {
  if (!results.length) return '';
  const head = ['pass (20,000 CIs, batches of 1,000)', ...results.flatMap((r) => [`${r.dbLabel}: CIs/s`, 'batch p50 / p95 ms', 'created / updated / unchanged'])];
  const lines = [`| ${head.join(' | ')} |`, `| ${['---', ...results.flatMap(() => ['--:', '--:', '--:'])].join(' | ')} |`];
  for (const p of results[0]?.passes ?? []) {
    const cells = [p.label];
    for (const r of results) {
      const x = r.passes.find((y) => y.id === p.id);
      if (!x) cells.push('–', '–', '–');
      else {
        const verdict = r.db === 'postgres' ? (x.cisPerSecond >= RECONCILE_TARGET_PER_S ? ' (target met)' : ' (**target not met**)') : '';
        cells.push(`**${x.cisPerSecond.toLocaleString('en-US')}**${verdict}`, `${x.batchMs.p50} / ${x.batchMs.p95}`, `${x.totals.created} / ${x.totals.updated} / ${x.totals.unchanged}`);
      }
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
