import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ci, CiClass, CiDiff, CiVersion } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ciClasses, ciItems, ciVersions } from './cmdb.tables.ts';
import { BUILTIN_CLASSES, ensureBuiltinClasses } from './builtin-classes.ts';

type Err = { error: { code: string; message: string } };
type Page = { items: Ci[]; total: number };

const world = useTestWorld();
const db = () => world.t.database.db;

let parent: CiClass;
let child: CiClass;

async function createClass(body: Record<string, unknown>) {
  const res = await (await world.w.as('sysadmin')).post('/api/ci-classes', body);
  expect(res.statusCode, res.body).toBe(201);
  return json<CiClass>(res);
}

async function createCi(body: Record<string, unknown>, who: 'agent' | 'engineer' = 'agent') {
  const res = await (await world.w.as(who)).post('/api/cis', { orgId: world.w.custA.id, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<Ci>(res);
}

beforeAll(async () => {
  parent = await createClass({
    key: uniq('t_srv'),
    name: '测试服务器',
    namingRule: '{hostname}',
    attributes: [
      { key: 'os', label: '操作系统', type: 'string', required: true },
      { key: 'env', label: '环境', type: 'enum', enumValues: ['生产', '测试'] },
      { key: 'cores', label: 'CPU 核数', type: 'number' },
      { key: 'warranty', label: '维保到期', type: 'date' },
      { key: 'virtual', label: '虚拟', type: 'boolean' },
      { key: 'mgmt_ip', label: '管理 IP', type: 'ip' },
      { key: 'inventory_no', label: '盘点编号', type: 'string', unique: true },
    ],
  });
  child = await createClass({
    key: `${parent.key}.vm`,
    name: '测试虚拟机',
    parentId: parent.id,
    attributes: [{ key: 'host', label: '宿主机', type: 'reference', refClassKey: parent.key }],
  });
});

describe('CI classes', () => {
  it('creates the built-in classes once, even when two boots race', async () => {
    await Promise.all([ensureBuiltinClasses(db()), ensureBuiltinClasses(db())]);
    await ensureBuiltinClasses(db());
    const keys = BUILTIN_CLASSES.map((b) => b.key);
    const rows = await db().select({ key: ciClasses.key, builtin: ciClasses.builtin }).from(ciClasses).where(inArray(ciClasses.key, keys));
    expect(rows.length).toBe(keys.length);
    expect(rows.every((r) => r.builtin)).toBe(true);
    const list = json<CiClass[]>(await (await world.w.as('engineer')).get('/api/ci-classes'));
    const vm = list.find((c) => c.key === 'server.vm');
    expect(vm?.name).toBe('虚拟机');
    expect(vm?.path).toEqual(['server']);
    expect(vm?.effectiveAttributes.find((a) => a.key === 'os')?.definedBy).toBe('server');
    expect(vm?.effectiveNamingRule).toBe('{hostname}');
    for (const name of ['业务服务', '应用系统', '应用实例', '数据库', '中间件', '物理服务器', '存储设备', '交换机', '路由器', '防火墙', '安全设备', '网络摄像机', '视频平台', 'UPS 与供配电', '精密空调', '机柜', '机房', '办公电脑', '打印机', '软件许可']) {
      expect(list.some((c) => c.name === name), name).toBe(true);
    }
    const del = await (await world.w.as('sysadmin')).del(`/api/ci-classes/${vm?.id}`);
    expect(json<Err>(del).error.code).toBe('CMDB_CLASS_BUILTIN');
  });

  it('inherits the parent attributes', async () => {
    const res = await (await world.w.as('agent')).get(`/api/ci-classes/${child.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const c = json<CiClass>(res);
    expect(c.attributes.map((a) => a.key)).toEqual(['host']);
    expect(c.effectiveAttributes.map((a) => a.key)).toEqual(['os', 'env', 'cores', 'warranty', 'virtual', 'mgmt_ip', 'inventory_no', 'host']);
    expect(c.effectiveAttributes.find((a) => a.key === 'env')?.enumValues).toEqual(['生产', '测试']);
    expect(c.effectiveNamingRule).toBe('{hostname}');
  });

  it('refuses redefinitions, cycles, taken keys and unknown references, writing nothing', async () => {
    const a = await world.w.as('sysadmin');
    const [before] = await db().select({ n: count() }).from(ciClasses);
    const redefine = await a.post('/api/ci-classes', { key: uniq('t_x'), name: 'x', parentId: parent.id, attributes: [{ key: 'os', label: 'OS', type: 'string' }] });
    expect(redefine.statusCode).toBe(422);
    expect(json<Err>(redefine).error.code).toBe('CMDB_ATTRIBUTE_INVALID');
    const taken = await a.post('/api/ci-classes', { key: parent.key, name: 'dup' });
    expect(taken.statusCode).toBe(409);
    expect(json<Err>(taken).error.code).toBe('CMDB_CLASS_KEY_TAKEN');
    const badRef = await a.post('/api/ci-classes', { key: uniq('t_x'), name: 'x', attributes: [{ key: 'r', label: 'r', type: 'reference', refClassKey: 'no.such' }] });
    expect(json<Err>(badRef).error.code).toBe('REFERENCE_INVALID');
    const noParent = await a.post('/api/ci-classes', { key: uniq('t_x'), name: 'x', parentId: 999_999_999 });
    expect(json<Err>(noParent).error.code).toBe('REFERENCE_INVALID');
    const enumNoValues = await a.post('/api/ci-classes', { key: uniq('t_x'), name: 'x', attributes: [{ key: 'e', label: 'e', type: 'enum' }] });
    expect(json<Err>(enumNoValues).error.code).toBe('VALIDATION_FAILED');
    const grandchild = await createClass({ key: `${child.key}.gc`, name: '孙类', parentId: child.id });
    const cycle = await a.patch(`/api/ci-classes/${parent.id}`, { version: parent.version, parentId: grandchild.id });
    expect(cycle.statusCode).toBe(422);
    expect(json<Err>(cycle).error.code).toBe('CMDB_CLASS_CYCLE');
    const self = await a.patch(`/api/ci-classes/${parent.id}`, { version: parent.version, parentId: parent.id });
    expect(json<Err>(self).error.code).toBe('CMDB_CLASS_CYCLE');
    // Adding to the parent a key a subclass already has would redefine it below.
    const clash = await a.patch(`/api/ci-classes/${parent.id}`, { version: parent.version, attributes: [...parent.attributes.map(({ definedBy: _d, ...x }) => x), { key: 'host', label: 'h', type: 'string' }] });
    expect(json<Err>(clash).error.code).toBe('CMDB_ATTRIBUTE_INVALID');
    const hasChildren = await a.del(`/api/ci-classes/${child.id}`);
    expect(hasChildren.statusCode).toBe(409);
    expect(json<Err>(hasChildren).error.code).toBe('CMDB_CLASS_IN_USE');
    expect((await a.del(`/api/ci-classes/${grandchild.id}`)).statusCode).toBe(200);
    const [after] = await db().select({ n: count() }).from(ciClasses);
    expect(after?.n).toBe(before?.n);
    const fresh = json<CiClass>(await a.get(`/api/ci-classes/${parent.id}`));
    expect(fresh.version).toBe(parent.version);
    expect(fresh.parentId).toBeNull();
  });

  it('lets only class managers change classes', async () => {
    const res = await (await world.w.as('agent')).post('/api/ci-classes', { key: uniq('t_x'), name: 'x' });
    expect(res.statusCode).toBe(403);
    const edit = await (await world.w.as('sysadmin')).patch(`/api/ci-classes/${child.id}`, { version: child.version, name: '测试虚拟机（改）' });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(json<CiClass>(edit).version).toBe(child.version + 1);
    child = json<CiClass>(edit);
  });
});

describe('indexed attributes', () => {
  it('keeps an expression index per indexed attribute and filters the CI list on it', async () => {
    const key = uniq('rackpos_');
    const indexName = `ci_items_attr_${key}_idx`;
    const hasIndex = async () => {
      const r = (await db().execute(sql`SELECT 1 FROM pg_indexes WHERE tablename = 'ci_items' AND indexname = ${indexName}`)) as unknown as { rows: unknown[] };
      return r.rows.length === 1;
    };
    const cls = await createClass({ key: uniq('t_idx'), name: '索引测试', attributes: [{ key, label: '机位', type: 'string', indexed: true }] });
    expect(await hasIndex()).toBe(true);
    const a = await createCi({ classId: cls.id, name: uniq('pos-a-'), attributes: { [key]: 'A-01' } });
    await createCi({ classId: cls.id, name: uniq('pos-b-'), attributes: { [key]: 'B-07' } });
    const agent = await world.w.as('agent');
    const found = await agent.get(`/api/cis?classId=${cls.id}&attrKey=${key}&attrValue=A-01`);
    expect(found.statusCode, found.body).toBe(200);
    expect(json<Page>(found).items.map((c) => c.id)).toEqual([a.id]);
    // The index matches the filter's expression (sequential scans off: on a small table they would win).
    const plan = await db().transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return (await tx.execute(sql.raw(`EXPLAIN SELECT id FROM ci_items WHERE (attributes ->> '${key}') = 'A-01'`))) as unknown as { rows: Record<string, string>[] };
    });
    expect(plan.rows.map((r) => Object.values(r).join(' ')).join('\n')).toContain(indexName);
    // Bad filters: key without value or class, and a key the class does not have.
    expect((await agent.get(`/api/cis?attrKey=${key}&attrValue=A-01`)).statusCode).toBe(400);
    expect((await agent.get(`/api/cis?classId=${cls.id}&attrKey=${key}`)).statusCode).toBe(400);
    const unknown = await agent.get(`/api/cis?classId=${cls.id}&attrKey=nope&attrValue=x`);
    expect(unknown.statusCode).toBe(422);
    expect(json<Err>(unknown).error.code).toBe('CMDB_ATTRIBUTE_INVALID');
    // No class marks it indexed any more: the index goes.
    const off = await (await world.w.as('sysadmin')).patch(`/api/ci-classes/${cls.id}`, { version: cls.version, attributes: [{ key, label: '机位', type: 'string' }] });
    expect(off.statusCode, off.body).toBe(200);
    expect(await hasIndex()).toBe(false);
  });
});

describe('configuration items', () => {
  let host: Ci;
  let vm: Ci;

  it('creates a CI, naming it by the class rule', async () => {
    host = await createCi({ classId: parent.id, hostname: uniq('db-'), serialNumber: uniq('SN'), ip: '10.1.0.5', importance: 'core', status: 'in_use', attributes: { os: '麒麟 V10', env: '生产', cores: 32 } });
    expect(host.name).toBe(host.hostname);
    expect(host.classKey).toBe(parent.key);
    expect(host.attributes).toEqual({ os: '麒麟 V10', env: '生产', cores: 32 });
    vm = await createCi({ classId: child.id, name: '订单库虚机', attributes: { os: 'CentOS', host: host.id, inventory_no: uniq('INV') } }, 'engineer');
    expect(vm.name).toBe('订单库虚机');
    const unnamed = await (await world.w.as('agent')).post('/api/cis', { classId: parent.id, orgId: world.w.custA.id, attributes: { os: 'x' } });
    expect(json<Err>(unnamed).error.code).toBe('FIELD_REQUIRED');
  });

  it('validates attribute values and identifiers, saving nothing on failure', async () => {
    const agent = await world.w.as('agent');
    const roomClass = json<CiClass[]>(await agent.get('/api/ci-classes')).find((c) => c.key === 'dc_room');
    const room = await createCi({ classId: roomClass?.id, name: uniq('机房-') });
    const counts = async () => {
      const [c] = await db().select({ n: count() }).from(ciItems);
      const [v] = await db().select({ n: count() }).from(ciVersions);
      return [c?.n, v?.n];
    };
    const before = await counts();
    const base = { classId: child.id, orgId: world.w.custA.id, name: uniq('bad-') };
    const cases: [Record<string, unknown>, string, number][] = [
      [{ ...base, attributes: { os: 'x', cores: '八' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', env: '开发' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', mgmt_ip: '10.0.0.300' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, ip: '300.1.1.1', attributes: { os: 'x' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', warranty: '2026-02-30' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', virtual: 'yes' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { env: '生产' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', colour: 'red' } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', inventory_no: vm.attributes.inventory_no } }, 'CMDB_ATTRIBUTE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', host: 999_999_999 } }, 'REFERENCE_INVALID', 422],
      [{ ...base, attributes: { os: 'x', host: room.id } }, 'REFERENCE_INVALID', 422],
      [{ ...base, classId: 999_999_999, attributes: { os: 'x' } }, 'REFERENCE_INVALID', 422],
      [{ ...base, ownerUserId: 999_999_999, attributes: { os: 'x' } }, 'REFERENCE_INVALID', 422],
      [{ ...base, ownerGroupId: 999_999_999, attributes: { os: 'x' } }, 'REFERENCE_INVALID', 422],
      [{ ...base, orgId: 999_999_999, attributes: { os: 'x' } }, 'REFERENCE_INVALID', 422],
      [{ ...base, serialNumber: host.serialNumber, attributes: { os: 'x' } }, 'CMDB_IDENTIFIER_TAKEN', 409],
      [{ ...base, hostname: host.hostname?.toUpperCase(), attributes: { os: 'x' } }, 'CMDB_IDENTIFIER_TAKEN', 409],
      [{ ...base, ip: '10.1.0.5', attributes: { os: 'x' } }, 'CMDB_IDENTIFIER_TAKEN', 409],
    ];
    for (const [body, code, status] of cases) {
      const res = await agent.post('/api/cis', body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      expect(json<Err>(res).error.code).toBe(code);
    }
    const en = await agent.req({ method: 'POST', url: '/api/cis', payload: { ...base, attributes: { os: 'x', env: '开发' } }, headers: { 'accept-language': 'en-US' } });
    expect(json<Err>(en).error.message).toMatch(/env/);
    expect(await counts()).toEqual(before);
    // The same IP in another organisation is fine (private address spaces repeat).
    const other = await createCi({ classId: parent.id, orgId: world.w.custB.id, name: uniq('b-'), ip: '10.1.0.5', attributes: { os: 'x' } });
    expect(other.ip).toBe('10.1.0.5');
    // A failed edit leaves the CI as it was.
    const bad = await agent.patch(`/api/cis/${vm.id}`, { version: vm.version, status: 'maintenance', attributes: { cores: 'many' } });
    expect(json<Err>(bad).error.code).toBe('CMDB_ATTRIBUTE_INVALID');
    const dupSerial = await agent.patch(`/api/cis/${vm.id}`, { version: vm.version, status: 'maintenance', serialNumber: host.serialNumber });
    expect(json<Err>(dupSerial).error.code).toBe('CMDB_IDENTIFIER_TAKEN');
    const same = json<Ci>(await agent.get(`/api/cis/${vm.id}`));
    expect(same.version).toBe(vm.version);
    expect(same.status).toBe('planned');
  });

  it('keeps a version per edit with who and the change ticket, and diffs any two', async () => {
    const agent = await world.w.as('agent');
    const t = await agent.post('/api/tickets', { title: '扩容订单库虚机', orgId: world.w.custA.id, impact: 3, urgency: 3 });
    expect(t.statusCode, t.body).toBe(201);
    const ticketId = json<{ id: number }>(t).id;
    const r1 = await agent.patch(`/api/cis/${vm.id}`, { version: 1, status: 'in_use', attributes: { cores: 8 }, changeTicketId: ticketId });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(json<Ci>(r1).version).toBe(2);
    const engineer = await world.w.as('engineer');
    const r2 = await engineer.patch(`/api/cis/${vm.id}`, { version: 2, attributes: { cores: 16, env: '生产' }, location: 'A 栋 3 楼' });
    expect(r2.statusCode, r2.body).toBe(200);
    const stale = await engineer.patch(`/api/cis/${vm.id}`, { version: 2, location: 'B' });
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    const tB = await agent.post('/api/tickets', { title: '别家工单', orgId: world.w.custB.id, impact: 3, urgency: 3 });
    const hidden = await engineer.patch(`/api/cis/${vm.id}`, { version: 3, location: 'C', changeTicketId: json<{ id: number }>(tB).id });
    expect(json<Err>(hidden).error.code).toBe('REFERENCE_INVALID');

    const versions = json<CiVersion[]>(await agent.get(`/api/cis/${vm.id}/versions`));
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[1]?.changedBy).toBe(world.w.users.agent.id);
    expect(versions[1]?.changeTicketId).toBe(ticketId);
    expect(versions[1]?.changes).toEqual([
      { field: 'status', from: 'planned', to: 'in_use' },
      { field: 'attr.cores', from: null, to: 8 },
    ]);
    expect(versions[0]?.changedBy).toBe(world.w.users.engineer.id);
    expect(versions[0]?.changedByName).toBeTruthy();
    expect(versions[2]?.changes.some((c) => c.field === 'name' && c.to === '订单库虚机')).toBe(true);

    const diff = json<CiDiff>(await agent.get(`/api/cis/${vm.id}/diff?from=1&to=3`));
    expect(diff.changes).toEqual([
      { field: 'location', from: null, to: 'A 栋 3 楼' },
      { field: 'status', from: 'planned', to: 'in_use' },
      { field: 'attr.cores', from: null, to: 16 },
      { field: 'attr.env', from: null, to: '生产' },
    ]);
    const back = json<CiDiff>(await agent.get(`/api/cis/${vm.id}/diff?from=3&to=2`));
    expect(back.changes).toEqual([
      { field: 'location', from: 'A 栋 3 楼', to: null },
      { field: 'attr.cores', from: 16, to: 8 },
      { field: 'attr.env', from: '生产', to: null },
    ]);
    expect((await agent.get(`/api/cis/${vm.id}/diff?from=1&to=9`)).statusCode).toBe(404);
  });

  it('retires on delete and refuses to delete a class that has CIs', async () => {
    const agent = await world.w.as('agent');
    const res = await agent.del(`/api/cis/${vm.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Ci>(res).status).toBe('retired');
    expect((await agent.get(`/api/cis/${vm.id}`)).statusCode).toBe(200);
    const del = await (await world.w.as('sysadmin')).del(`/api/ci-classes/${child.id}`);
    expect(json<Err>(del).error.code).toBe('CMDB_CLASS_IN_USE');
  });

  it('lists with subclass filter, text, status and tenant scope', async () => {
    const agent = await world.w.as('agent');
    const all = json<Page>(await agent.get(`/api/cis?classId=${parent.id}&pageSize=50`));
    expect(all.items.map((c) => c.id)).toEqual(expect.arrayContaining([host.id, vm.id]));
    const onlyVm = json<Page>(await agent.get(`/api/cis?classId=${child.id}`));
    expect(onlyVm.items.map((c) => c.id)).toEqual([vm.id]);
    const byText = json<Page>(await agent.get(`/api/cis?q=${encodeURIComponent(host.hostname ?? '')}`));
    expect(byText.items.map((c) => c.id)).toEqual([host.id]);
    const retired = json<Page>(await agent.get(`/api/cis?classId=${parent.id}&status=retired`));
    expect(retired.items.map((c) => c.id)).toEqual([vm.id]);

    const custA = await world.w.as('customerA');
    expect((await custA.get(`/api/cis/${host.id}`)).statusCode).toBe(200);
    const custB = await world.w.as('customerB');
    const hidden = await custB.get(`/api/cis/${host.id}`);
    expect(hidden.statusCode).toBe(404);
    expect((await custB.get(`/api/cis/${host.id}/versions`)).statusCode).toBe(404);
    const listB = json<Page>(await custB.get(`/api/cis?classId=${parent.id}&pageSize=50`));
    expect(listB.items.every((c) => c.orgId === world.w.custB.id)).toBe(true);
    expect(json<Page>(await custB.get(`/api/cis?orgId=${world.w.custA.id}`)).total).toBe(0);
    // The engineer's groups serve customer A only.
    const outsider = await world.w.as('outsider');
    expect((await outsider.get(`/api/cis/${host.id}`)).statusCode).toBe(404);
    const eng = await world.w.as('engineer');
    const foreign = await eng.post('/api/cis', { classId: parent.id, orgId: world.w.custB.id, name: 'x', attributes: { os: 'x' } });
    expect(json<Err>(foreign).error.code).toBe('REFERENCE_INVALID');
    const denied = await db()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'access.denied'), eq(auditLog.objectType, 'ci'), eq(auditLog.objectId, String(host.id))));
    expect(denied[0]?.n).toBeGreaterThan(0);
  });

  it('refuses writes without permission', async () => {
    const custA = await world.w.as('customerA');
    const res = await custA.post('/api/cis', { classId: parent.id, orgId: world.w.custA.id, name: 'x', attributes: { os: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(json<Err>(res).error.code).toBe('FORBIDDEN');
    expect((await custA.patch(`/api/cis/${host.id}`, { version: 1, location: 'x' })).statusCode).toBe(403);
    expect((await (await world.w.as('auditor')).get('/api/cis')).statusCode).toBe(403);
  });

  it('audits every change', async () => {
    const rows = await db()
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'ci'), eq(auditLog.objectId, String(vm.id)), eq(auditLog.result, 'success')));
    expect(rows.map((r) => r.action).sort()).toEqual(['cmdb.ci.create', 'cmdb.ci.retire', 'cmdb.ci.update', 'cmdb.ci.update']);
    const cls = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'ci_class'), inArray(auditLog.objectId, [String(parent.id), String(child.id)])));
    expect(cls.map((r) => r.action).sort()).toEqual(['cmdb.class.create', 'cmdb.class.create', 'cmdb.class.update']);
  });
});
