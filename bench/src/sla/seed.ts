import { sql, type SQL } from 'drizzle-orm';
import { createSlaRequestSchema, type SlaMetric, type SlaRules } from '@tianshu/contracts';
import { rows, type Database, type Db } from '../../../server/src/platform/db/db.ts';
import { hashPassword } from '../../../server/src/platform/auth/password.ts';
import { systemActor } from '../../../server/src/platform/auth/actor.ts';
import { searchDocument } from '../../../server/src/platform/search/zh-tokenizer.ts';
import { insertGroup, insertOrganization, insertUser, setGroupMembers, setGroupOrgs } from '../../../server/src/modules/directory/directory.queries.ts';
import { ensurePresetCalendars, loadBusinessCalendar } from '../../../server/src/modules/calendars/calendars.service.ts';
import { findPreset } from '../../../server/src/modules/calendars/calendars.queries.ts';
import type { BusinessCalendar } from '../../../server/src/modules/calendars/business-time.ts';
import { createDefinition } from '../../../server/src/modules/sla/sla.service.ts';
import { deriveClock, elapsedAt, instantOf, type DerivedClock } from '../../../server/src/modules/sla/clock.ts';
import { createRng } from '../lib/random.ts';
import { CUSTOMER_ORGS, ENGINEER_NAMES, draftIncident, priorityOf } from '../tickets/data.ts';
import { emptyColumns, insertBatch } from '../tickets/seed.ts';
import { BENCH_TARGETS } from './business-time.bench.ts';

/**
 * A fresh database holding N open incidents with running response and resolution clocks, as the
 * server would have left them: each clock row is what deriveClock gives for the ticket's timeline
 * (one `created` event) with the real calendar, fired_pct is the last warning/breach point already
 * handled and next_check_at the instant of the next one. A share of the tickets (DUE_SHARE) has its
 * latest reached point not yet handled: next_check_at is in the past, which is what the sweep finds.
 */

/** Wednesday 2026-03-18 10:30 Asia/Shanghai: a working morning with no holiday near it. */
export const SCAN_INSTANT = new Date('2026-03-18T02:30:00.000Z');
export const DUE_SHARE = 0.005;
/** Open tickets were created over this many calendar days before the scan instant. */
const SPREAD_DAYS = 10;
const BATCH = 2000;
const DAY = 86_400_000;
const METRICS = ['response', 'resolution'] as const;

export const SLA_NAME = '标准服务级别协议 (bench)';

export type SlaSeedResult = {
  scanInstant: string;
  dueShare: number;
  tickets: number;
  clocks: number;
  /** Tickets with a clock whose next_check_at <= the scan instant. */
  dueTickets: number;
  /** Of the due clocks, how many reach the breach point (100 %) in the sweep; the rest are warnings. */
  dueBreaches: number;
  breachedClocks: number;
  clocksWithNextCheck: number;
  calendar: string;
  calendarId: number;
  definitionId: number;
  rules: SlaRules;
  ticketEvents: number;
  migrateMs: number;
  /** Tickets and clock rows, computed with the app's deriveClock and bulk-inserted. */
  loadMs: number;
  loadTicketsPerSec: number;
  /** Timeline events (created, clock start, recorded breaches), VACUUM ANALYZE. */
  finishMs: number;
  databaseSizeMb: number | null;
};

type ClockCols = {
  ticket_id: number[];
  metric: string[];
  target_minutes: number[];
  started_at: string[];
  due_at: (string | null)[];
  risk_at: (string | null)[];
  running_since: string[];
  breached: boolean[];
  breached_at: (string | null)[];
  fired_pct: number[];
  next_check_at: (string | null)[];
  events_recorded: number[];
};

const CLOCK_TYPES: Record<keyof ClockCols, string> = {
  ticket_id: 'bigint',
  metric: 'text',
  target_minutes: 'integer',
  started_at: 'timestamptz',
  due_at: 'timestamptz',
  risk_at: 'timestamptz',
  running_since: 'timestamptz',
  breached: 'boolean',
  breached_at: 'timestamptz',
  fired_pct: 'smallint',
  next_check_at: 'timestamptz',
  events_recorded: 'integer',
};
const CLOCK_COLUMNS = Object.keys(CLOCK_TYPES) as (keyof ClockCols)[];
const emptyClocks = (): ClockCols => Object.fromEntries(CLOCK_COLUMNS.map((c) => [c, []])) as unknown as ClockCols;

function insertClocks(cols: ClockCols, definitionId: number, versionId: number, computedAt: Date): SQL {
  const args = sql.join(
    CLOCK_COLUMNS.map((c) => sql`${sql.param(cols[c])}::${sql.raw(CLOCK_TYPES[c])}[]`),
    sql`, `,
  );
  const names = CLOCK_COLUMNS.join(', ');
  return sql`INSERT INTO ticket_slas (definition_id, version_id, state, elapsed_minutes, computed_at, ${sql.raw(names)})
    SELECT ${definitionId}, ${versionId}, 'running', 0, ${computedAt.toISOString()}::timestamptz, ${sql.raw(names)}
    FROM unnest(${args}) AS u(${sql.raw(names)})`;
}

/** Fire points of a metric, as sla-clocks.service.ts firePoints: thresholds, escalation steps, the breach. */
function firePoints(rules: SlaRules, metric: SlaMetric): number[] {
  const pts = new Set<number>([100]);
  if (metric !== 'update') for (const p of rules.thresholds) pts.add(p);
  for (const s of rules.escalations) if (s.metrics.includes(metric)) pts.add(s.atPct);
  return [...pts].sort((a, b) => a - b);
}

type ClockRowValues = { fired: number; next: Date | null; breached: boolean; breachedAt: Date | null; eventsRecorded: number; riskAt: Date | null };

/**
 * The row a clock has after the server last looked at it. `withhold`: the latest reached point was
 * not handled yet (the ticket is due), so fired_pct stays one point lower and next_check_at is in the past.
 */
function clockRow(d: DerivedClock, rules: SlaRules, cal: BusinessCalendar, now: Date, reached: number[], withhold: boolean): ClockRowValues {
  const pts = firePoints(rules, d.metric);
  const last = reached.at(-1);
  if (withhold && last !== undefined) {
    const fired = reached.at(-2) ?? 0;
    const breachPending = last === 100;
    return {
      fired,
      next: instantOf(d, cal, (d.targetMinutes * last) / 100),
      breached: breachPending ? false : d.breached,
      breachedAt: breachPending ? null : d.breachedAt,
      eventsRecorded: breachPending ? d.events.length - 1 : d.events.length,
      riskAt: breachPending || !d.breached ? instantOf(d, cal, d.targetMinutes * 0.75) : null,
    };
  }
  const fired = last ?? 0;
  const nextPt = pts.find((p) => p > fired);
  return {
    fired,
    next: nextPt === undefined ? null : instantOf(d, cal, (d.targetMinutes * nextPt) / 100),
    breached: d.breached,
    breachedAt: d.breachedAt,
    eventsRecorded: d.events.length,
    riskAt: d.breached ? null : instantOf(d, cal, d.targetMinutes * 0.75),
  };
}

async function seedDirectory(db: Db) {
  const hash = await hashPassword('Bench-Passw0rd!');
  const provider = await insertOrganization(db, { name: '运维服务商', code: 'PROVIDER', kind: 'provider' });
  const user = (username: string, displayName: string, roles: ('agent' | 'engineer' | 'manager')[], email: string | null) =>
    insertUser(db, { orgId: provider.id, username, displayName, passwordHash: hash, roles, mustChangePassword: false, email });
  const agent = await user('bench_agent', '服务台坐席', ['agent'], null);
  const manager = await user('bench_manager', '运维经理', ['manager'], 'manager@bench.example');
  const engineers: number[] = [];
  for (const [i, name] of ENGINEER_NAMES.entries()) engineers.push((await user(`bench_eng${i + 1}`, name, ['engineer'], `eng${i + 1}@bench.example`)).id);
  const orgs: { id: number; weight: number }[] = [];
  for (const c of CUSTOMER_ORGS) {
    const o = await insertOrganization(db, { name: c.name, code: c.code, kind: 'customer' });
    orgs.push({ id: o.id, weight: c.weight });
  }
  const [e1 = agent.id, e2 = agent.id, e3 = agent.id, e4 = agent.id] = engineers;
  const groups: { id: number; members: number[] }[] = [];
  for (const [name, members] of [
    ['一线服务台', [e1, e2]],
    ['二线运维', [e3, e4]],
  ] as const) {
    const g = await insertGroup(db, { name, leadUserId: members[0] });
    await setGroupMembers(db, g.id, [...members]);
    await setGroupOrgs(db, g.id, orgs.map((o) => o.id));
    groups.push({ id: g.id, members: [...members] });
  }
  return { agentId: agent.id, managerId: manager.id, orgs, groups };
}

/** `database` must be migrated and empty. */
export async function seedSla(database: Database, n: number, migrateMs: number, log: (msg: string) => void): Promise<SlaSeedResult> {
  const db = database.db;
  const now = SCAN_INSTANT;
  const dir = await seedDirectory(db);
  await ensurePresetCalendars(db);
  const preset = await findPreset(db, 'cn-5x8');
  if (!preset) throw new Error('the cn-5x8 preset calendar was not created');
  const cal = await loadBusinessCalendar(db, preset.id);
  const def = await createDefinition(
    db,
    systemActor(),
    createSlaRequestSchema.parse({
      name: SLA_NAME,
      rules: {
        calendarId: preset.id,
        match: { types: ['incident'] },
        targets: BENCH_TARGETS,
        // A breach of the resolution target also tells the group lead and the managers.
        escalations: [{ atPct: 100, metrics: ['resolution'], actions: [{ type: 'notify', to: ['group_lead', 'managers'] }] }],
      },
    }),
  );
  const rules = def.rules;
  const [version] = await rows<{ id: number }>(db, sql`SELECT id FROM sla_versions WHERE definition_id = ${def.id} AND version = 1`);
  if (!version) throw new Error('no SLA version');

  const rng = createRng(20260318);
  const start = now.getTime() - SPREAD_DAYS * DAY;
  const step = (SPREAD_DAYS * DAY) / Math.max(1, n);
  const orgWeights = dir.orgs.map((o) => [o, o.weight] as const);
  let dueTickets = 0;
  let dueBreaches = 0;
  let breachedClocks = 0;
  let clocksWithNextCheck = 0;
  let clocks = 0;
  const t1 = performance.now();
  let cols = emptyColumns();
  type Pending = { number: string; created: Date; priority: number; due: boolean };
  let pending: Pending[] = [];
  const flush = async () => {
    const inserted = await rows<{ id: number; number: string }>(db, sql`${insertBatch(cols)} RETURNING id, number`);
    const idOf = new Map(inserted.map((r) => [r.number, Number(r.id)]));
    const cc = emptyClocks();
    for (const p of pending) {
      const ticketId = idOf.get(p.number);
      if (ticketId === undefined) throw new Error(`ticket ${p.number} was not inserted`);
      const facts = [{ at: p.created, kind: 'created' as const, state: 'assigned', priority: p.priority }];
      const derived = METRICS.map((metric) => {
        const d = deriveClock(metric, rules, cal, facts, now);
        if (!d) throw new Error(`no ${metric} clock for P${p.priority}`);
        const elapsed = elapsedAt(d, cal, now) + 1e-4;
        return { d, reached: firePoints(rules, metric).filter((x) => (d.targetMinutes * x) / 100 <= elapsed) };
      });
      // A due ticket: the resolution clock's latest point is not handled yet (else the response clock's).
      const withholdOn = p.due ? (derived[1]?.reached.length ? 1 : derived[0]?.reached.length ? 0 : -1) : -1;
      if (withholdOn >= 0) {
        dueTickets++;
        if (derived[withholdOn]?.reached.at(-1) === 100) dueBreaches++;
      }
      derived.forEach(({ d, reached }, k) => {
        const v = clockRow(d, rules, cal, now, reached, k === withholdOn);
        const iso = (x: Date | null) => (x ? x.toISOString() : null);
        cc.ticket_id.push(ticketId);
        cc.metric.push(d.metric);
        cc.target_minutes.push(d.targetMinutes);
        cc.started_at.push(d.startedAt.toISOString());
        cc.due_at.push(iso(d.dueAt));
        cc.risk_at.push(iso(v.riskAt));
        cc.running_since.push(d.startedAt.toISOString());
        cc.breached.push(v.breached);
        cc.breached_at.push(iso(v.breachedAt));
        cc.fired_pct.push(v.fired);
        cc.next_check_at.push(iso(v.next));
        cc.events_recorded.push(v.eventsRecorded);
        clocks++;
        if (v.breached) breachedClocks++;
        if (v.next) clocksWithNextCheck++;
      });
    }
    await db.execute(insertClocks(cc, def.id, version.id, now));
    cols = emptyColumns();
    pending = [];
  };
  for (let i = 0; i < n; i++) {
    const d = draftIncident(rng);
    const org = rng.weighted(orgWeights);
    const createdAt = new Date(Math.round(Math.min(now.getTime() - 60_000, start + (i + rng.next()) * step)));
    const number = `INC${String(i + 1).padStart(6, '0')}`;
    const group = rng.pick(dir.groups);
    const priority = priorityOf(d.impact, d.urgency);
    cols.number.push(number);
    cols.org_id.push(org.id);
    cols.title.push(d.title);
    cols.description.push(d.description);
    cols.state.push('assigned');
    cols.impact.push(d.impact);
    cols.urgency.push(d.urgency);
    cols.priority.push(priority);
    cols.category.push(d.category);
    cols.service.push(d.service);
    cols.requester_id.push(null);
    cols.caller_name.push(d.callerName);
    cols.caller_phone.push(d.callerPhone);
    cols.assignment_group_id.push(group.id);
    cols.assignee_id.push(rng.pick(group.members));
    cols.channel.push(d.channel);
    cols.major.push(false);
    cols.pending_reason.push(null);
    cols.resolution_code.push(null);
    cols.resolution_notes.push(null);
    cols.version.push(1);
    cols.created_by.push(dir.agentId);
    cols.created_at.push(createdAt.toISOString());
    cols.updated_at.push(createdAt.toISOString());
    cols.resolved_at.push(null);
    cols.closed_at.push(null);
    cols.search_doc.push(searchDocument(number, d.title, d.description, d.category, d.service));
    pending.push({ number, created: createdAt, priority, due: rng.chance(DUE_SHARE) });
    if (pending.length === BATCH || i === n - 1) {
      await flush();
      if ((i + 1) % 20_000 === 0 || i === n - 1) log(`  loaded ${i + 1} tickets + clocks (${Math.round((i + 1) / ((performance.now() - t1) / 1000))}/s)`);
    }
  }
  const loadMs = performance.now() - t1;

  const t2 = performance.now();
  if (n > 0) await db.execute(sql`SELECT setval('ticket_number_incident', ${n})`);
  // The timeline in the order the server writes it: created, then each clock's start, then recorded breaches.
  await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, at, actor_id, data)
    SELECT id, 'created', created_at, created_by,
      jsonb_build_object('number', number, 'state', state, 'channel', channel, 'orgId', org_id, 'priority', priority,
        'assignmentGroupId', assignment_group_id, 'assigneeId', assignee_id)
    FROM tickets ORDER BY id`);
  const isoSql = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, internal, at, actor_id, data)
    SELECT ticket_id, 'sla', true, started_at, NULL,
      jsonb_build_object('clockId', id, 'definitionId', definition_id, 'definition', ${SLA_NAME}::text, 'metric', metric,
        'event', 'start', 'targetMinutes', target_minutes, 'dueAt', ${isoSql('due_at')})
    FROM ticket_slas ORDER BY ticket_id, id`);
  await db.execute(sql`INSERT INTO ticket_events (ticket_id, kind, internal, at, actor_id, data)
    SELECT ticket_id, 'sla', true, breached_at, NULL,
      jsonb_build_object('clockId', id, 'definitionId', definition_id, 'definition', ${SLA_NAME}::text, 'metric', metric, 'event', 'breach')
    FROM ticket_slas WHERE events_recorded >= 2 ORDER BY ticket_id, id`);
  await db.execute(sql`VACUUM ANALYZE`);
  const finishMs = performance.now() - t2;
  const [ev] = await rows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM ticket_events`);
  const size = await rows<{ b: number | string }>(db, sql`SELECT pg_database_size(current_database()) AS b`).catch(() => []);
  const bytes = Number(size[0]?.b ?? Number.NaN);
  return {
    scanInstant: now.toISOString(),
    dueShare: DUE_SHARE,
    tickets: n,
    clocks,
    dueTickets,
    dueBreaches,
    breachedClocks,
    clocksWithNextCheck,
    calendar: `${preset.name} (preset cn-5x8: Mon-Fri 09:00-12:00 / 13:00-18:00 Asia/Shanghai with the statutory days)`,
    calendarId: preset.id,
    definitionId: def.id,
    rules,
    ticketEvents: Number(ev?.n ?? 0),
    migrateMs,
    loadMs,
    loadTicketsPerSec: n / (loadMs / 1000),
    finishMs,
    databaseSizeMb: Number.isFinite(bytes) ? Math.round(bytes / 1048576) : null,
  };
}
