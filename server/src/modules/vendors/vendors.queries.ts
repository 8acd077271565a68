import { and, asc, count, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/db.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { slaDefinitions } from '../sla/sla.tables.ts';
import { repairOrders } from './repairs.tables.ts';
import { vendorContacts, vendorContracts, vendorEvaluations, vendors } from './vendors.tables.ts';

export type VendorRow = typeof vendors.$inferSelect;
export type ContactRow = typeof vendorContacts.$inferSelect;
export type ContractRow = typeof vendorContracts.$inferSelect;

/* -------------------------------- vendors -------------------------------- */

export async function findVendor(q: Queryable, id: number) {
  const [row] = await q.select().from(vendors).where(eq(vendors.id, id));
  return row;
}

export async function lockVendor(q: Queryable, id: number) {
  const [row] = await q.select().from(vendors).where(eq(vendors.id, id)).for('update');
  return row;
}

export async function vendorNameTaken(q: Queryable, name: string, exceptId: number | null) {
  const [row] = await q
    .select({ id: vendors.id })
    .from(vendors)
    .where(and(sql`lower(${vendors.name}) = lower(${name})`, exceptId === null ? undefined : sql`${vendors.id} <> ${exceptId}`));
  return row !== undefined;
}

export async function creditCodeTaken(q: Queryable, code: string, exceptId: number | null) {
  const [row] = await q
    .select({ id: vendors.id })
    .from(vendors)
    .where(and(eq(vendors.creditCode, code), exceptId === null ? undefined : sql`${vendors.id} <> ${exceptId}`));
  return row !== undefined;
}

export async function insertVendor(q: Queryable, v: typeof vendors.$inferInsert) {
  const [row] = await q.insert(vendors).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateVendor(q: Queryable, id: number, patch: Partial<typeof vendors.$inferInsert>) {
  const [row] = await q
    .update(vendors)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(vendors.id, id))
    .returning();
  if (!row) throw new Error('update returned nothing');
  return row;
}

export async function contactsOf(q: Queryable, vendorIds: number[]) {
  if (!vendorIds.length) return [];
  return q.select().from(vendorContacts).where(inArray(vendorContacts.vendorId, vendorIds)).orderBy(asc(vendorContacts.id));
}

export async function replaceContacts(q: Queryable, vendorId: number, list: Omit<typeof vendorContacts.$inferInsert, 'vendorId'>[]) {
  await q.delete(vendorContacts).where(eq(vendorContacts.vendorId, vendorId));
  if (list.length) await q.insert(vendorContacts).values(list.map((c) => ({ ...c, vendorId })));
}

export async function listVendors(q: Queryable, f: { text?: string; kind?: VendorRow['kind']; active?: boolean; limit: number; offset: number }) {
  const conds: SQL[] = [];
  if (f.text) conds.push(or(ilike(vendors.name, `%${f.text}%`), ilike(vendors.creditCode, `%${f.text}%`)) as SQL);
  if (f.kind) conds.push(eq(vendors.kind, f.kind));
  if (f.active !== undefined) conds.push(eq(vendors.active, f.active));
  const where = conds.length ? and(...conds) : undefined;
  const items = await q
    .select({
      v: vendors,
      contractCount: sql<number>`(SELECT count(*)::int FROM vendor_contracts c WHERE c.vendor_id = vendors.id)`,
      latestGrade: sql<'A' | 'B' | 'C' | 'D' | null>`(SELECT e.grade FROM vendor_evaluations e WHERE e.vendor_id = vendors.id ORDER BY e.year DESC LIMIT 1)`,
      openRepairs: sql<number>`(SELECT count(*)::int FROM repair_orders r WHERE r.vendor_id = vendors.id AND r.status NOT IN ('closed', 'cancelled'))`,
    })
    .from(vendors)
    .where(where)
    .orderBy(asc(sql`lower(${vendors.name})`), asc(vendors.id))
    .limit(f.limit)
    .offset(f.offset);
  const [total] = await q.select({ n: count() }).from(vendors).where(where);
  return { items, total: Number(total?.n ?? 0) };
}

/* ------------------------------- contracts ------------------------------- */

const contractColumns = {
  c: vendorContracts,
  vendorName: vendors.name,
  orgName: organizations.name,
  slaDefinitionName: slaDefinitions.name,
};

export type ContractJoined = { c: ContractRow; vendorName: string; orgName: string | null; slaDefinitionName: string | null };

function contractSelect(q: Queryable) {
  return q
    .select(contractColumns)
    .from(vendorContracts)
    .innerJoin(vendors, eq(vendors.id, vendorContracts.vendorId))
    .leftJoin(organizations, eq(organizations.id, vendorContracts.orgId))
    .leftJoin(slaDefinitions, eq(slaDefinitions.id, vendorContracts.slaDefinitionId));
}

/** Contracts visible under an organisation scope: the provider's own (no org) and those of organisations in scope. */
const contractScope = (orgIds: number[] | null): SQL | undefined =>
  orgIds === null ? undefined : orgIds.length ? (or(isNull(vendorContracts.orgId), inArray(vendorContracts.orgId, orgIds)) as SQL) : isNull(vendorContracts.orgId);

export async function findContract(q: Queryable, id: number): Promise<ContractJoined | undefined> {
  const [row] = await contractSelect(q).where(eq(vendorContracts.id, id));
  return row;
}

export async function lockContract(q: Queryable, id: number) {
  const [row] = await q.select().from(vendorContracts).where(eq(vendorContracts.id, id)).for('update');
  return row;
}

export async function contractNumberTaken(q: Queryable, number: string, exceptId: number | null) {
  const [row] = await q
    .select({ id: vendorContracts.id })
    .from(vendorContracts)
    .where(and(eq(vendorContracts.number, number), exceptId === null ? undefined : sql`${vendorContracts.id} <> ${exceptId}`));
  return row !== undefined;
}

export async function insertContract(q: Queryable, v: typeof vendorContracts.$inferInsert) {
  const [row] = await q.insert(vendorContracts).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateContract(q: Queryable, id: number, patch: Partial<typeof vendorContracts.$inferInsert>) {
  await q
    .update(vendorContracts)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(vendorContracts.id, id));
}

export async function listContracts(
  q: Queryable,
  f: { orgIds: number[] | null; vendorId?: number; endFrom?: string; endTo?: string; text?: string; limit: number; offset: number },
): Promise<{ items: ContractJoined[]; total: number }> {
  const conds: (SQL | undefined)[] = [contractScope(f.orgIds)];
  if (f.vendorId !== undefined) conds.push(eq(vendorContracts.vendorId, f.vendorId));
  if (f.endFrom) conds.push(sql`${vendorContracts.endDate} >= ${f.endFrom}`);
  if (f.endTo) conds.push(sql`${vendorContracts.endDate} <= ${f.endTo}`);
  if (f.text) conds.push(or(ilike(vendorContracts.number, `%${f.text}%`), ilike(vendorContracts.title, `%${f.text}%`)));
  const where = and(...conds);
  const items = await contractSelect(q).where(where).orderBy(asc(vendorContracts.endDate), asc(vendorContracts.id)).limit(f.limit).offset(f.offset);
  const [total] = await q.select({ n: count() }).from(vendorContracts).where(where);
  return { items, total: Number(total?.n ?? 0) };
}

export async function slaDefinitionKind(q: Queryable, id: number) {
  const [row] = await q.select({ kind: slaDefinitions.kind }).from(slaDefinitions).where(eq(slaDefinitions.id, id));
  return row?.kind;
}

export async function orgExists(q: Queryable, id: number) {
  const [row] = await q.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  return row !== undefined;
}

/* ------------------------------ evaluations ------------------------------ */

export async function evaluationsOf(q: Queryable, vendorId: number) {
  return q
    .select({ e: vendorEvaluations, evaluatedByName: users.displayName })
    .from(vendorEvaluations)
    .innerJoin(users, eq(users.id, vendorEvaluations.evaluatedBy))
    .where(eq(vendorEvaluations.vendorId, vendorId))
    .orderBy(asc(vendorEvaluations.year));
}

export async function evaluationExists(q: Queryable, vendorId: number, year: number) {
  const [row] = await q
    .select({ id: vendorEvaluations.id })
    .from(vendorEvaluations)
    .where(and(eq(vendorEvaluations.vendorId, vendorId), eq(vendorEvaluations.year, year)));
  return row !== undefined;
}

export async function insertEvaluation(q: Queryable, v: typeof vendorEvaluations.$inferInsert) {
  const [row] = await q.insert(vendorEvaluations).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/* --------------------------------- repairs -------------------------------- */

/** Repair orders of one vendor in scope, with their clock fields, for the turnaround figures. */
export async function vendorRepairClocks(q: Queryable, vendorId: number, orgIds: number[] | null) {
  return q
    .select({
      status: repairOrders.status,
      inWarranty: repairOrders.inWarranty,
      sentAt: repairOrders.sentAt,
      approvedAt: repairOrders.approvedAt,
      returnedAt: repairOrders.returnedAt,
      resolutionHours: sql<number | null>`(${vendorContracts.serviceLevel}->>'resolutionHours')::float8`,
    })
    .from(repairOrders)
    .leftJoin(vendorContracts, eq(vendorContracts.id, repairOrders.contractId))
    .where(and(eq(repairOrders.vendorId, vendorId), orgIds === null ? undefined : orgIds.length ? inArray(repairOrders.orgId, orgIds) : sql`false`))
    .orderBy(desc(repairOrders.id))
    .limit(5000);
}
