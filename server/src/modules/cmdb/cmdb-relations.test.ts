import { and, count, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ci, CiClass, CiRelation, CiRelationType, CiRelationView, ImpactNode, ImpactResult, TicketCis } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ensureBuiltinClasses } from './builtin-classes.ts';
import { BUILTIN_RELATION_TYPES, ensureBuiltinRelationTypes } from './builtin-relation-types.ts';
import { ciRelations, ciRelationTypes } from './cmdb-relations.tables.ts';

type Err = { error: { code: string } };

const world = useTestWorld();
const db = () => world.t.database.db;

let classes: Map<string, CiClass>;
let types: Map<string, CiRelationType>;

const REQUIRED: Record<string, Record<string, unknown>> = { rack: { room_code: 'A1', rack_no: '01' }, database: { db_type: 'PostgreSQL' } };

async function ci(classKey: string, name: string, orgId?: number): Promise<Ci> {
  const attributes = REQUIRED[classKey] ?? {};
  const res = await (await world.w.as('agent')).post('/api/cis', { classId: classes.get(classKey)?.id, orgId: orgId ?? world.w.custA.id, name: uniq(name), attributes });
  expect(res.statusCode, res.body).toBe(201);
  return json<Ci>(res);
}

async function relate(type: string, from: Ci, to: Ci): Promise<CiRelation> {
  const res = await (await world.w.as('agent')).post('/api/ci-relations', { typeId: types.get(type)?.id, fromCiId: from.id, toCiId: to.id });
  expect(res.statusCode, res.body).toBe(201);
  return json<CiRelation>(res);
}

const relationCount = async () => (await db().select({ n: count() }).from(ciRelations))[0]?.n;

// bs depends_on app, app runs_on vm, vm runs_on phys, rack contains phys.
let bs: Ci, app: Ci, vm: Ci, phys: Ci, rack: Ci;

beforeAll(async () => {
  await ensureBuiltinClasses(db());
  await Promise.all([ensureBuiltinRelationTypes(db()), ensureBuiltinRelationTypes(db())]);
  await ensureBuiltinRelationTypes(db());
  const agent = await world.w.as('agent');
  classes = new Map(json<CiClass[]>(await agent.get('/api/ci-classes')).map((c) => [c.key, c]));
  types = new Map(json<CiRelationType[]>(await agent.get('/api/ci-relation-types')).map((t) => [t.key, t]));
  bs = await ci('business_service', '网上银行');
  app = await ci('application', '核心应用');
  vm = await ci('server.vm', 'vm-');
  phys = await ci('server.physical', 'pm-');
  rack = await ci('rack', 'rack-');
  await relate('depends_on', bs, app);
  await relate('runs_on', app, vm);
  await relate('runs_on', vm, phys);
  await relate('contains', rack, phys);
});

describe('relation types', () => {
  it('seeds the built-in types once', async () => {
    const rows = await db().select({ key: ciRelationTypes.key }).from(ciRelationTypes).where(inArray(ciRelationTypes.key, BUILTIN_RELATION_TYPES.map((b) => b.key)));
    expect(rows.length).toBe(6);
    const runsOn = types.get('runs_on');
    expect(runsOn?.name).toBe('运行于');
    expect(runsOn?.reverseName).toBe('承载');
    expect(runsOn?.builtin).toBe(true);
    expect(types.get('contains')?.dependentEnd).toBe('to');
  });

  it('lets class managers add and edit types, checking class keys', async () => {
    const admin = await world.w.as('sysadmin');
    const key = uniq('t_rel').replace(/[^a-z0-9_]/g, '_');
    const bad = await admin.post('/api/ci-relation-types', { key, name: '监控', reverseName: '被监控', allowedPairs: [{ from: 'no_such', to: 'server' }] });
    expect(json<Err>(bad).error.code).toBe('REFERENCE_INVALID');
    const res = await admin.post('/api/ci-relation-types', { key, name: '监控', reverseName: '被监控', allowedPairs: [{ from: 'application', to: 'server' }] });
    expect(res.statusCode, res.body).toBe(201);
    const t = json<CiRelationType>(res);
    expect(t.dependentEnd).toBe('from');
    const dup = await admin.post('/api/ci-relation-types', { key, name: 'x', reverseName: 'y' });
    expect(dup.statusCode).toBe(409);
    expect(json<Err>(dup).error.code).toBe('CMDB_RELATION_TYPE_KEY_TAKEN');
    const edit = await admin.patch(`/api/ci-relation-types/${t.id}`, { version: 1, allowedPairs: [], name: '监控于' });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(json<CiRelationType>(edit).version).toBe(2);
    expect(json<Err>(await admin.patch(`/api/ci-relation-types/${t.id}`, { version: 1, name: 'z' })).error.code).toBe('VERSION_CONFLICT');
    expect((await (await world.w.as('agent')).post('/api/ci-relation-types', { key: 'x_y', name: 'x', reverseName: 'y' })).statusCode).toBe(403);
    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'ci_relation_type'), eq(auditLog.objectId, String(t.id))));
    expect(audited.map((r) => r.action).sort()).toEqual(['cmdb.relation_type.create', 'cmdb.relation_type.update']);
  });
});

describe('relations', () => {
  it('refuses disallowed pairs, cross-organisation links, self links and duplicates, saving nothing', async () => {
    const agent = await world.w.as('agent');
    const room = await ci('dc_room', 'room-');
    const other = await ci('server.physical', 'b-pm-', world.w.custB.id);
    const before = await relationCount();
    const cases: [Record<string, unknown>, string, number][] = [
      [{ typeId: types.get('runs_on')?.id, fromCiId: rack.id, toCiId: room.id }, 'CMDB_RELATION_NOT_ALLOWED', 422],
      [{ typeId: types.get('contains')?.id, fromCiId: phys.id, toCiId: rack.id }, 'CMDB_RELATION_NOT_ALLOWED', 422],
      [{ typeId: types.get('runs_on')?.id, fromCiId: app.id, toCiId: other.id }, 'CMDB_RELATION_CROSS_ORG', 422],
      [{ typeId: types.get('depends_on')?.id, fromCiId: app.id, toCiId: app.id }, 'CMDB_RELATION_SELF', 422],
      [{ typeId: types.get('runs_on')?.id, fromCiId: app.id, toCiId: vm.id }, 'CMDB_RELATION_EXISTS', 409],
      [{ typeId: 999_999_999, fromCiId: app.id, toCiId: vm.id }, 'REFERENCE_INVALID', 422],
      [{ typeId: types.get('depends_on')?.id, fromCiId: app.id, toCiId: 999_999_999 }, 'REFERENCE_INVALID', 422],
    ];
    for (const [body, code, status] of cases) {
      const res = await agent.post('/api/ci-relations', body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      expect(json<Err>(res).error.code).toBe(code);
    }
    expect(await relationCount()).toBe(before);
    // Moving a related CI to another organisation would leave a cross-organisation relation behind.
    const move = await agent.patch(`/api/cis/${vm.id}`, { version: vm.version, orgId: world.w.custB.id });
    expect(move.statusCode, move.body).toBe(422);
    expect(json<Err>(move).error.code).toBe('CMDB_RELATION_CROSS_ORG');
    expect(json<Ci>(await agent.get(`/api/cis/${vm.id}`)).orgId).toBe(vm.orgId);
    // A subclass satisfies a pair naming its parent (runs_on: application -> server; vm is a server).
    const vm2 = await ci('server.vm', 'vm2-');
    const r = await relate('runs_on', app, vm2);
    expect(r.typeKey).toBe('runs_on');
    // The engineer serves customer A only: customer B's CI is not found for them.
    const eng = await world.w.as('engineer');
    const hidden = await eng.post('/api/ci-relations', { typeId: types.get('depends_on')?.id, fromCiId: app.id, toCiId: other.id });
    expect(json<Err>(hidden).error.code).toBe('REFERENCE_INVALID');
    const del = await agent.del(`/api/ci-relations/${r.id}`);
    expect(del.statusCode, del.body).toBe(200);
    expect((await agent.del(`/api/ci-relations/${r.id}`)).statusCode).toBe(404);
    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'ci_relation'), eq(auditLog.objectId, String(r.id))));
    expect(audited.map((x) => x.action).sort()).toEqual(['cmdb.relation.create', 'cmdb.relation.delete']);
  });

  it('lists both directions with the names read from this CI', async () => {
    const list = json<CiRelationView[]>(await (await world.w.as('engineer')).get(`/api/cis/${vm.id}/relations`));
    const out = list.find((r) => r.direction === 'outgoing');
    const inc = list.find((r) => r.direction === 'incoming');
    expect(out?.label).toBe('运行于');
    expect(out?.other.id).toBe(phys.id);
    expect(out?.otherDependsOnThis).toBe(false);
    expect(inc?.label).toBe('承载');
    expect(inc?.other.id).toBe(app.id);
    expect(inc?.otherDependsOnThis).toBe(true);
    const physRels = json<CiRelationView[]>(await (await world.w.as('agent')).get(`/api/cis/${phys.id}/relations`));
    expect(physRels.find((r) => r.other.id === rack.id)?.label).toBe('属于');
    expect(physRels.find((r) => r.other.id === rack.id)?.otherDependsOnThis).toBe(false);
  });
});

describe('impact analysis', () => {
  const ids = (r: ImpactResult) => r.nodes.map((n) => [n.id, n.depth]);

  it('walks downstream (what a failure impacts) and upstream (what a CI needs)', async () => {
    const agent = await world.w.as('agent');
    const down = json<ImpactResult>(await agent.get(`/api/cis/${rack.id}/impact?direction=downstream`));
    expect(ids(down)).toEqual([
      [rack.id, 0],
      [phys.id, 1],
      [vm.id, 2],
      [app.id, 3],
      [bs.id, 4],
    ]);
    expect(down.truncated).toBe(false);
    expect(down.edges.length).toBe(4);
    expect(down.nodes[4]?.classKey).toBe('business_service');
    const up = json<ImpactResult>(await agent.get(`/api/cis/${app.id}/impact?direction=upstream`));
    expect(ids(up)).toEqual([
      [app.id, 0],
      [vm.id, 1],
      [phys.id, 2],
      [rack.id, 3],
    ]);
    const upBs = json<ImpactResult>(await agent.get(`/api/cis/${bs.id}/impact?direction=upstream&depth=10`));
    expect(upBs.nodes.length).toBe(5);
    expect(json<ImpactResult>(await agent.get(`/api/cis/${bs.id}/impact`)).nodes.map((n) => n.id)).toEqual([bs.id]);
  });

  it('respects the depth limit', async () => {
    const agent = await world.w.as('agent');
    const r = json<ImpactResult>(await agent.get(`/api/cis/${rack.id}/impact?direction=downstream&depth=2`));
    expect(ids(r)).toEqual([
      [rack.id, 0],
      [phys.id, 1],
      [vm.id, 2],
    ]);
    expect((await agent.get(`/api/cis/${rack.id}/impact?depth=11`)).statusCode).toBe(400);
  });

  it('survives cycles, returning each CI once', async () => {
    const a = await ci('application', 'cyc-a-');
    const b = await ci('application', 'cyc-b-');
    const c = await ci('database', 'cyc-c-');
    await relate('depends_on', a, b);
    await relate('depends_on', b, a);
    await relate('depends_on', b, c);
    await relate('depends_on', c, a);
    const agent = await world.w.as('agent');
    for (const dir of ['downstream', 'upstream']) {
      const r = json<ImpactResult>(await agent.get(`/api/cis/${a.id}/impact?direction=${dir}&depth=10`));
      expect(r.nodes.map((n) => n.id).sort()).toEqual([a.id, b.id, c.id].sort());
      expect(r.nodes.find((n) => n.id === a.id)?.depth).toBe(0);
      expect(r.edges.length).toBe(4);
    }
  });

  it('lists the affected business services', async () => {
    const agent = await world.w.as('agent');
    const s = json<ImpactNode[]>(await agent.get(`/api/cis/${rack.id}/services`));
    expect(s.map((n) => [n.id, n.depth, n.className])).toEqual([[bs.id, 4, '业务服务']]);
    expect(json<ImpactNode[]>(await agent.get(`/api/cis/${bs.id}/services`)).map((n) => n.id)).toEqual([bs.id]);
  });

  it('keeps other organisations out', async () => {
    const custB = await world.w.as('customerB');
    expect((await custB.get(`/api/cis/${rack.id}/impact`)).statusCode).toBe(404);
    expect((await custB.get(`/api/cis/${rack.id}/services`)).statusCode).toBe(404);
    expect((await custB.get(`/api/cis/${rack.id}/relations`)).statusCode).toBe(404);
    expect((await (await world.w.as('outsider')).get(`/api/cis/${rack.id}/impact`)).statusCode).toBe(404);
    const custA = await world.w.as('customerA');
    expect(json<ImpactResult>(await custA.get(`/api/cis/${rack.id}/impact`)).nodes.length).toBe(5);
    const denied = await custA.post('/api/ci-relations', { typeId: types.get('depends_on')?.id, fromCiId: bs.id, toCiId: rack.id });
    expect(denied.statusCode).toBe(403);
    expect((await custA.del('/api/ci-relations/1')).statusCode).toBe(403);
  });
});

describe('CIs of a ticket', () => {
  it('attaches CIs to an incident and shows the business services they impact', async () => {
    const agent = await world.w.as('agent');
    const t = await agent.post('/api/tickets', { title: '物理机宕机', orgId: world.w.custA.id, impact: 2, urgency: 2 });
    expect(t.statusCode, t.body).toBe(201);
    const ticketId = json<{ id: number }>(t).id;
    const eng = await world.w.as('engineer');
    const put = await eng.put(`/api/tickets/${ticketId}/cis`, { ciIds: [phys.id, vm.id, phys.id] });
    expect(put.statusCode, put.body).toBe(200);
    const r = json<TicketCis>(put);
    expect(r.cis.map((c) => c.id)).toEqual([vm.id, phys.id].sort((x, y) => x - y));
    expect(r.services.map((s) => s.id)).toEqual([bs.id]);
    const custA = await world.w.as('customerA');
    const seen = json<TicketCis>(await custA.get(`/api/tickets/${ticketId}/cis`));
    expect(seen.services.map((s) => s.name)).toEqual([bs.name]);
    expect((await custA.put(`/api/tickets/${ticketId}/cis`, { ciIds: [] })).statusCode).toBe(403);
    expect((await (await world.w.as('customerB')).get(`/api/tickets/${ticketId}/cis`)).statusCode).toBe(404);
    const foreign = await ci('server.physical', 'b2-pm-', world.w.custB.id);
    const bad = await agent.put(`/api/tickets/${ticketId}/cis`, { ciIds: [rack.id, foreign.id] });
    expect(json<Err>(bad).error.code).toBe('REFERENCE_INVALID');
    expect(json<TicketCis>(await agent.get(`/api/tickets/${ticketId}/cis`)).cis.length).toBe(2);
    const cleared = json<TicketCis>(await agent.put(`/api/tickets/${ticketId}/cis`, { ciIds: [rack.id] }));
    expect(cleared.cis.map((c) => c.id)).toEqual([rack.id]);
    expect(cleared.services.map((s) => s.id)).toEqual([bs.id]);
    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'ticket.cis.update'), eq(auditLog.objectId, String(ticketId))));
    expect(audited.length).toBe(2);
  });
});
