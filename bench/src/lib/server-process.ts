import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

export type ServerProcess = {
  url: string;
  pid: number;
  logFile: string;
  /** Peak resident memory of the server so far (VmHWM), in MB; null off Linux. */
  peakRssMb(): number | null;
  /** SIGTERM, then waits for the exit; returns the exit code and how long shutdown took. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: string | null; ms: number }>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type StartOptions = {
  /** PGlite: the data dir holding pgdata/; PostgreSQL: where attachments would go. */
  dataDir: string;
  databaseUrl?: string;
  adminPassword: string;
  logFile: string;
  readyTimeoutMs?: number;
};

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Starts `node server/src/main.ts` (the same Node binary as the bench) and waits for /readyz. */
export async function startServer(opts: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: opts.dataDir,
    TIANSHU_ADMIN_PASSWORD: opts.adminPassword,
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
  });
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  const log = fs.openSync(opts.logFile, 'w');
  // BENCH_SERVER_NODE_ARGS: extra Node flags for the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, path.join(REPO_ROOT, 'server/src/main.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exited: { code: number | null; signal: string | null } | null = null;
  const exitPromise = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 180_000);
  for (;;) {
    if (exited) throw new Error(`server exited during start-up (${JSON.stringify(exited)}):\n${tail(opts.logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within the timeout:\n${tail(opts.logFile)}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid ?? -1;
  return {
    url,
    pid,
    logFile: opts.logFile,
    peakRssMb() {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const m = /VmHWM:\s+(\d+) kB/.exec(status);
        return m?.[1] ? Math.round(Number(m[1]) / 1024) : null;
      } catch {
        return null;
      }
    },
    async stop(timeoutMs = 300_000) {
      const t0 = performance.now();
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const r = await exitPromise;
      clearTimeout(timer);
      return { ...r, ms: performance.now() - t0 };
    },
  };
}

export function serverLogTail(file: string, lines = 30): string {
  return tail(file, lines);
}
