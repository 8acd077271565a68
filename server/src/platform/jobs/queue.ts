import { PgBoss, fromPglite } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Db } from '../db/db.ts';

/**
 * Deadline-driven work on pg-boss, on the same database as the app (PGlite or PostgreSQL).
 *
 * Every job is a sweep: "process whatever is due now" (SLA clocks, notification deliveries).
 * Sweeps lock their rows with SKIP LOCKED and record what they fired in the same transaction, so
 * a duplicate run (two instances, a retry, the cron backstop) does nothing twice. Jobs carry no
 * data; a kick asks for a sweep at an instant (deduplicated per second by its singleton key), and
 * a cron schedule every minute catches anything a lost kick or a restart left behind.
 */
export type Sweep = {
  name: string;
  /** Processes due work; returns how many items it handled (it is called again while > 0). */
  run: () => Promise<number>;
  /** Backstop schedule (cron, Asia/Shanghai); every minute by default. */
  cron?: string;
};

export type JobQueue = { stop(): Promise<void> };

const kickers = new WeakMap<object, PgBoss>();

/**
 * Asks for a sweep at `at` (now when omitted). Never throws and never waits: a lost kick is
 * caught by the minute cron. Does nothing where no queue runs (tests with jobs disabled).
 */
export function kick(db: Db, name: string, at?: Date | null): void {
  const boss = kickers.get(db);
  if (!boss) return;
  const when = at && at.getTime() > Date.now() ? at : new Date();
  // One job per second and sweep is enough: the sweep handles everything due by then.
  const second = Math.ceil(when.getTime() / 1000) * 1000;
  boss
    .send(name, null, { startAfter: new Date(second), singletonKey: `${name}@${second}`, retryLimit: 3 })
    .catch(() => undefined);
}

export async function startJobQueue(database: Database, sweeps: Sweep[], log: FastifyBaseLogger): Promise<JobQueue> {
  const common = { schema: 'pgboss', supervise: true, schedule: true, migrate: true } as const;
  const boss =
    database.raw.kind === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite(database.raw.client), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: database.raw.connectionString, max: 4 });
  boss.on('error', (err: unknown) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const sweep of sweeps) {
    // 'short': one queued job per singleton key, so kicks for the same second collapse.
    await boss.createQueue(sweep.name, { policy: 'short' });
    await boss.work(sweep.name, { pollingIntervalSeconds: 1, batchSize: 1 }, async () => {
      // Repeat while there was work: a sweep handles a bounded batch per pass.
      for (let i = 0; i < 100 && (await sweep.run()) > 0; i++);
    });
    await boss.schedule(sweep.name, sweep.cron ?? '* * * * *', null, { singletonKey: `${sweep.name}@cron`, tz: 'Asia/Shanghai' });
  }
  kickers.set(database.db, boss);
  // Anything due while the server was down runs now, not at the next minute.
  for (const sweep of sweeps) kick(database.db, sweep.name);
  return {
    async stop() {
      kickers.delete(database.db);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
