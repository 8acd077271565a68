import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ci, CiBaseline, CiBaselineItem, CiClass, CiDriftReport } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ciBaselineItems, ciBaselines } from './cmdb-baselines.tables.ts';

type Err = { error: { code: string } };

const world = useTestWorld();
const db = () => world.t.database.db;

let parent: CiClass;
let child: CiClass;
let other: CiClass;

async function ci(cls: CiClass, name: string, more: Record<string, unknown> = {}, orgId?: number): Promise<Ci> {
  const res = await (await world.w.as('agent')).post('/api/cis', { classId: cls.id, orgId: orgId ?? world.w.custA.id, name, ...more });
  expect(res.statusCode, res.body).toBe(201);
  return json<Ci>(res);
}

const baselineCount = async (orgId: number) => Number((await db().select({ n: count() }).from(ciBaselines).where(eq(ciBaselines.orgId, orgId)))[0]?.n);

beforeAll(async () => {
  const admin = await world.w.as('sysadmin');
  const mk = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/ci-classes', body);
    expect(res.statusCode, res.body).toBe(201);
    return json<CiClass>(res);
  };
  parent = await mk({
    key: uniq('t_bl'),
    name: '基线测试类',
    attributes: [
      { key: 'version', label: '版本', type: 'string' },
      { key: 'patch', label: '补丁', type: 'string' },
    ],
  });
  child = await mk({ key: `${parent.key}.sub`, name: '基线测试子类', parentId: parent.id, attributes: [{ key: 'param', label: '参数', type: 'number' }] });
  other = await mk({ key: uniq('t_blo'), name: '其他类', attributes: [] });
});

describe('baselines', () => {
  let app: Ci, db1: Ci, db2: Ci, lone: Ci, retiredBefore: Ci;
  let baseline: CiBaseline;

  it('freezes the named CIs and the live CIs of the classes (subclasses included)', async () => {
    app = await ci(parent, uniq('billing-app-'), { attributes: { version: '3.2.1', patch: 'KB100' }, hostname: uniq('h') });
    db1 = await ci(child, uniq('billing-db1-'), { attributes: { version: '12', param: 100 } });
    db2 = await ci(child, uniq('billing-db2-'), { attributes: { version: '12', param: 100 } });
    lone = await ci(other, uniq('lb-'));
    retiredBefore = await ci(parent, uniq('old-'));
    await (await world.w.as('agent')).del(`/api/cis/${retiredBefore.id}`);
    await ci(parent, uniq('b-app-'), {}, world.w.custB.id);
    const res = await (await world.w.as('engineer')).post('/api/cmdb/baselines', {
      name: '计费系统 2026Q4 基线',
      description: '批准的版本、补丁与参数',
      orgId: world.w.custA.id,
      ciIds: [lone.id],
      classKeys: [parent.key],
    });
    expect(res.statusCode, res.body).toBe(201);
    baseline = json<CiBaseline>(res);
    expect(baseline).toMatchObject({ itemCount: 4, orgId: world.w.custA.id, classKeys: [parent.key], ciIds: [lone.id], createdBy: world.w.users.engineer.id });
    const items = json<{ items: CiBaselineItem[] }>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines/${baseline.id}/items?pageSize=50`)).items;
    expect(items.map((i) => i.ciId).sort((a, b) => a - b)).toEqual([app.id, db1.id, db2.id, lone.id].sort((a, b) => a - b));
    expect(items.find((i) => i.ciId === db1.id)).toMatchObject({ ciVersion: 1, classKey: child.key, snapshot: { attributes: { version: '12', param: 100 } } });
    const fresh = json<CiDriftReport>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines/${baseline.id}/drift`));
    expect(fresh.summary).toEqual({ items: 4, unchanged: 4, changed: 0, retired: 0, added: 0, fieldChanges: 0 });
    expect(fresh.drifts.total).toBe(0);
  });

  it('lists every drift after edits, retirement and new CIs, while the items stay frozen', async () => {
    const agent = await world.w.as('agent');
    expect((await agent.patch(`/api/cis/${app.id}`, { version: 1, attributes: { version: '3.3.0', patch: null }, location: '机房 B' })).statusCode).toBe(200);
    expect((await agent.patch(`/api/cis/${db1.id}`, { version: 1, attributes: { param: 200 } })).statusCode).toBe(200);
    // Changed and changed back: a new version but no drift.
    expect((await agent.patch(`/api/cis/${lone.id}`, { version: 1, location: 'x' })).statusCode).toBe(200);
    expect((await agent.patch(`/api/cis/${lone.id}`, { version: 2, location: null })).statusCode).toBe(200);
    expect((await agent.del(`/api/cis/${db2.id}`)).statusCode).toBe(200);
    const added = await ci(child, uniq('billing-db3-'));
    await ci(other, uniq('not-selected-'));
    const report = json<CiDriftReport>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines/${baseline.id}/drift`));
    expect(report.summary).toEqual({ items: 4, unchanged: 1, changed: 2, retired: 1, added: 1, fieldChanges: 4 });
    const rows = report.drifts.items.map((d) => [d.kind, d.ciId, d.field, d.baseline, d.kind === 'added' ? null : d.current]);
    expect(rows).toEqual([
      ['changed', app.id, 'location', null, '机房 B'],
      ['changed', app.id, 'attr.patch', 'KB100', null],
      ['changed', app.id, 'attr.version', '3.2.1', '3.3.0'],
      ['changed', db1.id, 'attr.param', 100, 200],
      ['retired', db2.id, 'status', 'planned', 'retired'],
      ['added', added.id, null, null, null],
    ]);
    expect(report.drifts.items.find((d) => d.ciId === app.id)).toMatchObject({ baselineVersion: 1, currentVersion: 2, classKey: parent.key });
    // One CI only, and by kind.
    const one = json<CiDriftReport>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines/${baseline.id}/drift?ciId=${db1.id}`));
    expect(one.drifts.items.map((d) => d.field)).toEqual(['attr.param']);
    expect(one.summary).toEqual({ items: 1, unchanged: 0, changed: 1, retired: 0, added: 0, fieldChanges: 1 });
    const addedOne = json<CiDriftReport>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines/${baseline.id}/drift?ciId=${added.id}`));
    expect(addedOne.summary).toMatchObject({ items: 0, unchanged: 0, added: 1 });
    const retiredOnly = json<CiDriftReport>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines/${baseline.id}/drift?kind=retired`));
    expect(retiredOnly.drifts.items.map((d) => d.ciId)).toEqual([db2.id]);
    const items = json<{ items: CiBaselineItem[] }>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines/${baseline.id}/items`)).items;
    expect(items.find((i) => i.ciId === app.id)?.snapshot.attributes).toEqual({ version: '3.2.1', patch: 'KB100' });
    // Baselines containing a CI (for the CI page).
    const withApp = json<{ items: CiBaseline[] }>(await (await world.w.as('engineer')).get(`/api/cmdb/baselines?ciId=${app.id}`)).items;
    expect(withApp.map((b) => b.id)).toEqual([baseline.id]);
  });

  it('renames and deletes (audited) but never edits items', async () => {
    const eng = await world.w.as('engineer');
    const bad = await eng.patch(`/api/cmdb/baselines/${baseline.id}`, { version: 1, ciIds: [app.id] });
    expect(json<Err>(bad).error.code).toBe('VALIDATION_FAILED');
    const ren = await eng.patch(`/api/cmdb/baselines/${baseline.id}`, { version: 1, name: '计费系统基线（已批准）' });
    expect(ren.statusCode, ren.body).toBe(200);
    expect(json<CiBaseline>(ren)).toMatchObject({ name: '计费系统基线（已批准）', version: 2, itemCount: 4 });
    expect(json<Err>(await eng.patch(`/api/cmdb/baselines/${baseline.id}`, { version: 1, name: 'x' })).error.code).toBe('VERSION_CONFLICT');
    expect((await eng.del(`/api/cmdb/baselines/${baseline.id}`)).statusCode).toBe(200);
    expect((await eng.get(`/api/cmdb/baselines/${baseline.id}`)).statusCode).toBe(404);
    const left = await db().select({ n: count() }).from(ciBaselineItems).where(eq(ciBaselineItems.baselineId, baseline.id));
    expect(Number(left[0]?.n)).toBe(0);
    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'ci_baseline'), eq(auditLog.objectId, String(baseline.id))));
    expect(audited.map((r) => r.action).sort()).toEqual(['cmdb.baseline.create', 'cmdb.baseline.delete', 'cmdb.baseline.update']);
  });

  it('keeps to the actor organisations: other organisations and their CIs are refused, customers have no access', async () => {
    const bCi = await ci(parent, uniq('b-'), {}, world.w.custB.id);
    const eng = await world.w.as('engineer');
    const beforeA = await baselineCount(world.w.custA.id);
    const beforeB = await baselineCount(world.w.custB.id);
    const crossOrg = await eng.post('/api/cmdb/baselines', { name: 'x', orgId: world.w.custB.id, classKeys: [parent.key] });
    expect(json<Err>(crossOrg).error.code).toBe('REFERENCE_INVALID');
    const foreignCi = await eng.post('/api/cmdb/baselines', { name: 'x', orgId: world.w.custA.id, ciIds: [app.id, bCi.id] });
    expect(crossOrg.statusCode).toBe(422);
    expect(json<Err>(foreignCi).error.code).toBe('CMDB_BASELINE_CI_INVALID');
    expect((await (await world.w.as('customerA')).get('/api/cmdb/baselines')).statusCode).toBe(403);
    expect((await (await world.w.as('customerA')).post('/api/cmdb/baselines', { name: 'x', orgId: world.w.custA.id, ciIds: [app.id] })).statusCode).toBe(403);
    // The agent can baseline customer B; the engineer (customer A only) neither sees nor lists it.
    const b = await (await world.w.as('agent')).post('/api/cmdb/baselines', { name: 'B 基线', orgId: world.w.custB.id, ciIds: [bCi.id] });
    expect(b.statusCode, b.body).toBe(201);
    const bId = json<CiBaseline>(b).id;
    expect((await eng.get(`/api/cmdb/baselines/${bId}`)).statusCode).toBe(404);
    expect((await eng.get(`/api/cmdb/baselines/${bId}/drift`)).statusCode).toBe(404);
    expect((await eng.del(`/api/cmdb/baselines/${bId}`)).statusCode).toBe(404);
    const listed = json<{ items: CiBaseline[] }>(await eng.get('/api/cmdb/baselines?pageSize=200')).items;
    expect(listed.some((x) => x.id === bId)).toBe(false);
    expect(await baselineCount(world.w.custA.id)).toBe(beforeA);
    expect(await baselineCount(world.w.custB.id)).toBe(beforeB + 1);
  });

  it('refuses bad selections with clear codes and saves nothing', async () => {
    const eng = await world.w.as('engineer');
    const before = await baselineCount(world.w.custA.id);
    const retiredCi = await ci(other, uniq('r-'));
    await (await world.w.as('agent')).del(`/api/cis/${retiredCi.id}`);
    const empty = await (await world.w.as('sysadmin')).post('/api/ci-classes', { key: uniq('t_empty'), name: '空类', attributes: [] });
    const emptyKey = json<CiClass>(empty).key;
    const cases: [Record<string, unknown>, string, number][] = [
      [{ name: 'x', orgId: world.w.custA.id }, 'CMDB_BASELINE_EMPTY', 422],
      [{ name: 'x', orgId: world.w.custA.id, classKeys: ['no_such_class'] }, 'CMDB_CLASS_KEY_UNKNOWN', 422],
      [{ name: 'x', orgId: world.w.custA.id, classKeys: [emptyKey] }, 'CMDB_BASELINE_EMPTY', 422],
      [{ name: 'x', orgId: world.w.custA.id, ciIds: [999_999_999] }, 'CMDB_BASELINE_CI_INVALID', 422],
      [{ name: 'x', orgId: world.w.custA.id, ciIds: [retiredCi.id] }, 'CMDB_BASELINE_CI_INVALID', 422],
      [{ name: 'x', orgId: 999_999_999, ciIds: [app.id] }, 'REFERENCE_INVALID', 422],
      [{ name: '', orgId: world.w.custA.id, ciIds: [app.id] }, 'VALIDATION_FAILED', 400],
    ];
    for (const [body, code, status] of cases) {
      const res = await eng.post('/api/cmdb/baselines', body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      expect(json<Err>(res).error.code).toBe(code);
    }
    expect(await baselineCount(world.w.custA.id)).toBe(before);
  });
});
