import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Vendor, VendorContract, VendorDetail, VendorEvaluation } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { slaDefinitions } from '../sla/sla.tables.ts';
import { vendorContacts, vendorContracts, vendorEvaluations, vendors } from './vendors.tables.ts';
import { addDays, shanghaiDate } from './repair-flow.ts';

type Err = { error: { code: string; message: string } };

const world = useTestWorld();
const db = () => world.t.database.db;
const manager = () => world.w.as('manager');

async function createVendor(body: Record<string, unknown> = {}) {
  const res = await (await manager()).post('/api/vendors', { name: uniq('华为技术-'), kind: 'hardware', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<Vendor>(res);
}

async function makeSla(kind: 'sla' | 'ola' | 'uc') {
  const [row] = await db()
    .insert(slaDefinitions)
    .values({ name: uniq(`uc-${kind}-`), kind })
    .returning();
  if (!row) throw new Error('no sla');
  return row.id;
}

const contractBody = (vendorId: number, extra: Record<string, unknown> = {}) => ({
  vendorId,
  number: uniq('HT-'),
  title: '服务器维保合同',
  kind: 'maintenance',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  amount: '128000.50',
  serviceLevel: { coverage: '7x24', responseHours: 2, onsiteHours: 4, resolutionHours: 24, notes: '备件 4 小时到场' },
  ...extra,
});

describe('vendors', () => {
  it('creates, reads and updates a vendor with contacts, audited', async () => {
    const v = await createVendor({
      creditCode: '91440300708461136t',
      contacts: [
        { name: '李工', role: '售后', phone: '13800000000', email: 'li@example.com', primary: true },
        { name: '王经理', role: '客户经理' },
      ],
    });
    expect(v.creditCode).toBe('91440300708461136T');
    expect(v.contacts).toHaveLength(2);
    const m = await manager();
    const upd = await m.patch(`/api/vendors/${v.id}`, { version: v.version, address: '深圳市龙岗区', contacts: [{ name: '赵工', primary: true }] });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(json<Vendor>(upd).contacts.map((c) => c.name)).toEqual(['赵工']);
    const stale = await m.patch(`/api/vendors/${v.id}`, { version: v.version, notes: 'x' });
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    const same = await m.patch(`/api/vendors/${v.id}`, { version: 2, address: '深圳市龙岗区', contacts: [{ name: '赵工', primary: true }] });
    expect(json<Vendor>(same).version).toBe(2);
    const detail = json<VendorDetail>(await (await world.w.as('engineer')).get(`/api/vendors/${v.id}`));
    expect(detail.address).toBe('深圳市龙岗区');
    const audits = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'vendor'), eq(auditLog.objectId, String(v.id))));
    expect(audits.map((a) => a.action).sort()).toEqual(['vendor.create', 'vendor.update']);
    const list = json<{ items: { id: number }[] }>(await m.get(`/api/vendors?q=${encodeURIComponent(v.name)}`));
    expect(list.items.map((x) => x.id)).toEqual([v.id]);
  });

  it('refuses a duplicate name (case-insensitive), a bad credit code and two primary contacts, saving nothing', async () => {
    const base = uniq('Lenovo-');
    await createVendor({ name: base });
    const m = await manager();
    const dup = await m.post('/api/vendors', { name: base.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(json<Err>(dup).error.code).toBe('VENDOR_NAME_TAKEN');
    const name = uniq('坏代码-');
    const bad = await m.post('/api/vendors', { name, creditCode: '91440300708461136X', contacts: [{ name: '甲' }] });
    expect(bad.statusCode).toBe(422);
    expect(json<Err>(bad).error.code).toBe('VENDOR_CREDIT_CODE_INVALID');
    expect(json<Err>(bad).error.message).toContain('统一社会信用代码');
    const two = await m.post('/api/vendors', { name, contacts: [{ name: '甲', primary: true }, { name: '乙', primary: true }] });
    expect(json<Err>(two).error.code).toBe('VENDOR_PRIMARY_CONTACT_DUPLICATE');
    const [n] = await db().select({ n: count() }).from(vendors).where(sql`lower(${vendors.name}) = lower(${name})`);
    expect(n?.n).toBe(0);
    const [c] = await db().select({ n: count() }).from(vendorContacts).where(eq(vendorContacts.name, '乙'));
    expect(c?.n).toBe(0);
  });

  it('lets only vendor.manage write and refuses customers to read', async () => {
    const eng = await world.w.as('engineer');
    expect((await eng.post('/api/vendors', { name: uniq('x') })).statusCode).toBe(403);
    expect((await (await world.w.as('customerA')).get('/api/vendors')).statusCode).toBe(403);
    expect((await eng.get('/api/vendors')).statusCode).toBe(200);
  });
});

describe('vendor contracts', () => {
  it('creates a contract with its service level, an underpinning SLA and a customer organisation', async () => {
    const v = await createVendor();
    const uc = await makeSla('uc');
    const res = await (await manager()).post('/api/vendor-contracts', contractBody(v.id, { slaDefinitionId: uc, orgId: world.w.custA.id }));
    expect(res.statusCode, res.body).toBe(201);
    const c = json<VendorContract>(res);
    expect(c.amount).toBe('128000.50');
    expect(c.serviceLevel).toMatchObject({ coverage: '7x24', resolutionHours: 24, sparePartsHours: null });
    expect(c.slaDefinitionId).toBe(uc);
    // The engineer serves custA and sees it; the outsider (custB) does not.
    expect((await (await world.w.as('engineer')).get(`/api/vendor-contracts/${c.id}`)).statusCode).toBe(200);
    expect((await (await world.w.as('outsider')).get(`/api/vendor-contracts/${c.id}`)).statusCode).toBe(404);
    const outsiderList = json<{ items: VendorContract[] }>(await (await world.w.as('outsider')).get(`/api/vendor-contracts?vendorId=${v.id}`));
    expect(outsiderList.items).toEqual([]);
    const outsiderDetail = json<VendorDetail>(await (await world.w.as('outsider')).get(`/api/vendors/${v.id}`));
    expect(outsiderDetail.contracts).toEqual([]);
  });

  it('refuses bad dates, a float-like amount, a non-uc SLA and a duplicate number, saving nothing', async () => {
    const v = await createVendor();
    const m = await manager();
    const dates = await m.post('/api/vendor-contracts', contractBody(v.id, { startDate: '2026-06-01', endDate: '2026-05-31' }));
    expect(dates.statusCode).toBe(422);
    expect(json<Err>(dates).error.code).toBe('VENDOR_CONTRACT_DATES_INVALID');
    const feb = await m.post('/api/vendor-contracts', contractBody(v.id, { endDate: '2026-02-30' }));
    expect(feb.statusCode).toBe(422);
    expect(json<Err>(feb).error.code).toBe('VENDOR_CONTRACT_DATES_INVALID');
    for (const amount of ['12.345', '-5', '1e5', 'abc']) {
      const r = await m.post('/api/vendor-contracts', contractBody(v.id, { amount }));
      expect(r.statusCode, amount).toBe(400);
      expect(json<Err>(r).error.code).toBe('VALIDATION_FAILED');
    }
    const sla = await makeSla('sla');
    const wrongKind = await m.post('/api/vendor-contracts', contractBody(v.id, { slaDefinitionId: sla }));
    expect(wrongKind.statusCode).toBe(422);
    expect(json<Err>(wrongKind).error.code).toBe('VENDOR_CONTRACT_SLA_KIND');
    const body = contractBody(v.id);
    expect((await m.post('/api/vendor-contracts', body)).statusCode).toBe(201);
    const dup = await m.post('/api/vendor-contracts', { ...body, title: 'again' });
    expect(json<Err>(dup).error.code).toBe('VENDOR_CONTRACT_NUMBER_TAKEN');
    const [n] = await db().select({ n: count() }).from(vendorContracts).where(eq(vendorContracts.vendorId, v.id));
    expect(n?.n).toBe(1);
  });

  it('updates with version checks and flags contracts ending within 30 days', async () => {
    const v = await createVendor();
    const m = await manager();
    const today = shanghaiDate(new Date());
    const c = json<VendorContract>(await m.post('/api/vendor-contracts', contractBody(v.id, { startDate: addDays(today, -300), endDate: addDays(today, 10) })));
    expect(c.expiringSoon).toBe(true);
    expect(c.daysLeft).toBe(10);
    const bad = await m.patch(`/api/vendor-contracts/${c.id}`, { version: c.version, endDate: addDays(today, -400) });
    expect(json<Err>(bad).error.code).toBe('VENDOR_CONTRACT_DATES_INVALID');
    const upd = await m.patch(`/api/vendor-contracts/${c.id}`, { version: c.version, endDate: addDays(today, 200), amount: '99.9' });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(json<VendorContract>(upd)).toMatchObject({ expiringSoon: false, amount: '99.90', version: 2 });
    const soon = json<{ items: VendorContract[] }>(await m.get(`/api/vendor-contracts?vendorId=${v.id}&expiringWithinDays=30`));
    expect(soon.items).toHaveLength(0);
  });
});

describe('vendor evaluations', () => {
  it('computes total and grade on the server and refuses a second evaluation for the same year', async () => {
    const v = await createVendor();
    const m = await manager();
    const res = await m.post(`/api/vendors/${v.id}/evaluations`, { year: 2025, scores: { quality: 91, response: 88, price: 73, service: 95, compliance: 67 }, comment: '响应及时' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<VendorEvaluation>(res)).toMatchObject({ total: '85.95', grade: 'B', year: 2025 });
    const low = await m.post(`/api/vendors/${v.id}/evaluations`, { year: 2026, scores: { quality: 50, response: 60, price: 70, service: 55, compliance: 40 } });
    expect(json<VendorEvaluation>(low)).toMatchObject({ total: '55.50', grade: 'D' });
    const dup = await m.post(`/api/vendors/${v.id}/evaluations`, { year: 2025, scores: { quality: 100, response: 100, price: 100, service: 100, compliance: 100 } });
    expect(dup.statusCode).toBe(409);
    expect(json<Err>(dup).error.code).toBe('VENDOR_EVALUATION_EXISTS');
    const outOfRange = await m.post(`/api/vendors/${v.id}/evaluations`, { year: 2024, scores: { quality: 101, response: 100, price: 100, service: 100, compliance: 100 } });
    expect(outOfRange.statusCode).toBe(400);
    const rows = await db().select().from(vendorEvaluations).where(eq(vendorEvaluations.vendorId, v.id));
    expect(rows.map((r) => r.year).sort()).toEqual([2025, 2026]);
    const detail = json<VendorDetail>(await m.get(`/api/vendors/${v.id}`));
    expect(detail.evaluations.map((e) => e.grade)).toEqual(['B', 'D']);
    const list = json<{ items: { id: number; latestGrade: string | null }[] }>(await m.get(`/api/vendors?q=${encodeURIComponent(v.name)}`));
    expect(list.items[0]?.latestGrade).toBe('D');
  });
});
