import { and, count, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ci, Release, ReleaseDeployment, ReleasePage, ReleaseReport, Ticket } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { createTicket } from '../tickets/tickets.service.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { changeCis } from '../changes/changes.tables.ts';
import { releaseChanges, releaseDeployments, releaseDetails } from './releases.tables.ts';

type Err = { error: { code: string; message: string; details?: { unbumped?: { ciId: number }[] } } };

const world = useTestWorld();
const db = () => world.t.database.db;
const startedAt = new Date(Date.now() - 60_000).toISOString();

let manager: Client;
let appClassId: number;

/** A change ticket (the change module's own API is not needed here) with its affected CIs in change_cis. */
async function makeChange(ciIds: number[], orgId = world.w.custA.id): Promise<number> {
  const { row } = await createTicket(
    db(),
    systemActor(),
    { type: 'change', title: `变更 ${uniq('')}`, description: '', orgId, impact: 3, urgency: 3, major: false, customFields: {} },
    undefined,
    { workflowKey: 'change.normal' },
  );
  if (ciIds.length) await db().insert(changeCis).values(ciIds.map((ciId) => ({ ticketId: row.t.id, ciId })));
  return row.t.id;
}

async function makeCi(orgId = world.w.custA.id): Promise<Ci> {
  const res = await manager.post('/api/cis', { classId: appClassId, orgId, name: `应用-${uniq('')}` });
  expect(res.statusCode, res.body).toBe(201);
  return json<Ci>(res);
}

/** A new CI version naming the change: what a change implementer does when updating the CMDB. */
async function bump(ci: Ci, changeId: number): Promise<Ci> {
  const cur = json<Ci>(await manager.get(`/api/cis/${ci.id}`));
  const res = await manager.patch(`/api/cis/${ci.id}`, { version: cur.version, location: `机房-${uniq('')}`, changeTicketId: changeId });
  expect(res.statusCode, res.body).toBe(200);
  return json<Ci>(res);
}

const base = () => ({
  title: `发布 ${uniq('')}`,
  orgId: world.w.custA.id,
  versionLabel: 'v2.3.0',
  releasePlan: '# 发布计划\n1. 构建\n2. 测试\n3. 生产部署',
  rollbackPlan: '回滚到 v2.2.9 镜像并恢复数据库快照',
});

async function create(who: Client, body: Record<string, unknown>): Promise<Release> {
  const res = await who.post('/api/releases', { ...base(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<Release>(res);
}

async function get(id: number, who: Client = manager): Promise<Release> {
  const res = await who.get(`/api/releases/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return json<Release>(res);
}

async function act(id: number, action: string, extra: Record<string, unknown> = {}) {
  const cur = await get(id);
  return manager.post(`/api/tickets/${id}/transitions`, { action, version: cur.ticket.version, ...extra });
}

async function step(id: number, action: string, extra: Record<string, unknown> = {}): Promise<Ticket> {
  const res = await act(id, action, extra);
  expect(res.statusCode, res.body).toBe(200);
  return json<Ticket>(res);
}

const failedAudits = async (action: string, code: string) =>
  (
    await db()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.result, 'failed'), sql`${auditLog.details}->>'code' = ${code}`))
  )[0]?.n ?? 0;

beforeAll(async () => {
  manager = await world.w.as('manager');
  const admin = await world.w.as('sysadmin');
  const cls = await admin.post('/api/ci-classes', { key: uniq('t_rls'), name: `测试应用-${uniq('')}`, attributes: [] });
  expect(cls.statusCode, cls.body).toBe(201);
  appClassId = json<{ id: number }>(cls).id;
});

describe('releases', () => {
  it('creates a release ticket on the release workflow with its details and changes, in one transaction', async () => {
    const chg = await makeChange([]);
    const r = await create(manager, { changeIds: [chg], plannedReleaseAt: '2026-12-20T14:00:00+08:00', description: '季度版本' });
    expect(r.ticket.type).toBe('release');
    expect(r.ticket.number).toMatch(/^RLS\d{6}$/);
    expect(r.ticket.state).toBe('planning');
    expect(r.ticket.workflow.workflowKey).toBe('release');
    expect(r.details).toMatchObject({ versionLabel: 'v2.3.0', plannedReleaseAt: '2026-12-20T06:00:00.000Z', cmdbConfirmed: false, rollbackOutcome: null });
    expect(r.details.rollbackPlan).toContain('v2.2.9');
    expect(r.changes.map((c) => c.changeId)).toEqual([chg]);
    expect(r.changes[0]).toMatchObject({ state: 'draft', stateCategory: 'open', stateLabel: { 'zh-CN': '草稿', 'en-US': 'Draft' } });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'release.create'), eq(auditLog.objectId, String(r.ticket.id))));
    expect(audits).toHaveLength(1);

    const list = json<ReleasePage>(await manager.get(`/api/releases?q=${encodeURIComponent(r.ticket.title)}`));
    expect(list.items.map((i) => i.id)).toEqual([r.ticket.id]);
    expect(list.items[0]).toMatchObject({ versionLabel: 'v2.3.0', changeCount: 1, cmdbConfirmed: false });
  });

  it('answers a retried create with the same Idempotency-Key with the first release, and refuses the key for another release', async () => {
    const body = { ...base(), plannedReleaseAt: '2026-12-21T02:00:00Z' };
    const key = uniq('idem-');
    const first = await manager.post('/api/releases', body, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    const again = await manager.post('/api/releases', body, { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(json<Release>(again).ticket.id).toBe(json<Release>(first).ticket.id);
    const other = await manager.post('/api/releases', { ...body, versionLabel: 'v9.9.9' }, { 'idempotency-key': key });
    expect(json<Err>(other).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await db().select({ n: count() }).from(tickets).where(eq(tickets.title, body.title)))[0]?.n).toBe(1);
  });

  it('refuses a release without a rollback plan, writing nothing but the audited refusal', async () => {
    const title = `无回退 ${uniq('')}`;
    const before = await failedAudits('release.create', 'RELEASE_ROLLBACK_PLAN_REQUIRED');
    const res = await manager.post('/api/releases', { ...base(), title, rollbackPlan: '   ' });
    expect(res.statusCode).toBe(422);
    expect(json<Err>(res).error.code).toBe('RELEASE_ROLLBACK_PLAN_REQUIRED');
    const missing = await manager.post('/api/releases', { ...base(), title, rollbackPlan: undefined });
    expect(json<Err>(missing).error.code).toBe('RELEASE_ROLLBACK_PLAN_REQUIRED');
    expect((await db().select({ n: count() }).from(tickets).where(eq(tickets.title, title)))[0]?.n).toBe(0);
    expect(await failedAudits('release.create', 'RELEASE_ROLLBACK_PLAN_REQUIRED')).toBe(before + 2);

    // Nor can it be blanked afterwards.
    const r = await create(manager, {});
    const blank = await manager.patch(`/api/releases/${r.ticket.id}`, { version: r.details.version, rollbackPlan: '' });
    expect(json<Err>(blank).error.code).toBe('RELEASE_ROLLBACK_PLAN_REQUIRED');
  });

  it('rolls the ticket back too when a linked change is refused at creation', async () => {
    const title = `坏变更 ${uniq('')}`;
    const incident = await createTicket(db(), systemActor(), { type: 'incident', title: '事件', description: '', orgId: world.w.custA.id, impact: 3, urgency: 3, major: false, customFields: {} });
    const res = await manager.post('/api/releases', { ...base(), title, changeIds: [incident.row.t.id] });
    expect(res.statusCode).toBe(422);
    expect(json<Err>(res).error.code).toBe('RELEASE_CHANGE_NOT_CHANGE');
    expect((await db().select({ n: count() }).from(tickets).where(eq(tickets.title, title)))[0]?.n).toBe(0);
  });

  it('links only change tickets, each in at most one open release', async () => {
    const chg = await makeChange([]);
    const a = await create(manager, { changeIds: [chg] });
    const b = await create(manager, {});
    const incident = await createTicket(db(), systemActor(), { type: 'incident', title: '事件', description: '', orgId: world.w.custA.id, impact: 3, urgency: 3, major: false, customFields: {} });

    const notChange = await manager.post(`/api/releases/${b.ticket.id}/changes`, { changeIds: [incident.row.t.id] });
    expect(notChange.statusCode).toBe(422);
    expect(json<Err>(notChange).error.code).toBe('RELEASE_CHANGE_NOT_CHANGE');
    expect(json<Err>(notChange).error.message).toContain(incident.row.t.number);

    const taken = await manager.post(`/api/releases/${b.ticket.id}/changes`, { changeIds: [chg] });
    expect(taken.statusCode).toBe(409);
    expect(json<Err>(taken).error.code).toBe('RELEASE_CHANGE_IN_OTHER_RELEASE');
    expect(json<Err>(taken).error.message).toContain(a.ticket.number);
    expect(await failedAudits('release.link_changes', 'RELEASE_CHANGE_IN_OTHER_RELEASE')).toBeGreaterThan(0);

    const foreign = await makeChange([], world.w.custB.id);
    const cross = await manager.post(`/api/releases/${b.ticket.id}/changes`, { changeIds: [foreign] });
    expect(json<Err>(cross).error.code).toBe('REFERENCE_INVALID');

    // Concurrent links of one change to two releases: exactly one wins.
    const free = await makeChange([]);
    const c = await create(manager, {});
    const results = await Promise.all([b, c].map((r) => manager.post(`/api/releases/${r.ticket.id}/changes`, { changeIds: [free] })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await db().select({ n: count() }).from(releaseChanges).where(eq(releaseChanges.changeId, free)))[0]?.n).toBe(1);

    // Once the first release has ended, the change can go into another one.
    await step(a.ticket.id, 'cancel', { comment: '并入下个版本' });
    const moved = await manager.post(`/api/releases/${b.ticket.id}/changes`, { changeIds: [chg] });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(json<Release>(moved).changes.map((x) => x.changeId)).toContain(chg);

    const unlink = await manager.del(`/api/releases/${b.ticket.id}/changes/${chg}`);
    expect(unlink.statusCode).toBe(200);
    expect(json<Release>(unlink).changes.map((x) => x.changeId)).not.toContain(chg);
    expect((await manager.del(`/api/releases/${b.ticket.id}/changes/${chg}`)).statusCode).toBe(404);

    // An ended release takes no more writes.
    const closed = await manager.post(`/api/releases/${a.ticket.id}/records`, { kind: 'build', name: 'x', result: 'pass' });
    expect(closed.statusCode).toBe(409);
    expect(json<Err>(closed).error.code).toBe('RELEASE_CLOSED');
  });

  it('refuses a deployment result or finish without a start, and a finish before the start', async () => {
    const r = await create(manager, {});
    const id = r.ticket.id;
    const noStart = await manager.post(`/api/releases/${id}/deployments`, { environment: 'prod', result: 'success' });
    expect(noStart.statusCode).toBe(422);
    expect(json<Err>(noStart).error.code).toBe('RELEASE_DEPLOYMENT_NOT_STARTED');
    const finishOnly = await manager.post(`/api/releases/${id}/deployments`, { environment: 'prod', finishedAt: '2026-12-20T07:00:00Z' });
    expect(json<Err>(finishOnly).error.code).toBe('RELEASE_DEPLOYMENT_NOT_STARTED');
    const backwards = await manager.post(`/api/releases/${id}/deployments`, { environment: 'prod', startedAt: '2026-12-20T07:00:00Z', finishedAt: '2026-12-20T06:00:00Z' });
    expect(json<Err>(backwards).error.code).toBe('RELEASE_DEPLOYMENT_TIMES_INVALID');
    expect((await db().select({ n: count() }).from(releaseDeployments).where(eq(releaseDeployments.releaseId, id)))[0]?.n).toBe(0);

    const planned = await manager.post(`/api/releases/${id}/deployments`, { environment: 'staging', plannedAt: '2026-12-19T12:00:00Z' });
    expect(planned.statusCode, planned.body).toBe(201);
    const d = json<ReleaseDeployment>(planned);
    const early = await manager.patch(`/api/releases/${id}/deployments/${d.id}`, { version: d.version, result: 'failed' });
    expect(json<Err>(early).error.code).toBe('RELEASE_DEPLOYMENT_NOT_STARTED');
    expect(await failedAudits('release.deployment.update', 'RELEASE_DEPLOYMENT_NOT_STARTED')).toBeGreaterThan(0);
    const started = await manager.patch(`/api/releases/${id}/deployments/${d.id}`, { version: d.version, startedAt: '2026-12-19T12:05:00Z' });
    expect(started.statusCode, started.body).toBe(200);
    const s = json<ReleaseDeployment>(started);
    const stale = await manager.patch(`/api/releases/${id}/deployments/${d.id}`, { version: d.version, notes: 'x' });
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    const done = await manager.patch(`/api/releases/${id}/deployments/${d.id}`, { version: s.version, result: 'success' });
    expect(done.statusCode, done.body).toBe(200);
    expect(json<ReleaseDeployment>(done)).toMatchObject({ environment: 'staging', result: 'success' });
    expect(json<ReleaseDeployment>(done).finishedAt).not.toBeNull();
  });

  it('keeps releases in tenant scope and writes to release managers', async () => {
    const r = await create(manager, {});
    const custA = await world.w.as('customerA');
    const custB = await world.w.as('customerB');
    const outsider = await world.w.as('outsider');
    expect((await custA.get(`/api/releases/${r.ticket.id}`)).statusCode).toBe(200);
    expect((await custB.get(`/api/releases/${r.ticket.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/releases/${r.ticket.id}`)).statusCode).toBe(404);
    expect(json<ReleasePage>(await custB.get('/api/releases?pageSize=200')).items.map((i) => i.id)).not.toContain(r.ticket.id);
    const write = await custA.post(`/api/releases/${r.ticket.id}/records`, { kind: 'test', name: 'x', result: 'pass' });
    expect(write.statusCode).toBe(403);
    expect((await custA.post('/api/releases', base())).statusCode).toBe(403);
    // An engineer manages releases of the organisations their groups serve, not others.
    const eng = await world.w.as('engineer');
    expect((await eng.post('/api/releases', { ...base(), orgId: world.w.custB.id })).statusCode).toBe(422);
    expect((await outsider.post(`/api/releases/${r.ticket.id}/records`, { kind: 'test', name: 'x', result: 'pass' })).statusCode).toBe(404);
    // An incident is not a release.
    const inc = await createTicket(db(), systemActor(), { type: 'incident', title: '事件', description: '', orgId: world.w.custA.id, impact: 3, urgency: 3, major: false, customFields: {} });
    expect((await manager.get(`/api/releases/${inc.row.t.id}`)).statusCode).toBe(404);
  });

  it('runs planning -> building -> testing -> deploying -> completed only once the CMDB is confirmed', async () => {
    const [ci1, ci2, ci3] = [await makeCi(), await makeCi(), await makeCi()];
    const chg1 = await makeChange([ci1.id, ci2.id]);
    const chg2 = await makeChange([ci3.id]);
    const r = await create(manager, { changeIds: [chg1, chg2], plannedReleaseAt: new Date(Date.now() + 86_400_000).toISOString() });
    const id = r.ticket.id;

    expect((await step(id, 'build')).state).toBe('building');
    const rec = await manager.post(`/api/releases/${id}/records`, { kind: 'build', name: 'CI #1024', result: 'pass', link: 'https://ci.example.com/1024' });
    expect(rec.statusCode, rec.body).toBe(201);
    expect((await step(id, 'test')).state).toBe('testing');
    await manager.post(`/api/releases/${id}/records`, { kind: 'test', name: '回归测试', result: 'fail', notes: '2 个用例失败' });
    await manager.post(`/api/releases/${id}/records`, { kind: 'test', name: '回归测试（重跑）', result: 'pass' });
    expect((await step(id, 'deploy')).state).toBe('deploying');
    const now = Date.now();
    const dev = await manager.post(`/api/releases/${id}/deployments`, { environment: 'dev', startedAt: new Date(now - 7_200_000).toISOString(), result: 'success' });
    expect(dev.statusCode, dev.body).toBe(201);
    const prod = await manager.post(`/api/releases/${id}/deployments`, {
      environment: 'prod',
      plannedAt: new Date(now - 3_600_000).toISOString(),
      startedAt: new Date(now - 3_000_000).toISOString(),
      finishedAt: new Date(now - 1_000_000).toISOString(),
      result: 'success',
    });
    expect(prod.statusCode, prod.body).toBe(201);

    // Not confirmed: the workflow check refuses to complete.
    const early = await act(id, 'complete');
    expect(early.statusCode).toBe(422);
    expect(json<Err>(early).error.code).toBe('RELEASE_CMDB_NOT_CONFIRMED');

    // No CI bumped yet: the confirmation lists all three.
    let view = await get(id);
    expect(view.cmdbCheck.cis).toHaveLength(3);
    expect(view.cmdbCheck.unbumped.map((c) => c.ciId).sort()).toEqual([ci1.id, ci2.id, ci3.id].sort());
    const refused = await manager.post(`/api/releases/${id}/cmdb-confirmation`, {});
    expect(refused.statusCode).toBe(422);
    expect(json<Err>(refused).error.code).toBe('RELEASE_CMDB_CIS_NOT_BUMPED');
    expect(json<Err>(refused).error.details?.unbumped).toHaveLength(3);

    // A CI version naming another change does not count; one naming its own change does.
    await bump(ci1, chg2);
    await bump(ci1, chg1);
    await bump(ci3, chg2);
    view = await get(id);
    expect(view.cmdbCheck.unbumped.map((c) => c.ciId)).toEqual([ci2.id]);
    const bumped1 = view.cmdbCheck.cis.find((c) => c.ciId === ci1.id && c.changeId === chg1);
    expect(bumped1?.bumped).toBe(true);
    expect(bumped1?.ciVersion).toBe(3);
    const stillRefused = await manager.post(`/api/releases/${id}/cmdb-confirmation`, { note: '已核对' });
    expect(json<Err>(stillRefused).error.code).toBe('RELEASE_CMDB_CIS_NOT_BUMPED');
    expect(json<Err>(stillRefused).error.message).toContain('1');

    await bump(ci2, chg1);
    const ok = await manager.post(`/api/releases/${id}/cmdb-confirmation`, { note: '已核对 CMDB' });
    expect(ok.statusCode, ok.body).toBe(200);
    const confirmed = json<Release>(ok);
    expect(confirmed.details).toMatchObject({ cmdbConfirmed: true, cmdbNote: '已核对 CMDB', cmdbUnbumpedAtConfirmation: [] });
    expect(confirmed.details.cmdbConfirmedBy).toBe(world.w.users.manager.id);

    const done = await step(id, 'complete');
    expect(done.state).toBe('completed');
    expect(done.stateCategory).toBe('resolved');
    expect((await step(id, 'close')).state).toBe('closed');
    const final = await get(id);
    expect(final.records.map((x) => `${x.kind}:${x.result}`)).toEqual(['build:pass', 'test:fail', 'test:pass']);
    expect(final.deployments.map((x) => x.environment)).toEqual(['dev', 'prod']);
    const audits = await db().select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.objectType, 'release'), eq(auditLog.objectId, String(id)), eq(auditLog.result, 'success')));
    expect(new Set(audits.map((a) => a.action))).toEqual(new Set(['release.create', 'release.record', 'release.deployment.create', 'release.cmdb_confirm']));
  });

  it('confirms with an override note when CIs were not bumped, and a changed change set clears the confirmation', async () => {
    const ci = await makeCi();
    const chg = await makeChange([ci.id]);
    const r = await create(manager, {});
    const none = await manager.post(`/api/releases/${r.ticket.id}/cmdb-confirmation`, {});
    expect(json<Err>(none).error.code).toBe('RELEASE_NO_CHANGES');
    await manager.post(`/api/releases/${r.ticket.id}/changes`, { changeIds: [chg] });
    const res = await manager.post(`/api/releases/${r.ticket.id}/cmdb-confirmation`, { overrideNote: '该应用配置由自动发现同步，下次扫描更新' });
    expect(res.statusCode, res.body).toBe(200);
    const v = json<Release>(res);
    expect(v.details.cmdbConfirmed).toBe(true);
    expect(v.details.cmdbNote).toContain('自动发现');
    expect(v.details.cmdbUnbumpedAtConfirmation.map((c) => c.ciId)).toEqual([ci.id]);

    const other = await makeChange([]);
    const linked = json<Release>(await manager.post(`/api/releases/${r.ticket.id}/changes`, { changeIds: [other] }));
    expect(linked.details.cmdbConfirmed).toBe(false);
    expect((await db().select().from(releaseDetails).where(eq(releaseDetails.ticketId, r.ticket.id)))[0]?.cmdbConfirmedAt).toBeNull();
  });

  it('rolls a release back and records the rollback outcome', async () => {
    const r = await create(manager, { plannedReleaseAt: new Date(Date.now() + 86_400_000).toISOString() });
    const id = r.ticket.id;
    await step(id, 'build');
    await step(id, 'test');
    await step(id, 'deploy');
    const dep = json<ReleaseDeployment>(
      await manager.post(`/api/releases/${id}/deployments`, { environment: 'prod', startedAt: new Date(Date.now() - 600_000).toISOString() }),
    );
    const rolled = await manager.patch(`/api/releases/${id}/deployments/${dep.id}`, { version: dep.version, result: 'rolled_back', notes: '支付接口超时' });
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect((await step(id, 'roll_back', { comment: '生产验证失败，执行回退' })).state).toBe('rolled_back');
    const cur = await get(id);
    const outcome = await manager.patch(`/api/releases/${id}`, { version: cur.details.version, rollbackOutcome: '已回退到 v2.2.9，业务恢复正常，耗时 12 分钟' });
    expect(outcome.statusCode, outcome.body).toBe(200);
    expect(json<Release>(outcome).details.rollbackOutcome).toContain('v2.2.9');
    const stale = await manager.patch(`/api/releases/${id}`, { version: cur.details.version, rollbackOutcome: 'x' });
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    expect((await step(id, 'close')).state).toBe('closed');
  });

  it('reports success, on-time and rollback rates over releases that finished in the window', async () => {
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await manager.get(`/api/releases/reports?from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(to)}&orgId=${world.w.custA.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const rep = json<ReleaseReport>(res);
    // The completed release of the full path and the rolled-back one.
    expect(rep).toMatchObject({ finished: 2, completed: 1, rolledBack: 1, successRate: 0.5, rollbackRate: 0.5, withPlannedDate: 2, onTime: 1, onTimeRate: 0.5 });
    expect(rep.deployments).toMatchObject({ total: 3, success: 2, rolledBack: 1, failed: 0 });
    // Customers of another organisation see nothing of it.
    const b = json<ReleaseReport>(await (await world.w.as('customerB')).get(`/api/releases/reports?from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(to)}`));
    expect(b.finished).toBe(0);
    const bad = await manager.get(`/api/releases/reports?from=${encodeURIComponent(to)}&to=${encodeURIComponent(startedAt)}`);
    expect(bad.statusCode).toBe(400);
  });
});
