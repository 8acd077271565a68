import { aliasedTable, and, asc, count, desc, eq, ilike, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { RepairStatus } from '@tianshu/contracts';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { assetEvents, assets } from '../assets/assets.tables.ts';
import { repairOrderDocuments, repairOrderEvents, repairOrders } from './repairs.tables.ts';
import { vendorContracts, vendors } from './vendors.tables.ts';

export type RepairRow = typeof repairOrders.$inferSelect;

export async function nextRepairSeq(q: Queryable): Promise<number> {
  const [r] = await rows<{ n: number | string }>(q, sql`SELECT nextval('repair_order_seq') AS n`);
  return Number(r?.n);
}

/* --------------------------------- assets -------------------------------- */

const assetColumns = {
  id: assets.id,
  assetTag: assets.assetTag,
  name: assets.name,
  orgId: assets.orgId,
  status: assets.status,
  warrantyEnd: assets.warrantyEnd,
  vendorId: assets.vendorId,
  contractId: assets.contractId,
};

export async function findAsset(q: Queryable, id: number) {
  const [row] = await q.select(assetColumns).from(assets).where(eq(assets.id, id));
  return row;
}

/** Locks the asset row: its status moves with the repair, and two orders must not both take it. */
export async function lockAsset(q: Queryable, id: number) {
  const [row] = await q.select(assetColumns).from(assets).where(eq(assets.id, id)).for('update');
  return row;
}

/** Moves the asset's status for a repair and writes its lifecycle event (same transaction as the caller). */
export async function moveAssetForRepair(q: Queryable, a: { assetId: number; from: string; to: string; actorId: number | null; ticketId: number | null; note: string }) {
  await q.execute(sql`UPDATE assets SET status = ${a.to}, version = version + 1, updated_at = now() WHERE id = ${a.assetId}`);
  await q.insert(assetEvents).values({ assetId: a.assetId, kind: 'repair', fromStatus: a.from, toStatus: a.to, actorId: a.actorId, ticketId: a.ticketId, note: a.note });
}

/* ------------------------------ references ------------------------------- */

export async function findTicket(q: Queryable, id: number) {
  const [row] = await q.select({ id: tickets.id, orgId: tickets.orgId, type: tickets.type }).from(tickets).where(eq(tickets.id, id));
  return row;
}

export async function findContractBrief(q: Queryable, id: number) {
  const [row] = await q
    .select({ id: vendorContracts.id, vendorId: vendorContracts.vendorId, orgId: vendorContracts.orgId, kind: vendorContracts.kind, startDate: vendorContracts.startDate, endDate: vendorContracts.endDate })
    .from(vendorContracts)
    .where(eq(vendorContracts.id, id));
  return row;
}

export async function vendorExists(q: Queryable, id: number) {
  const [row] = await q.select({ id: vendors.id }).from(vendors).where(eq(vendors.id, id));
  return row !== undefined;
}

/** Active managers (the role holding repair.approve) of provider organisations: who hears of expiring warranties. */
export async function approverIds(q: Queryable): Promise<number[]> {
  const r = await q
    .select({ id: users.id })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(organizations.kind, 'provider'), eq(users.status, 'active'), sql`'manager' = ANY(${users.roles})`))
    .orderBy(asc(users.id));
  return r.map((x) => x.id);
}

/** The user's pending task in the order's cost approval run (generic approvals), if any. */
export async function pendingCostTaskOf(q: Queryable, orderId: number, userId: number): Promise<number | null> {
  const r = await rows<{ id: number }>(
    q,
    sql`SELECT id FROM approval_tasks WHERE subject_type = 'repair_order' AND subject_id = ${orderId} AND approver_id = ${userId} AND state = 'pending' ORDER BY id LIMIT 1`,
  );
  return r[0] ? Number(r[0].id) : null;
}

/* --------------------------------- orders -------------------------------- */

export async function insertOrder(q: Queryable, v: typeof repairOrders.$inferInsert) {
  const [row] = await q.insert(repairOrders).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function lockOrder(q: Queryable, id: number) {
  const [row] = await q.select().from(repairOrders).where(eq(repairOrders.id, id)).for('update');
  return row;
}

export async function findOrderOrg(q: Queryable, id: number) {
  const [row] = await q.select({ id: repairOrders.id, orgId: repairOrders.orgId }).from(repairOrders).where(eq(repairOrders.id, id));
  return row;
}

export async function updateOrder(q: Queryable, id: number, patch: Partial<typeof repairOrders.$inferInsert>) {
  const [row] = await q
    .update(repairOrders)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(repairOrders.id, id))
    .returning();
  if (!row) throw new Error('update returned nothing');
  return row;
}

export async function insertEvent(q: Queryable, v: typeof repairOrderEvents.$inferInsert) {
  await q.insert(repairOrderEvents).values(v);
}

const creator = aliasedTable(users, 'creator');
const requester = aliasedTable(users, 'requester');

const orderColumns = {
  r: repairOrders,
  assetTag: assets.assetTag,
  assetName: assets.name,
  orgName: organizations.name,
  ticketNumber: tickets.number,
  vendorName: vendors.name,
  contractNumber: vendorContracts.number,
  resolutionHours: sql<number | null>`(${vendorContracts.serviceLevel}->>'resolutionHours')::float8`,
  createdByName: creator.displayName,
  requestedByName: requester.displayName,
};
export type OrderJoined = {
  r: RepairRow;
  assetTag: string;
  assetName: string;
  orgName: string;
  ticketNumber: string | null;
  vendorName: string | null;
  contractNumber: string | null;
  resolutionHours: number | null;
  createdByName: string | null;
  requestedByName: string | null;
};

function orderSelect(q: Queryable) {
  return q
    .select(orderColumns)
    .from(repairOrders)
    .innerJoin(assets, eq(assets.id, repairOrders.assetId))
    .innerJoin(organizations, eq(organizations.id, repairOrders.orgId))
    .leftJoin(tickets, eq(tickets.id, repairOrders.ticketId))
    .leftJoin(vendors, eq(vendors.id, repairOrders.vendorId))
    .leftJoin(vendorContracts, eq(vendorContracts.id, repairOrders.contractId))
    .leftJoin(creator, eq(creator.id, repairOrders.createdBy))
    .leftJoin(requester, eq(requester.id, repairOrders.requestedBy));
}

export async function findOrder(q: Queryable, id: number): Promise<OrderJoined | undefined> {
  const [row] = await orderSelect(q).where(eq(repairOrders.id, id));
  return row;
}

/** Out longer than the contract's resolution hours, counted from sent (in warranty) or approved (out of warranty). */
const overdueSql = (now: Date) => sql`(${repairOrders.status} IN ('sent_to_vendor', 'approved', 'in_repair')
  AND (${vendorContracts.serviceLevel}->>'resolutionHours') IS NOT NULL
  AND (CASE WHEN ${repairOrders.inWarranty} THEN ${repairOrders.sentAt} ELSE ${repairOrders.approvedAt} END)
      + ((${vendorContracts.serviceLevel}->>'resolutionHours')::float8 * interval '1 hour') < ${now.toISOString()}::timestamptz)`;

export type OrderFilter = {
  orgIds: number[] | null;
  status?: RepairStatus;
  final?: boolean;
  inWarranty?: boolean;
  overdueAt?: Date;
  /** Cost decisions waiting for this user: a pending task of theirs in the order's approval run. */
  pendingFor?: number;
  assetId?: number;
  vendorId?: number;
  text?: string;
  limit: number;
  offset: number;
};

export async function listOrders(q: Queryable, f: OrderFilter): Promise<{ items: OrderJoined[]; total: number }> {
  const conds: (SQL | undefined)[] = [];
  if (f.orgIds !== null) conds.push(f.orgIds.length ? inArray(repairOrders.orgId, f.orgIds) : sql`false`);
  if (f.status) conds.push(eq(repairOrders.status, f.status));
  if (f.final !== undefined) conds.push(f.final ? inArray(repairOrders.status, ['closed', 'cancelled']) : notInArray(repairOrders.status, ['closed', 'cancelled']));
  if (f.inWarranty !== undefined) conds.push(eq(repairOrders.inWarranty, f.inWarranty));
  if (f.overdueAt) conds.push(overdueSql(f.overdueAt));
  if (f.pendingFor !== undefined) {
    conds.push(
      eq(repairOrders.status, 'cost_pending'),
      sql`EXISTS (SELECT 1 FROM approval_tasks x WHERE x.subject_type = 'repair_order' AND x.subject_id = ${repairOrders.id} AND x.approver_id = ${f.pendingFor} AND x.state = 'pending')`,
    );
  }
  if (f.assetId !== undefined) conds.push(eq(repairOrders.assetId, f.assetId));
  if (f.vendorId !== undefined) conds.push(eq(repairOrders.vendorId, f.vendorId));
  if (f.text) conds.push(or(ilike(repairOrders.number, `%${f.text}%`), ilike(assets.assetTag, `%${f.text}%`), ilike(repairOrders.rmaNumber, `%${f.text}%`)));
  const where = and(...conds);
  const items = await orderSelect(q).where(where).orderBy(desc(repairOrders.id)).limit(f.limit).offset(f.offset);
  const [total] = await q
    .select({ n: count() })
    .from(repairOrders)
    .innerJoin(assets, eq(assets.id, repairOrders.assetId))
    .leftJoin(vendorContracts, eq(vendorContracts.id, repairOrders.contractId))
    .where(where);
  return { items, total: Number(total?.n ?? 0) };
}

export async function eventsOf(q: Queryable, orderId: number) {
  return q
    .select({ e: repairOrderEvents, actorName: users.displayName })
    .from(repairOrderEvents)
    .leftJoin(users, eq(users.id, repairOrderEvents.actorId))
    .where(eq(repairOrderEvents.repairOrderId, orderId))
    .orderBy(asc(repairOrderEvents.id));
}

export async function documentsOf(q: Queryable, orderId: number) {
  return q
    .select({ d: repairOrderDocuments, addedByName: users.displayName })
    .from(repairOrderDocuments)
    .leftJoin(users, eq(users.id, repairOrderDocuments.addedBy))
    .where(eq(repairOrderDocuments.repairOrderId, orderId))
    .orderBy(asc(repairOrderDocuments.id));
}

export async function insertDocument(q: Queryable, v: typeof repairOrderDocuments.$inferInsert) {
  const [row] = await q.insert(repairOrderDocuments).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** A document with the organisation of its order, for the scope check of a download. */
export async function findDocument(q: Queryable, id: number) {
  const [row] = await q
    .select({ d: repairOrderDocuments, orgId: repairOrders.orgId })
    .from(repairOrderDocuments)
    .innerJoin(repairOrders, eq(repairOrders.id, repairOrderDocuments.repairOrderId))
    .where(eq(repairOrderDocuments.id, id));
  return row;
}
