import { ensureBuiltInWorkflows } from './modules/workflows/workflows.service.ts';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig, type AppConfig } from './platform/config/config.ts';
import { migrateDatabase, openDatabase, type Database } from './platform/db/db.ts';
import { buildApp } from './platform/http/app.ts';
import { ensureFirstAdmin } from './platform/bootstrap.ts';
import { startScheduler } from './platform/jobs/scheduler.ts';
import { startJobQueue, type JobQueue } from './platform/jobs/queue.ts';
import { sweepClocks } from './modules/sla/sla-clocks.service.ts';
import { deliverDue } from './modules/notifications/notifications.service.ts';
import { checkBudgets } from './modules/services/budget-alerts.ts';
import { purgeAudit, sealAudit } from './platform/audit/audit.service.ts';
import { autoClose } from './modules/tickets/tickets.service.ts';
import { systemActor } from './platform/auth/actor.ts';
import { ensurePresetCalendars } from './modules/calendars/calendars.service.ts';
import { ensureBuiltinClasses } from './modules/cmdb/builtin-classes.ts';
import { ensureBuiltinRelationTypes } from './modules/cmdb/builtin-relation-types.ts';
import { ensureBuiltinRequestTypes } from './modules/requests/builtin-request-types.ts';
import { ensureAuditDefaults, sweepAudits } from './modules/cmdb/cmdb-audits.service.ts';
import { deleteExpiredSessions } from './platform/auth/auth.queries.ts';
import { sweepWarrantyReminders } from './modules/vendors/warranty-reminders.ts';
import { sweepApprovalReminders } from './modules/approvals/approvals.service.ts';

export type RunningServer = {
  app: FastifyInstance;
  database: Database;
  url: string;
  admin: { username: string; password: string; generated: boolean } | null;
  close(): Promise<void>;
};

/** boot: config -> db -> migrate -> first admin -> jobs -> http */
export async function startServer(config: AppConfig, opts: { logger?: boolean } = {}): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  try {
    await migrateDatabase(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  const admin = await ensureFirstAdmin(database.db, config.adminPassword);
  await ensurePresetCalendars(database.db);
  await ensureBuiltinClasses(database.db);
  await ensureBuiltinRelationTypes(database.db);
  await ensureBuiltInWorkflows(database.db);
  await ensureBuiltinRequestTypes(database.db);
  await ensureAuditDefaults(database.db);
  // PGlite runs no autovacuum: keep planner statistics and dead rows in check ourselves.
  const pgliteUpkeep =
    database.kind === 'pglite'
      ? [
          { name: 'db.analyze', everyMs: 10 * 60_000, run: () => database.db.execute(sql`ANALYZE`) },
          { name: 'db.vacuum', everyMs: 6 * 3_600_000, run: () => database.db.execute(sql`VACUUM (ANALYZE)`) },
        ]
      : [];
  if (database.kind === 'pglite') await database.db.execute(sql`ANALYZE`);
  const app = await buildApp({ config, database, ...(opts.logger === undefined ? {} : { logger: opts.logger }) });
  const jobs = config.jobsEnabled
    ? startScheduler(
        [
          { name: 'audit.seal', everyMs: config.auditSealIntervalSeconds * 1000, run: () => sealAudit(database.db) },
          { name: 'tickets.auto_close', everyMs: 5 * 60_000, run: () => autoClose(database.db, systemActor(), config.autoCloseDays) },
          { name: 'audit.purge', everyMs: 6 * 3_600_000, run: () => purgeAudit(database.db, config.auditRetentionDays) },
          {
            name: 'sessions.purge',
            everyMs: 10 * 60_000,
            run: () => deleteExpiredSessions(database.db, new Date(Date.now() - config.sessionIdleMinutes * 60_000)),
          },
          ...pgliteUpkeep,
        ],
        app.log,
      )
    : null;
  let queue: JobQueue | null = null;
  if (config.jobsEnabled) {
    try {
      queue = await startJobQueue(
        database,
        [
          { name: 'sla.sweep', run: () => sweepClocks(database.db) },
          { name: 'notifications.deliver', run: () => deliverDue(database.db, config) },
          { name: 'services.budget', run: () => checkBudgets(database.db), cron: '*/10 * * * *' },
          // Claims the schedule's due slot (next_run_at) in the run's transaction: one run per slot.
          { name: 'cmdb.audit', run: () => sweepAudits(database.db) },
          // Warranty and vendor-contract expiry reminders (30 days ahead): hourly backstop, marked once per end date.
          { name: 'assets.warranty', run: () => sweepWarrantyReminders(database.db), cron: '17 * * * *' },
          // Approval reminders: tasks pending longer than their step's remindAfterHours, once per period (reminded_at).
          { name: 'approvals.remind', run: () => sweepApprovalReminders(database.db), cron: '*/5 * * * *' },
        ],
        app.log,
      );
    } catch (err) {
      await jobs?.stop();
      await app.close();
      await database.close();
      throw err;
    }
  }
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | null = null;
  return {
    app,
    database,
    url: `http://${host}:${port}`,
    admin,
    close() {
      closing ??= (async () => {
        await app.close(); // in-flight requests finish first
        await queue?.stop();
        await jobs?.stop();
        await sealAudit(database.db, { settleMs: 0 }).catch(() => undefined);
        await database.close(); // PGlite checkpoints here
      })();
      return closing;
    },
  };
}

/** The process entry: used by `node server/src/main.ts` and `npm start`. */
export async function runMain() {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const server = await startServer(config);
  // Handlers before the banner: a Ctrl+C right after the URL shows must still shut down cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const lines = [
    '',
    `  天枢 Tianshu is running: ${server.url}`,
    `  数据库 Database: ${server.database.kind === 'pglite' ? `PGlite (${config.dataDir})` : 'PostgreSQL'}`,
  ];
  if (server.admin) {
    lines.push(
      `  首个管理员 First admin:  username ${server.admin.username}  password ${server.admin.password}`,
      server.admin.generated
        ? '  该密码只显示这一次，首次登录后须修改。 Shown once; you must change it at first sign-in.'
        : '  密码来自 TIANSHU_ADMIN_PASSWORD。 Password from TIANSHU_ADMIN_PASSWORD.',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runMain().catch((err: unknown) => {
    process.stderr.write(`Tianshu failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
