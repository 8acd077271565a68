import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ci, CiClass, CiRelationType, CmdbAuditReport, CmdbAuditRule, CmdbAuditRun, CmdbAuditSchedule, CmdbAuditViolation } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { rows } from '../../platform/db/db.ts';
import { ensureBuiltinClasses } from './builtin-classes.ts';
import { ensureBuiltinRelationTypes } from './builtin-relation-types.ts';
import { accuracyPct, nextSlot, normaliseParams, scheduleProblem } from './cmdb-audit-rules.ts';
import { ensureAuditDefaults, sweepAudits } from './cmdb-audits.service.ts';
import { pruneViolations } from './cmdb-audits.queries.ts';
import { cmdbAuditRules, cmdbAuditRuns } from './cmdb-audits.tables.ts';
import { ciItems } from './cmdb.tables.ts';

type Err = { error: { code: string } };

const world = useTestWorld();
const db = () => world.t.database.db;

let classes: Map<string, CiClass>;
let types: Map<string, CiRelationType>;
let parent: CiClass;
let child: CiClass;

async function ci(classKey: string, name: string, more: Record<string, unknown> = {}, orgId?: number): Promise<Ci> {
  const c = classes.get(classKey) ?? (classKey === parent.key ? parent : classKey === child.key ? child : undefined);
  const res = await (await world.w.as('agent')).post('/api/cis', { classId: c?.id, orgId: orgId ?? world.w.custA.id, name, ...more });
  expect(res.statusCode, res.body).toBe(201);
  return json<Ci>(res);
}

async function relate(type: string, from: Ci, to: Ci) {
  const res = await (await world.w.as('agent')).post('/api/ci-relations', { typeId: types.get(type)?.id, fromCiId: from.id, toCiId: to.id });
  expect(res.statusCode, res.body).toBe(201);
}

async function rule(body: Record<string, unknown>): Promise<CmdbAuditRule> {
  const res = await (await world.w.as('sysadmin')).post('/api/cmdb/audit-rules', body);
  expect(res.statusCode, res.body).toBe(201);
  return json<CmdbAuditRule>(res);
}

const ruleCount = async () => Number((await db().select({ n: count() }).from(cmdbAuditRules))[0]?.n);

// CIs of customer A (in scope of the engineer) and one of customer B.
let a1: Ci, a2: Ci, c1: Ci, c2: Ci, dup1: Ci, dup2: Ci, dup3: Ci, b1: Ci, retired: Ci, rack: Ci, rack2: Ci;
const rules: Record<string, CmdbAuditRule> = {};
let report: CmdbAuditReport;

beforeAll(async () => {
  await ensureBuiltinClasses(db());
  await ensureBuiltinRelationTypes(db());
  // Seeding twice at once (two instances booting) leaves one copy of each rule.
  await Promise.all([ensureAuditDefaults(db()), ensureAuditDefaults(db())]);
  await ensureAuditDefaults(db());
  const admin = await world.w.as('sysadmin');
  classes = new Map(json<CiClass[]>(await admin.get('/api/ci-classes')).map((c) => [c.key, c]));
  types = new Map(json<CiRelationType[]>(await admin.get('/api/ci-relation-types')).map((t) => [t.key, t]));
  const mk = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/ci-classes', body);
    expect(res.statusCode, res.body).toBe(201);
    return json<CiClass>(res);
  };
  parent = await mk({ key: uniq('t_aud'), name: '审计测试类', attributes: [{ key: 'tier', label: '层级', type: 'string' }] });
  child = await mk({ key: `${parent.key}.sub`, name: '审计测试子类', parentId: parent.id, attributes: [{ key: 'slot', label: '槽位', type: 'string' }] });
  const eng = world.w.users.engineer.id;
  const grp = world.w.group.id;
  a1 = await ci(parent.key, uniq('a1-'), { attributes: { tier: 'web' }, ownerUserId: eng });
  a2 = await ci(parent.key, uniq('a2-'));
  c1 = await ci(child.key, uniq('c1-'), { attributes: { tier: 'db' }, ownerGroupId: grp });
  c2 = await ci(child.key, uniq('c2-'));
  const dupName = uniq('Dup-');
  dup1 = await ci(parent.key, dupName, { attributes: { tier: 'x' }, ownerUserId: eng });
  dup2 = await ci(parent.key, dupName.toLowerCase(), { attributes: { tier: 'x' }, ownerUserId: eng });
  dup3 = await ci(child.key, dupName, { attributes: { tier: 'x', slot: '1' }, ownerUserId: eng });
  b1 = await ci(parent.key, dupName, { attributes: {} }, world.w.custB.id);
  retired = await ci(parent.key, dupName);
  expect((await (await world.w.as('agent')).del(`/api/cis/${retired.id}`)).statusCode).toBe(200);
  // Required attributes arrive after the CIs exist (schemas evolve): tier on the parent, slot on the child.
  const p = await admin.patch(`/api/ci-classes/${parent.id}`, { version: parent.version, attributes: [{ key: 'tier', label: '层级', type: 'string', required: true }] });
  expect(p.statusCode, p.body).toBe(200);
  const c = await admin.patch(`/api/ci-classes/${child.id}`, { version: child.version, attributes: [{ key: 'slot', label: '槽位', type: 'string', required: true }] });
  expect(c.statusCode, c.body).toBe(200);
  // A service depends on a1, a1 on c1 (indirect); a2 depends on the service (the wrong way round).
  const bs = await ci('business_service', uniq('网银-'));
  await relate('depends_on', bs, a1);
  await relate('depends_on', a1, c1);
  await relate('depends_on', a2, bs);
  // contains runs from the container: the service depends on a server, the rack holding it is reached.
  const phys = await ci('server.physical', uniq('pm-'));
  rack = await ci('rack', uniq('rack-'), { attributes: { room_code: 'A1', rack_no: '01' } });
  rack2 = await ci('rack', uniq('rack-'), { attributes: { room_code: 'A1', rack_no: '02' } });
  await relate('depends_on', bs, phys);
  await relate('contains', rack, phys);
  // a1 has not been touched for 400 days.
  await db()
    .update(ciItems)
    .set({ updatedAt: new Date(Date.now() - 400 * 86_400_000) })
    .where(eq(ciItems.id, a1.id));
  rules.req = await rule({ name: '必填', kind: 'required_missing', classKey: parent.key });
  rules.owner = await rule({ name: '负责人', kind: 'no_owner', classKey: parent.key });
  rules.svc = await rule({ name: '服务', kind: 'no_service_relation', classKey: parent.key });
  rules.rack = await rule({ name: '机柜', kind: 'no_service_relation', classKey: 'rack' });
  rules.stale = await rule({ name: '陈旧', kind: 'stale', classKey: parent.key, params: { days: 100 } });
  rules.dup = await rule({ name: '重名', kind: 'duplicate_identifier', classKey: parent.key, params: { identifier: 'name' } });
  rules.dupAll = await rule({ name: '重名跨类', kind: 'duplicate_identifier', classKey: parent.key, params: { identifier: 'name', sameClass: false } });
  const run = await (await world.w.as('engineer')).post('/api/cmdb/audit-runs');
  expect(run.statusCode, run.body).toBe(201);
  report = json<CmdbAuditReport>(run);
});

async function violations(ruleId: number, who: 'engineer' | 'agent' = 'engineer'): Promise<CmdbAuditViolation[]> {
  const res = await (await world.w.as(who)).get(`/api/cmdb/audit-runs/${report.run.id}/violations?ruleId=${ruleId}&pageSize=200`);
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: CmdbAuditViolation[] }>(res).items;
}
const ids = (list: { ciId: number }[]) => list.map((v) => v.ciId).sort((x, y) => x - y);
const sorted = (...cis: Ci[]) => cis.map((c) => c.id).sort((x, y) => x - y);

describe('audit rules', () => {
  it('seeds the built-in rules once', async () => {
    const builtin = await db().select({ key: cmdbAuditRules.key }).from(cmdbAuditRules).where(eq(cmdbAuditRules.builtin, true));
    expect(builtin.map((r) => r.key).sort()).toEqual(['application_no_service', 'duplicate_name', 'no_owner', 'required_attributes', 'server_no_service', 'stale_180_days']);
  });

  it('refuses unknown classes, bad params and callers without cmdb.class.manage, saving nothing', async () => {
    const admin = await world.w.as('sysadmin');
    const before = await ruleCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', kind: 'no_owner', classKey: 'no_such_class' }, 'CMDB_CLASS_KEY_UNKNOWN'],
      [{ name: 'x', kind: 'stale' }, 'CMDB_AUDIT_RULE_INVALID'],
      [{ name: 'x', kind: 'duplicate_identifier', params: { identifier: 'colour' } }, 'CMDB_AUDIT_RULE_INVALID'],
      [{ name: 'x', kind: 'duplicate_identifier', classKey: parent.key, params: { identifier: 'attr.nope' } }, 'CMDB_AUDIT_RULE_INVALID'],
      [{ name: 'x', kind: 'no_owner', params: { days: 3 } }, 'CMDB_AUDIT_RULE_INVALID'],
      [{ name: 'x', kind: 'stale', params: { days: 0 } }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const res = await admin.post('/api/cmdb/audit-rules', body);
      expect(res.statusCode, res.body).toBe(code === 'VALIDATION_FAILED' ? 400 : 422);
      expect(json<Err>(res).error.code).toBe(code);
    }
    expect((await (await world.w.as('engineer')).post('/api/cmdb/audit-rules', { name: 'x', kind: 'no_owner' })).statusCode).toBe(403);
    expect(await ruleCount()).toBe(before);
    // An attribute identifier the class has is fine; editing is versioned and audited; built-ins cannot be deleted.
    const ok = await rule({ name: 'tier 重复', kind: 'duplicate_identifier', classKey: parent.key, params: { identifier: 'attr.tier' }, enabled: false });
    const edit = await admin.patch(`/api/cmdb/audit-rules/${ok.id}`, { version: 1, enabled: true, name: 'tier 重复（启用）' });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(json<CmdbAuditRule>(edit)).toMatchObject({ enabled: true, version: 2, params: { identifier: 'attr.tier', sameClass: true } });
    expect(json<Err>(await admin.patch(`/api/cmdb/audit-rules/${ok.id}`, { version: 1, enabled: false })).error.code).toBe('VERSION_CONFLICT');
    expect((await admin.del(`/api/cmdb/audit-rules/${ok.id}`)).statusCode).toBe(200);
    const builtin = json<CmdbAuditRule[]>(await admin.get('/api/cmdb/audit-rules')).find((r) => r.key === 'no_owner');
    const del = await admin.del(`/api/cmdb/audit-rules/${builtin?.id}`);
    expect(del.statusCode).toBe(409);
    expect(json<Err>(del).error.code).toBe('CMDB_AUDIT_RULE_BUILTIN');
    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'cmdb_audit_rule'), eq(auditLog.objectId, String(ok.id))));
    expect(audited.map((r) => r.action).sort()).toEqual(['cmdb.audit_rule.create', 'cmdb.audit_rule.delete', 'cmdb.audit_rule.update']);
  });

  it('normalises params per kind', () => {
    expect(normaliseParams('duplicate_identifier', { identifier: 'hostname' })).toEqual({ params: { identifier: 'hostname', sameClass: true } });
    expect(normaliseParams('stale', { days: 30, identifier: 'name' })).toEqual({ params: { days: 30 } });
    expect('problem' in normaliseParams('no_owner', { sameClass: true })).toBe(true);
  });
});

describe('audit runs', () => {
  it('required_missing finds blank required attributes, inherited ones included', async () => {
    const list = await violations(rules.req?.id ?? 0);
    expect(ids(list)).toEqual(sorted(a2, c1, c2));
    expect(list.find((v) => v.ciId === c2.id)?.detail).toEqual({ missing: ['slot', 'tier'] });
    expect(list.find((v) => v.ciId === c1.id)?.detail).toEqual({ missing: ['slot'] });
  });

  it('no_owner finds CIs with neither an owner user nor an owner group', async () => {
    expect(ids(await violations(rules.owner?.id ?? 0))).toEqual(sorted(a2, c2));
  });

  it('no_service_relation follows dependencies from the services, in both relation directions', async () => {
    expect(ids(await violations(rules.svc?.id ?? 0))).toEqual(sorted(a2, c2, dup1, dup2, dup3));
    expect(ids(await violations(rules.rack?.id ?? 0))).toEqual(sorted(rack2));
  });

  it('stale finds CIs not updated within the days', async () => {
    const list = await violations(rules.stale?.id ?? 0);
    expect(ids(list)).toEqual(sorted(a1));
    expect(list[0]?.detail.days).toBe(100);
  });

  it('duplicate_identifier compares trimmed, case-insensitive values per organisation (and class)', async () => {
    const same = await violations(rules.dup?.id ?? 0);
    expect(ids(same)).toEqual(sorted(dup1, dup2));
    expect(same[0]?.detail).toMatchObject({ identifier: 'name', count: 2 });
    expect(ids(await violations(rules.dupAll?.id ?? 0))).toEqual(sorted(dup1, dup2, dup3));
  });

  it('leaves out retired CIs and organisations outside the run', async () => {
    const all = await rows<{ ci_id: number; org_id: number }>(db(), sql`SELECT ci_id::int AS ci_id, org_id::int AS org_id FROM cmdb_audit_violations WHERE run_id = ${report.run.id}`);
    expect(all.some((v) => v.ci_id === retired.id || v.ci_id === b1.id)).toBe(false);
    expect(new Set(all.map((v) => v.org_id))).toEqual(new Set([world.w.custA.id]));
    expect(report.run.orgIds).toEqual([world.w.custA.id]);
    expect(report.run.trigger).toBe('manual');
  });

  it('computes 配置准确率 from CIs checked and CIs with any violation, per class and per owner', async () => {
    const [checked] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM ci_items WHERE org_id = ${world.w.custA.id} AND status <> 'retired'`);
    const [bad] = await rows<{ n: number }>(db(), sql`SELECT count(DISTINCT ci_id)::int AS n FROM cmdb_audit_violations WHERE run_id = ${report.run.id}`);
    const n = Number(checked?.n);
    const v = Number(bad?.n);
    expect(report.run.cisChecked).toBe(n);
    expect(report.run.cisWithViolations).toBe(v);
    expect(report.run.accuracyPct).toBe(Math.round(((n - v) / n) * 10_000) / 100);
    expect(report.run.accuracyPct).toBeLessThan(100);
    // Parent class: a1, a2, dup1, dup2 (the retired one is not checked); every one has some violation.
    const p = report.byClass.find((c) => c.classKey === parent.key);
    expect(p).toMatchObject({ cisChecked: 4, cisWithViolations: 4, accuracyPct: 0 });
    const engineer = report.byOwner.find((o) => o.ownerKind === 'user' && o.ownerId === world.w.users.engineer.id);
    expect(engineer?.cisChecked).toBe(4); // a1, dup1, dup2, dup3
    expect(report.byOwner.find((o) => o.ownerKind === 'group' && o.ownerId === world.w.group.id)?.cisChecked).toBe(1);
    expect(report.byRule.find((r) => r.ruleId === rules.dupAll?.id)?.violations).toBe(3);
    expect(accuracyPct(3, 1)).toBe(66.67);
    expect(accuracyPct(0, 0)).toBeNull();
    expect(accuracyPct(200, 0)).toBe(100);
  });

  it('scopes reports: other engineers do not see the run, customers have no cmdb.audit', async () => {
    const outsider = await world.w.as('outsider');
    expect((await outsider.get(`/api/cmdb/audit-runs/${report.run.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/cmdb/audit-runs/${report.run.id}/violations`)).statusCode).toBe(404);
    const list = json<{ items: CmdbAuditRun[] }>(await outsider.get('/api/cmdb/audit-runs'));
    expect(list.items.some((r) => r.id === report.run.id)).toBe(false);
    const customer = await world.w.as('customerA');
    expect((await customer.post('/api/cmdb/audit-runs')).statusCode).toBe(403);
    expect((await customer.get('/api/cmdb/audit-runs/latest')).statusCode).toBe(403);
    // The agent sees every organisation and gets the same report; the latest run is there.
    const agentView = json<CmdbAuditReport>(await (await world.w.as('agent')).get(`/api/cmdb/audit-runs/${report.run.id}`));
    expect(agentView.run.cisChecked).toBe(report.run.cisChecked);
    const latest = json<{ report: CmdbAuditReport | null }>(await (await world.w.as('engineer')).get('/api/cmdb/audit-runs/latest'));
    expect(latest.report?.run.id).toBeGreaterThanOrEqual(report.run.id);
    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'cmdb_audit_run'), eq(auditLog.objectId, String(report.run.id))));
    expect(audited.map((r) => r.action)).toEqual(['cmdb.audit.run']);
  });
});

describe('audit schedule', () => {
  it('computes slots in Asia/Shanghai', () => {
    // 2026-11-24 01:00 in Shanghai: today's 02:00 is next; after 02:00 it is tomorrow's.
    expect(nextSlot({ mode: 'daily', time: '02:00', weekday: null }, new Date('2026-11-23T17:00:00Z'))?.toISOString()).toBe('2026-11-23T18:00:00.000Z');
    expect(nextSlot({ mode: 'daily', time: '02:00', weekday: null }, new Date('2026-11-23T18:00:00Z'))?.toISOString()).toBe('2026-11-24T18:00:00.000Z');
    // Tuesday 2026-11-24 in Shanghai: the next Monday 09:30 is 2026-11-30.
    expect(nextSlot({ mode: 'weekly', time: '09:30', weekday: 1 }, new Date('2026-11-24T03:00:00Z'))?.toISOString()).toBe('2026-11-30T01:30:00.000Z');
    expect(nextSlot({ mode: 'off', time: '02:00', weekday: null }, new Date())).toBeNull();
    expect(scheduleProblem({ mode: 'weekly', time: '09:30', weekday: null })).not.toBeNull();
    expect(scheduleProblem({ mode: 'daily', time: '7:30', weekday: null })).not.toBeNull();
  });

  it('refuses a bad schedule and saves nothing', async () => {
    const admin = await world.w.as('sysadmin');
    const before = json<CmdbAuditSchedule>(await admin.get('/api/cmdb/audit-schedule'));
    for (const body of [
      { mode: 'weekly', time: '09:30' },
      { mode: 'weekly', time: '09:30', weekday: 8 },
      { mode: 'daily', time: '24:10' },
      { mode: 'daily', time: 'noon' },
    ]) {
      const res = await admin.put('/api/cmdb/audit-schedule', { version: before.version, ...body });
      expect(res.statusCode, res.body).toBe(422);
      expect(json<Err>(res).error.code).toBe('CMDB_AUDIT_SCHEDULE_INVALID');
    }
    expect(json<CmdbAuditSchedule>(await admin.get('/api/cmdb/audit-schedule'))).toEqual(before);
    expect((await (await world.w.as('engineer')).put('/api/cmdb/audit-schedule', { version: before.version, mode: 'off' })).statusCode).toBe(403);
  });

  it('runs once per due slot, over every organisation, even with two sweeps at once', async () => {
    const admin = await world.w.as('sysadmin');
    const s0 = json<CmdbAuditSchedule>(await admin.get('/api/cmdb/audit-schedule'));
    const put = await admin.put('/api/cmdb/audit-schedule', { version: s0.version, mode: 'daily', time: '03:15' });
    expect(put.statusCode, put.body).toBe(200);
    const s1 = json<CmdbAuditSchedule>(put);
    const due = new Date(s1.nextRunAt ?? '');
    expect(due.getTime()).toBeGreaterThan(Date.now());
    expect(await sweepAudits(db(), new Date(due.getTime() - 1000))).toBe(0);
    const at = new Date(due.getTime() + 60_000);
    const results = await Promise.all([sweepAudits(db(), at), sweepAudits(db(), at)]);
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await sweepAudits(db(), at)).toBe(0);
    const s2 = json<CmdbAuditSchedule>(await admin.get('/api/cmdb/audit-schedule'));
    expect(new Date(s2.nextRunAt ?? '').getTime()).toBe(due.getTime() + 86_400_000);
    const [run] = await db().select().from(cmdbAuditRuns).where(eq(cmdbAuditRuns.id, s2.lastRunId ?? 0));
    expect(run).toMatchObject({ trigger: 'scheduled', orgIds: null, startedBy: null });
    // The scheduled run covers customer B too.
    const bViolations = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM cmdb_audit_violations WHERE run_id = ${run?.id} AND ci_id = ${b1.id}`);
    expect(Number(bViolations[0]?.n)).toBeGreaterThan(0);
    // The next day's slot runs again, once.
    const tomorrow = new Date(due.getTime() + 86_400_000 + 1000);
    expect(await sweepAudits(db(), tomorrow)).toBe(1);
    expect(await sweepAudits(db(), tomorrow)).toBe(0);
    const scheduledRuns = await db()
      .select({ n: count() })
      .from(cmdbAuditRuns)
      .where(and(eq(cmdbAuditRuns.trigger, 'scheduled'), inArray(cmdbAuditRuns.startedAt, [at, tomorrow])));
    expect(Number(scheduledRuns[0]?.n)).toBe(2);
    const off = await admin.put('/api/cmdb/audit-schedule', { version: s2.version, mode: 'off' });
    expect(json<CmdbAuditSchedule>(off).nextRunAt).toBeNull();
    expect(await sweepAudits(db(), new Date(tomorrow.getTime() + 2 * 86_400_000))).toBe(0);
  });

  it('keeps violation lists of the newest runs only, and the counts of all', async () => {
    await pruneViolations(db(), 1);
    const agent = await world.w.as('agent');
    const old = json<CmdbAuditReport>(await agent.get(`/api/cmdb/audit-runs/${report.run.id}`));
    expect(old.run.violationsKept).toBe(false);
    expect(old.run.cisWithViolations).toBe(report.run.cisWithViolations);
    expect(old.byClass).toEqual(report.byClass);
    expect(json<{ total: number }>(await agent.get(`/api/cmdb/audit-runs/${report.run.id}/violations`)).total).toBe(0);
    const latest = json<{ report: CmdbAuditReport }>(await agent.get('/api/cmdb/audit-runs/latest')).report;
    expect(latest.run.violationsKept).toBe(true);
    expect(json<{ total: number }>(await agent.get(`/api/cmdb/audit-runs/${latest.run.id}/violations`)).total).toBeGreaterThan(0);
  });
});
