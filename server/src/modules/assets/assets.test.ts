import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Asset, AssetEvent, AssetPage, AssetStatus } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { vendorContracts, vendors } from '../vendors/vendors.tables.ts';
import { assetEvents, assets } from './assets.tables.ts';

type Err = { error: { code: string; message: string } };

const world = useTestWorld();
const db = () => world.t.database.db;

let agent: Client;
let classId: number;
let vendorId: number;
let otherVendorId: number;
let contractId: number;

async function makeCi(orgId: number, name = uniq('ci-')) {
  const res = await agent.post('/api/cis', { classId, name, orgId });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: number }>(res).id;
}

async function createAsset(body: Record<string, unknown> = {}, who: Client = agent) {
  const res = await who.post('/api/assets', { name: uniq('服务器-'), orgId: world.w.custA.id, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<Asset>(res);
}

const countAssets = async (name: string) => Number((await db().select({ n: count() }).from(assets).where(eq(assets.name, name)))[0]?.n ?? 0);

beforeAll(async () => {
  agent = await world.w.as('agent');
  const cls = await (await world.w.as('sysadmin')).post('/api/ci-classes', { key: uniq('t_asset'), name: '资产测试类' });
  expect(cls.statusCode, cls.body).toBe(201);
  classId = json<{ id: number }>(cls).id;
  const [v1] = await db().insert(vendors).values({ name: uniq('华为-') }).returning();
  const [v2] = await db().insert(vendors).values({ name: uniq('联想-') }).returning();
  if (!v1 || !v2) throw new Error('vendor insert');
  vendorId = v1.id;
  otherVendorId = v2.id;
  const [c] = await db()
    .insert(vendorContracts)
    .values({ vendorId, number: uniq('HT-'), title: '维保合同', kind: 'maintenance', startDate: '2026-01-01', endDate: '2027-12-31' })
    .returning();
  if (!c) throw new Error('contract insert');
  contractId = c.id;
});

describe('assets: create, read, update', () => {
  it('creates an asset with a generated tag, exact money, an event and an audit row', async () => {
    const a = await createAsset({ purchasePrice: '12999.9', warrantyEnd: '2029-06-30', purchaseDate: '2026-06-30', vendorId, contractId, importance: 'core' });
    expect(a.assetTag).toMatch(/^ZC-\d{4}-\d{6,}$/);
    expect(a.status).toBe('in_stock');
    expect(a.purchasePrice).toBe('12999.90');
    expect(a.orgName).toBe(world.w.custA.name);
    expect(a.version).toBe(1);
    const b = await createAsset();
    expect(b.assetTag).not.toBe(a.assetTag);
    const events = json<AssetEvent[]>(await agent.get(`/api/assets/${a.id}/events`));
    expect(events.map((e) => e.kind)).toEqual(['created']);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.objectType, 'asset'), eq(auditLog.objectId, String(a.id)), eq(auditLog.action, 'asset.create')));
    expect(audits.length).toBe(1);
  });

  it('keeps money exact to the cent and refuses floats or 3 decimals', async () => {
    const big = await createAsset({ purchasePrice: '999999999999.99' });
    expect(big.purchasePrice).toBe('999999999999.99');
    const cents = await createAsset({ purchasePrice: '0.1' });
    expect(cents.purchasePrice).toBe('0.10');
    const name = uniq('价格错-');
    for (const purchasePrice of ['12.345', 12.3, '-1.00', 'abc']) {
      const res = await agent.post('/api/assets', { name, orgId: world.w.custA.id, purchasePrice });
      expect(json<Err>(res).error.code, String(purchasePrice)).toBe('VALIDATION_FAILED');
    }
    expect(await countAssets(name)).toBe(0);
  });

  it('generates distinct tags for parallel creates', async () => {
    const made = await Promise.all(Array.from({ length: 8 }, () => agent.post('/api/assets', { name: uniq('并发-'), orgId: world.w.custA.id })));
    expect(made.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(made.map((r) => json<Asset>(r).assetTag)).size).toBe(8);
  });

  it('takes a given tag, refuses a duplicate tag or serial number and saves nothing', async () => {
    const tag = uniq('T-');
    const serial = uniq('SN');
    await createAsset({ assetTag: tag, serialNumber: serial });
    const name = uniq('重复-');
    const dupTag = await agent.post('/api/assets', { name, orgId: world.w.custA.id, assetTag: tag });
    expect(dupTag.statusCode).toBe(409);
    expect(json<Err>(dupTag).error.code).toBe('ASSET_TAG_TAKEN');
    const dupSerial = await agent.post('/api/assets', { name, orgId: world.w.custA.id, serialNumber: serial });
    expect(json<Err>(dupSerial).error.code).toBe('ASSET_SERIAL_TAKEN');
    const badTag = await agent.post('/api/assets', { name, orgId: world.w.custA.id, assetTag: 'a b?c' });
    expect(json<Err>(badTag).error.code).toBe('VALIDATION_FAILED');
    expect(await countAssets(name)).toBe(0);
  });

  it('links a CI of the same organisation once and refuses a cross-org CI', async () => {
    const ciA = await makeCi(world.w.custA.id);
    const ciB = await makeCi(world.w.custB.id);
    const a = await createAsset({ ciId: ciA });
    expect(a.ciId).toBe(ciA);
    expect(a.ciName).not.toBeNull();
    const name = uniq('跨组织-');
    const cross = await agent.post('/api/assets', { name, orgId: world.w.custA.id, ciId: ciB });
    expect(cross.statusCode).toBe(422);
    expect(json<Err>(cross).error.code).toBe('ASSET_CI_CROSS_ORG');
    const twice = await agent.post('/api/assets', { name, orgId: world.w.custA.id, ciId: ciA });
    expect(twice.statusCode).toBe(409);
    expect(json<Err>(twice).error.code).toBe('ASSET_CI_TAKEN');
    expect(await countAssets(name)).toBe(0);
    // Moving the asset to another organisation while it keeps the CI is also cross-org.
    const move = await agent.patch(`/api/assets/${a.id}`, { version: a.version, orgId: world.w.custB.id });
    expect(json<Err>(move).error.code).toBe('ASSET_CI_CROSS_ORG');
    const byCi = json<AssetPage>(await agent.get(`/api/assets?ciId=${ciA}`));
    expect(byCi.items.map((x) => x.id)).toEqual([a.id]);
  });

  it('refuses unknown vendors and contracts, and a contract of another vendor', async () => {
    const name = uniq('供应商错-');
    const base = { name, orgId: world.w.custA.id };
    expect(json<Err>(await agent.post('/api/assets', { ...base, vendorId: 99_999_999 })).error.code).toBe('REFERENCE_INVALID');
    expect(json<Err>(await agent.post('/api/assets', { ...base, contractId: 99_999_999 })).error.code).toBe('REFERENCE_INVALID');
    const mismatch = await agent.post('/api/assets', { ...base, vendorId: otherVendorId, contractId });
    expect(mismatch.statusCode).toBe(422);
    expect(json<Err>(mismatch).error.code).toBe('ASSET_CONTRACT_VENDOR_MISMATCH');
    expect(json<Err>(await agent.post('/api/assets', { ...base, userId: 99_999_999 })).error.code).toBe('REFERENCE_INVALID');
    expect(json<Err>(await agent.post('/api/assets', { ...base, purchaseDate: '2026-05-01', warrantyEnd: '2026-04-30' })).error.code).toBe('TIME_RANGE_INVALID');
    expect(await countAssets(name)).toBe(0);
  });

  it('updates with optimistic concurrency, an event and an audit row with the changes', async () => {
    const a = await createAsset({ location: '北京 A 机房' });
    const r = await agent.patch(`/api/assets/${a.id}`, { version: 1, location: '上海 B 机房', purchasePrice: '100' });
    expect(r.statusCode, r.body).toBe(200);
    const u = json<Asset>(r);
    expect(u.version).toBe(2);
    expect(u.location).toBe('上海 B 机房');
    expect(u.purchasePrice).toBe('100.00');
    const stale = await agent.patch(`/api/assets/${a.id}`, { version: 1, location: '广州' });
    expect(stale.statusCode).toBe(409);
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    const same = json<Asset>(await agent.patch(`/api/assets/${a.id}`, { version: 2, location: '上海 B 机房' }));
    expect(same.version).toBe(2);
    const events = json<AssetEvent[]>(await agent.get(`/api/assets/${a.id}/events`));
    expect(events.map((e) => e.kind)).toEqual(['updated', 'created']);
    expect(events[0]?.note).toContain('location');
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.objectId, String(a.id)), eq(auditLog.action, 'asset.update')));
    expect(JSON.stringify(audit?.details)).toContain('上海 B 机房');
  });
});

describe('assets: scoping', () => {
  it('hides other organisations from engineers and customers, and customers only read', async () => {
    const mineA = await createAsset({ name: uniq('A-资产-') });
    const mineB = await createAsset({ orgId: world.w.custB.id, name: uniq('B-资产-') });
    const engineer = await world.w.as('engineer');
    expect((await engineer.get(`/api/assets/${mineA.id}`)).statusCode).toBe(200);
    expect((await engineer.get(`/api/assets/${mineB.id}`)).statusCode).toBe(404);
    const engList = json<AssetPage>(await engineer.get('/api/assets?pageSize=200'));
    expect(engList.items.every((x) => x.orgId === world.w.custA.id)).toBe(true);
    // An engineer cannot create in an organisation they do not serve.
    expect(json<Err>(await engineer.post('/api/assets', { name: 'x', orgId: world.w.custB.id })).error.code).toBe('REFERENCE_INVALID');

    const customer = await world.w.as('customerA');
    expect((await customer.get(`/api/assets/${mineA.id}`)).statusCode).toBe(200);
    expect((await customer.get(`/api/assets/${mineB.id}`)).statusCode).toBe(404);
    expect((await customer.get(`/api/assets/by-tag/${encodeURIComponent(mineB.assetTag)}`)).statusCode).toBe(404);
    const custList = json<AssetPage>(await customer.get('/api/assets?pageSize=200'));
    expect(custList.items.some((x) => x.id === mineA.id)).toBe(true);
    expect(custList.items.every((x) => x.orgId === world.w.custA.id)).toBe(true);
    expect((await customer.post('/api/assets', { name: 'x', orgId: world.w.custA.id })).statusCode).toBe(403);
    expect((await customer.patch(`/api/assets/${mineA.id}`, { version: 1, name: 'x' })).statusCode).toBe(403);
    expect((await customer.post(`/api/assets/${mineA.id}/transition`, { to: 'in_use' })).statusCode).toBe(403);
    const denied = await db().select().from(auditLog).where(and(eq(auditLog.objectType, 'asset'), eq(auditLog.objectId, String(mineB.id)), eq(auditLog.result, 'denied')));
    expect(denied.length).toBeGreaterThan(0);
  });

  it('resolves a tag to the asset and filters, searches, sorts and pages the list', async () => {
    const cat = uniq('cat');
    const x = await createAsset({ category: cat, kind: 'software', name: `${cat}-a`, warrantyEnd: '2000-01-01' });
    const y = await createAsset({ category: cat, name: `${cat}-b`, serialNumber: uniq('SNX') });
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const z = await createAsset({ category: cat, name: `${cat}-c`, warrantyEnd: soon });
    expect(json<Asset>(await agent.get(`/api/assets/by-tag/${encodeURIComponent(y.assetTag)}`)).id).toBe(y.id);
    expect((await agent.get('/api/assets/by-tag/NO-SUCH-TAG')).statusCode).toBe(404);
    const slashTag = uniq('BJ/A1-');
    const slashed = await createAsset({ assetTag: slashTag });
    expect(json<Asset>(await agent.get(`/api/assets/by-tag/${encodeURIComponent(slashTag)}`)).id).toBe(slashed.id);
    const all = json<AssetPage>(await agent.get(`/api/assets?category=${cat}&sort=name&order=asc`));
    expect(all.items.map((i) => i.id)).toEqual([x.id, y.id, z.id]);
    const paged = json<AssetPage>(await agent.get(`/api/assets?category=${cat}&sort=name&order=asc&page=2&pageSize=2`));
    expect(paged.total).toBe(3);
    expect(paged.items.map((i) => i.id)).toEqual([z.id]);
    expect(json<AssetPage>(await agent.get(`/api/assets?category=${cat}&kind=software`)).items.map((i) => i.id)).toEqual([x.id]);
    expect(json<AssetPage>(await agent.get(`/api/assets?category=${cat}&warrantyWithinDays=30`)).items.map((i) => i.id)).toEqual([z.id]);
    expect(json<AssetPage>(await agent.get(`/api/assets?q=${encodeURIComponent(y.serialNumber ?? '')}`)).items.map((i) => i.id)).toEqual([y.id]);
    expect(json<AssetPage>(await agent.get(`/api/assets?q=${encodeURIComponent(x.assetTag)}`)).items.map((i) => i.id)).toEqual([x.id]);
    expect(json<string[]>(await agent.get('/api/assets/categories'))).toContain(cat);
  });
});

describe('assets: lifecycle', () => {
  const ALL: AssetStatus[] = ['in_stock', 'in_use', 'under_repair', 'retired', 'disposed'];
  const ALLOWED: Record<AssetStatus, AssetStatus[]> = {
    in_stock: ['in_use', 'under_repair', 'retired'],
    in_use: ['in_stock', 'under_repair', 'retired'],
    under_repair: ['in_stock', 'in_use', 'retired'],
    retired: ['disposed', 'in_stock'],
    disposed: [],
  };
  // A path from in_stock to each status through allowed moves.
  const PATH: Record<AssetStatus, AssetStatus[]> = {
    in_stock: [],
    in_use: ['in_use'],
    under_repair: ['under_repair'],
    retired: ['retired'],
    disposed: ['retired', 'disposed'],
  };
  const wipe = { confirmed: true, method: 'shredding' };

  async function assetIn(status: AssetStatus) {
    const a = await createAsset();
    for (const to of PATH[status]) {
      const r = await agent.post(`/api/assets/${a.id}/transition`, { to, ...(to === 'disposed' ? { wipe } : {}) });
      expect(r.statusCode, r.body).toBe(200);
    }
    return a.id;
  }

  it('allows every move in the table and refuses every other one, leaving the asset unchanged', async () => {
    for (const from of ALL) {
      for (const to of ALL) {
        const id = await assetIn(from);
        const res = await agent.post(`/api/assets/${id}/transition`, { to, note: `${from}->${to}`, ...(to === 'disposed' ? { wipe } : {}) });
        if (ALLOWED[from].includes(to)) {
          expect(res.statusCode, `${from} -> ${to}: ${res.body}`).toBe(200);
          expect(json<Asset>(res).status).toBe(to);
        } else {
          expect(res.statusCode, `${from} -> ${to}`).toBe(422);
          expect(json<Err>(res).error.code).toBe('ASSET_TRANSITION_NOT_ALLOWED');
          const [row] = await db().select().from(assets).where(eq(assets.id, id));
          expect(row?.status).toBe(from);
        }
      }
    }
  });

  it('assigns a user on in use, records status events with the ticket, and clears the user back in stock', async () => {
    const a = await createAsset();
    const t = await agent.post('/api/tickets', { title: '领用笔记本', orgId: world.w.custA.id, impact: 3, urgency: 3 });
    const ticketId = json<{ id: number }>(t).id;
    const r = await agent.post(`/api/assets/${a.id}/transition`, { to: 'in_use', userId: world.w.users.customerA.id, department: '财务部', note: '领用', ticketId });
    expect(r.statusCode, r.body).toBe(200);
    const inUse = json<Asset>(r);
    expect(inUse).toMatchObject({ status: 'in_use', userId: world.w.users.customerA.id, department: '财务部', version: 2 });
    const tB = await agent.post('/api/tickets', { title: '别家工单', orgId: world.w.custB.id, impact: 3, urgency: 3 });
    const engineer = await world.w.as('engineer');
    const foreign = await engineer.post(`/api/assets/${a.id}/transition`, { to: 'in_stock', ticketId: json<{ id: number }>(tB).id });
    expect(json<Err>(foreign).error.code).toBe('REFERENCE_INVALID');
    const stale = await agent.post(`/api/assets/${a.id}/transition`, { to: 'in_stock', version: 1 });
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    const back = json<Asset>(await agent.post(`/api/assets/${a.id}/transition`, { to: 'in_stock', version: 2 }));
    expect(back.userId).toBeNull();
    expect(back.department).toBe('财务部');
    const events = json<AssetEvent[]>(await agent.get(`/api/assets/${a.id}/events`));
    expect(events.map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([
      ['status', 'in_use', 'in_stock'],
      ['status', 'in_stock', 'in_use'],
      ['created', null, 'in_stock'],
    ]);
    expect(events[1]).toMatchObject({ ticketId, note: '领用' });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.objectId, String(a.id)), eq(auditLog.action, 'asset.transition')));
    expect(audits.length).toBe(2);
  });

  it('disposes of hardware only with a confirmed wipe, recording who, when and how', async () => {
    const id = await assetIn('retired');
    for (const body of [{ to: 'disposed' }, { to: 'disposed', wipe: { confirmed: false, method: 'degauss' } }]) {
      const res = await agent.post(`/api/assets/${id}/transition`, body);
      expect(res.statusCode).toBe(422);
      expect(json<Err>(res).error.code).toBe('ASSET_WIPE_REQUIRED');
    }
    expect(json<Err>(await agent.post(`/api/assets/${id}/transition`, { to: 'disposed', wipe: { confirmed: true, method: 'burn' } })).error.code).toBe('VALIDATION_FAILED');
    const [still] = await db().select().from(assets).where(eq(assets.id, id));
    expect(still?.status).toBe('retired');
    expect(still?.wipeConfirmedAt).toBeNull();
    const eventsBefore = Number((await db().select({ n: count() }).from(assetEvents).where(eq(assetEvents.assetId, id)))[0]?.n);

    const ok = await agent.post(`/api/assets/${id}/transition`, { to: 'disposed', note: '报废', wipe: { confirmed: true, method: 'degauss', certificate: 'XH-2026-001' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const d = json<Asset>(ok);
    expect(d).toMatchObject({ status: 'disposed', wipeMethod: 'degauss', wipeCertificate: 'XH-2026-001', wipeConfirmedBy: agent.userId });
    expect(d.wipeConfirmedAt).not.toBeNull();
    expect(d.wipeConfirmedByName).not.toBeNull();
    const eventsAfter = Number((await db().select({ n: count() }).from(assetEvents).where(eq(assetEvents.assetId, id)))[0]?.n);
    expect(eventsAfter).toBe(eventsBefore + 1);
    // Disposed is final, and the default list leaves disposed assets out.
    expect(json<Err>(await agent.post(`/api/assets/${id}/transition`, { to: 'in_stock' })).error.code).toBe('ASSET_TRANSITION_NOT_ALLOWED');
    const tag = d.assetTag;
    expect(json<AssetPage>(await agent.get(`/api/assets?q=${encodeURIComponent(tag)}`)).total).toBe(0);
    expect(json<AssetPage>(await agent.get(`/api/assets?q=${encodeURIComponent(tag)}&includeDisposed=true`)).total).toBe(1);
  });

  it('lets only one of two racing moves from the same version through', async () => {
    const a = await createAsset();
    const results = await Promise.all([
      agent.post(`/api/assets/${a.id}/transition`, { to: 'in_use', version: 1 }),
      agent.post(`/api/assets/${a.id}/transition`, { to: 'retired', version: 1 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const events = await db().select().from(assetEvents).where(and(eq(assetEvents.assetId, a.id), eq(assetEvents.kind, 'status')));
    expect(events.length).toBe(1);
  });

  it('disposes of software without a wipe', async () => {
    const s = await createAsset({ kind: 'software', name: uniq('Office 许可-') });
    await agent.post(`/api/assets/${s.id}/transition`, { to: 'retired' });
    const res = await agent.post(`/api/assets/${s.id}/transition`, { to: 'disposed' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Asset>(res).wipeMethod).toBeNull();
  });
});
