import { sql, type SQL } from 'drizzle-orm';
import { migrateDatabase, openDatabase, rows, type Db } from '../../../server/src/platform/db/db.ts';
import { createSlaRequestSchema } from '@tianshu/contracts';
import { ensurePresetCalendars } from '../../../server/src/modules/calendars/calendars.service.ts';
import { findPreset } from '../../../server/src/modules/calendars/calendars.queries.ts';
import { createDefinition } from '../../../server/src/modules/sla/sla.service.ts';
import { systemActor } from '../../../server/src/platform/auth/actor.ts';
import { hashPassword } from '../../../server/src/platform/auth/password.ts';
import { searchDocument } from '../../../server/src/platform/search/zh-tokenizer.ts';
import {
  insertGroup,
  insertOrganization,
  insertUser,
  setGroupMembers,
  setGroupOrgs,
} from '../../../server/src/modules/directory/directory.queries.ts';
import { createRng } from '../lib/random.ts';
import { benchPlans, type QueryPlan } from './plans.ts';
import type { Target } from '../lib/targets.ts';
import { CUSTOMER_ORGS, ENGINEER_NAMES, RESOLUTION_CODES, draftIncident, priorityOf, stateForAge, type Org } from './data.ts';

export const BENCH_PASSWORD = 'Bench-Passw0rd!';
export const AGENT_USERNAME = 'bench_agent';

export type SeedResult = {
  tickets: number;
  agentUsername: string;
  password: string;
  orgs: Org[];
  groupIds: number[];
  migrateMs: number;
  loadMs: number;
  /** Bulk load rate of the tickets themselves (search vector included). */
  loadRowsPerSec: number;
  /** ticket_events rows, VACUUM ANALYZE. */
  finishMs: number;
  databaseSizeMb: number | null;
  /** EXPLAIN ANALYZE of the list and search queries, on the freshly loaded database. */
  plans: QueryPlan[];
};

const BATCH = 2000;
const DAY = 86_400_000;
const HOUR = 3_600_000;

export type Columns = {
  number: string[];
  org_id: number[];
  title: string[];
  description: string[];
  state: string[];
  impact: number[];
  urgency: number[];
  priority: number[];
  category: string[];
  service: string[];
  requester_id: (number | null)[];
  caller_name: (string | null)[];
  caller_phone: (string | null)[];
  assignment_group_id: (number | null)[];
  assignee_id: (number | null)[];
  channel: string[];
  major: boolean[];
  pending_reason: (string | null)[];
  resolution_code: (string | null)[];
  resolution_notes: (string | null)[];
  version: number[];
  created_by: (number | null)[];
  created_at: string[];
  updated_at: string[];
  resolved_at: (string | null)[];
  closed_at: (string | null)[];
  search_doc: string[];
};

const COLUMN_TYPES: Record<keyof Columns, string> = {
  number: 'text',
  org_id: 'bigint',
  title: 'text',
  description: 'text',
  state: 'text',
  impact: 'smallint',
  urgency: 'smallint',
  priority: 'smallint',
  category: 'text',
  service: 'text',
  requester_id: 'bigint',
  caller_name: 'text',
  caller_phone: 'text',
  assignment_group_id: 'bigint',
  assignee_id: 'bigint',
  channel: 'text',
  major: 'boolean',
  pending_reason: 'text',
  resolution_code: 'text',
  resolution_notes: 'text',
  version: 'integer',
  created_by: 'bigint',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  resolved_at: 'timestamptz',
  closed_at: 'timestamptz',
  search_doc: 'text',
};

const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as (keyof Columns)[];

export function emptyColumns(): Columns {
  return Object.fromEntries(COLUMN_NAMES.map((c) => [c, []])) as unknown as Columns;
}

/** One INSERT ... SELECT FROM unnest(arrays): one parameter per column, whatever the batch size. */
export function insertBatch(cols: Columns): SQL {
  const unnestArgs = sql.join(
    COLUMN_NAMES.map((c) => sql`${sql.param(cols[c])}::${sql.raw(COLUMN_TYPES[c])}[]`),
    sql`, `,
  );
  const target = COLUMN_NAMES.filter((c) => c !== 'search_doc').join(', ');
  return sql`INSERT INTO tickets (type, ${sql.raw(target)}, search_vector)
    SELECT 'incident', ${sql.raw(target)}, to_tsvector('simple', search_doc)
    FROM unnest(${unnestArgs}) AS u(${sql.raw(COLUMN_NAMES.join(', '))})`;
}

async function seedDirectory(db: Db) {
  const hash = await hashPassword(BENCH_PASSWORD);
  const provider = await insertOrganization(db, { name: '运维服务商', code: 'PROVIDER', kind: 'provider' });
  await insertUser(db, {
    orgId: provider.id,
    username: 'admin',
    displayName: '系统管理员',
    passwordHash: hash,
    roles: ['system_admin'],
    mustChangePassword: false,
  });
  const agent = await insertUser(db, {
    orgId: provider.id,
    username: AGENT_USERNAME,
    displayName: '服务台坐席',
    passwordHash: hash,
    roles: ['agent'],
    mustChangePassword: false,
  });
  const engineers: number[] = [];
  for (const [i, name] of ENGINEER_NAMES.entries()) {
    const u = await insertUser(db, {
      orgId: provider.id,
      username: `bench_eng${i + 1}`,
      displayName: name,
      passwordHash: hash,
      roles: ['engineer'],
      mustChangePassword: false,
    });
    engineers.push(u.id);
  }
  const orgs: Org[] = [];
  for (const c of CUSTOMER_ORGS) {
    const o = await insertOrganization(db, { name: c.name, code: c.code, kind: 'customer' });
    const requesterIds: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const u = await insertUser(db, {
        orgId: o.id,
        username: `${c.code.toLowerCase()}_user${i}`,
        displayName: `${c.name}用户${i}`,
        passwordHash: hash,
        roles: ['customer'],
        mustChangePassword: false,
      });
      requesterIds.push(u.id);
    }
    orgs.push({ id: o.id, code: c.code, name: c.name, weight: c.weight, requesterIds });
  }
  const l1 = await insertGroup(db, { name: '一线服务台' });
  const l2 = await insertGroup(db, { name: '二线运维' });
  const [e1 = agent.id, e2 = agent.id, e3 = agent.id, e4 = agent.id] = engineers;
  await setGroupMembers(db, l1.id, [agent.id, e1, e2]);
  await setGroupMembers(db, l2.id, [e3, e4]);
  await setGroupOrgs(db, l1.id, orgs.map((o) => o.id));
  await setGroupOrgs(db, l2.id, orgs.map((o) => o.id));
  return {
    agentId: agent.id,
    orgs,
    groups: [
      { id: l1.id, members: [agent.id, e1, e2] },
      { id: l2.id, members: [e3, e4] },
    ],
  };
}

/**
 * Fresh schema (the app's migrations), the directory, then N incidents spread over the past year,
 * bulk-loaded with SQL in batches. The search vector is built by the app's own searchDocument.
 */
export async function seedDatabase(target: Target, n: number, log: (msg: string) => void): Promise<SeedResult> {
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 2 });
  try {
    const db = database.db;
    const t0 = performance.now();
    await migrateDatabase(database);
    const migrateMs = performance.now() - t0;
    const dir = await seedDirectory(db);
    // An installed system has service levels: every created incident attaches its clocks in the create statement.
    await ensurePresetCalendars(db);
    const allDay = await findPreset(db, '7x24');
    if (!allDay) throw new Error('7x24 preset missing');
    await createDefinition(
      db,
      systemActor(),
      createSlaRequestSchema.parse({
        name: '基准 SLA',
        rules: {
          calendarId: allDay.id,
          targets: [
            { priority: 1, responseMinutes: 15, resolutionMinutes: 240 },
            { priority: 2, responseMinutes: 30, resolutionMinutes: 480 },
            { priority: 3, responseMinutes: 120, resolutionMinutes: 1440 },
            { priority: 4, responseMinutes: 480, resolutionMinutes: 2400 },
          ],
        },
      }),
    );
    const rng = createRng(20260101);
    const now = Date.now();
    const start = now - 365 * DAY;
    const step = (365 * DAY) / Math.max(1, n);
    const orgWeights = dir.orgs.map((o) => [o, o.weight] as const);
    const t1 = performance.now();
    let cols = emptyColumns();
    for (let i = 0; i < n; i++) {
      const d = draftIncident(rng);
      const org = rng.weighted(orgWeights);
      const createdAt = Math.min(now - 60_000, start + (i + rng.next()) * step);
      const ageDays = (now - createdAt) / DAY;
      const state = stateForAge(rng, ageDays);
      const number = `INC${String(i + 1).padStart(6, '0')}`;
      const group = state === 'new' ? null : rng.pick(dir.groups);
      const assignee = group && state !== 'assigned' && state !== 'cancelled' ? rng.pick(group.members) : null;
      const requesterId = rng.chance(0.85) ? rng.pick(org.requesterIds) : null;
      const resolved = state === 'resolved' || state === 'closed';
      const resolvedAt = resolved ? Math.min(now - 30_000, createdAt + rng.int(1, 72) * HOUR) : null;
      const closedAt = state === 'closed' && resolvedAt !== null ? Math.min(now - 10_000, resolvedAt + rng.int(1, 7) * DAY) : null;
      const cancelledAt = state === 'cancelled' ? Math.min(now - 10_000, createdAt + rng.int(1, 48) * HOUR) : null;
      const updatedAt = closedAt ?? resolvedAt ?? cancelledAt ?? Math.min(now - 1000, createdAt + rng.int(0, 12) * HOUR);
      const priority = priorityOf(d.impact, d.urgency);
      cols.number.push(number);
      cols.org_id.push(org.id);
      cols.title.push(d.title);
      cols.description.push(d.description);
      cols.state.push(state);
      cols.impact.push(d.impact);
      cols.urgency.push(d.urgency);
      cols.priority.push(priority);
      cols.category.push(d.category);
      cols.service.push(d.service);
      cols.requester_id.push(requesterId);
      cols.caller_name.push(d.callerName);
      cols.caller_phone.push(d.callerPhone);
      cols.assignment_group_id.push(group?.id ?? null);
      cols.assignee_id.push(assignee);
      cols.channel.push(d.channel);
      cols.major.push(priority === 1 && rng.chance(0.05));
      cols.pending_reason.push(state === 'pending' ? rng.pick(['customer', 'vendor', 'change']) : null);
      cols.resolution_code.push(resolved ? rng.pick(RESOLUTION_CODES) : null);
      cols.resolution_notes.push(resolved ? '已处理，用户确认恢复正常。' : null);
      cols.version.push(state === 'new' ? 1 : rng.int(2, 8));
      cols.created_by.push(d.channel === 'web' && requesterId ? requesterId : dir.agentId);
      cols.created_at.push(new Date(createdAt).toISOString());
      cols.updated_at.push(new Date(updatedAt).toISOString());
      cols.resolved_at.push(resolvedAt === null ? null : new Date(resolvedAt).toISOString());
      cols.closed_at.push(closedAt === null ? null : new Date(closedAt).toISOString());
      // The same document the app builds in createTicket.
      cols.search_doc.push(searchDocument(number, d.title, d.description, d.category, d.service));
      if (cols.number.length === BATCH || i === n - 1) {
        await db.execute(insertBatch(cols));
        cols = emptyColumns();
        if ((i + 1) % 20_000 === 0 || i === n - 1) log(`  loaded ${i + 1} tickets (${Math.round((i + 1) / ((performance.now() - t1) / 1000))}/s)`);
      }
    }
    const loadMs = performance.now() - t1;
    const t2 = performance.now();
    if (n > 0) await db.execute(sql`SELECT setval('ticket_number_incident', ${n})`);
    await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, actor_id, data)
      SELECT id, 'created', created_at, created_by,
        jsonb_build_object('number', number, 'state', CASE WHEN assignment_group_id IS NULL THEN 'new' ELSE 'assigned' END,
          'channel', channel, 'orgId', org_id, 'priority', priority, 'assignmentGroupId', assignment_group_id, 'assigneeId', NULL)
      FROM tickets ORDER BY id`);
    // What autovacuum would have done on a long-running install: planner statistics, visibility map.
    await db.execute(sql`VACUUM ANALYZE`);
    const finishMs = performance.now() - t2;
    const size = await rows<{ b: number | string }>(db, sql`SELECT pg_database_size(current_database()) AS b`).catch(() => []);
    const bytes = Number(size[0]?.b ?? Number.NaN);
    const plans = await benchPlans(database);
    return {
      tickets: n,
      agentUsername: AGENT_USERNAME,
      password: BENCH_PASSWORD,
      orgs: dir.orgs,
      groupIds: dir.groups.map((g) => g.id),
      migrateMs,
      loadMs,
      loadRowsPerSec: n / (loadMs / 1000),
      finishMs,
      databaseSizeMb: Number.isFinite(bytes) ? Math.round(bytes / 1048576) : null,
      plans,
    };
  } finally {
    // PGlite's data dir can only be open in one process: close before the server starts.
    await database.close();
  }
}
