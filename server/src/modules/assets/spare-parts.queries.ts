import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { sparePartMovements, spareParts, sparePartStock, sparePartTests } from './spare-parts.tables.ts';

export type PartRow = typeof spareParts.$inferSelect;
export type PartInsert = typeof spareParts.$inferInsert;

/** Which parts an actor sees: null = all; else the shared stock (when allowed) and these organisations. */
export type PartScope = { orgIds: number[] | null; shared: boolean };

function scopeCondition(s: PartScope): SQL | undefined {
  if (s.orgIds === null) return s.shared ? undefined : sql`${spareParts.orgId} IS NOT NULL`;
  const own = inArray(spareParts.orgId, s.orgIds.length ? s.orgIds : [0]);
  return s.shared ? or(isNull(spareParts.orgId), own) : own;
}

export async function findPart(q: Queryable, id: number) {
  const [r] = await q.select({ p: spareParts, orgName: organizations.name }).from(spareParts).leftJoin(organizations, eq(organizations.id, spareParts.orgId)).where(eq(spareParts.id, id));
  return r;
}

export async function lockPart(q: Queryable, id: number) {
  const [r] = await q.select().from(spareParts).where(eq(spareParts.id, id)).for('update');
  return r;
}

export async function insertPart(q: Queryable, v: PartInsert) {
  const [r] = await q.insert(spareParts).values(v).returning();
  if (!r) throw new Error('insert returned nothing');
  return r;
}

export async function updatePart(q: Queryable, id: number, patch: Partial<PartInsert>) {
  const [r] = await q
    .update(spareParts)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(spareParts.id, id))
    .returning();
  if (!r) throw new Error('update returned nothing');
  return r;
}

export async function partNumberTaken(q: Queryable, partNumber: string, exceptId: number | null) {
  const conds: SQL[] = [sql`lower(${spareParts.partNumber}) = lower(${partNumber})`];
  if (exceptId) conds.push(ne(spareParts.id, exceptId));
  const [r] = await q.select({ id: spareParts.id }).from(spareParts).where(and(...conds)).limit(1);
  return r !== undefined;
}

export async function listParts(
  q: Queryable,
  f: { scope: PartScope; org?: number | 'shared'; category?: string; text?: string; belowMinimum?: boolean; testOverdueBefore?: string; limit: number; offset: number },
) {
  const conds: SQL[] = [];
  const sc = scopeCondition(f.scope);
  if (sc) conds.push(sc);
  if (f.org === 'shared') conds.push(isNull(spareParts.orgId));
  else if (f.org !== undefined) conds.push(eq(spareParts.orgId, f.org));
  if (f.category) conds.push(eq(spareParts.category, f.category));
  if (f.belowMinimum) conds.push(sql`${spareParts.totalQuantity} < ${spareParts.minStock}`);
  if (f.testOverdueBefore) conds.push(lt(spareParts.nextTestDue, f.testOverdueBefore));
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const m = or(ilike(spareParts.partNumber, like), ilike(spareParts.name, like), ilike(spareParts.model, like));
    if (m) conds.push(m);
  }
  const where = conds.length ? and(...conds) : undefined;
  const items = await q
    .select({ p: spareParts, orgName: organizations.name })
    .from(spareParts)
    .leftJoin(organizations, eq(organizations.id, spareParts.orgId))
    .where(where)
    .orderBy(asc(spareParts.partNumber), asc(spareParts.id))
    .limit(f.limit)
    .offset(f.offset);
  const [total] = await q.select({ n: count() }).from(spareParts).where(where);
  return { items, total: Number(total?.n ?? 0) };
}

export async function stockOf(q: Queryable, partId: number) {
  return q.select().from(sparePartStock).where(and(eq(sparePartStock.partId, partId), gt(sparePartStock.quantity, 0))).orderBy(asc(sparePartStock.location));
}

export async function quantityAt(q: Queryable, partId: number, location: string): Promise<number> {
  const [r] = await q
    .select({ n: sparePartStock.quantity })
    .from(sparePartStock)
    .where(and(eq(sparePartStock.partId, partId), eq(sparePartStock.location, location)));
  return r?.n ?? 0;
}

/** Takes n from a location only if that many are there: concurrent takes cannot oversell. False when short. */
export async function takeStock(q: Queryable, partId: number, location: string, n: number): Promise<boolean> {
  const r = await q
    .update(sparePartStock)
    .set({ quantity: sql`${sparePartStock.quantity} - ${n}`, updatedAt: new Date() })
    .where(and(eq(sparePartStock.partId, partId), eq(sparePartStock.location, location), sql`${sparePartStock.quantity} >= ${n}`))
    .returning({ partId: sparePartStock.partId });
  return r.length === 1;
}

export async function putStock(q: Queryable, partId: number, location: string, n: number) {
  await q
    .insert(sparePartStock)
    .values({ partId, location, quantity: n })
    .onConflictDoUpdate({ target: [sparePartStock.partId, sparePartStock.location], set: { quantity: sql`${sparePartStock.quantity} + ${n}`, updatedAt: new Date() } });
}

export async function insertMovement(q: Queryable, v: typeof sparePartMovements.$inferInsert) {
  const [r] = await q.insert(sparePartMovements).values(v).returning();
  if (!r) throw new Error('insert returned nothing');
  return r;
}

export async function movementsOf(q: Queryable, partId: number, limit: number) {
  return q
    .select({ m: sparePartMovements, actorName: users.displayName })
    .from(sparePartMovements)
    .leftJoin(users, eq(users.id, sparePartMovements.actorId))
    .where(eq(sparePartMovements.partId, partId))
    .orderBy(desc(sparePartMovements.id))
    .limit(limit);
}

export async function insertTest(q: Queryable, v: typeof sparePartTests.$inferInsert) {
  const [r] = await q.insert(sparePartTests).values(v).returning();
  if (!r) throw new Error('insert returned nothing');
  return r;
}

export async function testsOf(q: Queryable, partId: number) {
  return q
    .select({ t: sparePartTests, testedByName: users.displayName })
    .from(sparePartTests)
    .leftJoin(users, eq(users.id, sparePartTests.testedBy))
    .where(eq(sparePartTests.partId, partId))
    .orderBy(desc(sparePartTests.testedAt), desc(sparePartTests.id));
}

/** The next due date set by the most recent test (by test date). */
export async function latestNextDue(q: Queryable, partId: number): Promise<string | null> {
  const [r] = await q
    .select({ d: sparePartTests.nextDue })
    .from(sparePartTests)
    .where(eq(sparePartTests.partId, partId))
    .orderBy(desc(sparePartTests.testedAt), desc(sparePartTests.id))
    .limit(1);
  return r?.d ?? null;
}

export async function distinctLocations(q: Queryable, partIds: number[] | null) {
  const where = partIds ? inArray(sparePartStock.partId, partIds.length ? partIds : [0]) : undefined;
  const r = await q.selectDistinct({ l: sparePartStock.location }).from(sparePartStock).where(where).orderBy(asc(sparePartStock.location));
  return r.map((x) => x.l);
}

export async function orgExists(q: Queryable, id: number) {
  const [r] = await q.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  return r !== undefined;
}

export async function ticketOrg(q: Queryable, id: number) {
  const [r] = await q.select({ orgId: tickets.orgId }).from(tickets).where(eq(tickets.id, id));
  return r?.orgId;
}

/**
 * Active users who manage assets in the part's scope: the roles in `wideRoles` see every organisation;
 * the others (engineers) only organisations their groups serve, or the shared stock.
 */
export async function stockKeeperIds(q: Queryable, orgId: number | null, manageRoles: readonly string[], wideRoles: readonly string[]): Promise<number[]> {
  const arr = (xs: readonly string[]) => sql`ARRAY[${sql.join(xs.length ? xs.map((x) => sql`${x}`) : [sql`''`], sql`, `)}]::text[]`;
  const r = await rows<{ id: number | string }>(
    q,
    sql`SELECT u.id FROM users u
        WHERE u.status = 'active' AND u.roles && ${arr(manageRoles)}
          AND (${orgId}::bigint IS NULL OR u.roles && ${arr(wideRoles)}
               OR EXISTS (SELECT 1 FROM group_members gm JOIN group_orgs go ON go.group_id = gm.group_id
                          WHERE gm.user_id = u.id AND go.org_id = ${orgId}::bigint))
        ORDER BY u.id`,
  );
  return r.map((x) => Number(x.id));
}
