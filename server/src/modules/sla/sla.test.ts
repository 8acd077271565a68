import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlaDefinition, SlaReplayResult, TicketClock } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { ticketEvents, tickets } from '../tickets/tickets.tables.ts';
import { notifications } from '../notifications/notifications.tables.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { slaDefinitions, ticketSlas } from './sla.tables.ts';
import { sweepClocks } from './sla-clocks.service.ts';

type Err = { error: { code: string; message: string } };
type T = { id: number; number: string; state: string; version: number; priority: number; createdAt: string };

const world = useTestWorld();
const MIN = 60_000;
let allDayId = 0;
let officeId = 0;

const week = (periods: { start: string; end: string }[], weekend: { start: string; end: string }[] = []) => [weekend, periods, periods, periods, periods, periods, weekend];
const ALL_DAY = [{ start: '00:00', end: '24:00' }];

async function admin() {
  return world.w.as('sysadmin');
}

/** Rules scoped to this file's customer, so definitions never touch other test files' tickets (shared PostgreSQL schema). */
const rules = (over: Record<string, unknown> = {}) => ({
  calendarId: allDayId,
  match: { types: ['incident'], orgIds: [world.w.custA.id] },
  targets: [
    { priority: 1, responseMinutes: 15, resolutionMinutes: 60 },
    { priority: 2, responseMinutes: 30, resolutionMinutes: 240 },
    { priority: 3, responseMinutes: 60, resolutionMinutes: 960 },
  ],
  ...over,
});

async function createSla(name: string, over: Record<string, unknown> = {}) {
  const res = await (await admin()).post('/api/sla-definitions', { name, rules: rules(over) });
  expect(res.statusCode, res.body).toBe(201);
  return json<SlaDefinition>(res);
}

async function newIncident(extra: Record<string, unknown> = {}) {
  const res = await (await world.w.as('agent')).post('/api/tickets', {
    title: '核心交换机端口异常',
    orgId: world.w.custA.id,
    impact: 1,
    urgency: 2,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<T>(res);
}

async function clocks(id: number, who: 'agent' | 'engineer' = 'agent') {
  const res = await (await world.w.as(who)).get(`/api/tickets/${id}/clocks`);
  expect(res.statusCode, res.body).toBe(200);
  return json<TicketClock[]>(res);
}

const clockOf = (list: TicketClock[], metric: string, def?: number) => {
  const c = list.find((x) => x.metric === metric && (def === undefined || x.definitionId === def));
  if (!c) throw new Error(`no ${metric} clock in ${JSON.stringify(list)}`);
  return c;
};

beforeAll(async () => {
  const a = await admin();
  const r1 = await a.post('/api/calendars', { name: `7x24-${Date.now()}`, weekly: week(ALL_DAY, ALL_DAY), withStatutoryDays: false });
  expect(r1.statusCode, r1.body).toBe(201);
  allDayId = json<{ id: number }>(r1).id;
  const r2 = await a.post('/api/calendars', { name: `5x8-${Date.now()}`, weekly: week([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]) });
  expect(r2.statusCode, r2.body).toBe(201);
  officeId = json<{ id: number }>(r2).id;
});

describe('SLA definitions', () => {
  let def: SlaDefinition;

  it('creates a definition and versions every edit', async () => {
    def = await createSla(`SLA-A-${Date.now()}`);
    expect(def.version).toBe(1);
    expect(def.rules.thresholds).toEqual([50, 75, 90]);
    expect(def.rules.pauseOn).toEqual(['customer', 'vendor']);
    const a = await admin();
    const res = await a.patch(`/api/sla-definitions/${def.id}`, { version: 1, rules: rules({ thresholds: [80] }) });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<SlaDefinition>(res).version).toBe(2);
    const stale = await a.patch(`/api/sla-definitions/${def.id}`, { version: 1, active: false });
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    const versions = json<{ version: number }[]>(await a.get(`/api/sla-definitions/${def.id}/versions`));
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    await a.patch(`/api/sla-definitions/${def.id}`, { version: 2, active: false });
  });

  it('rejects bad input with a clear code and writes nothing', async () => {
    const a = await admin();
    const [before] = await world.t.database.db.select({ n: count() }).from(slaDefinitions);
    const cases: [Record<string, unknown>, string, number][] = [
      [rules({ targets: [{ priority: 2, resolutionMinutes: 0 }] }), 'SLA_TARGET_INVALID', 422],
      [rules({ targets: [{ priority: 2, resolutionMinutes: -30 }] }), 'SLA_TARGET_INVALID', 422],
      [rules({ targets: [{ priority: 2 }] }), 'SLA_TARGET_INVALID', 422],
      [rules({ targets: [{ priority: 2, resolutionMinutes: 60 }, { priority: 2, resolutionMinutes: 90 }] }), 'SLA_TARGET_INVALID', 422],
      [rules({ pauseOn: ['customer', 'waiting_for_godot'] }), 'SLA_PAUSE_STATE_UNKNOWN', 422],
      [rules({ calendarId: 999_999 }), 'REFERENCE_INVALID', 422],
      [rules({ thresholds: [0] }), 'VALIDATION_FAILED', 400],
      [rules({ escalations: [{ atPct: 100, actions: [{ type: 'reassign', groupId: 999_999 }] }] }), 'REFERENCE_INVALID', 422],
    ];
    for (const [r, code, status] of cases) {
      const res = await a.post('/api/sla-definitions', { name: `bad-${code}-${Math.random()}`, rules: r });
      expect(res.statusCode, res.body).toBe(status);
      const body = json<Err>(res);
      expect(body.error.code).toBe(code);
      expect(body.error.message).not.toMatch(/at |Error:/);
    }
    const dup = await a.post('/api/sla-definitions', { name: def.name, rules: rules() });
    expect(json<Err>(dup).error.code).toBe('SLA_NAME_TAKEN');
    const [after] = await world.t.database.db.select({ n: count() }).from(slaDefinitions);
    expect(after?.n).toBe(before?.n);
  });

  it('is managed by admins only and read by service staff', async () => {
    const eng = await world.w.as('engineer');
    expect((await eng.post('/api/sla-definitions', { name: 'x', rules: rules() })).statusCode).toBe(403);
    expect((await eng.get('/api/sla-definitions')).statusCode).toBe(200);
    expect((await (await world.w.as('customerA')).get('/api/sla-definitions')).statusCode).toBe(403);
  });
});

describe('ticket clocks', () => {
  let sla: SlaDefinition;
  beforeAll(async () => {
    sla = await createSla(`SLA-B-${Date.now()}`, {
      escalations: [{ atPct: 100, metrics: ['resolution'], actions: [{ type: 'notify', to: ['managers'] }, { type: 'raise_priority' }] }],
    });
  });

  it('attaches response and resolution clocks on create, due from the start', async () => {
    const inc = await newIncident();
    expect(inc.priority).toBe(2);
    const list = await clocks(inc.id);
    const res = clockOf(list, 'resolution', sla.id);
    expect(res.state).toBe('running');
    expect(res.targetMinutes).toBe(240);
    expect(new Date(res.dueAt ?? '').getTime()).toBe(new Date(inc.createdAt).getTime() + 240 * MIN);
    expect(clockOf(list, 'response', sla.id).targetMinutes).toBe(30);
    // The customer does not see SLA clocks.
    expect((await (await world.w.as('customerA')).get(`/api/tickets/${inc.id}/clocks`)).statusCode).toBe(403);
    // The timeline records the start.
    const starts = await world.t.database.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, inc.id), eq(ticketEvents.kind, 'sla')));
    expect(starts.filter((e) => (e.data as { event: string }).event === 'start').length).toBeGreaterThanOrEqual(2);
    // Staff see the clock events on the timeline; the customer does not.
    const staff = json<{ kind: string }[]>(await (await world.w.as('agent')).get(`/api/tickets/${inc.id}/events`));
    expect(staff.filter((e) => e.kind === 'sla').length).toBeGreaterThanOrEqual(2);
    expect(staff[0]?.kind).toBe('created');
    const cust = await (await world.w.as('customerA')).get(`/api/tickets/${inc.id}/events`);
    expect(cust.statusCode, cust.body).toBe(200);
    expect(json<{ kind: string }[]>(cust).filter((e) => e.kind === 'sla')).toHaveLength(0);
  });

  it('pauses while pending on the customer, resumes, and a provider reply stops the response clock', async () => {
    const inc = await newIncident();
    const eng = await world.w.as('engineer');
    let r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'take', version: inc.version });
    let cur = json<T>(r);
    expect(clockOf(await clocks(inc.id), 'response', sla.id).state).toBe('stopped');
    r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'pend', version: cur.version, pendingReason: 'customer' });
    cur = json<T>(r);
    const paused = clockOf(await clocks(inc.id), 'resolution', sla.id);
    expect(paused.state).toBe('paused');
    expect(paused.pauseReason).toBe('customer');
    expect(paused.dueAt).toBeNull();
    await new Promise((res) => setTimeout(res, 1200));
    r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'resume', version: cur.version });
    cur = json<T>(r);
    const resumed = clockOf(await clocks(inc.id), 'resolution', sla.id);
    expect(resumed.state).toBe('running');
    // The paused second moved the due time later than created + target.
    expect(new Date(resumed.dueAt ?? '').getTime()).toBeGreaterThanOrEqual(new Date(inc.createdAt).getTime() + 240 * MIN + 1000);
    r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'resolve', version: cur.version, resolutionCode: 'fixed', resolutionNotes: '已处理' });
    expect(clockOf(await clocks(inc.id), 'resolution', sla.id).state).toBe('stopped');
    const events = await world.t.database.db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, inc.id), eq(ticketEvents.kind, 'sla')));
    const seq = events.filter((e) => (e.data as { metric: string }).metric === 'resolution').map((e) => (e.data as { event: string }).event);
    expect(seq).toEqual(['start', 'pause', 'resume', 'stop']);
  });

  it('a priority change re-targets from the original start', async () => {
    const inc = await newIncident({ impact: 2, urgency: 2 });
    expect(inc.priority).toBe(3);
    expect(clockOf(await clocks(inc.id), 'resolution', sla.id).targetMinutes).toBe(960);
    const r = await (await world.w.as('agent')).patch(`/api/tickets/${inc.id}`, { version: inc.version, impact: 1, urgency: 1 });
    expect(r.statusCode, r.body).toBe(200);
    const c = clockOf(await clocks(inc.id), 'resolution', sla.id);
    expect(c.targetMinutes).toBe(60);
    expect(new Date(c.dueAt ?? '').getTime()).toBe(new Date(inc.createdAt).getTime() + 60 * MIN);
  });

  it('the sweep fires each warning, the breach and the escalation once', async () => {
    const eng = world.w.users.engineer;
    const inc = await newIncident({ assignmentGroupId: world.w.group.id, assigneeId: eng.id });
    const t0 = new Date(inc.createdAt).getTime();
    const db = world.t.database.db;
    const notes = async () =>
      (await db.select().from(notifications).where(eq(notifications.ticketId, inc.id))).map((n) => `${n.userId}:${n.event}:${JSON.stringify(n.data)}`);
    // 80% of 240 min: the 50% and 75% warnings, once each.
    await sweepClocks(db, new Date(t0 + 0.8 * 240 * MIN));
    await sweepClocks(db, new Date(t0 + 0.8 * 240 * MIN));
    let n = await notes();
    const res = (x: string) => x.includes('"metric":"resolution"');
    expect(n.filter((x) => x.startsWith(`${eng.id}:sla.warning`) && res(x))).toHaveLength(2);
    // The 30-minute response clock is long past: its warnings and breach fired once each too.
    expect(n.filter((x) => x.startsWith(`${eng.id}:sla.warning`) && x.includes('"metric":"response"'))).toHaveLength(3);
    // Past the due time: the breach and the escalation (managers notified, priority raised).
    await sweepClocks(db, new Date(t0 + 241 * MIN));
    await sweepClocks(db, new Date(t0 + 242 * MIN));
    n = await notes();
    expect(n.filter((x) => x.startsWith(`${eng.id}:sla.breached`) && res(x))).toHaveLength(1);
    expect(n.filter((x) => x.startsWith(`${world.w.users.manager.id}:sla.escalated`))).toHaveLength(1);
    const [row] = await db.select().from(tickets).where(eq(tickets.id, inc.id));
    expect(row?.priority).toBe(1);
    const ev = await db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, inc.id), eq(ticketEvents.kind, 'sla')));
    const kinds = ev.map((e) => (e.data as { event: string }).event);
    expect(kinds.filter((k) => k === 'breach').length).toBeGreaterThanOrEqual(1);
    expect(kinds.filter((k) => k === 'escalation')).toHaveLength(1);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'ticket.escalate'), eq(auditLog.objectId, String(inc.id))));
    expect(audits).toHaveLength(1);
  });

  it('lists breached and at-risk tickets, with a badge', async () => {
    const breached = await newIncident({ impact: 1, urgency: 1 });
    const db = world.t.database.db;
    // Move its clocks two hours back in time, then let the sweep notice the breach.
    await db.execute(
      `UPDATE ticket_events SET at = at - interval '2 hours' WHERE ticket_id = ${breached.id}` as never,
    );
    await db.update(tickets).set({ createdAt: new Date(Date.now() - 2 * 3600_000) }).where(eq(tickets.id, breached.id));
    const fresh = await newIncident({ impact: 2, urgency: 2 });
    const replay = await (await admin()).post('/api/sla/replay', { ticketIds: [breached.id], dryRun: false });
    expect(replay.statusCode, replay.body).toBe(200);
    const agent = await world.w.as('agent');
    const list = json<{ items: { id: number; sla: { breached: boolean } | null }[] }>(await agent.get('/api/tickets?sla=breached&pageSize=100'));
    expect(list.items.map((i) => i.id)).toContain(breached.id);
    expect(list.items.map((i) => i.id)).not.toContain(fresh.id);
    expect(list.items.find((i) => i.id === breached.id)?.sla?.breached).toBe(true);
    const risky = json<{ items: { id: number }[] }>(await agent.get('/api/tickets?sla=at_risk&pageSize=100'));
    expect(risky.items.map((i) => i.id)).not.toContain(fresh.id);
    // Customers get neither the badge nor the filter.
    const cust = json<{ items: { id: number; sla?: unknown }[] }>(await (await world.w.as('customerA')).get('/api/tickets?sla=breached&pageSize=100'));
    expect(cust.items.map((i) => i.id)).toContain(fresh.id);
    expect(cust.items.every((i) => i.sla === undefined)).toBe(true);
  });
});

describe('OLA of a support group', () => {
  it('attaches when the ticket reaches the group and starts at the assignment', async () => {
    const ola = json<SlaDefinition>(
      await (await admin()).post('/api/sla-definitions', {
        name: `OLA-${Date.now()}`,
        kind: 'ola',
        rules: rules({ start: 'assigned', match: { types: ['incident'], orgIds: [world.w.custA.id], groupIds: [world.w.group.id] } }),
      }),
    );
    const inc = await newIncident();
    expect((await clocks(inc.id)).filter((c) => c.definitionId === ola.id)).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    const r = await (await world.w.as('agent')).post(`/api/tickets/${inc.id}/transitions`, { action: 'assign', version: inc.version, assignmentGroupId: world.w.group.id });
    expect(r.statusCode, r.body).toBe(200);
    const c = clockOf(await clocks(inc.id), 'resolution', ola.id);
    expect(c.kind).toBe('ola');
    expect(new Date(c.startedAt).getTime()).toBeGreaterThan(new Date(inc.createdAt).getTime());
  });
});

describe('replay', () => {
  it('previews a calendar switch without writing, then applies it to a closed ticket', async () => {
    const sla = await createSla(`SLA-C-${Date.now()}`, { targets: [{ priority: 2, resolutionMinutes: 240 }] });
    const inc = await newIncident();
    const eng = await world.w.as('engineer');
    let cur = json<T>(await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'take', version: inc.version }));
    cur = json<T>(await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'resolve', version: cur.version, resolutionCode: 'fixed', resolutionNotes: 'ok' }));
    await (await world.w.as('agent')).post(`/api/tickets/${inc.id}/transitions`, { action: 'close', version: cur.version });
    const before = clockOf(await clocks(inc.id), 'resolution', sla.id);
    expect(before.state).toBe('stopped');
    // The definition now measures on office hours: a new version.
    const a = await admin();
    const up = await a.patch(`/api/sla-definitions/${sla.id}`, { version: 1, rules: rules({ calendarId: officeId, targets: [{ priority: 2, resolutionMinutes: 1 }] }) });
    expect(up.statusCode, up.body).toBe(200);
    const preview = json<SlaReplayResult>(await a.post('/api/sla/replay', { ticketIds: [inc.id], definitionId: sla.id, useCurrentVersion: true, dryRun: true }));
    const change = preview.changes.find((c) => c.metric === 'resolution');
    expect(change?.change).toBe('changed');
    expect(change?.after?.state).toBe('stopped');
    // Nothing written by the preview.
    const [row] = await world.t.database.db
      .select()
      .from(ticketSlas)
      .where(and(eq(ticketSlas.ticketId, inc.id), eq(ticketSlas.definitionId, sla.id), eq(ticketSlas.metric, 'resolution')));
    expect(row?.targetMinutes).toBe(240);
    const applied = json<SlaReplayResult>(await a.post('/api/sla/replay', { ticketIds: [inc.id], definitionId: sla.id, useCurrentVersion: true, dryRun: false }));
    expect(applied.changes.find((c) => c.metric === 'resolution')?.change).toBe('changed');
    const after = clockOf(await clocks(inc.id), 'resolution', sla.id);
    expect(after.version).toBe(2);
    expect(after.targetMinutes).toBe(1);
    const replayEvents = await world.t.database.db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, inc.id), eq(ticketEvents.kind, 'sla')));
    expect(replayEvents.filter((e) => (e.data as { event: string }).event === 'replay')).toHaveLength(1);
  });
});
