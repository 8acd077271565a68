import { and, asc, count, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RepairOrder, RepairOrderDetail, Vendor, VendorContract, VendorDetail } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { login, makeUser, TEST_PASSWORD, uniq, type Client } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { notificationDeliveries, notifications } from '../notifications/notifications.tables.ts';
import { users } from '../directory/directory.tables.ts';
import { approvalTasks } from '../approvals/approvals.tables.ts';
import { assetEvents, assets } from '../assets/assets.tables.ts';
import { repairOrderEvents, repairOrders } from './repairs.tables.ts';
import { addDays, shanghaiDate } from './repair-flow.ts';

type Err = { error: { code: string; message: string } };
type AssetStatus = (typeof assets.$inferSelect)['status'];

const world = useTestWorld();
const db = () => world.t.database.db;
const today = () => shanghaiDate(new Date());

let vendor: Vendor;
let contract: VendorContract;
let manager2: Client;

/** Assets straight into the table: the asset service belongs to another module. */
async function makeAsset(o: { status?: AssetStatus; warrantyEnd?: string | null; orgId?: number; contractId?: number | null } = {}) {
  const [row] = await db()
    .insert(assets)
    .values({
      assetTag: uniq('ZC-'),
      name: '戴尔 R740 服务器',
      orgId: o.orgId ?? world.w.custA.id,
      status: o.status ?? 'in_use',
      warrantyEnd: o.warrantyEnd === undefined ? addDays(today(), 100) : o.warrantyEnd,
      vendorId: vendor.id,
      contractId: o.contractId ?? null,
    })
    .returning();
  if (!row) throw new Error('no asset');
  return row;
}

const assetStatus = async (id: number) => (await db().select({ s: assets.status, v: assets.version }).from(assets).where(eq(assets.id, id)))[0];

async function createOrder(who: Client, body: Record<string, unknown>) {
  const res = await who.post('/api/repairs', { fault: '电源模块故障，无法开机', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<RepairOrderDetail>(res);
}

async function act(who: Client, o: { id: number; version: number }, body: Record<string, unknown>) {
  return who.post(`/api/repairs/${o.id}/transitions`, { version: o.version, ...body });
}

async function step(who: Client, o: { id: number; version: number }, body: Record<string, unknown>) {
  const res = await act(who, o, body);
  expect(res.statusCode, res.body).toBe(200);
  return json<RepairOrderDetail>(res);
}

/** The tasks of an order's cost approval runs (generic approvals, subject repair_order). */
const costTasks = (orderId: number) =>
  db().select().from(approvalTasks).where(and(eq(approvalTasks.subjectType, 'repair_order'), eq(approvalTasks.subjectId, orderId)));

/** Notifications of an event about a repair order (generic approval notices carry its number). */
const notifiedAbout = async (userId: number, event: string, number: string) =>
  (
    await db()
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.event, event), sql`${notifications.data}->>'number' = ${number}`))
  )[0]?.n;

const notified = async (userId: number, event: string, link: string) =>
  (
    await db()
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.event, event), eq(notifications.link, link)))
  )[0]?.n;

beforeAll(async () => {
  const m = await world.w.as('manager');
  vendor = json<Vendor>(await m.post('/api/vendors', { name: uniq('新华三-'), kind: 'hardware' }));
  contract = json<VendorContract>(
    await m.post('/api/vendor-contracts', {
      vendorId: vendor.id,
      number: uniq('WB-'),
      title: '服务器原厂维保',
      kind: 'maintenance',
      startDate: addDays(today(), -200),
      endDate: addDays(today(), 165),
      serviceLevel: { coverage: '7x24', responseHours: 2, onsiteHours: 4, resolutionHours: 24 },
    }),
  );
  const u = await makeUser(db(), world.w.provider.id, ['manager']);
  // With an address, so approval requests reach them by e-mail too (with the signed links).
  await db().update(users).set({ email: `${u.username}@example.com` }).where(eq(users.id, u.id));
  manager2 = await login(world.t.app, u.username, TEST_PASSWORD, u.id);
});

describe('repair orders in warranty', () => {
  it('goes to the vendor with an RMA, puts the asset under repair and back, with timeline and audit', async () => {
    const asset = await makeAsset({ status: 'in_use' });
    const eng = await world.w.as('engineer');
    const o = await createOrder(eng, { assetId: asset.id, contractId: contract.id });
    expect(o.number).toMatch(/^WX-\d{4}-\d{6}$/);
    expect(o).toMatchObject({ inWarranty: true, warrantyBasis: 'warranty', status: 'open', orgId: world.w.custA.id, vendorId: vendor.id });
    expect(o.allowedActions.sort()).toEqual(['cancel', 'send']);

    const noRma = await act(eng, o, { action: 'send' });
    expect(noRma.statusCode).toBe(422);
    expect(json<Err>(noRma).error.code).toBe('FIELD_REQUIRED');
    expect(await assetStatus(asset.id)).toEqual({ s: 'in_use', v: 1 });

    const sent = await step(eng, o, { action: 'send', rmaNumber: 'RMA-88001' });
    expect(sent).toMatchObject({ status: 'sent_to_vendor', rmaNumber: 'RMA-88001' });
    expect((await assetStatus(asset.id))?.s).toBe('under_repair');
    const back = await step(eng, sent, { action: 'return' });
    expect(back.status).toBe('returned');
    expect(back.turnaroundHours).not.toBeNull();
    expect((await assetStatus(asset.id))?.s).toBe('in_use');
    const noOutcome = await act(eng, back, { action: 'close' });
    expect(json<Err>(noOutcome).error.code).toBe('FIELD_REQUIRED');
    const closed = await step(eng, back, { action: 'close', outcome: 'repaired', actualCost: '0' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'repaired', actualCost: '0.00' });
    expect(closed.events.map((e) => e.kind)).toEqual(['created', 'send', 'return', 'close']);
    expect(closed.allowedActions).toEqual([]);

    const ev = await db().select().from(assetEvents).where(eq(assetEvents.assetId, asset.id)).orderBy(asc(assetEvents.id));
    expect(ev.map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([
      ['repair', 'in_use', 'under_repair'],
      ['repair', 'under_repair', 'in_use'],
    ]);
    expect(ev[0]?.note).toContain(o.number);
    const audits = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectType, 'repair_order'), eq(auditLog.objectId, String(o.id))))
      .orderBy(asc(auditLog.id));
    expect(audits.map((a) => a.action)).toEqual(['repair.create', 'repair.send', 'repair.return', 'repair.close']);

    const detail = json<VendorDetail>(await eng.get(`/api/vendors/${vendor.id}`));
    expect(detail.repairStats.returned).toBeGreaterThanOrEqual(1);
  });

  it('counts an active maintenance contract as warranty and cancelling gives the asset back', async () => {
    const asset = await makeAsset({ status: 'in_stock', warrantyEnd: addDays(today(), -5), contractId: contract.id });
    const eng = await world.w.as('engineer');
    const o = await createOrder(eng, { assetId: asset.id });
    expect(o).toMatchObject({ inWarranty: true, warrantyBasis: 'contract', contractId: contract.id, resolutionHours: 24 });
    const sent = await step(eng, o, { action: 'send', rmaNumber: 'RMA-1' });
    expect((await assetStatus(asset.id))?.s).toBe('under_repair');
    // Sent three days ago: past the contract's 24 resolution hours.
    await db()
      .update(repairOrders)
      .set({ sentAt: new Date(Date.now() - 72 * 3_600_000) })
      .where(eq(repairOrders.id, o.id));
    const overdue = json<{ items: RepairOrder[] }>(await eng.get(`/api/repairs?overdue=true&assetId=${asset.id}`));
    expect(overdue.items.map((x) => [x.id, x.overdue])).toEqual([[o.id, true]]);
    // A second order cannot take an asset that is already away.
    const second = await createOrder(eng, { assetId: asset.id });
    const taken = await act(eng, second, { action: 'send', rmaNumber: 'RMA-2' });
    expect(json<Err>(taken).error.code).toBe('REPAIR_ASSET_UNAVAILABLE');
    await step(eng, sent, { action: 'cancel', comment: '客户撤回' });
    expect((await assetStatus(asset.id))?.s).toBe('in_stock');
  });

  it('links an incident of the asset’s organisation and refuses one of another organisation', async () => {
    const agent = await world.w.as('agent');
    const incident = async (orgId: number) => {
      const res = await agent.post('/api/tickets', { title: '服务器宕机', orgId, impact: 2, urgency: 2, channel: 'phone' });
      expect(res.statusCode, res.body).toBe(201);
      return json<{ id: number; number: string }>(res);
    };
    const own = await incident(world.w.custA.id);
    const other = await incident(world.w.custB.id);
    const asset = await makeAsset();
    const o = await createOrder(agent, { assetId: asset.id, ticketId: own.id });
    expect(o).toMatchObject({ ticketId: own.id, ticketNumber: own.number });
    const wrong = await agent.post('/api/repairs', { assetId: asset.id, fault: 'x', ticketId: other.id });
    expect(json<Err>(wrong).error.code).toBe('REPAIR_TICKET_INVALID');
    // The engineer serves custA only: custB's incident is not visible to them.
    const hidden = await (await world.w.as('engineer')).post('/api/repairs', { assetId: asset.id, fault: 'x', ticketId: other.id });
    expect(json<Err>(hidden).error.code).toBe('REFERENCE_INVALID');
  });

  it('refuses retired assets and another vendor’s contract', async () => {
    const eng = await world.w.as('engineer');
    const retired = await makeAsset({ status: 'retired' });
    const r = await eng.post('/api/repairs', { assetId: retired.id, fault: 'x' });
    expect(json<Err>(r).error.code).toBe('REPAIR_ASSET_UNAVAILABLE');
    const other = json<Vendor>(await (await world.w.as('manager')).post('/api/vendors', { name: uniq('other-') }));
    const asset = await makeAsset();
    const mismatch = await eng.post('/api/repairs', { assetId: asset.id, fault: 'x', vendorId: other.id, contractId: contract.id });
    expect(json<Err>(mismatch).error.code).toBe('REFERENCE_INVALID');
    const [n] = await db().select({ n: count() }).from(repairOrders).where(eq(repairOrders.assetId, retired.id));
    expect(n?.n).toBe(0);
  });
});

describe('repair orders out of warranty', () => {
  it('needs an approved estimate before the repair starts (also when asked directly)', async () => {
    const asset = await makeAsset({ status: 'in_stock', warrantyEnd: addDays(today(), -10) });
    const eng = await world.w.as('engineer');
    const mgr = await world.w.as('manager');
    const o = await createOrder(eng, { assetId: asset.id });
    expect(o).toMatchObject({ inWarranty: false, warrantyBasis: 'none' });
    expect(o.allowedActions.sort()).toEqual(['cancel', 'estimate']);

    const direct = await act(eng, o, { action: 'start' });
    expect(direct.statusCode).toBe(409);
    expect(json<Err>(direct).error.code).toBe('REPAIR_APPROVAL_REQUIRED');
    expect(json<Err>(await act(eng, o, { action: 'send', rmaNumber: 'R' })).error.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(json<Err>(await act(eng, o, { action: 'estimate', estimatedCost: '12.345' })).error.code).toBe('VALIDATION_FAILED');

    const pending = await step(eng, o, { action: 'estimate', estimatedCost: '3500', comment: '更换主板' });
    expect(pending).toMatchObject({ status: 'cost_pending', estimatedCost: '3500.00', requestedBy: world.w.users.engineer.id });
    // The cost approval is a generic approval run: a task per manager, a notice with e-mail links.
    expect(await notifiedAbout(world.w.users.manager.id, 'approval.requested', o.number)).toBe(1);
    const tasks = await costTasks(o.id);
    expect(tasks.map((t) => t.approverId)).toContain(world.w.users.manager.id);
    expect(tasks.map((t) => t.approverId)).not.toContain(world.w.users.engineer.id);
    expect(pending.events.some((e) => e.kind === 'approval')).toBe(true);
    expect(json<Err>(await act(eng, pending, { action: 'start' })).error.code).toBe('REPAIR_APPROVAL_REQUIRED');
    const engApprove = await act(eng, pending, { action: 'approve' });
    expect(engApprove.statusCode).toBe(403);
    expect((await assetStatus(asset.id))?.s).toBe('in_stock');

    const mine = json<{ items: RepairOrder[] }>(await mgr.get('/api/repairs?pendingMyApproval=true&pageSize=200'));
    expect(mine.items.map((x) => x.id)).toContain(o.id);
    expect(json<{ items: RepairOrder[] }>(await eng.get('/api/repairs?pendingMyApproval=true')).items).toEqual([]);

    const approved = await step(mgr, pending, { action: 'approve', comment: '同意' });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: world.w.users.manager.id });
    expect(await notified(world.w.users.engineer.id, 'approval.decided', `/repairs/${o.id}`)).toBe(1);
    const decided = await costTasks(o.id);
    expect(decided.find((t) => t.approverId === world.w.users.manager.id)?.state).toBe('approved');
    expect(json<{ items: RepairOrder[] }>(await mgr.get('/api/repairs?pendingMyApproval=true&pageSize=200')).items.map((x) => x.id)).not.toContain(o.id);
    const started = await step(eng, approved, { action: 'start' });
    expect((await assetStatus(asset.id))?.s).toBe('under_repair');
    const back = await step(eng, started, { action: 'return' });
    expect((await assetStatus(asset.id))?.s).toBe('in_stock');
    const closed = await step(eng, back, { action: 'close', outcome: 'repaired', actualCost: '3200.00' });
    expect(closed.events.filter((e) => e.kind !== 'approval').map((e) => e.toStatus)).toEqual(['open', 'cost_pending', 'approved', 'in_repair', 'returned', 'closed']);
  });

  it('rejects with a comment, then re-estimates or closes', async () => {
    const asset = await makeAsset({ warrantyEnd: null });
    const eng = await world.w.as('engineer');
    const mgr = await world.w.as('manager');
    const o = await createOrder(eng, { assetId: asset.id });
    const pending = await step(eng, o, { action: 'estimate', estimatedCost: '9800.00' });
    const noComment = await act(mgr, pending, { action: 'reject' });
    expect(json<Err>(noComment).error.code).toBe('FIELD_REQUIRED');
    const rejected = await step(mgr, pending, { action: 'reject', comment: '费用过高，请比价' });
    expect(rejected).toMatchObject({ status: 'rejected', decisionComment: '费用过高，请比价', rejectedBy: world.w.users.manager.id });
    expect(json<Err>(await act(eng, rejected, { action: 'start' })).error.code).toBe('REPAIR_APPROVAL_REQUIRED');
    const again = await step(eng, rejected, { action: 'estimate', estimatedCost: '6000' });
    expect(again).toMatchObject({ status: 'cost_pending', estimatedCost: '6000.00', rejectedBy: null, decisionComment: null });
    const rejected2 = await step(mgr, again, { action: 'reject', comment: '不修了' });
    const closed = await step(eng, rejected2, { action: 'close' });
    expect(closed).toMatchObject({ status: 'closed', outcome: null });
    expect((await assetStatus(asset.id))?.s).toBe('in_use');
  });

  it('is decided from "my approvals" like any approval; cancelling the order cancels its run', async () => {
    const asset = await makeAsset({ warrantyEnd: null });
    const eng = await world.w.as('engineer');
    const mgr = await world.w.as('manager');
    const o = await createOrder(eng, { assetId: asset.id });
    const pending = await step(eng, o, { action: 'estimate', estimatedCost: '1200' });
    type Mine = { items: { taskId: number; ticket: { id: number; type: string; number: string; title: string } }[] };
    const mine = json<Mine>(await mgr.get('/api/approvals/mine?state=pending&limit=200'));
    const item = mine.items.find((x) => x.ticket.type === 'repair' && x.ticket.id === o.id);
    expect(item?.ticket).toMatchObject({ number: o.number });
    expect(item?.ticket.title).toContain('¥1200.00');
    // Deciding the task approves the order in the same transaction.
    const r = await mgr.post(`/api/approvals/tasks/${item?.taskId}/decision`, { decision: 'approve', comment: '同意维修' });
    expect(r.statusCode, r.body).toBe(200);
    const after = json<RepairOrderDetail>(await eng.get(`/api/repairs/${o.id}`));
    expect(after).toMatchObject({ status: 'approved', approvedBy: world.w.users.manager.id, decisionComment: '同意维修', version: pending.version + 1 });
    // The order shows its run like a ticket's approvals card.
    type Runs = { items: { state: string; approvalKey: string; steps: { tasks: { approverId: number; state: string }[] }[] }[] };
    const runs = json<Runs>(await eng.get(`/api/repairs/${o.id}/approvals`));
    expect(runs.items[0]).toMatchObject({ state: 'approved', approvalKey: 'repair_cost' });
    expect(runs.items[0]?.steps[0]?.tasks.find((t) => t.approverId === world.w.users.manager.id)?.state).toBe('approved');
    // A decided task cannot be decided again, through either door.
    expect((await mgr.post(`/api/approvals/tasks/${item?.taskId}/decision`, { decision: 'reject', comment: 'x' })).statusCode).toBe(409);

    // A second order: estimated, then cancelled while the cost is pending; its tasks are cancelled.
    const o2 = await createOrder(eng, { assetId: (await makeAsset({ warrantyEnd: null })).id });
    const p2 = await step(eng, o2, { action: 'estimate', estimatedCost: '50' });
    await step(eng, p2, { action: 'cancel' });
    const t2 = await costTasks(o2.id);
    expect(t2.length).toBeGreaterThan(0);
    expect(t2.every((t) => t.state === 'cancelled')).toBe(true);
  });

  it('is rejected from the e-mailed link without signing in', async () => {
    const eng = await world.w.as('engineer');
    const o = await createOrder(eng, { assetId: (await makeAsset({ warrantyEnd: null })).id });
    await step(eng, o, { action: 'estimate', estimatedCost: '880' });
    const [mail] = await db()
      .select({ payload: notificationDeliveries.payload })
      .from(notificationDeliveries)
      .where(
        and(
          eq(notificationDeliveries.userId, manager2.userId),
          eq(notificationDeliveries.event, 'approval.requested'),
          eq(notificationDeliveries.channel, 'email'),
          sql`${notificationDeliveries.payload}->'params'->>'number' = ${o.number}`,
        ),
      );
    const params = (mail?.payload as { params: Record<string, string> } | undefined)?.params;
    expect(params?.title).toContain('¥880.00');
    const token = params?.rejectLink?.replace('/approve/', '') ?? '';
    const anon = world.t.app;
    const info = await anon.inject({ method: 'GET', url: `/api/approval-links/${token}` });
    expect(info.statusCode, info.body).toBe(200);
    expect(json<{ decision: string; ticket: { number: string; type: string } }>(info)).toMatchObject({ decision: 'reject', ticket: { number: o.number, type: 'repair' } });
    const used = await anon.inject({ method: 'POST', url: `/api/approval-links/${token}`, payload: { comment: '请先比价' } });
    expect(used.statusCode, used.body).toBe(200);
    expect(json<{ ticketNumber: string; runState: string }>(used)).toMatchObject({ ticketNumber: o.number, runState: 'rejected' });
    const after = json<RepairOrderDetail>(await eng.get(`/api/repairs/${o.id}`));
    expect(after).toMatchObject({ status: 'rejected', rejectedBy: manager2.userId, decisionComment: '请先比价' });
    expect((await anon.inject({ method: 'POST', url: `/api/approval-links/${token}`, payload: {} })).statusCode).toBe(410);
  });

  it('refuses an approver who requested the cost', async () => {
    const asset = await makeAsset({ warrantyEnd: addDays(today(), -1) });
    const mgr = await world.w.as('manager');
    const o = await createOrder(mgr, { assetId: asset.id });
    const pending = await step(mgr, o, { action: 'estimate', estimatedCost: '100' });
    expect(pending.allowedActions).not.toContain('approve');
    const self = await act(mgr, pending, { action: 'approve' });
    expect(self.statusCode).toBe(403);
    expect(json<Err>(self).error.code).toBe('REPAIR_APPROVER_IS_REQUESTER');
    const row = (await db().select().from(repairOrders).where(eq(repairOrders.id, o.id)))[0];
    expect(row).toMatchObject({ status: 'cost_pending', approvedBy: null, version: pending.version });
    expect(json<{ items: RepairOrder[] }>(await mgr.get('/api/repairs?pendingMyApproval=true&pageSize=200')).items.map((x) => x.id)).not.toContain(o.id);
    // The requester is told nothing about their own request; the other manager is asked and decides.
    expect(await notifiedAbout(world.w.users.manager.id, 'approval.requested', o.number)).toBe(0);
    expect(await notifiedAbout(manager2.userId, 'approval.requested', o.number)).toBe(1);
    expect((await act(manager2, pending, { action: 'approve' })).statusCode).toBe(200);
  });
});

describe('repair order scope', () => {
  it('keeps customers out and other organisations’ orders invisible', async () => {
    const asset = await makeAsset();
    const eng = await world.w.as('engineer');
    const o = await createOrder(eng, { assetId: asset.id });
    const cust = await world.w.as('customerA');
    expect((await cust.get('/api/repairs')).statusCode).toBe(403);
    expect((await cust.get(`/api/repairs/${o.id}`)).statusCode).toBe(403);
    expect((await cust.post('/api/repairs', { assetId: asset.id, fault: 'x' })).statusCode).toBe(403);
    const outsider = await world.w.as('outsider');
    expect((await outsider.get(`/api/repairs/${o.id}`)).statusCode).toBe(404);
    const denied = await db()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'access.denied'), eq(auditLog.objectType, 'repair_order'), eq(auditLog.objectId, String(o.id))));
    expect(denied[0]?.n).toBe(1);
    expect((await act(outsider, o, { action: 'cancel' })).statusCode).toBe(404);
    expect(json<{ items: RepairOrder[] }>(await outsider.get(`/api/repairs?assetId=${asset.id}`)).items).toEqual([]);
    const foreign = await outsider.post('/api/repairs', { assetId: asset.id, fault: 'x' });
    expect(json<Err>(foreign).error.code).toBe('REFERENCE_INVALID');
    const [n] = await db().select({ n: count() }).from(repairOrders).where(eq(repairOrders.assetId, asset.id));
    expect(n?.n).toBe(1);
    const [ev] = await db().select({ n: count() }).from(repairOrderEvents).where(eq(repairOrderEvents.repairOrderId, o.id));
    expect(ev?.n).toBe(1);
  });

  it('records documents on the timeline', async () => {
    const asset = await makeAsset();
    const eng = await world.w.as('engineer');
    const o = await createOrder(eng, { assetId: asset.id });
    const res = await eng.post(`/api/repairs/${o.id}/documents`, { name: '原厂 RMA 单', url: 'https://support.example.com/rma/88001', description: '扫描件' });
    expect(res.statusCode, res.body).toBe(201);
    const bad = await eng.post(`/api/repairs/${o.id}/documents`, { name: 'x', url: 'not a url' });
    expect(bad.statusCode).toBe(400);
    const d = json<RepairOrderDetail>(await eng.get(`/api/repairs/${o.id}`));
    expect(d.documents.map((x) => x.name)).toEqual(['原厂 RMA 单']);
    expect(d.events.map((e) => e.kind)).toEqual(['created', 'document']);
  });
});
