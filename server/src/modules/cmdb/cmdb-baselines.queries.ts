import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { ciBaselineItems, ciBaselines } from './cmdb-baselines.tables.ts';
import { ciItems } from './cmdb.tables.ts';

export type BaselineRow = typeof ciBaselines.$inferSelect;

/** The snapshot of a CI row, in the same shape as ci_versions.snapshot (so diffSnapshots compares them). */
const SNAPSHOT_SQL = sql`jsonb_build_object(
  'classId', ci.class_id, 'name', ci.name, 'orgId', ci.org_id, 'ownerUserId', ci.owner_user_id, 'ownerGroupId', ci.owner_group_id,
  'location', ci.location, 'importance', ci.importance, 'status', ci.status, 'serialNumber', ci.serial_number, 'assetTag', ci.asset_tag,
  'hostname', ci.hostname, 'ip', ci.ip, 'cloudId', ci.cloud_id, 'attributes', ci.attributes)`;

export async function ciStates(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: ciItems.id, orgId: ciItems.orgId, status: ciItems.status }).from(ciItems).where(inArray(ciItems.id, ids));
}

export async function insertBaseline(q: Queryable, v: typeof ciBaselines.$inferInsert) {
  const [row] = await q.insert(ciBaselines).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/**
 * Freezes the selection in one statement: the named CIs plus the non-retired CIs of the classes, each
 * with its current version and a snapshot of its row (the row a CI's latest ci_versions snapshot holds).
 */
export async function insertItems(q: Queryable, baselineId: number, orgId: number, ciIds: number[], classIds: number[]): Promise<number> {
  const res = await rows<{ n: number }>(
    q,
    sql`WITH ins AS (
          INSERT INTO ci_baseline_items (baseline_id, ci_id, ci_version, snapshot)
          SELECT ${baselineId}, ci.id, ci.version, ${SNAPSHOT_SQL}
            FROM ci_items ci
           WHERE ci.org_id = ${orgId} AND ci.status <> 'retired'
             AND (ci.id = ANY(${`{${ciIds.join(',')}}`}::bigint[]) OR ci.class_id = ANY(${`{${classIds.join(',')}}`}::bigint[]))
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  return Number(res[0]?.n ?? 0);
}

export async function setItemCount(q: Queryable, id: number, n: number) {
  await q.update(ciBaselines).set({ itemCount: n }).where(eq(ciBaselines.id, id));
}

const baselineColumns = { b: ciBaselines, orgName: organizations.name, createdByName: users.displayName };

export async function listBaselines(q: Queryable, f: { orgIds: number[] | null; ciId?: number; limit: number; offset: number }) {
  const conds: SQL[] = [];
  if (f.orgIds) conds.push(inArray(ciBaselines.orgId, f.orgIds.length ? f.orgIds : [0]));
  if (f.ciId !== undefined) {
    conds.push(sql`EXISTS (SELECT 1 FROM ci_baseline_items bi WHERE bi.baseline_id = ${ciBaselines.id} AND bi.ci_id = ${f.ciId})`);
  }
  const where = conds.length ? and(...conds) : undefined;
  const items = await q
    .select(baselineColumns)
    .from(ciBaselines)
    .innerJoin(organizations, eq(organizations.id, ciBaselines.orgId))
    .leftJoin(users, eq(users.id, ciBaselines.createdBy))
    .where(where)
    .orderBy(desc(ciBaselines.id))
    .limit(f.limit)
    .offset(f.offset);
  const [total] = await q.select({ n: count() }).from(ciBaselines).where(where);
  return { items, total: Number(total?.n ?? 0) };
}

export async function findBaseline(q: Queryable, id: number) {
  const [row] = await q
    .select(baselineColumns)
    .from(ciBaselines)
    .innerJoin(organizations, eq(organizations.id, ciBaselines.orgId))
    .leftJoin(users, eq(users.id, ciBaselines.createdBy))
    .where(eq(ciBaselines.id, id));
  return row;
}

export async function lockBaseline(q: Queryable, id: number) {
  const [row] = await q.select().from(ciBaselines).where(eq(ciBaselines.id, id)).for('update');
  return row;
}

export async function updateBaseline(q: Queryable, id: number, patch: Partial<typeof ciBaselines.$inferInsert>) {
  await q.update(ciBaselines).set({ ...patch, updatedAt: new Date() }).where(eq(ciBaselines.id, id));
}

export async function deleteBaseline(q: Queryable, id: number) {
  // Items go with it (ON DELETE CASCADE).
  await q.delete(ciBaselines).where(eq(ciBaselines.id, id));
}

export async function itemsPage(q: Queryable, baselineId: number, limit: number, offset: number) {
  const items = await q
    .select({ ciId: ciBaselineItems.ciId, ciVersion: ciBaselineItems.ciVersion, snapshot: ciBaselineItems.snapshot })
    .from(ciBaselineItems)
    .where(eq(ciBaselineItems.baselineId, baselineId))
    .orderBy(ciBaselineItems.ciId)
    .limit(limit)
    .offset(offset);
  const [total] = await q.select({ n: count() }).from(ciBaselineItems).where(eq(ciBaselineItems.baselineId, baselineId));
  return { items, total: Number(total?.n ?? 0) };
}

export async function hasItem(q: Queryable, baselineId: number, ciId: number): Promise<boolean> {
  const [row] = await q
    .select({ ciId: ciBaselineItems.ciId })
    .from(ciBaselineItems)
    .where(and(eq(ciBaselineItems.baselineId, baselineId), eq(ciBaselineItems.ciId, ciId)));
  return row !== undefined;
}

export type ChangedItem = {
  ci_id: number;
  ci_version: number;
  baseline: Record<string, unknown>;
  current: Record<string, unknown>;
  current_version: number;
};

/** Items whose CI has moved on from the frozen version (an unchanged version cannot drift). */
export async function changedItems(q: Queryable, baselineId: number, ciId: number | undefined): Promise<ChangedItem[]> {
  return rows<ChangedItem>(
    q,
    sql`SELECT bi.ci_id::int AS ci_id, bi.ci_version, bi.snapshot AS baseline, ${SNAPSHOT_SQL} AS current, ci.version AS current_version
          FROM ci_baseline_items bi JOIN ci_items ci ON ci.id = bi.ci_id
         WHERE bi.baseline_id = ${baselineId} AND ci.version <> bi.ci_version
           ${ciId === undefined ? sql`` : sql`AND bi.ci_id = ${ciId}`}
         ORDER BY bi.ci_id`,
  );
}

/** Non-retired CIs of the selected classes in the organisation that are not in the baseline. */
export async function addedCis(q: Queryable, baselineId: number, orgId: number, classIds: number[], ciId: number | undefined) {
  if (!classIds.length) return [];
  return rows<{ id: number; name: string; class_id: number; version: number; current: Record<string, unknown> }>(
    q,
    sql`SELECT ci.id::int AS id, ci.name, ci.class_id::int AS class_id, ci.version, ${SNAPSHOT_SQL} AS current
          FROM ci_items ci
         WHERE ci.org_id = ${orgId} AND ci.status <> 'retired' AND ci.class_id = ANY(${`{${classIds.join(',')}}`}::bigint[])
           ${ciId === undefined ? sql`` : sql`AND ci.id = ${ciId}`}
           AND NOT EXISTS (SELECT 1 FROM ci_baseline_items bi WHERE bi.baseline_id = ${baselineId} AND bi.ci_id = ci.id)
         ORDER BY ci.id
         LIMIT 10001`,
  );
}
