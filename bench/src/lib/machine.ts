import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './server-process.ts';

export type MachineInfo = {
  date: string;
  hostname: string;
  platform: string;
  kernel: string;
  cpuCount: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  pglite: string | null;
  /** The code measured: HEAD and whether server/ or contracts/ had uncommitted changes. */
  git: { commit: string | null; serverDirty: boolean | null };
};

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function packageVersion(name: string): string | null {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? null;
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    cpuCount: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    pglite: packageVersion('@electric-sql/pglite'),
    git: (() => {
      const status = git(['status', '--porcelain', '--', 'server', 'contracts']);
      return { commit: git(['rev-parse', '--short=12', 'HEAD']), serverDirty: status === null ? null : status.length > 0 };
    })(),
  };
}
