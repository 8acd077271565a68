import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChangeCalendar, ChangeConflicts, ChangeDetail, ChangePage, ChangeReport, ChangeTemplate, ChangeWindow, Ci, CiClass, CiRelationType, CreateChangeRequest, CutoverStep, Ticket } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ensureBuiltinClasses } from '../cmdb/builtin-classes.ts';
import { ensureBuiltinRelationTypes } from '../cmdb/builtin-relation-types.ts';
import { approvals } from '../approvals/approvals.tables.ts';
import { ticketEvents, tickets } from '../tickets/tickets.tables.ts';
import { changeDetails } from './changes.tables.ts';

type Err = { error: { code: string } };

const world = useTestWorld();
const db = () => world.t.database.db;

let classes: Map<string, CiClass>;
let types: Map<string, CiRelationType>;
let mgr: Client;

const RISK_LOW = { business_impact: 'none', users_affected: 'none', tested: 'prod_like', rollback: 'simple', window: 'maintenance', past_failures: 'none' } as const;
const RISK_HIGH = { business_impact: 'major', users_affected: 'gte1000', tested: 'partial', rollback: 'complex', window: 'off_hours', past_failures: 'none' } as const;

async function ci(classKey: string, name: string): Promise<Ci> {
  const res = await mgr.post('/api/cis', { classId: classes.get(classKey)?.id, orgId: world.w.custA.id, name: uniq(name), attributes: {} });
  expect(res.statusCode, res.body).toBe(201);
  return json<Ci>(res);
}

async function relate(type: string, from: Ci, to: Ci) {
  const res = await mgr.post('/api/ci-relations', { typeId: types.get(type)?.id, fromCiId: from.id, toCiId: to.id });
  expect(res.statusCode, res.body).toBe(201);
}

// A far-future base date per test file run, so changes of other test files (shared PG schema) never overlap.
const BASE = Date.UTC(2090 + Math.floor(Math.random() * 9), 2, 1) + Math.floor(Math.random() * 200) * 7 * 86_400_000;
const at = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();

function body(over: Partial<CreateChangeRequest> = {}): CreateChangeRequest {
  return {
    changeType: 'normal',
    title: uniq('变更-'),
    orgId: world.w.custA.id,
    reason: '升级数据库版本',
    scope: '核心库',
    riskAnswers: RISK_LOW,
    implementationPlan: '1. 停服 2. 升级 3. 启动',
    testPlan: '冒烟测试',
    rollbackPlan: '恢复快照',
    plannedStart: at(1),
    plannedEnd: at(3),
    ...over,
  };
}

async function create(over: Partial<CreateChangeRequest> = {}, who: Client = mgr): Promise<ChangeDetail> {
  const res = await who.post('/api/changes', body(over));
  expect(res.statusCode, res.body).toBe(201);
  return json<ChangeDetail>(res);
}

async function act(id: number, action: string, extra: Record<string, unknown> = {}): Promise<Ticket> {
  const t = json<ChangeDetail>(await mgr.get(`/api/changes/${id}`)).ticket;
  const res = await mgr.post(`/api/tickets/${id}/transitions`, { action, version: t.version, ...extra });
  expect(res.statusCode, res.body).toBe(200);
  return json<Ticket>(res);
}

let template: ChangeTemplate;
// bs depends_on app, app runs_on vm; bs2 depends_on app2.
let bs: Ci, app: Ci, vm: Ci, bs2: Ci, app2: Ci, lone: Ci;

beforeAll(async () => {
  await ensureBuiltinClasses(db());
  await ensureBuiltinRelationTypes(db());
  mgr = await world.w.as('manager');
  classes = new Map(json<CiClass[]>(await mgr.get('/api/ci-classes')).map((c) => [c.key, c]));
  types = new Map(json<CiRelationType[]>(await mgr.get('/api/ci-relation-types')).map((t) => [t.key, t]));
  bs = await ci('business_service', '网上银行');
  app = await ci('application', '核心应用');
  vm = await ci('server.vm', 'vm-');
  bs2 = await ci('business_service', '手机银行');
  app2 = await ci('application', '移动网关');
  lone = await ci('application', '独立应用');
  await relate('depends_on', bs, app);
  await relate('runs_on', app, vm);
  await relate('depends_on', bs2, app2);
  const res = await mgr.post('/api/changes/templates', {
    name: uniq('补丁模板'),
    description: '每月操作系统补丁',
    defaults: {
      reason: '月度补丁',
      implementationPlan: '按批次安装补丁',
      testPlan: '巡检',
      rollbackPlan: '卸载补丁并重启',
      riskAnswers: RISK_LOW,
      cutoverSteps: [{ title: '备份' }, { title: '安装补丁' }, { title: '重启验证' }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  template = json<ChangeTemplate>(res);
});

describe('create', () => {
  it('refuses a change without a rollback plan, with a clear code, writing nothing', async () => {
    const title = uniq('无回退-');
    for (const rollbackPlan of [undefined, '', '   ']) {
      const res = await mgr.post('/api/changes', body({ title, rollbackPlan }));
      expect(res.statusCode).toBe(422);
      expect(json<Err>(res).error.code).toBe('CHANGE_ROLLBACK_PLAN_REQUIRED');
    }
    const [n] = await db().select({ n: sql<number>`count(*)::int` }).from(tickets).where(eq(tickets.title, title));
    expect(n?.n).toBe(0);
  });

  it('creates a normal change with its fields, CIs, impacted services and the risk level from the questionnaire', async () => {
    const c = await create({ ciIds: [vm.id], riskAnswers: RISK_HIGH, outageExpected: true, outageMinutes: 30 });
    expect(c.ticket.type).toBe('change');
    expect(c.ticket.number).toMatch(/^CHG\d{6}$/);
    expect(c.ticket.state).toBe('draft');
    expect(c.ticket.workflow.workflowKey).toBe('change.normal');
    expect(c.change.changeType).toBe('normal');
    expect(c.change.rollbackPlan).toBe('恢复快照');
    // 4 + 3 + 1 + 3 + 1 + 0 = 12 -> high
    expect(c.change.riskScore).toBe(12);
    expect(c.change.riskLevel).toBe('high');
    expect(c.change.outageMinutes).toBe(30);
    expect(c.cis.map((x) => x.id)).toEqual([vm.id]);
    // vm <- app <- bs: the business service is found through the CMDB impact walk and stored.
    expect(c.services.map((s) => s.id)).toEqual([bs.id]);
    const low = await create({ riskAnswers: RISK_LOW });
    expect(low.change.riskLevel).toBe('low');
    const forced = await create({ riskAnswers: { ...RISK_LOW, rollback: 'impossible' } });
    expect(forced.change.riskLevel).toBe('high');
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'change.create'), eq(auditLog.objectId, String(c.ticket.id))));
    expect(audits.length).toBe(1);
  });

  it('refuses bad input: window end before start, standard without template, CIs of another organisation, missing risk answers', async () => {
    const cases: [Partial<CreateChangeRequest>, string][] = [
      [{ plannedStart: at(5), plannedEnd: at(4) }, 'CHANGE_PLANNED_WINDOW_INVALID'],
      [{ plannedStart: at(5), plannedEnd: null }, 'CHANGE_PLANNED_WINDOW_INVALID'],
      [{ changeType: 'standard', templateId: undefined }, 'CHANGE_TEMPLATE_REQUIRED'],
      [{ changeType: 'standard', templateId: 999_999_999 }, 'CHANGE_TEMPLATE_REQUIRED'],
      [{ orgId: world.w.custB.id, ciIds: [vm.id] }, 'REFERENCE_INVALID'],
      [{ riskAnswers: undefined }, 'FIELD_REQUIRED'],
    ];
    for (const [over, code] of cases) {
      const res = await mgr.post('/api/changes', body(over));
      expect(json<Err>(res).error.code, JSON.stringify(over)).toBe(code);
    }
    const res = await mgr.post('/api/changes', { ...body(), riskAnswers: { ...RISK_LOW, tested: 'maybe' } });
    expect(res.statusCode).toBe(400);
    // Customers cannot create changes.
    expect((await (await world.w.as('customerA')).post('/api/changes', body())).statusCode).toBe(403);
  });

  it('creates a standard change from its pre-approved template', async () => {
    const c = await create({ changeType: 'standard', templateId: template.id, rollbackPlan: undefined, riskAnswers: undefined, reason: undefined, implementationPlan: undefined, testPlan: undefined });
    expect(c.ticket.workflow.workflowKey).toBe('change.standard');
    expect(c.change.templateId).toBe(template.id);
    expect(c.change.rollbackPlan).toBe('卸载补丁并重启');
    expect(c.change.reason).toBe('月度补丁');
    expect(c.cutover.map((s) => s.title)).toEqual(['备份', '安装补丁', '重启验证']);
    expect(c.change.riskLevel).toBe('low');
  });

  it('edits while in draft and refuses once scheduled', async () => {
    const c = await create({ changeType: 'standard', templateId: template.id, ciIds: [lone.id] });
    const res = await mgr.patch(`/api/changes/${c.ticket.id}`, { version: 1, scope: '新范围', ciIds: [app.id], riskAnswers: RISK_HIGH });
    expect(res.statusCode, res.body).toBe(200);
    const e = json<ChangeDetail>(res);
    expect(e.change.scope).toBe('新范围');
    expect(e.change.version).toBe(2);
    expect(e.change.riskLevel).toBe('high');
    expect(e.services.map((s) => s.id)).toEqual([bs.id]);
    expect(json<Err>(await mgr.patch(`/api/changes/${c.ticket.id}`, { version: 1, scope: 'x' })).error.code).toBe('VERSION_CONFLICT');
    expect(json<Err>(await mgr.patch(`/api/changes/${c.ticket.id}`, { version: 2, rollbackPlan: ' ' })).error.code).toBe('CHANGE_ROLLBACK_PLAN_REQUIRED');
    await act(c.ticket.id, 'schedule');
    const late = await mgr.patch(`/api/changes/${c.ticket.id}`, { version: 2, scope: 'y' });
    expect(late.statusCode).toBe(409);
    expect(json<Err>(late).error.code).toBe('CHANGE_NOT_EDITABLE');
  });
});

describe('workflow checks', () => {
  it('refuses submit without a planned window (change.planned_window) and stamps actual start / end through the hooks', async () => {
    const c = await create({ changeType: 'standard', templateId: template.id, plannedStart: null, plannedEnd: null });
    const res = await mgr.post(`/api/tickets/${c.ticket.id}/transitions`, { action: 'schedule', version: c.ticket.version });
    expect(json<Err>(res).error.code).toBe('CHANGE_PLANNED_WINDOW_INVALID');
    await mgr.patch(`/api/changes/${c.ticket.id}`, { version: 1, plannedStart: at(400), plannedEnd: at(401) });
    await act(c.ticket.id, 'schedule');
    await act(c.ticket.id, 'implement');
    let d = json<ChangeDetail>(await mgr.get(`/api/changes/${c.ticket.id}`));
    expect(d.change.actualStart).not.toBeNull();
    expect(d.change.actualEnd).toBeNull();
    await act(c.ticket.id, 'verify');
    await act(c.ticket.id, 'complete_successful');
    d = json<ChangeDetail>(await mgr.get(`/api/changes/${c.ticket.id}`));
    expect(d.change.actualEnd).not.toBeNull();
    expect(d.change.outcome).toBe('completed_successful');
  });

  it('refuses to schedule a change whose rollback plan was emptied in the database (change.rollback_plan)', async () => {
    const c = await create({ changeType: 'standard', templateId: template.id });
    await db().update(changeDetails).set({ rollbackPlan: '' }).where(eq(changeDetails.ticketId, c.ticket.id));
    const res = await mgr.post(`/api/tickets/${c.ticket.id}/transitions`, { action: 'schedule', version: c.ticket.version });
    expect(json<Err>(res).error.code).toBe('CHANGE_ROLLBACK_PLAN_REQUIRED');
  });
});

describe('conflicts', () => {
  it('finds another scheduled change on the same CI in an overlapping window, and none when the windows do not overlap', async () => {
    const a = await create({ changeType: 'standard', templateId: template.id, ciIds: [lone.id], plannedStart: at(100), plannedEnd: at(102) });
    await act(a.ticket.id, 'schedule');
    const b = await create({ ciIds: [lone.id], plannedStart: at(101), plannedEnd: at(103) });
    const mine = json<ChangeConflicts>(await mgr.get(`/api/changes/${b.ticket.id}/conflicts`)).conflicts;
    expect(mine).toEqual([expect.objectContaining({ kind: 'ci_overlap', changeId: a.ticket.id, number: a.ticket.number, cis: [{ id: lone.id, name: lone.name }] })]);
    expect(b.conflicts.map((x) => x.kind)).toEqual(['ci_overlap']);
    // A draft does not hold its window: `a` sees no conflict until `b` is submitted.
    expect(json<ChangeConflicts>(await mgr.get(`/api/changes/${a.ticket.id}/conflicts`)).conflicts).toEqual([]);
    await act(b.ticket.id, 'submit');
    expect(json<ChangeConflicts>(await mgr.get(`/api/changes/${a.ticket.id}/conflicts`)).conflicts.map((x) => x.kind)).toEqual(['ci_overlap']);
    // Back to back ([start, end) windows) is no overlap.
    const c = await create({ ciIds: [lone.id], plannedStart: at(102), plannedEnd: at(104) });
    expect(c.conflicts.filter((x) => x.kind === 'ci_overlap' && x.changeId === a.ticket.id)).toEqual([]);
  });

  it('finds a change on another CI that impacts the same business service', async () => {
    const a = await create({ changeType: 'standard', templateId: template.id, ciIds: [app.id], plannedStart: at(200), plannedEnd: at(202) });
    await act(a.ticket.id, 'schedule');
    const b = await create({ ciIds: [vm.id], plannedStart: at(201), plannedEnd: at(205) });
    expect(b.conflicts).toEqual([expect.objectContaining({ kind: 'service_overlap', changeId: a.ticket.id, services: [{ id: bs.id, name: bs.name }] })]);
  });

  it('flags a change in a blackout window (global or of its service) and outside every maintenance window of its service', async () => {
    const admin = await world.w.as('sysadmin');
    const blackout = await admin.post('/api/changes/windows', { kind: 'blackout', name: '国庆封网', startsAt: at(300), endsAt: at(300 + 7 * 24) });
    expect(blackout.statusCode, blackout.body).toBe(201);
    const w = json<ChangeWindow>(blackout);
    // On a shared PostgreSQL schema other runs' global blackouts may exist: only this run's one counts.
    const ours = (list: ChangeDetail['conflicts']) => list.filter((c) => c.kind !== 'blackout' || c.windowId === w.id);
    const inside = await create({ ciIds: [app2.id], plannedStart: at(310), plannedEnd: at(312) });
    expect(ours(inside.conflicts)).toEqual([expect.objectContaining({ kind: 'blackout', name: '国庆封网', windowId: w.id })]);
    // Maintenance for bs2: Saturdays 00:00-06:00 Asia/Shanghai, weekly.
    const mw = await admin.post('/api/changes/windows', {
      kind: 'maintenance',
      name: '周六维护',
      serviceId: bs2.id,
      startsAt: at(-24 * 30),
      recurrence: { weekdays: [6], start: '00:00', end: '06:00', timeZone: 'Asia/Shanghai' },
    });
    expect(mw.statusCode, mw.body).toBe(201);
    // Find the first Saturday 00:00 Shanghai (= Friday 16:00 UTC) after the blackout.
    let sat = BASE + 500 * 3_600_000;
    while (new Date(sat).getUTCDay() !== 5) sat += 86_400_000;
    sat = sat - (sat % 86_400_000) + 16 * 3_600_000;
    const ok = await create({ ciIds: [app2.id], plannedStart: new Date(sat + 3_600_000).toISOString(), plannedEnd: new Date(sat + 3 * 3_600_000).toISOString() });
    expect(ours(ok.conflicts)).toEqual([]);
    const outside = await create({ ciIds: [app2.id], plannedStart: new Date(sat + 5 * 3_600_000).toISOString(), plannedEnd: new Date(sat + 7 * 3_600_000).toISOString() });
    expect(ours(outside.conflicts)).toEqual([{ kind: 'outside_maintenance', serviceId: bs2.id, serviceName: bs2.name }]);
    // A service without maintenance windows accepts any time (blackouts aside).
    const free = await create({ ciIds: [lone.id], plannedStart: new Date(sat + 5 * 3_600_000).toISOString(), plannedEnd: new Date(sat + 7 * 3_600_000).toISOString() });
    expect(free.conflicts.filter((x) => x.kind === 'outside_maintenance')).toEqual([]);
    // Windows admin needs change.calendar.manage; bad shapes are refused.
    expect((await mgr.post('/api/changes/windows', { kind: 'blackout', name: 'x', startsAt: at(1) })).statusCode).toBe(422);
    expect((await (await world.w.as('engineer')).post('/api/changes/windows', { kind: 'blackout', name: 'x', startsAt: at(1), endsAt: at(2) })).statusCode).toBe(403);
    const noService = await admin.post('/api/changes/windows', { kind: 'maintenance', name: 'x', startsAt: at(1), endsAt: at(2) });
    expect(json<Err>(noService).error.code).toBe('CHANGE_WINDOW_INVALID');
    const notService = await admin.post('/api/changes/windows', { kind: 'maintenance', name: 'x', serviceId: app.id, startsAt: at(1), endsAt: at(2) });
    expect(json<Err>(notService).error.code).toBe('REFERENCE_INVALID');
    const upd = await admin.patch(`/api/changes/windows/${w.id}`, { version: 1, name: '国庆节封网' });
    expect(json<ChangeWindow>(upd).name).toBe('国庆节封网');
    expect((await admin.del(`/api/changes/windows/${w.id}`)).statusCode).toBe(200);
    // The blackout is gone; the window still lies outside bs2's Saturday maintenance window.
    expect(ours(json<ChangeConflicts>(await mgr.get(`/api/changes/${inside.ticket.id}/conflicts`)).conflicts).map((x) => x.kind)).toEqual(['outside_maintenance']);
  });

  it('shows scheduled changes with their conflicts and the window occurrences on the calendar', async () => {
    const a = await create({ changeType: 'standard', templateId: template.id, ciIds: [lone.id], plannedStart: at(600), plannedEnd: at(602) });
    const b = await create({ changeType: 'standard', templateId: template.id, ciIds: [lone.id], plannedStart: at(601), plannedEnd: at(603) });
    await act(a.ticket.id, 'schedule');
    await act(b.ticket.id, 'schedule');
    const draft = await create({ ciIds: [lone.id], plannedStart: at(601), plannedEnd: at(602) });
    const res = await mgr.get(`/api/changes/calendar?from=${encodeURIComponent(at(590))}&to=${encodeURIComponent(at(700))}`);
    expect(res.statusCode, res.body).toBe(200);
    const cal = json<ChangeCalendar>(res);
    const ids = cal.changes.map((c) => c.id);
    expect(ids).toContain(a.ticket.id);
    expect(ids).toContain(b.ticket.id);
    expect(ids).not.toContain(draft.ticket.id);
    const ca = cal.changes.find((c) => c.id === a.ticket.id);
    expect(ca?.conflicts).toEqual([expect.objectContaining({ kind: 'ci_overlap', changeId: b.ticket.id })]);
    const bad = await mgr.get(`/api/changes/calendar?from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(5))}`);
    expect(json<Err>(bad).error.code).toBe('TIME_RANGE_INVALID');
  });
});

describe('cutover', () => {
  it('executes steps in order, only while implementing, recording results and audit', async () => {
    const c = await create({ changeType: 'standard', templateId: template.id });
    const [s1, s2, s3] = c.cutover;
    if (!s1 || !s2 || !s3) throw new Error('template steps missing');
    const exec = (stepId: number, action: string, result?: string) => mgr.post(`/api/changes/${c.ticket.id}/cutover/${stepId}`, { action, ...(result ? { result } : {}) });
    expect(json<Err>(await exec(s1.id, 'start')).error.code).toBe('CHANGE_NOT_IMPLEMENTING');
    // The plan can be replaced before implementation.
    const plan = await mgr.put(`/api/changes/${c.ticket.id}/cutover`, { steps: [{ title: '备份', ownerId: world.w.users.engineer.id, durationMinutes: 10 }, { title: '安装补丁', offsetMinutes: 10 }, { title: '重启验证', offsetMinutes: 40 }] });
    expect(plan.statusCode, plan.body).toBe(200);
    const [p1, p2, p3] = json<CutoverStep[]>(plan);
    if (!p1 || !p2 || !p3) throw new Error('steps missing');
    expect(p1.ownerName).not.toBeNull();
    await act(c.ticket.id, 'schedule');
    await act(c.ticket.id, 'implement');
    expect(json<Err>(await exec(p2.id, 'start')).error.code).toBe('CHANGE_CUTOVER_OUT_OF_ORDER');
    expect(json<Err>(await exec(p1.id, 'done', 'x')).error.code).toBe('CHANGE_CUTOVER_STEP_STATE');
    expect((await exec(p1.id, 'start')).statusCode).toBe(200);
    expect(json<Err>(await exec(p1.id, 'done')).error.code).toBe('CHANGE_CUTOVER_RESULT_REQUIRED');
    expect((await exec(p1.id, 'done', '备份完成 12GB')).statusCode).toBe(200);
    expect(json<Err>(await exec(p2.id, 'skip')).error.code).toBe('CHANGE_CUTOVER_RESULT_REQUIRED');
    expect((await exec(p2.id, 'skip', '无需补丁')).statusCode).toBe(200);
    expect((await exec(p3.id, 'start')).statusCode).toBe(200);
    const last = await exec(p3.id, 'fail', '服务未起');
    const steps = json<CutoverStep[]>(last);
    expect(steps.map((s) => s.state)).toEqual(['done', 'skipped', 'failed']);
    expect(steps[0]?.result).toBe('备份完成 12GB');
    expect(steps[0]?.executedBy).toBe(mgr.userId);
    expect(steps[0]?.startedAt).not.toBeNull();
    expect(steps[2]?.finishedAt).not.toBeNull();
    // The plan cannot be replaced once implementing; engineers without change.implement cannot execute (agents).
    expect(json<Err>(await mgr.put(`/api/changes/${c.ticket.id}/cutover`, { steps: [] })).error.code).toBe('CHANGE_NOT_EDITABLE');
    expect((await (await world.w.as('agent')).post(`/api/changes/${c.ticket.id}/cutover/${p1.id}`, { action: 'start' })).statusCode).toBe(403);
    const audits = await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.objectId, String(c.ticket.id)));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['change.cutover.start', 'change.cutover.done', 'change.cutover.skip', 'change.cutover.fail', 'change.cutover.plan']));
    const notes = await db().select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, c.ticket.id), eq(ticketEvents.kind, 'work_note')));
    expect(notes.length).toBe(5);
  });
});

describe('list and reports', () => {
  it('lists changes with filters and tenant scope', async () => {
    const c = await create({ changeType: 'emergency', riskAnswers: RISK_HIGH });
    const page = json<ChangePage>(await mgr.get(`/api/changes?changeType=emergency&q=${encodeURIComponent(c.ticket.title)}`));
    expect(page.items.map((x) => x.id)).toEqual([c.ticket.id]);
    expect(page.items[0]?.riskLevel).toBe('high');
    const other = json<ChangePage>(await (await world.w.as('customerB')).get(`/api/changes?q=${encodeURIComponent(c.ticket.title)}`));
    expect(other.items).toEqual([]);
    expect((await (await world.w.as('customerB')).get(`/api/changes/${c.ticket.id}`)).statusCode).toBe(404);
  });

  it('reports success rate, emergency ratio, CIs per change, and detects changes implemented without approval even when forced in the database', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = () => new Date(Date.now() + 60_000).toISOString();
    const q = () => `/api/changes/reports?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to())}&orgId=${world.w.custA.id}`;
    const before = json<ChangeReport>(await mgr.get(q()));
    // A legitimate standard change, implemented and completed.
    const ok = await create({ changeType: 'standard', templateId: template.id, ciIds: [lone.id, app.id], plannedStart: at(800), plannedEnd: at(801) });
    await act(ok.ticket.id, 'schedule');
    await act(ok.ticket.id, 'implement');
    await act(ok.ticket.id, 'roll_back', { comment: '回退' });
    // A normal change forced into implementing by a direct UPDATE: no event, no approval.
    const forced = await create({ plannedStart: at(810), plannedEnd: at(811) });
    await db().update(tickets).set({ state: 'implementing' }).where(eq(tickets.id, forced.ticket.id));
    // An emergency change whose timeline shows implementing before its approval was decided.
    const early = await create({ changeType: 'emergency', plannedStart: at(820), plannedEnd: at(821) });
    const [t] = await db().select().from(tickets).where(eq(tickets.id, early.ticket.id));
    await db().insert(ticketEvents).values({ ticketId: early.ticket.id, kind: 'transition', at: new Date(Date.now() - 1000), data: { action: 'implement', from: 'draft', to: 'implementing' } });
    await db().update(tickets).set({ state: 'verifying' }).where(eq(tickets.id, early.ticket.id));
    if (!t?.workflowVersionId) throw new Error('no workflow version');
    await db().insert(approvals).values({ subjectId: early.ticket.id, ticketId: early.ticket.id, workflowVersionId: t.workflowVersionId, approvalKey: 'ecab', state: 'approved', steps: [], decidedAt: new Date() });
    const r = json<ChangeReport>(await mgr.get(q()));
    expect(r.implementedWithoutApproval - before.implementedWithoutApproval).toBe(2);
    const found = new Map(r.unapproved.map((u) => [u.id, u]));
    expect(found.get(forced.ticket.id)?.reason).toBe('no_approval');
    expect(found.get(early.ticket.id)?.reason).toBe('approved_after');
    expect(found.has(ok.ticket.id)).toBe(false);
    expect(r.created.total - before.created.total).toBe(3);
    expect(r.created.emergency - before.created.emergency).toBe(1);
    expect(r.emergencyRatio).toBeCloseTo(r.created.emergency / r.created.total, 3);
    expect(r.finished.rolledBack - before.finished.rolledBack).toBe(1);
    expect(r.successRate).toBe(r.finished.total ? Math.round((r.finished.completedSuccessful / r.finished.total) * 10000) / 10000 : null);
    expect(r.averageCisPerChange).not.toBeNull();
    // Reports need change.manage or change.calendar.manage.
    expect((await (await world.w.as('customerA')).get(q())).statusCode).toBe(403);
  });
});
