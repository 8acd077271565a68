import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase } from '../../../server/src/platform/db/db.ts';
import { hashPassword } from '../../../server/src/platform/auth/password.ts';
import { groupMembers, users } from '../../../server/src/modules/directory/directory.tables.ts';
import { settings } from '../../../server/src/modules/settings/settings.tables.ts';
import { insertGroup, insertOrganization, insertUser } from '../../../server/src/modules/directory/directory.queries.ts';
import { cpuShare, cpuSnapshot, machineBusyCores, type CpuShare } from '../lib/cpu.ts';
import { createHttpClient, type HttpClient } from '../lib/http.ts';
import { machineInfo, type MachineInfo } from '../lib/machine.ts';
import { summarise, type LatencySummary } from '../lib/stats.ts';
import { serverLogTail, startServer } from '../lib/server-process.ts';
import { freshTarget, pgDatabaseOf, type DbKind } from '../lib/targets.ts';

/**
 * Workflow transitions through the HTTP API (issue 5): closed-loop workers each drive normal changes
 * through their whole lifecycle — submit and request approval (guards: rollback plan and planned
 * window checks), two CAB approvals (会签; the second ends the run and the engine takes the system
 * transition to scheduled), implement (guard: approval granted), verify, complete, review, close.
 * Every call that moves a ticket counts: 7 user transitions and 2 approval decisions per change.
 */

/** The target: >= 300 transitions/s on PostgreSQL at concurrency 16. */
export const TRANSITIONS_TARGET_PER_S = 300;

export type TransitionsBenchOptions = { concurrency: number; durationMs: number; warmupMs: number; log: (msg: string) => void; pgDatabase: string };

export type OpStats = { calls: number; errors: number; latency: LatencySummary };

export type TransitionsBenchResult = {
  benchmark: 'workflow-transitions';
  db: DbKind;
  dbLabel: string;
  machine: MachineInfo;
  concurrency: number;
  durationS: number;
  machineBusyBefore: number | null;
  /** Calls that moved a ticket (user transitions + approval decisions) per second of wall time. */
  movesPerSecond: number;
  /** State changes per second including the system transition an approval run's end takes. */
  stateChangesPerSecond: number;
  changesCompleted: number;
  /** Per call kind: transition keys, `decision`, and the helper calls (create, approvals read). */
  ops: Record<string, OpStats>;
  errorSamples: string[];
  cpu: CpuShare | null;
};

type Session = { cookie: string; csrf: string };

class BenchError extends Error {}

async function login(http: HttpClient, username: string, password: string): Promise<Session> {
  const res = await http.request('POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new BenchError(`login as ${username} failed: HTTP ${res.status} ${res.body}`);
  const me = JSON.parse(res.body) as { csrfToken?: string };
  const sid = (res.headers['set-cookie'] ?? []).map((c) => /^tianshu_sid=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
  if (!sid || !me.csrfToken) throw new BenchError('login returned no session cookie or CSRF token');
  return { cookie: `tianshu_sid=${sid}`, csrf: me.csrfToken };
}

const PASSWORD = 'Bench-Passw0rd!';

/** Users, the CAB group and its setting, written straight into the database before the server starts. */
async function seed(target: { dataDir: string; databaseUrl?: string }): Promise<{ orgId: number; managers: string[]; cab: string[] }> {
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 2 });
  try {
    await migrateDatabase(database);
    const db = database.db;
    const hash = await hashPassword(PASSWORD);
    const provider = await insertOrganization(db, { name: '压测服务商', code: 'BENCHP', kind: 'provider' });
    const customer = await insertOrganization(db, { name: '压测客户', code: 'BENCHC', kind: 'customer' });
    const mk = async (username: string) =>
      insertUser(db, { orgId: provider.id, username, displayName: username, passwordHash: hash, roles: ['manager'], mustChangePassword: false });
    const managers: string[] = [];
    for (let i = 0; i < 4; i++) managers.push((await mk(`mgr${i}`)).username);
    const cab = [(await mk('cab1')).username, (await mk('cab2')).username];
    const group = await insertGroup(db, { name: 'CAB 变更咨询委员会' });
    const ids = await db.select({ id: users.id }).from(users).where(sql`${users.username} IN ('cab1', 'cab2')`);
    await db.insert(groupMembers).values(ids.map((u) => ({ groupId: group.id, userId: u.id })));
    await db.insert(settings).values({ key: 'change.cab_groups', value: { normal: group.id, emergency: group.id } });
    return { orgId: customer.id, managers, cab };
  } finally {
    await database.close();
  }
}

export async function runTransitionsOn(kind: DbKind, opts: TransitionsBenchOptions): Promise<TransitionsBenchResult> {
  const target = await freshTarget(kind, opts.pgDatabase);
  opts.log(`== workflow transitions on ${target.label} ==`);
  const s = await seed(target);
  const server = await startServer({
    dataDir: target.dataDir,
    ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}),
    adminPassword: 'Bench-Admin-Passw0rd!',
    logFile: path.join(target.dataDir, 'server.log'),
  });
  const http = createHttpClient(server.url, opts.concurrency * 2);
  try {
    const managers = await Promise.all(s.managers.map((u) => login(http, u, PASSWORD)));
    const cab = await Promise.all(s.cab.map((u) => login(http, u, PASSWORD)));
    const stats = new Map<string, { ms: number[]; errors: number }>();
    const errorSamples: string[] = [];
    let measuring = false;
    let moves = 0;
    let userTransitions = 0;
    let systemMoves = 0;
    let completed = 0;
    const record = (op: string, ms: number, ok: boolean) => {
      if (!measuring) return;
      let st = stats.get(op);
      if (!st) {
        st = { ms: [], errors: 0 };
        stats.set(op, st);
      }
      if (ok) st.ms.push(ms);
      else st.errors++;
    };
    const call = async (op: string, who: Session, method: string, p: string, body?: unknown) => {
      const r = await http.request(method, p, { body, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf } });
      const ok = r.status >= 200 && r.status < 300;
      record(op, r.ms, ok);
      if (!ok) {
        if (errorSamples.length < 10) errorSamples.push(`${op}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
        throw new BenchError(`${op} failed`);
      }
      return JSON.parse(r.body) as Record<string, unknown>;
    };
    const lifecycle = async (w: number, n: number) => {
      const me = managers[w % managers.length] as Session;
      const start = new Date(Date.now() + (7 + ((w * 1000 + n) % 300)) * 86_400_000);
      const detail = await call('create', me, 'POST', '/api/changes', {
        changeType: 'normal',
        title: `压测变更 ${w}-${n}`,
        orgId: s.orgId,
        reason: '容量扩容',
        riskAnswers: { business_impact: 'minor', users_affected: 'lt100', tested: 'prod_like', rollback: 'simple', window: 'maintenance', past_failures: 'none' },
        implementationPlan: '按步骤执行',
        testPlan: '冒烟测试',
        rollbackPlan: '恢复快照',
        plannedStart: start.toISOString(),
        plannedEnd: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
      });
      let t = detail.ticket as { id: number; version: number };
      const move = async (action: string, who: Session = me, extra: Record<string, unknown> = {}) => {
        t = (await call(action, who, 'POST', `/api/tickets/${t.id}/transitions`, { action, version: t.version, ...extra })) as typeof t;
        if (measuring) {
          moves++;
          userTransitions++;
        }
      };
      await move('submit');
      await move('request_approval');
      const runs = (await call('approvals.read', me, 'GET', `/api/tickets/${t.id}/approvals`)).items as { state: string; steps: { tasks: { id: number; approverId: number; state: string }[] }[] }[];
      const tasks = runs.find((r) => r.state === 'pending')?.steps[0]?.tasks ?? [];
      if (tasks.length !== 2) throw new BenchError(`expected 2 CAB tasks, got ${tasks.length}`);
      for (const [i, task] of tasks.entries()) {
        await call('decision', cab[i] as Session, 'POST', `/api/approvals/tasks/${task.id}/decision`, { decision: 'approve', comment: '同意' });
        if (measuring) moves++;
      }
      if (measuring) systemMoves++;
      t = (await call('ticket.read', me, 'GET', `/api/tickets/${t.id}`)) as typeof t;
      await move('implement');
      await move('verify');
      await move('complete_successful');
      await move('start_review');
      await move('close', me, { comment: '评审通过' });
      if (measuring) completed++;
    };
    const worker = async (w: number, until: number) => {
      for (let n = 0; performance.now() < until; n++) {
        try {
          await lifecycle(w, n);
        } catch (err) {
          if (!(err instanceof BenchError)) throw err;
        }
      }
    };
    opts.log(`warm-up ${opts.warmupMs / 1000} s`);
    const warmUntil = performance.now() + opts.warmupMs;
    await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w, warmUntil)));
    const machineBusyBefore = await machineBusyCores(3000);
    opts.log(`measuring ${opts.durationMs / 1000} s at concurrency ${opts.concurrency}`);
    const cpuA = cpuSnapshot(server.pid, kind === 'postgres' ? pgDatabaseOf(target.databaseUrl ?? '') : null);
    measuring = true;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w + opts.concurrency, t0 + opts.durationMs)));
    const elapsedS = (performance.now() - t0) / 1000;
    measuring = false;
    const cpu = cpuShare(cpuA, cpuSnapshot(server.pid, kind === 'postgres' ? pgDatabaseOf(target.databaseUrl ?? '') : null));
    const ops: Record<string, OpStats> = {};
    for (const [op, st] of [...stats.entries()].sort()) ops[op] = { calls: st.ms.length, errors: st.errors, latency: summarise(st.ms.sort((a, b) => a - b)) };
    const result: TransitionsBenchResult = {
      benchmark: 'workflow-transitions',
      db: kind,
      dbLabel: target.label,
      machine: machineInfo(),
      concurrency: opts.concurrency,
      durationS: Math.round(elapsedS * 10) / 10,
      machineBusyBefore,
      movesPerSecond: Math.round((moves / elapsedS) * 10) / 10,
      stateChangesPerSecond: Math.round(((userTransitions + systemMoves) / elapsedS) * 10) / 10,
      changesCompleted: completed,
      ops,
      errorSamples,
      cpu,
    };
    opts.log(`${result.movesPerSecond} moves/s, ${completed} changes completed, errors: ${errorSamples.length}`);
    return result;
  } catch (err) {
    opts.log(serverLogTail(server.logFile));
    throw err;
  } finally {
    http.close();
    await server.stop();
    await target.cleanup();
  }
}
