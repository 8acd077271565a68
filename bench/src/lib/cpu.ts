import fs from 'node:fs';
import os from 'node:os';

/**
 * CPU accounting from /proc (Linux): where the machine's CPU time went during a scenario, so a
 * run disturbed by other work on the machine (tests, builds) is visible in the results.
 */
export type CpuShare = {
  /** Busy cores of the whole machine in processes (user + nice + system), averaged over the scenario. */
  machine: number;
  /** Cores taken by the hypervisor for other guests (a noisy neighbour), not counted in `machine`. */
  steal: number;
  server: number;
  bench: number;
  /** PostgreSQL's auxiliary processes plus the backends connected to the bench database (0 on PGlite). */
  postgres: number;
  /** machine - server - bench - postgres: other work competing for the CPU. */
  other: number;
};

export type CpuSnapshot = { at: number; machineBusy: number; steal: number; server: number; bench: number; postgres: number; pgForeign: Map<number, number> };

const HZ = 100; // USER_HZ on Linux

function machineTicks(): { busy: number; steal: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal ...; interrupt time is not charged to processes, so it is left out.
    const [, user = 0, nice = 0, system = 0, , , , , steal = 0] = line.trim().split(/\s+/).map(Number);
    return { busy: user + nice + system, steal };
  } catch {
    return { busy: 0, steal: 0 };
  }
}

type ProcTicks = { self: number; children: number };

function readProc(pid: number): ProcTicks {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return { self: 0, children: 0 };
  }
}

/**
 * PostgreSQL CPU: every live `postgres` process plus what the postmaster's exited children used
 * (parallel workers and closed connections are short-lived). Backends of other databases (someone
 * else's test run) are listed apart so their CPU can be counted as other work.
 */
function postgresTicks(dbName: string | null): { total: number; foreign: Map<number, number> } {
  const foreign = new Map<number, number>();
  if (!dbName) return { total: 0, foreign };
  let total = 0;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return { total: 0, foreign };
  }
  for (const e of entries) {
    const pid = Number(e);
    try {
      if (fs.readFileSync(`/proc/${e}/comm`, 'utf8').trim() !== 'postgres') continue;
      const t = readProc(pid);
      // "postgres: 15/main: user db 127.0.0.1(5555) idle" for a backend, "postgres: 15/main: walwriter" otherwise.
      const title = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const m = /^postgres: [^:]+: (.*)$/.exec(title);
      if (!m) {
        total += t.self + t.children; // the postmaster, with its exited children
        continue;
      }
      total += t.self;
      const words = m[1]?.split(' ') ?? [];
      const backend = words.length >= 3 && /\(\d+\)$|\[local\]/.test(words[2] ?? '');
      if (backend && words[1] !== dbName) foreign.set(pid, t.self);
    } catch {
      // the process ended
    }
  }
  return { total, foreign };
}

export const cpuAccountingAvailable = os.platform() === 'linux' && fs.existsSync('/proc/stat');

/** `pgDatabase`: the bench database when running on PostgreSQL, null on PGlite. */
export function cpuSnapshot(serverPid: number | null, pgDatabase: string | null): CpuSnapshot {
  const m = machineTicks();
  const pg = postgresTicks(pgDatabase);
  return {
    at: performance.now(),
    machineBusy: m.busy,
    steal: m.steal,
    server: serverPid ? readProc(serverPid).self : 0,
    bench: readProc(process.pid).self,
    postgres: pg.total,
    pgForeign: pg.foreign,
  };
}

export function cpuShare(a: CpuSnapshot, b: CpuSnapshot): CpuShare | null {
  if (!cpuAccountingAvailable) return null;
  const secs = (b.at - a.at) / 1000;
  const cores = (ticks: number) => Math.round((ticks / HZ / secs) * 100) / 100;
  const machine = cores(b.machineBusy - a.machineBusy);
  const server = cores(b.server - a.server);
  const bench = cores(b.bench - a.bench);
  // Foreign backends alive at both ends are someone else's work; one that came and went in between is counted as ours.
  let foreign = 0;
  for (const [pid, t] of b.pgForeign) foreign += t - (a.pgForeign.get(pid) ?? t);
  const postgres = cores(Math.max(0, b.postgres - a.postgres - foreign));
  return { machine, steal: cores(b.steal - a.steal), server, bench, postgres, other: Math.max(0, Math.round((machine - server - bench - postgres) * 100) / 100) };
}

/** Busy cores of the machine over a short window, to warn before measuring on a busy machine. */
export async function machineBusyCores(windowMs = 2000): Promise<number | null> {
  if (!cpuAccountingAvailable) return null;
  const a = cpuSnapshot(null, null);
  await new Promise((r) => setTimeout(r, windowMs));
  const b = cpuSnapshot(null, null);
  return cpuShare(a, b)?.machine ?? null;
}
