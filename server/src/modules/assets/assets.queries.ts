import { and, asc, count, desc, eq, gte, ilike, inArray, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { vendorContracts, vendors } from '../vendors/vendors.tables.ts';
import { assetEvents, assets } from './assets.tables.ts';

export type AssetRow = typeof assets.$inferSelect;
export type AssetInsert = typeof assets.$inferInsert;

const wiper = alias(users, 'wiper');

/** The asset with the names the API shows next to its references. */
const withNames = {
  a: assets,
  orgName: organizations.name,
  ciName: ciItems.name,
  userName: users.displayName,
  vendorName: vendors.name,
  contractNumber: vendorContracts.number,
  wipeConfirmedByName: wiper.displayName,
};
export type AssetView = { a: AssetRow; orgName: string; ciName: string | null; userName: string | null; vendorName: string | null; contractNumber: string | null; wipeConfirmedByName: string | null };

function selectViews(q: Queryable) {
  return q
    .select(withNames)
    .from(assets)
    .innerJoin(organizations, eq(organizations.id, assets.orgId))
    .leftJoin(ciItems, eq(ciItems.id, assets.ciId))
    .leftJoin(users, eq(users.id, assets.userId))
    .leftJoin(vendors, eq(vendors.id, assets.vendorId))
    .leftJoin(vendorContracts, eq(vendorContracts.id, assets.contractId))
    .leftJoin(wiper, eq(wiper.id, assets.wipeConfirmedBy));
}

export async function findAssetView(q: Queryable, id: number): Promise<AssetView | undefined> {
  const [row] = await selectViews(q).where(eq(assets.id, id));
  return row;
}

export async function findAssetByTag(q: Queryable, tag: string) {
  const [row] = await q.select({ id: assets.id, orgId: assets.orgId }).from(assets).where(eq(assets.assetTag, tag));
  return row;
}

export async function findAsset(q: Queryable, id: number) {
  const [row] = await q.select().from(assets).where(eq(assets.id, id));
  return row;
}

export async function lockAsset(q: Queryable, id: number) {
  const [row] = await q.select().from(assets).where(eq(assets.id, id)).for('update');
  return row;
}

export async function insertAsset(q: Queryable, v: AssetInsert) {
  const [row] = await q.insert(assets).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateAsset(q: Queryable, id: number, patch: Partial<AssetInsert>) {
  const [row] = await q
    .update(assets)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(assets.id, id))
    .returning();
  if (!row) throw new Error('update returned nothing');
  return row;
}

export async function nextTagNumber(q: Queryable): Promise<number> {
  const [r] = await rows<{ n: string | number }>(q, sql`SELECT nextval('asset_tag_seq') AS n`);
  return Number(r?.n);
}

export async function tagTaken(q: Queryable, tag: string, exceptId: number | null) {
  const conds: SQL[] = [eq(assets.assetTag, tag)];
  if (exceptId) conds.push(ne(assets.id, exceptId));
  const [r] = await q.select({ id: assets.id }).from(assets).where(and(...conds)).limit(1);
  return r !== undefined;
}

export async function serialTaken(q: Queryable, serial: string, exceptId: number | null) {
  const conds: SQL[] = [eq(assets.serialNumber, serial)];
  if (exceptId) conds.push(ne(assets.id, exceptId));
  const [r] = await q.select({ id: assets.id }).from(assets).where(and(...conds)).limit(1);
  return r !== undefined;
}

/** The asset already linked to this CI, if any (one asset per CI). */
export async function assetOfCi(q: Queryable, ciId: number, exceptId: number | null) {
  const conds: SQL[] = [eq(assets.ciId, ciId)];
  if (exceptId) conds.push(ne(assets.id, exceptId));
  const [r] = await q.select({ id: assets.id, assetTag: assets.assetTag }).from(assets).where(and(...conds)).limit(1);
  return r;
}

export async function ciOrg(q: Queryable, id: number) {
  const [r] = await q.select({ orgId: ciItems.orgId }).from(ciItems).where(eq(ciItems.id, id));
  return r?.orgId;
}

export async function vendorExists(q: Queryable, id: number) {
  const [r] = await q.select({ id: vendors.id }).from(vendors).where(eq(vendors.id, id));
  return r !== undefined;
}

export async function findContract(q: Queryable, id: number) {
  const [r] = await q.select({ id: vendorContracts.id, vendorId: vendorContracts.vendorId, orgId: vendorContracts.orgId }).from(vendorContracts).where(eq(vendorContracts.id, id));
  return r;
}

export async function activeUserExists(q: Queryable, id: number) {
  const [r] = await q.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.status, 'active')));
  return r !== undefined;
}

export async function orgExists(q: Queryable, id: number) {
  const [r] = await q.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  return r !== undefined;
}

export async function ticketOrg(q: Queryable, id: number) {
  const [r] = await q.select({ orgId: tickets.orgId }).from(tickets).where(eq(tickets.id, id));
  return r?.orgId;
}

export type AssetListFilter = {
  orgIds: number[] | null;
  status?: AssetRow['status'];
  kind?: AssetRow['kind'];
  category?: string;
  text?: string;
  ciId?: number;
  /** Warranty ends between these dates (YYYY-MM-DD, inclusive). */
  warrantyBetween?: [string, string];
  includeDisposed: boolean;
  sort: 'id' | 'assetTag' | 'name' | 'warrantyEnd' | 'purchaseDate' | 'updatedAt';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
};

const SORT_COLUMNS = {
  id: assets.id,
  assetTag: assets.assetTag,
  name: assets.name,
  warrantyEnd: assets.warrantyEnd,
  purchaseDate: assets.purchaseDate,
  updatedAt: assets.updatedAt,
} as const;

export async function listAssets(q: Queryable, f: AssetListFilter) {
  const conds: SQL[] = [];
  if (f.orgIds) conds.push(inArray(assets.orgId, f.orgIds.length ? f.orgIds : [0]));
  if (f.status) conds.push(eq(assets.status, f.status));
  else if (!f.includeDisposed) conds.push(ne(assets.status, 'disposed'));
  if (f.kind) conds.push(eq(assets.kind, f.kind));
  if (f.category) conds.push(eq(assets.category, f.category));
  if (f.ciId) conds.push(eq(assets.ciId, f.ciId));
  if (f.warrantyBetween) {
    conds.push(gte(assets.warrantyEnd, f.warrantyBetween[0]), lte(assets.warrantyEnd, f.warrantyBetween[1]), notInArray(assets.status, ['retired', 'disposed']));
  }
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const m = or(ilike(assets.assetTag, like), ilike(assets.name, like), ilike(assets.serialNumber, like));
    if (m) conds.push(m);
  }
  const where = conds.length ? and(...conds) : undefined;
  const col = SORT_COLUMNS[f.sort];
  const dir = f.order === 'asc' ? asc : desc;
  const items = await selectViews(q)
    .where(where)
    .orderBy(sql`${dir(col)} NULLS LAST`, dir(assets.id))
    .limit(f.limit)
    .offset(f.offset);
  const [total] = await q.select({ n: count() }).from(assets).where(where);
  return { items, total: Number(total?.n ?? 0) };
}

export async function insertEvent(q: Queryable, v: typeof assetEvents.$inferInsert) {
  await q.insert(assetEvents).values(v);
}

export async function eventsOf(q: Queryable, assetId: number) {
  return q
    .select({ e: assetEvents, actorName: users.displayName })
    .from(assetEvents)
    .leftJoin(users, eq(users.id, assetEvents.actorId))
    .where(eq(assetEvents.assetId, assetId))
    .orderBy(desc(assetEvents.id));
}

export async function distinctCategories(q: Queryable, orgIds: number[] | null) {
  const where = orgIds ? inArray(assets.orgId, orgIds.length ? orgIds : [0]) : undefined;
  const r = await q.selectDistinct({ c: assets.category }).from(assets).where(where).orderBy(asc(assets.category));
  return r.map((x) => x.c).filter((c) => c !== '');
}
