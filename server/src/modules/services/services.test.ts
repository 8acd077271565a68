import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CalendarSummary, MaintenanceWindow, Outage, Service, ServiceAvailability, ServiceSummary } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { ensurePresetCalendars } from '../calendars/calendars.service.ts';
import { notifications } from '../notifications/notifications.tables.ts';
import { checkBudgets } from './budget-alerts.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { serviceBudgetAlerts, serviceOutages, services } from './services.tables.ts';

const world = useTestWorld();
let allDayId = 0;
let officeId = 0;

beforeAll(async () => {
  await ensurePresetCalendars(world.t.database.db);
  const sys = await world.w.as('sysadmin');
  const list = json<CalendarSummary[]>(await sys.get('/api/calendars'));
  allDayId = list.find((c) => c.preset === '7x24')?.id ?? 0;
  officeId = list.find((c) => c.preset === 'cn-5x8')?.id ?? 0;
});

type ErrorBody = { error: { code: string; message: string } };
const code = (res: { body: string }) => (JSON.parse(res.body) as ErrorBody).error.code;
const at = (local: string) => encodeURIComponent(`${local}+08:00`);

async function newService(client: Client, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/services', { name: uniq('网上银行-'), calendarId: allDayId, budgetHoursPerYear: 20, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return json<Service>(res);
}

async function auditCount(action: string, objectId: number | string) {
  const aud = await world.w.as('auditor');
  return json<{ total: number; items: { details: Record<string, unknown> }[] }>(await aud.get(`/api/audit?action=${action}&objectId=${objectId}`));
}

/** An incident row written directly: these tests need the row, not the ticket workflow. */
async function newIncident(orgId: number) {
  const [row] = await world.t.database.db
    .insert(tickets)
    .values({ type: 'incident', number: uniq('INC-T'), orgId, title: '网上银行登录超时', state: 'new', impact: 1, urgency: 1, priority: 1, channel: 'phone', service: '网上银行' })
    .returning({ id: tickets.id, number: tickets.number });
  if (!row) throw new Error('no incident');
  return row;
}

describe('services', () => {
  it('creates a service with a "20 h per year" budget, audited', async () => {
    const mgr = await world.w.as('manager');
    const s = await newService(mgr, { orgId: world.w.custA.id, description: '对公网银' });
    expect(s.targetPct.toFixed(4)).toBe('99.7717');
    expect(s).toMatchObject({ budgetHoursPerYear: 20, calendarId: allDayId, orgId: world.w.custA.id, orgName: world.w.custA.name, timeZone: 'Asia/Shanghai', active: true, version: 1 });
    const audit = await auditCount('service.create', s.id);
    expect(audit.total).toBe(1);
    expect(audit.items[0]?.details).toMatchObject({ after: { name: s.name, budgetMinutesPerYear: 1200 } });

    const byPct = await newService(mgr, { budgetHoursPerYear: undefined, targetPct: 99.9 });
    expect(byPct).toMatchObject({ targetPct: 99.9, budgetHoursPerYear: null });
    const patched = json<Service>(await mgr.patch(`/api/services/${byPct.id}`, { version: 1, budgetHoursPerYear: 8.76 }));
    // Budgets are kept in whole minutes: 8.76 h = 525.6 min is stored as 526.
    expect(patched.targetPct).toBeCloseTo(100 * (1 - 526 / 525_600), 9);
    expect(patched.budgetHoursPerYear).toBeCloseTo(526 / 60, 9);
    expect(patched.version).toBe(2);
    const upd = await auditCount('service.update', byPct.id);
    expect(upd.items[0]?.details).toMatchObject({ before: { targetPct: 99.9, budgetMinutesPerYear: null }, after: { budgetMinutesPerYear: 526 } });
    expect(code(await mgr.patch(`/api/services/${byPct.id}`, { version: 1, name: '旧版本' }))).toBe('VERSION_CONFLICT');
  });

  it('rejects bad targets, unknown calendars and taken names, saving nothing', async () => {
    const mgr = await world.w.as('manager');
    const name = uniq('坏输入-');
    const base = { name, calendarId: allDayId };
    for (const body of [
      { ...base, targetPct: 0 },
      { ...base, targetPct: 100 },
      { ...base, targetPct: 100.5 },
      { ...base, budgetHoursPerYear: 0 },
      { ...base, budgetHoursPerYear: -3 },
      { ...base, budgetHoursPerYear: 8760 },
      { ...base, targetPct: 99.9, budgetHoursPerYear: 20 },
      { ...base },
    ]) {
      const res = await mgr.post('/api/services', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(code(res)).toBe('VALIDATION_FAILED');
    }
    const both = await mgr.post('/api/services', { ...base, targetPct: 99.9, budgetHoursPerYear: 20 });
    expect(json<ErrorBody>(both).error.message).toContain('只能填写一个');
    const cal = await mgr.post('/api/services', { ...base, calendarId: 999_999, targetPct: 99.9 });
    expect(cal.statusCode).toBe(422);
    expect(json<ErrorBody>(cal).error).toMatchObject({ code: 'REFERENCE_INVALID', message: '引用的工作日历不存在或不可用' });
    expect(code(await mgr.post('/api/services', { ...base, orgId: 999_999, targetPct: 99.9 }))).toBe('REFERENCE_INVALID');
    const rows = await world.t.database.db.select().from(services).where(eq(services.name, name));
    expect(rows).toEqual([]);

    const first = await newService(mgr, { name });
    const dup = await mgr.post('/api/services', { ...base, targetPct: 99 });
    expect(dup.statusCode).toBe(409);
    expect(code(dup)).toBe('SERVICE_NAME_TAKEN');
    const other = await newService(mgr);
    expect(code(await mgr.patch(`/api/services/${other.id}`, { version: 1, name }))).toBe('SERVICE_NAME_TAKEN');
    expect(code(await mgr.patch(`/api/services/${other.id}`, { version: 1, targetPct: 0 }))).toBe('VALIDATION_FAILED');
    expect(code(await mgr.patch(`/api/services/${other.id}`, { version: 1, calendarId: 999_999 }))).toBe('REFERENCE_INVALID');
    const still = json<Service>(await mgr.get(`/api/services/${other.id}`));
    expect(still).toMatchObject({ version: 1, name: other.name, calendarId: allDayId });
    expect((await world.t.database.db.select().from(services).where(eq(services.name, name))).map((r) => r.id)).toEqual([first.id]);
    expect((await auditCount('service.update', other.id)).total).toBe(0);
  });

  it('lets managers and the system admin manage services; engineers and customers only read, customers their own', async () => {
    const mgr = await world.w.as('manager');
    const mine = await newService(mgr, { orgId: world.w.custA.id });
    const theirs = await newService(mgr, { orgId: world.w.custB.id });
    const internal = await newService(mgr);
    const eng = await world.w.as('engineer');
    expect((await eng.post('/api/services', { name: uniq('x'), calendarId: allDayId, targetPct: 99 })).statusCode).toBe(403);
    expect((await eng.patch(`/api/services/${mine.id}`, { version: 1, name: 'x' })).statusCode).toBe(403);
    expect((await eng.get(`/api/services/${theirs.id}/availability`)).statusCode).toBe(200);
    const agent = await world.w.as('agent');
    expect((await agent.post(`/api/services/${mine.id}/maintenance-windows`, { title: 'x', startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-01T01:00:00Z' })).statusCode).toBe(403);
    const sys = await world.w.as('sysadmin');
    await newService(sys);

    const cust = await world.w.as('customerA');
    const seen = json<ServiceSummary[]>(await cust.get('/api/services')).map((s) => s.id);
    expect(seen).toContain(mine.id);
    expect(seen).not.toContain(theirs.id);
    expect(seen).not.toContain(internal.id);
    expect((await cust.get(`/api/services/${theirs.id}`)).statusCode).toBe(404);
    expect((await cust.get(`/api/services/${theirs.id}/availability`)).statusCode).toBe(404);
    expect((await cust.get(`/api/services/${mine.id}/availability`)).statusCode).toBe(200);
    expect((await cust.post('/api/services', { name: uniq('x'), calendarId: allDayId, targetPct: 99 })).statusCode).toBe(403);
    expect((await cust.post(`/api/services/${mine.id}/outages`, { startedAt: '2026-11-01T00:00:00Z', impact: 'full' })).statusCode).toBe(403);
    const all = json<ServiceSummary[]>(await eng.get('/api/services')).map((s) => s.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id, internal.id]));
  });
});

describe('outages, maintenance windows and availability', () => {
  it('computes month / quarter / year to date from outages and maintenance windows', async () => {
    const mgr = await world.w.as('manager');
    const s = await newService(mgr);
    const post = async (url: string, body: unknown) => {
      const res = await mgr.post(url, body);
      expect(res.statusCode, res.body).toBe(201);
      return res;
    };
    await post(`/api/services/${s.id}/outages`, { startedAt: '2026-11-03T10:00:00+08:00', endedAt: '2026-11-03T12:00:00+08:00', impact: 'full', note: '核心库宕机' });
    // Overlaps the full outage for 30 minutes: only its last hour counts, at half weight (30 min).
    await post(`/api/services/${s.id}/outages`, { startedAt: '2026-11-03T11:30:00+08:00', endedAt: '2026-11-03T13:00:00+08:00', impact: 'partial', weight: 0.5 });
    // 01:00-05:00 around a 02:00-04:00 window: two hours count, one of them the overrun.
    await post(`/api/services/${s.id}/maintenance-windows`, { title: '季度补丁', startsAt: '2026-11-07T02:00:00+08:00', endsAt: '2026-11-07T04:00:00+08:00' });
    await post(`/api/services/${s.id}/outages`, { startedAt: '2026-11-07T01:00:00+08:00', endedAt: '2026-11-07T05:00:00+08:00', impact: 'full' });
    // Crosses into the quarter from September: only the October hour belongs to Q4.
    await post(`/api/services/${s.id}/outages`, { startedAt: '2026-09-30T23:00:00+08:00', endedAt: '2026-10-01T01:00:00+08:00', impact: 'full' });

    const a = json<ServiceAvailability>(await mgr.get(`/api/services/${s.id}/availability?at=${at('2026-11-16T00:00:00')}`));
    expect(a.timeZone).toBe('Asia/Shanghai');
    expect(a.month).toMatchObject({ key: 'month:2026-11', astMinutes: 43200 - 120, astElapsedMinutes: 15 * 1440 - 120, maintenanceMinutes: 120 });
    expect(a.month.downtimeMinutes).toBeCloseTo(120 + 30 + 120, 6);
    expect(a.month.availabilityPct).toBeCloseTo((100 * (21480 - 270)) / 21480, 6);
    expect(a.month.budgetMinutes).toBeCloseTo((20 / 8760) * (43200 - 120), 6);
    expect(a.month.leftMinutes).toBeCloseTo(a.month.budgetMinutes - 270, 6);
    expect(a.month.burnRate).toBeCloseTo(270 / 21480 / (20 / 8760), 6);
    expect(a.month.exhausted).toBe(true);
    expect(a.quarter).toMatchObject({ key: 'quarter:2026-Q4' });
    expect(a.quarter.usedMinutes).toBeCloseTo(270 + 60, 6);
    expect(a.year.usedMinutes).toBeCloseTo(270 + 120, 6);
    expect(a.year.exhausted).toBe(false);
    // 390 minutes in ~319 days burns at ~0.37x: the year's budget lasts.
    expect(a.year.burnRate).toBeCloseTo(390 / a.year.astElapsedMinutes / (20 / 8760), 6);
    expect(a.year.projectedExhaustionAt).toBeNull();

    const list = json<ServiceSummary[]>(await mgr.get('/api/services'));
    expect(list.find((x) => x.id === s.id)?.month.key).toMatch(/^month:\d{4}-\d\d$/);
    const windows = json<MaintenanceWindow[]>(await mgr.get(`/api/services/${s.id}/maintenance-windows`));
    expect(windows.map((w) => w.title)).toEqual(['季度补丁']);
  });

  it('measures on the service calendar: time outside office hours is not downtime', async () => {
    const mgr = await world.w.as('manager');
    const s = await newService(mgr, { calendarId: officeId, budgetHoursPerYear: undefined, targetPct: 99 });
    await mgr.post(`/api/services/${s.id}/outages`, { startedAt: '2026-11-03T17:00:00+08:00', endedAt: '2026-11-04T10:00:00+08:00', impact: 'full' });
    const a = json<ServiceAvailability>(await mgr.get(`/api/services/${s.id}/availability?at=${at('2026-12-01T00:00:00')}`));
    expect(a.month.key).toBe('month:2026-12');
    const nov = json<ServiceAvailability>(await mgr.get(`/api/services/${s.id}/availability?at=${at('2026-11-30T23:00:00')}`));
    // November 2026: 21 working days of 8 hours; 17:00-18:00 and 09:00-10:00 count.
    expect(nov.month).toMatchObject({ astMinutes: 21 * 480, downtimeMinutes: 120 });
    expect(nov.month.budgetMinutes).toBeCloseTo(0.01 * 21 * 480, 6);
  });

  it('rejects an end before the start and weights out of range, saving nothing', async () => {
    const mgr = await world.w.as('manager');
    const s = await newService(mgr);
    const url = `/api/services/${s.id}/outages`;
    const backwards = await mgr.post(url, { startedAt: '2026-11-03T12:00:00+08:00', endedAt: '2026-11-03T10:00:00+08:00', impact: 'full' });
    expect(backwards.statusCode).toBe(422);
    expect(json<ErrorBody>(backwards).error).toMatchObject({ code: 'TIME_RANGE_INVALID', message: '结束时间必须晚于开始时间' });
    expect(code(await mgr.post(url, { startedAt: '2026-11-03T12:00:00+08:00', endedAt: '2026-11-03T12:00:00+08:00', impact: 'full' }))).toBe('TIME_RANGE_INVALID');
    for (const weight of [0, -0.5, 1.5]) {
      const res = await mgr.post(url, { startedAt: '2026-11-03T10:00:00+08:00', endedAt: '2026-11-03T11:00:00+08:00', impact: 'partial', weight });
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe('VALIDATION_FAILED');
    }
    expect(code(await mgr.post(url, { startedAt: '2026-11-03T10:00:00+08:00', impact: 'partial' }))).toBe('VALIDATION_FAILED');
    expect(code(await mgr.post(url, { startedAt: 'yesterday', impact: 'full' }))).toBe('VALIDATION_FAILED');
    const wurl = `/api/services/${s.id}/maintenance-windows`;
    expect(code(await mgr.post(wurl, { title: '割接', startsAt: '2026-11-08T04:00:00+08:00', endsAt: '2026-11-08T02:00:00+08:00' }))).toBe('TIME_RANGE_INVALID');
    const db = world.t.database.db;
    expect(await db.select().from(serviceOutages).where(eq(serviceOutages.serviceId, s.id))).toEqual([]);
    expect(json<MaintenanceWindow[]>(await mgr.get(wurl))).toEqual([]);

    // Editing into a bad range leaves the row as it was.
    const o = json<Outage>(await mgr.post(url, { startedAt: '2026-11-03T10:00:00+08:00', endedAt: '2026-11-03T11:00:00+08:00', impact: 'partial', weight: 0.4 }));
    expect(code(await mgr.patch(`${url}/${o.id}`, { version: o.version, endedAt: '2026-11-03T09:00:00+08:00' }))).toBe('TIME_RANGE_INVALID');
    expect(code(await mgr.patch(`${url}/${o.id}`, { version: o.version, weight: 2 }))).toBe('VALIDATION_FAILED');
    const w = json<MaintenanceWindow>(await mgr.post(wurl, { title: '割接', startsAt: '2026-11-08T02:00:00+08:00', endsAt: '2026-11-08T04:00:00+08:00' }));
    expect(code(await mgr.patch(`${wurl}/${w.id}`, { endsAt: '2026-11-08T01:00:00+08:00' }))).toBe('TIME_RANGE_INVALID');
    const [row] = await db.select().from(serviceOutages).where(eq(serviceOutages.id, o.id));
    expect(row).toMatchObject({ version: 1, weight: 0.4, endedAt: new Date('2026-11-03T11:00:00+08:00') });
    expect(json<MaintenanceWindow[]>(await mgr.get(wurl))).toEqual([w]);
    expect((await auditCount('outage.update', o.id)).total).toBe(0);
  });

  it('edits and deletes outages and windows with an audit trail', async () => {
    const mgr = await world.w.as('manager');
    const eng = await world.w.as('engineer');
    const s = await newService(mgr);
    const url = `/api/services/${s.id}/outages`;
    const o = json<Outage>(await eng.post(url, { startedAt: '2026-11-03T10:00:00+08:00', endedAt: null, impact: 'partial', weight: 0.5, note: '部分用户无法登录' }));
    expect(o).toMatchObject({ endedAt: null, weight: 0.5, version: 1, createdBy: world.w.users.engineer.id, serviceName: s.name });
    // Ongoing: counts up to `at`.
    const ongoing = json<ServiceAvailability>(await mgr.get(`/api/services/${s.id}/availability?at=${at('2026-11-03T12:00:00')}`));
    expect(ongoing.month.downtimeMinutes).toBeCloseTo(60, 6);

    const edited = await eng.patch(`${url}/${o.id}`, { version: 1, endedAt: '2026-11-03T11:00:00+08:00', impact: 'full', weight: 0.3 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json<Outage>(edited)).toMatchObject({ impact: 'full', weight: 1, version: 2 });
    expect(code(await eng.patch(`${url}/${o.id}`, { version: 1, note: '过期' }))).toBe('VERSION_CONFLICT');
    const trail = await auditCount('outage.update', o.id);
    expect(trail.items[0]?.details).toMatchObject({
      serviceId: s.id,
      before: { endedAt: null, impact: 'partial', weight: 0.5 },
      after: { endedAt: new Date('2026-11-03T11:00:00+08:00').toISOString(), impact: 'full', weight: 1 },
    });
    expect((await auditCount('outage.create', o.id)).total).toBe(1);
    const closed = json<ServiceAvailability>(await mgr.get(`/api/services/${s.id}/availability?at=${at('2026-11-03T12:00:00')}`));
    expect(closed.month.downtimeMinutes).toBeCloseTo(60, 6);

    const del = await eng.del(`${url}/${o.id}`);
    expect(del.statusCode).toBe(200);
    expect(json<Outage[]>(await mgr.get(url))).toEqual([]);
    expect((await auditCount('outage.delete', o.id)).items[0]?.details).toMatchObject({ before: { impact: 'full' } });
    expect((await eng.del(`${url}/${o.id}`)).statusCode).toBe(404);

    const wurl = `/api/services/${s.id}/maintenance-windows`;
    const w = json<MaintenanceWindow>(await mgr.post(wurl, { title: '割接', startsAt: '2026-11-08T02:00:00+08:00', endsAt: '2026-11-08T04:00:00+08:00' }));
    const moved = json<MaintenanceWindow>(await mgr.patch(`${wurl}/${w.id}`, { endsAt: '2026-11-08T05:00:00+08:00' }));
    expect(moved.endsAt).toBe(new Date('2026-11-08T05:00:00+08:00').toISOString());
    expect((await auditCount('maintenance_window.update', w.id)).items[0]?.details).toMatchObject({ before: { endsAt: new Date('2026-11-08T04:00:00+08:00').toISOString() } });
    expect((await mgr.del(`${wurl}/${w.id}`)).statusCode).toBe(200);
    expect((await auditCount('maintenance_window.delete', w.id)).total).toBe(1);

    // Retiring keeps the history and stops budget checks.
    const retired = json<Service>(await mgr.del(`/api/services/${s.id}`));
    expect(retired.active).toBe(false);
    expect((await auditCount('service.retire', s.id)).total).toBe(1);
  });

  it('links outages to incidents the caller can see, and hides the others', async () => {
    const mgr = await world.w.as('manager');
    const s = await newService(mgr);
    const incA = await newIncident(world.w.custA.id);
    const incB = await newIncident(world.w.custB.id);
    const eng = await world.w.as('engineer'); // serves customer A only
    const url = `/api/services/${s.id}/outages`;
    const body = { startedAt: '2026-11-03T10:00:00+08:00', endedAt: '2026-11-03T11:00:00+08:00', impact: 'full' };
    const linked = json<Outage>(await eng.post(url, { ...body, ticketId: incA.id }));
    expect(linked).toMatchObject({ ticketId: incA.id, ticketNumber: incA.number });
    const refused = await eng.post(url, { ...body, ticketId: incB.id });
    expect(refused.statusCode).toBe(422);
    expect(code(refused)).toBe('REFERENCE_INVALID');
    expect(code(await eng.post(url, { ...body, ticketId: 999_999 }))).toBe('REFERENCE_INVALID');
    const onB = json<Outage>(await mgr.post(url, { ...body, ticketId: incB.id }));
    const unlinked = json<Outage>(await mgr.post(url, body));

    expect(json<Outage[]>(await mgr.get(url)).map((o) => o.id).sort()).toEqual([linked.id, onB.id, unlinked.id].sort());
    expect(json<Outage[]>(await eng.get(url)).map((o) => o.id).sort()).toEqual([linked.id, unlinked.id].sort());
    expect((await eng.patch(`${url}/${onB.id}`, { version: 1, note: 'x' })).statusCode).toBe(404);
    expect((await eng.del(`${url}/${onB.id}`)).statusCode).toBe(404);
    // The hidden outage still counts: availability is the service's, not the viewer's.
    const a = json<ServiceAvailability>(await eng.get(`/api/services/${s.id}/availability?at=${at('2026-11-04T00:00:00')}`));
    expect(a.month.downtimeMinutes).toBe(60);

    expect(json<Outage[]>(await eng.get(`/api/tickets/${incA.id}/outages`)).map((o) => o.id)).toEqual([linked.id]);
    expect((await eng.get(`/api/tickets/${incB.id}/outages`)).statusCode).toBe(404);
    const custB = await world.w.as('customerB');
    expect((await custB.get(`/api/tickets/${incA.id}/outages`)).statusCode).toBe(404);
    // An internal service is not shown to the customer, even on their own incident.
    expect(json<Outage[]>(await custB.get(`/api/tickets/${incB.id}/outages`))).toEqual([]);
  });
});

describe('downtime budget warnings', () => {
  it('fires each threshold once per period and notifies the managers', async () => {
    const db = world.t.database.db;
    const mgr = await world.w.as('manager');
    const s = await newService(mgr, { budgetHoursPerYear: undefined, targetPct: 99.9 });
    const url = `/api/services/${s.id}/outages`;
    // March 2031 round the clock: 44,640 minutes, budget 44.64; 40 minutes = 89.6 %.
    expect((await mgr.post(url, { startedAt: '2031-03-05T10:00:00+08:00', endedAt: '2031-03-05T10:40:00+08:00', impact: 'full' })).statusCode).toBe(201);
    const now = new Date('2031-03-10T00:00:00+08:00');
    expect(await checkBudgets(db, now)).toBeGreaterThanOrEqual(1);
    const alerts = async () =>
      (await db.select().from(serviceBudgetAlerts).where(eq(serviceBudgetAlerts.serviceId, s.id))).map((a) => `${a.period}@${a.pct}`).sort();
    expect(await alerts()).toEqual(['month:2031-03@50', 'month:2031-03@75']);
    expect(await checkBudgets(db, now)).toBe(0);
    const mine = async () =>
      db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, world.w.users.manager.id), eq(notifications.event, 'service.budget'), eq(notifications.link, `/services/${s.id}`)));
    const first = await mine();
    expect(first).toHaveLength(1);
    expect(first[0]?.data).toMatchObject({ service: s.name, period: '2031-03', pct: 75, budgetMinutes: 44.6, usedMinutes: 40 });
    expect(first[0]?.title).toContain(s.name);

    // Ten more minutes: over budget, the 100 % warning fires once.
    expect((await mgr.post(url, { startedAt: '2031-03-06T10:00:00+08:00', endedAt: '2031-03-06T10:10:00+08:00', impact: 'full' })).statusCode).toBe(201);
    expect(await checkBudgets(db, now)).toBeGreaterThanOrEqual(1);
    expect(await checkBudgets(db, now)).toBe(0);
    expect(await alerts()).toEqual(['month:2031-03@100', 'month:2031-03@50', 'month:2031-03@75']);
    expect((await mine()).map((n) => (n.data as { pct: number }).pct).sort()).toEqual([100, 75]);
    // Customers are not told.
    const cust = await db.select().from(notifications).where(and(eq(notifications.userId, world.w.users.customerA.id), eq(notifications.event, 'service.budget')));
    expect(cust).toEqual([]);
    // A retired service is not checked.
    await mgr.del(`/api/services/${s.id}`);
    expect((await mgr.post(url, { startedAt: '2031-03-07T00:00:00+08:00', endedAt: '2031-03-08T00:00:00+08:00', impact: 'full' })).statusCode).toBe(201);
    expect(await checkBudgets(db, now)).toBe(0);
  });
});
