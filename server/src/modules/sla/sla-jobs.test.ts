import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/config.ts';
import type { Db } from '../../platform/db/db.ts';
import { startServer, type RunningServer } from '../../main.ts';
import { login, makeGroup, makeOrg, makeUser } from '../../test/factories.ts';
import { json } from '../../test/test-app.ts';
import { notifications } from '../notifications/notifications.tables.ts';

/**
 * The real job queue (pg-boss) against the real database: a warning that came due while the
 * server was down fires once after it starts, and two instances on one PostgreSQL fire each
 * escalation once.
 */
const pgUrl = process.env.TEST_DATABASE_URL;

async function boot(dataDir: string): Promise<RunningServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'true',
    DATABASE_URL: pgUrl,
    WEB_DIST_DIR: path.join(dataDir, 'no-web'),
    TIANSHU_ADMIN_PASSWORD: 'Admin-Passw0rd!',
  });
  return startServer(config, { logger: false });
}

/** A customer, an engineer in a group serving it, a manager, a 7x24 calendar and an SLA with a 100% escalation. */
async function setUp(server: RunningServer) {
  const db = server.database.db;
  const provider = await makeOrg(db, 'provider');
  const cust = await makeOrg(db, 'customer');
  const agent = await makeUser(db, provider.id, ['agent']);
  const engineer = await makeUser(db, provider.id, ['engineer']);
  const manager = await makeUser(db, provider.id, ['manager']);
  const admin = await makeUser(db, provider.id, ['system_admin']);
  const group = await makeGroup(db, [engineer.id], [cust.id]);
  const a = await login(server.app, admin.username);
  const cal = json<{ id: number }>(
    await a.post('/api/calendars', { name: `7x24-${cust.id}`, weekly: Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]), withStatutoryDays: false }),
  );
  const sla = await a.post('/api/sla-definitions', {
    name: `jobs-${cust.id}`,
    rules: {
      calendarId: cal.id,
      match: { types: ['incident'], orgIds: [cust.id] },
      targets: [{ priority: 2, resolutionMinutes: 240 }],
      thresholds: [50],
      escalations: [{ atPct: 100, actions: [{ type: 'notify', userIds: [manager.id] }] }],
    },
  });
  expect(sla.statusCode, sla.body).toBe(201);
  const ag = await login(server.app, agent.username);
  const res = await ag.post('/api/tickets', { title: '数据库主库 CPU 持续 100%', orgId: cust.id, impact: 1, urgency: 2, assignmentGroupId: group.id, assigneeId: engineer.id });
  expect(res.statusCode, res.body).toBe(201);
  return { ticketId: json<{ id: number }>(res).id, engineer, manager };
}

/** Moves a ticket's whole timeline and clocks `ms` into the past, as if the time had passed. */
async function age(db: Db, ticketId: number, ms: number) {
  const shift = sql.raw(`interval '${Math.round(ms / 1000)} seconds'`);
  await db.execute(sql`UPDATE tickets SET created_at = created_at - ${shift} WHERE id = ${ticketId}`);
  await db.execute(sql`UPDATE ticket_events SET at = at - ${shift} WHERE ticket_id = ${ticketId}`);
  await db.execute(
    sql`UPDATE ticket_slas SET started_at = started_at - ${shift}, running_since = running_since - ${shift},
          due_at = due_at - ${shift}, risk_at = risk_at - ${shift}, next_check_at = next_check_at - ${shift}
        WHERE ticket_id = ${ticketId}`,
  );
}

async function eventsFor(db: Db, ticketId: number, userId: number, event: string) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.ticketId, ticketId), eq(notifications.userId, userId), eq(notifications.event, event)));
}

async function waitFor(check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('timed out');
}

describe('SLA jobs on pg-boss', () => {
  it('a warning that came due while the server was down fires once after a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianshu-jobs-'));
    const first = await boot(dataDir);
    const { ticketId, engineer } = await setUp(first);
    // 150 of 240 minutes pass "while the server is down".
    await age(first.database.db, ticketId, 150 * 60_000);
    await first.close();
    const second = await boot(dataDir);
    try {
      const db = second.database.db;
      await waitFor(async () => (await eventsFor(db, ticketId, engineer.id, 'sla.warning')).length > 0);
      // Give a duplicate the chance to appear: the cron backstop and the start-up kick both ran.
      await new Promise((r) => setTimeout(r, 2500));
      expect(await eventsFor(db, ticketId, engineer.id, 'sla.warning')).toHaveLength(1);
      expect(await eventsFor(db, ticketId, engineer.id, 'sla.breached')).toHaveLength(0);
    } finally {
      await second.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it.skipIf(!pgUrl)('two instances on one PostgreSQL send one escalation, not two', async () => {
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'tianshu-jobs-')));
    const [a, b] = await Promise.all(dirs.map((d) => boot(d)));
    if (!a || !b) throw new Error('boot failed');
    try {
      const { ticketId, manager } = await setUp(a);
      await age(a.database.db, ticketId, 245 * 60_000);
      // Both instances are asked to look at once.
      await b.database.db.execute(sql`UPDATE ticket_slas SET next_check_at = now() WHERE ticket_id = ${ticketId}`);
      const { kick } = await import('../../platform/jobs/queue.ts');
      kick(a.database.db, 'sla.sweep');
      kick(b.database.db, 'sla.sweep');
      await waitFor(async () => (await eventsFor(a.database.db, ticketId, manager.id, 'sla.escalated')).length > 0);
      await new Promise((r) => setTimeout(r, 3000));
      expect(await eventsFor(a.database.db, ticketId, manager.id, 'sla.escalated')).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  }, 90_000);
});
