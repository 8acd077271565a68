import { and, asc, count, desc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { groups, organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { ciClasses, ciItems, ciVersions } from './cmdb.tables.ts';

export type ClassRow = typeof ciClasses.$inferSelect;
export type CiRow = typeof ciItems.$inferSelect;
export type CiVersionRow = typeof ciVersions.$inferSelect;

export async function allClasses(q: Queryable) {
  return q.select().from(ciClasses).orderBy(asc(ciClasses.key));
}

export async function lockClass(q: Queryable, id: number) {
  const [row] = await q.select().from(ciClasses).where(eq(ciClasses.id, id)).for('update');
  return row;
}

export async function insertClass(q: Queryable, v: typeof ciClasses.$inferInsert) {
  const [row] = await q.insert(ciClasses).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateClass(q: Queryable, id: number, patch: Partial<typeof ciClasses.$inferInsert>) {
  await q.update(ciClasses).set({ ...patch, updatedAt: new Date() }).where(eq(ciClasses.id, id));
}

export async function deleteClass(q: Queryable, id: number) {
  await q.delete(ciClasses).where(eq(ciClasses.id, id));
}

export async function classUsage(q: Queryable, id: number) {
  const [cis] = await q.select({ n: count() }).from(ciItems).where(eq(ciItems.classId, id));
  const [children] = await q.select({ n: count() }).from(ciClasses).where(eq(ciClasses.parentId, id));
  return { cis: Number(cis?.n ?? 0), children: Number(children?.n ?? 0) };
}

/** Serialises the class-tree edits (parent changes, attribute schemas) so cycle and clash checks see a stable tree. */
export async function lockClassTree(q: Queryable) {
  await q.execute(sql`SELECT pg_advisory_xact_lock(72910005)`);
}

/** Serialises checks of one unique attribute (its defining class and key) across concurrent writers. */
export async function lockUniqueAttribute(q: Queryable, classId: number, key: string) {
  await q.execute(sql`SELECT pg_advisory_xact_lock(72910006, hashtext(${`${classId}:${key}`}))`);
}

export async function findCi(q: Queryable, id: number) {
  const [row] = await q.select().from(ciItems).where(eq(ciItems.id, id));
  return row;
}

export async function lockCi(q: Queryable, id: number) {
  const [row] = await q.select().from(ciItems).where(eq(ciItems.id, id)).for('update');
  return row;
}

export async function findCis(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: ciItems.id, classId: ciItems.classId, orgId: ciItems.orgId }).from(ciItems).where(inArray(ciItems.id, ids));
}

export async function insertCi(q: Queryable, v: typeof ciItems.$inferInsert) {
  const [row] = await q.insert(ciItems).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateCi(q: Queryable, id: number, patch: Partial<typeof ciItems.$inferInsert>) {
  const [row] = await q
    .update(ciItems)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(ciItems.id, id))
    .returning();
  if (!row) throw new Error('update returned nothing');
  return row;
}

/** Another CI of these classes whose attribute `key` has this value. */
export async function attributeValueTaken(q: Queryable, classIds: number[], key: string, value: unknown, exceptId: number | null) {
  const conds: SQL[] = [inArray(ciItems.classId, classIds), sql`${ciItems.attributes} -> ${key} = ${JSON.stringify(value)}::jsonb`];
  if (exceptId) conds.push(ne(ciItems.id, exceptId));
  const [row] = await q.select({ id: ciItems.id }).from(ciItems).where(and(...conds)).limit(1);
  return row !== undefined;
}

export type IdentifierColumn = 'serialNumber' | 'assetTag' | 'cloudId' | 'hostname' | 'ip';

/** Another CI holding this identifier (hostname and IP per organisation, the others across the CMDB). */
export async function identifierTaken(q: Queryable, column: IdentifierColumn, value: string, orgId: number, exceptId: number | null) {
  const conds: SQL[] = [];
  if (column === 'hostname') conds.push(eq(ciItems.orgId, orgId), sql`lower(${ciItems.hostname}) = lower(${value})`);
  else if (column === 'ip') conds.push(eq(ciItems.orgId, orgId), eq(ciItems.ip, value));
  else conds.push(eq(ciItems[column], value));
  if (exceptId) conds.push(ne(ciItems.id, exceptId));
  const [row] = await q.select({ id: ciItems.id }).from(ciItems).where(and(...conds)).limit(1);
  return row !== undefined;
}

export async function listCis(
  q: Queryable,
  f: { classIds?: number[]; orgIds: number[] | null; status?: string; text?: string; attr?: { key: string; value: string }; limit: number; offset: number },
) {
  const conds: SQL[] = [];
  if (f.attr) conds.push(attributeEquals(f.attr.key, f.attr.value));
  if (f.classIds) conds.push(inArray(ciItems.classId, f.classIds.length ? f.classIds : [0]));
  if (f.orgIds) conds.push(inArray(ciItems.orgId, f.orgIds.length ? f.orgIds : [0]));
  if (f.status) conds.push(eq(ciItems.status, f.status as CiRow['status']));
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const m = or(
      ilike(ciItems.name, like),
      ilike(ciItems.hostname, like),
      ilike(ciItems.ip, like),
      ilike(ciItems.serialNumber, like),
      ilike(ciItems.assetTag, like),
      ilike(ciItems.cloudId, like),
    );
    if (m) conds.push(m);
  }
  const where = conds.length ? and(...conds) : undefined;
  const items = await q.select().from(ciItems).where(where).orderBy(desc(ciItems.id)).limit(f.limit).offset(f.offset);
  const [total] = await q.select({ n: count() }).from(ciItems).where(where);
  return { items, total: Number(total?.n ?? 0) };
}

export async function insertVersion(q: Queryable, v: typeof ciVersions.$inferInsert) {
  await q.insert(ciVersions).values(v);
}

export async function versionsOf(q: Queryable, ciId: number) {
  return q
    .select({ v: ciVersions, changedByName: users.displayName })
    .from(ciVersions)
    .leftJoin(users, eq(users.id, ciVersions.changedBy))
    .where(eq(ciVersions.ciId, ciId))
    .orderBy(desc(ciVersions.version));
}

export async function versionPair(q: Queryable, ciId: number, a: number, b: number) {
  return q
    .select()
    .from(ciVersions)
    .where(and(eq(ciVersions.ciId, ciId), inArray(ciVersions.version, [a, b])));
}

export async function userExists(q: Queryable, id: number) {
  const [r] = await q.select({ id: users.id }).from(users).where(eq(users.id, id));
  return r !== undefined;
}

export async function groupExists(q: Queryable, id: number) {
  const [r] = await q.select({ id: groups.id }).from(groups).where(eq(groups.id, id));
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

/** Whether the CI has a relation to a CI outside `orgId` (a move to `orgId` would leave a cross-organisation relation). */
export async function relatedOutsideOrg(q: Queryable, ciId: number, orgId: number): Promise<boolean> {
  const [r] = await rows<{ found: boolean }>(
    q,
    sql`SELECT EXISTS (
      SELECT 1 FROM ci_relations r JOIN ci_items o ON o.id = CASE WHEN r.from_ci_id = ${ciId} THEN r.to_ci_id ELSE r.from_ci_id END
      WHERE (r.from_ci_id = ${ciId} OR r.to_ci_id = ${ciId}) AND o.org_id <> ${orgId}
    ) AS found`,
  );
  return Boolean(r?.found);
}

const ATTR_INDEX = /^ci_items_attr_([a-z][a-z0-9_]*)_idx$/;

/**
 * Keeps one expression index `(attributes ->> 'key')` per attribute key that some class marks `indexed`, and
 * drops those no class asks for any more. The key is interpolated into DDL: the contract limits keys to
 * [a-z][a-z0-9_]{0,39}, and this checks again. Runs in the class write's transaction (on PostgreSQL the build
 * briefly blocks CI writes; about 0.1 s per 100,000 CIs).
 */
export async function syncAttributeIndexes(q: Queryable, wanted: Set<string>): Promise<void> {
  const existing = await rows<{ indexname: string }>(q, sql`SELECT indexname FROM pg_indexes WHERE tablename = 'ci_items' AND indexname LIKE 'ci\_items\_attr\_%\_idx'`);
  const have = new Set(existing.map((r) => ATTR_INDEX.exec(r.indexname)?.[1]).filter((k): k is string => k !== undefined));
  for (const key of wanted) {
    if (have.has(key)) continue;
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) throw new Error(`unsafe attribute key ${key}`);
    await q.execute(sql.raw(`CREATE INDEX IF NOT EXISTS "ci_items_attr_${key}_idx" ON ci_items ((attributes ->> '${key}'))`));
  }
  for (const key of have) {
    if (!wanted.has(key)) await q.execute(sql.raw(`DROP INDEX IF EXISTS "ci_items_attr_${key}_idx"`));
  }
}

/** `attributes ->> 'key' = value`, written so the expression matches the index above (the key as a literal). */
export function attributeEquals(key: string, value: string): SQL {
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) throw new Error(`unsafe attribute key ${key}`);
  return sql`(${ciItems.attributes} ->> ${sql.raw(`'${key}'`)}) = ${value}`;
}
