import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SparePartDetail, SparePartMovement, SparePartMovementResult, SparePartPage, SparePartTest } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { notifications } from '../notifications/notifications.tables.ts';
import { sparePartMovements, spareParts, sparePartStock } from './spare-parts.tables.ts';
import { planMovement } from './spare-parts.service.ts';

type Err = { error: { code: string } };

const world = useTestWorld();
const db = () => world.t.database.db;
let agent: Client;

async function createPart(body: Record<string, unknown> = {}, who: Client = agent) {
  const res = await who.post('/api/spare-parts', { partNumber: uniq('PN-'), name: uniq('硬盘-'), orgId: world.w.custA.id, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<SparePartDetail>(res);
}

const move = (id: number, body: Record<string, unknown>, who: Client = agent) => who.post(`/api/spare-parts/${id}/movements`, body);

async function moveOk(id: number, body: Record<string, unknown>) {
  const res = await move(id, body);
  expect(res.statusCode, res.body).toBe(201);
  return json<SparePartMovementResult>(res).part;
}

const lowStockNotices = async (userId: number, partId: number) =>
  Number(
    (
      await db()
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.userId, userId), eq(notifications.event, 'spare_part.low_stock'), eq(notifications.link, `/spare-parts/${partId}`)))
    )[0]?.n,
  );

beforeAll(async () => {
  agent = await world.w.as('agent');
});

describe('spare parts: catalogue and scope', () => {
  it('creates a part with an audit row and refuses a duplicate part number (any case)', async () => {
    const p = await createPart({ partNumber: uniq('hdd-'), minStock: 0, unit: '块' });
    expect(p).toMatchObject({ totalQuantity: 0, belowMinimum: false, stock: [], unit: '块', orgName: world.w.custA.name });
    const dup = await agent.post('/api/spare-parts', { partNumber: p.partNumber.toUpperCase(), name: 'x' });
    expect(dup.statusCode).toBe(409);
    expect(json<Err>(dup).error.code).toBe('SPARE_PART_NUMBER_TAKEN');
    expect(json<Err>(await agent.post('/api/spare-parts', { partNumber: uniq('n'), name: 'x', minStock: -1 })).error.code).toBe('VALIDATION_FAILED');
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.objectType, 'spare_part'), eq(auditLog.objectId, String(p.id))));
    expect(audits.map((a) => a.action)).toEqual(['spare_part.create']);
    const stale = await agent.patch(`/api/spare-parts/${p.id}`, { version: 2, name: 'y' });
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    const renamed = json<SparePartDetail>(await agent.patch(`/api/spare-parts/${p.id}`, { version: 1, name: '新名称' }));
    expect(renamed).toMatchObject({ name: '新名称', version: 2 });
  });

  it('scopes parts by organisation; shared stock is for staff; customers only read', async () => {
    const a = await createPart();
    const b = await createPart({ orgId: world.w.custB.id });
    const shared = await createPart({ orgId: null });
    const engineer = await world.w.as('engineer');
    expect((await engineer.get(`/api/spare-parts/${a.id}`)).statusCode).toBe(200);
    expect((await engineer.get(`/api/spare-parts/${shared.id}`)).statusCode).toBe(200);
    expect((await engineer.get(`/api/spare-parts/${b.id}`)).statusCode).toBe(404);
    expect((await move(b.id, { kind: 'in', quantity: 1, toLocation: 'X' }, engineer)).statusCode).toBe(404);
    const customer = await world.w.as('customerA');
    expect((await customer.get(`/api/spare-parts/${a.id}`)).statusCode).toBe(200);
    expect((await customer.get(`/api/spare-parts/${shared.id}`)).statusCode).toBe(404);
    const list = json<SparePartPage>(await customer.get('/api/spare-parts?pageSize=200'));
    expect(list.items.every((p) => p.orgId === world.w.custA.id)).toBe(true);
    expect((await move(a.id, { kind: 'in', quantity: 1, toLocation: 'X' }, customer)).statusCode).toBe(403);
    expect((await customer.post('/api/spare-parts', { partNumber: uniq('c'), name: 'x' })).statusCode).toBe(403);
    const sharedOnly = json<SparePartPage>(await agent.get('/api/spare-parts?orgId=shared&pageSize=200'));
    expect(sharedOnly.items.some((p) => p.id === shared.id)).toBe(true);
    expect(sharedOnly.items.every((p) => p.orgId === null)).toBe(true);
  });
});

describe('spare parts: movements', () => {
  it('moves stock in, out, between locations and by adjustment, keeping the total', async () => {
    const p = await createPart();
    let d = await moveOk(p.id, { kind: 'in', quantity: 10, toLocation: '北京备件库', reason: '采购入库' });
    expect(d.totalQuantity).toBe(10);
    d = await moveOk(p.id, { kind: 'transfer', quantity: 4, fromLocation: '北京备件库', toLocation: '上海备件库' });
    expect(d.totalQuantity).toBe(10);
    expect(d.stock.map((s) => [s.location, s.quantity])).toEqual([
      ['上海备件库', 4],
      ['北京备件库', 6],
    ]);
    const t = await agent.post('/api/tickets', { title: '更换硬盘', orgId: world.w.custA.id, impact: 3, urgency: 3 });
    const ticketId = json<{ id: number }>(t).id;
    d = await moveOk(p.id, { kind: 'out', quantity: 1, fromLocation: '上海备件库', reason: '故障更换', ticketId });
    d = await moveOk(p.id, { kind: 'adjust', quantity: 2, toLocation: '北京备件库', reason: '盘盈' });
    d = await moveOk(p.id, { kind: 'adjust', quantity: 1, fromLocation: '北京备件库', reason: '盘亏' });
    expect(d.totalQuantity).toBe(10 - 1 + 2 - 1);
    const history = json<SparePartMovement[]>(await agent.get(`/api/spare-parts/${p.id}/movements`));
    expect(history.map((m) => m.kind)).toEqual(['adjust', 'adjust', 'out', 'transfer', 'in']);
    expect(history[2]).toMatchObject({ ticketId, reason: '故障更换', actorId: agent.userId });
    expect(json<string[]>(await agent.get('/api/spare-parts/locations'))).toEqual(expect.arrayContaining(['北京备件库', '上海备件库']));
  });

  it('refuses to go negative or take incomplete movements, saving nothing', async () => {
    const p = await createPart();
    await moveOk(p.id, { kind: 'in', quantity: 3, toLocation: 'A' });
    const short = await move(p.id, { kind: 'out', quantity: 4, fromLocation: 'A' });
    expect(short.statusCode).toBe(409);
    expect(json<Err>(short).error.code).toBe('SPARE_PART_STOCK_INSUFFICIENT');
    expect(json<Err>(await move(p.id, { kind: 'out', quantity: 1, fromLocation: 'nowhere' })).error.code).toBe('SPARE_PART_STOCK_INSUFFICIENT');
    expect(json<Err>(await move(p.id, { kind: 'transfer', quantity: 5, fromLocation: 'A', toLocation: 'B' })).error.code).toBe('SPARE_PART_STOCK_INSUFFICIENT');
    for (const body of [
      { kind: 'in', quantity: 1 },
      { kind: 'out', quantity: 1, fromLocation: 'A', toLocation: 'B' },
      { kind: 'transfer', quantity: 1, fromLocation: 'A', toLocation: 'A' },
      { kind: 'adjust', quantity: 1, toLocation: 'A' },
      { kind: 'adjust', quantity: 1, fromLocation: 'A', toLocation: 'B', reason: 'x' },
    ]) {
      const r = await move(p.id, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(422);
      expect(json<Err>(r).error.code).toBe('SPARE_PART_MOVEMENT_INVALID');
    }
    for (const quantity of [0, -1, 1.5]) expect(json<Err>(await move(p.id, { kind: 'in', quantity, toLocation: 'A' })).error.code).toBe('VALIDATION_FAILED');
    const tB = await agent.post('/api/tickets', { title: '别家工单', orgId: world.w.custB.id, impact: 3, urgency: 3 });
    const engineer = await world.w.as('engineer');
    expect(json<Err>(await move(p.id, { kind: 'out', quantity: 1, fromLocation: 'A', ticketId: json<{ id: number }>(tB).id }, engineer)).error.code).toBe('REFERENCE_INVALID');
    const [stock] = await db().select().from(sparePartStock).where(eq(sparePartStock.partId, p.id));
    expect(stock?.quantity).toBe(3);
    const [row] = await db().select().from(spareParts).where(eq(spareParts.id, p.id));
    expect(row?.totalQuantity).toBe(3);
    const moves = await db().select({ n: count() }).from(sparePartMovements).where(eq(sparePartMovements.partId, p.id));
    expect(Number(moves[0]?.n)).toBe(1);
  });

  it('never oversells when stock-outs race', async () => {
    const p = await createPart();
    await moveOk(p.id, { kind: 'in', quantity: 10, toLocation: '现场库' });
    const clients = await Promise.all([agent, await world.w.as('manager'), await world.w.as('engineer')]);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => move(p.id, { kind: 'out', quantity: 1, fromLocation: '现场库', reason: `并发 ${i}` }, clients[i % 3] ?? agent)));
    const ok = results.filter((r) => r.statusCode === 201).length;
    const refused = results.filter((r) => r.statusCode === 409 && json<Err>(r).error.code === 'SPARE_PART_STOCK_INSUFFICIENT').length;
    expect([ok, refused]).toEqual([10, 5]);
    const [stock] = await db().select().from(sparePartStock).where(eq(sparePartStock.partId, p.id));
    expect(stock?.quantity).toBe(0);
    const [row] = await db().select().from(spareParts).where(eq(spareParts.id, p.id));
    expect(row?.totalQuantity).toBe(0);
    const outs = await db().select({ n: count() }).from(sparePartMovements).where(and(eq(sparePartMovements.partId, p.id), eq(sparePartMovements.kind, 'out')));
    expect(Number(outs[0]?.n)).toBe(10);
  });

  it('notifies stock keepers in scope once per drop below the minimum', async () => {
    const p = await createPart({ minStock: 5 });
    // Created with nothing in stock: below the minimum from the start, one notice.
    expect(await lowStockNotices(world.w.users.agent.id, p.id)).toBe(1);
    await moveOk(p.id, { kind: 'in', quantity: 10, toLocation: 'L' });
    let d = await moveOk(p.id, { kind: 'out', quantity: 6, fromLocation: 'L' });
    expect(d.belowMinimum).toBe(true);
    expect(await lowStockNotices(world.w.users.agent.id, p.id)).toBe(2);
    await moveOk(p.id, { kind: 'out', quantity: 1, fromLocation: 'L' });
    expect(await lowStockNotices(world.w.users.agent.id, p.id)).toBe(2);
    const below = json<SparePartPage>(await agent.get('/api/spare-parts?belowMinimum=true&pageSize=200'));
    expect(below.items.some((x) => x.id === p.id)).toBe(true);
    d = await moveOk(p.id, { kind: 'in', quantity: 2, toLocation: 'L' });
    expect(d.belowMinimum).toBe(false);
    expect(json<SparePartPage>(await agent.get('/api/spare-parts?belowMinimum=true&pageSize=200')).items.some((x) => x.id === p.id)).toBe(false);
    await moveOk(p.id, { kind: 'out', quantity: 1, fromLocation: 'L' });
    expect(await lowStockNotices(world.w.users.agent.id, p.id)).toBe(3);
    // Engineers serving the part's organisation and managers hear of it; others do not.
    expect(await lowStockNotices(world.w.users.engineer.id, p.id)).toBe(3);
    expect(await lowStockNotices(world.w.users.manager.id, p.id)).toBe(3);
    expect(await lowStockNotices(world.w.users.outsider.id, p.id)).toBe(0);
    expect(await lowStockNotices(world.w.users.customerA.id, p.id)).toBe(0);
    // Raising the minimum above the stock is a crossing too.
    const q = await createPart({ minStock: 0 });
    await moveOk(q.id, { kind: 'in', quantity: 3, toLocation: 'L' });
    expect(await lowStockNotices(world.w.users.agent.id, q.id)).toBe(0);
    const raised = json<SparePartDetail>(await agent.patch(`/api/spare-parts/${q.id}`, { version: q.version, minStock: 4 }));
    expect(raised.belowMinimum).toBe(true);
    expect(await lowStockNotices(world.w.users.agent.id, q.id)).toBe(1);
  });
});

describe('spare parts: periodic tests', () => {
  it('records tests, tracks the next due date and lists overdue parts', async () => {
    const p = await createPart();
    const today = new Date().toISOString().slice(0, 10);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect(json<Err>(await agent.post(`/api/spare-parts/${p.id}/tests`, { testedAt: future, result: 'pass' })).error.code).toBe('VALIDATION_FAILED');
    expect(json<Err>(await agent.post(`/api/spare-parts/${p.id}/tests`, { testedAt: '2026-01-10', result: 'pass', nextDue: '2026-01-01' })).error.code).toBe('TIME_RANGE_INVALID');
    expect(json<Err>(await agent.post(`/api/spare-parts/${p.id}/tests`, { testedAt: '2026-01-10', result: 'maybe' })).error.code).toBe('VALIDATION_FAILED');
    const r = await agent.post(`/api/spare-parts/${p.id}/tests`, { testedAt: '2025-01-10', result: 'fail', note: '通电不启动', nextDue: '2025-02-10' });
    expect(r.statusCode, r.body).toBe(201);
    expect(json<SparePartTest>(r)).toMatchObject({ result: 'fail', testedBy: agent.userId, nextDue: '2025-02-10' });
    let d = json<SparePartDetail>(await agent.get(`/api/spare-parts/${p.id}`));
    expect(d).toMatchObject({ nextTestDue: '2025-02-10', testOverdue: true });
    expect(json<SparePartPage>(await agent.get('/api/spare-parts?testOverdue=true&pageSize=200')).items.some((x) => x.id === p.id)).toBe(true);
    await agent.post(`/api/spare-parts/${p.id}/tests`, { testedAt: today, result: 'pass', nextDue: '2099-01-01' });
    d = json<SparePartDetail>(await agent.get(`/api/spare-parts/${p.id}`));
    expect(d).toMatchObject({ nextTestDue: '2099-01-01', testOverdue: false });
    expect(json<SparePartPage>(await agent.get('/api/spare-parts?testOverdue=true&pageSize=200')).items.some((x) => x.id === p.id)).toBe(false);
    const tests = json<SparePartTest[]>(await agent.get(`/api/spare-parts/${p.id}/tests`));
    expect(tests.map((t) => t.result)).toEqual(['pass', 'fail']);
  });
});

describe('planMovement', () => {
  it('maps each kind to its locations and total change', () => {
    const base = { quantity: 3, reason: '', fromLocation: null, toLocation: null };
    expect(planMovement({ ...base, kind: 'in', toLocation: 'A' })).toEqual({ from: null, to: 'A', delta: 3 });
    expect(planMovement({ ...base, kind: 'out', fromLocation: 'A' })).toEqual({ from: 'A', to: null, delta: -3 });
    expect(planMovement({ ...base, kind: 'transfer', fromLocation: 'A', toLocation: 'B' })).toEqual({ from: 'A', to: 'B', delta: 0 });
    expect(planMovement({ ...base, kind: 'adjust', reason: '盘亏', fromLocation: 'A' })).toEqual({ from: 'A', to: null, delta: -3 });
  });
});
