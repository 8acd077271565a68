import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = path.resolve(import.meta.dirname, 'main.ts');

function boot(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = async () => {
    for (let i = 0; i < 600 && !/running: (http\S+)/.test(out); i++) {
      if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /running: (http\S+)/.exec(out)?.[1];
    if (!url) throw new Error(`no URL printed: ${out} ${err}`);
    return url;
  };
  return { child, exited, ready, output: () => out, errors: () => err };
}

describe('boot', () => {
  it('prints the URL and a one-time admin password, serves, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianshu-boot-'));
    const s = boot({ DATA_DIR: dataDir, PORT: '0', WEB_DIST_DIR: path.join(dataDir, 'none') });
    const url = await s.ready();
    const password = /password (\S+)/.exec(s.output())?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    // The data directory reopens and the admin is not created twice.
    const again = boot({ DATA_DIR: dataDir, PORT: '0', WEB_DIST_DIR: path.join(dataDir, 'none') });
    await again.ready();
    expect(again.output()).not.toMatch(/password/);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to boot with bad settings and lists every problem', async () => {
    const s = boot({ PORT: 'abc', AUDIT_RETENTION_DAYS: '10', DATABASE_URL: 'mysql://x' });
    expect(await s.exited).toBe(2);
    expect(s.errors()).toMatch(/PORT/);
    expect(s.errors()).toMatch(/AUDIT_RETENTION_DAYS/);
    expect(s.errors()).toMatch(/DATABASE_URL/);
  });
});
