import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import type { Identifier } from './cmdb-audit-rules.ts';
import { ciRelationTypes } from './cmdb-relations.tables.ts';
import { cmdbAuditRules, cmdbAuditRuns, cmdbAuditSchedule } from './cmdb-audits.tables.ts';

export type RuleRow = typeof cmdbAuditRules.$inferSelect;
export type ScheduleRow = typeof cmdbAuditSchedule.$inferSelect;
export type RunRow = typeof cmdbAuditRuns.$inferSelect;

/** A bigint[] literal ('{1,2}'): ids are integers, so the text form is exact and one parameter. */
const idArray = (ids: readonly number[]) => sql`${`{${ids.map((n) => Math.trunc(n)).join(',')}}`}::bigint[]`;
const orgFilter = (column: SQL, orgIds: readonly number[] | null) => (orgIds ? sql` AND ${column} = ANY(${idArray(orgIds)})` : sql``);

/** The CIs an audit looks at: not retired, in the run's organisations and (for a rule) its classes. */
const ciScope = (orgIds: readonly number[] | null, classIds: readonly number[] | null) =>
  sql`ci.status <> 'retired'${orgFilter(sql`ci.org_id`, orgIds)}${classIds ? sql` AND ci.class_id = ANY(${idArray(classIds)})` : sql``}`;

const insertViolations = sql`INSERT INTO cmdb_audit_violations (run_id, rule_id, ci_id, org_id, class_id, detail)`;

async function countInserted(q: Queryable, insert: SQL): Promise<number> {
  const r = await rows<{ n: number }>(q, sql`WITH ins AS (${insert} RETURNING 1) SELECT count(*)::int AS n FROM ins`);
  return Number(r[0]?.n ?? 0);
}

export type Target = { runId: number; ruleId: number; orgIds: readonly number[] | null; classIds: readonly number[] | null };

/** Required attributes (class id -> keys, inherited ones included) that are absent, null or blank. */
export async function findRequiredMissing(q: Queryable, t: Target, required: { classId: number; key: string }[]): Promise<number> {
  if (!required.length) return 0;
  const classIds = `{${required.map((r) => r.classId).join(',')}}`;
  const keys = `{${required.map((r) => `"${r.key}"`).join(',')}}`;
  return countInserted(
    q,
    sql`${insertViolations}
        SELECT ${t.runId}, ${t.ruleId}, ci.id, ci.org_id, ci.class_id, jsonb_build_object('missing', jsonb_agg(r.key ORDER BY r.key))
          FROM ci_items ci
          JOIN unnest(${classIds}::bigint[], ${keys}::text[]) AS r(class_id, key) ON r.class_id = ci.class_id
         WHERE ${ciScope(t.orgIds, t.classIds)}
           AND (ci.attributes -> r.key IS NULL OR ci.attributes -> r.key = 'null'::jsonb OR btrim(ci.attributes ->> r.key) = '')
         GROUP BY ci.id, ci.org_id, ci.class_id`,
  );
}

export async function findNoOwner(q: Queryable, t: Target): Promise<number> {
  return countInserted(
    q,
    sql`${insertViolations}
        SELECT ${t.runId}, ${t.ruleId}, ci.id, ci.org_id, ci.class_id, '{}'::jsonb
          FROM ci_items ci
         WHERE ${ciScope(t.orgIds, t.classIds)} AND ci.owner_user_id IS NULL AND ci.owner_group_id IS NULL`,
  );
}

export async function findStale(q: Queryable, t: Target, days: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  return countInserted(
    q,
    sql`${insertViolations}
        SELECT ${t.runId}, ${t.ruleId}, ci.id, ci.org_id, ci.class_id, jsonb_build_object('updatedAt', ci.updated_at, 'days', ${days}::int)
          FROM ci_items ci
         WHERE ${ciScope(t.orgIds, t.classIds)} AND ci.updated_at < ${cutoff.toISOString()}::timestamptz`,
  );
}

/** Relation type ids by the end that depends on the other ('from': runs_on, depends_on; 'to': contains). */
export async function relationTypeEnds(q: Queryable): Promise<{ from: number[]; to: number[] }> {
  const list = await q.select({ id: ciRelationTypes.id, end: ciRelationTypes.dependentEnd }).from(ciRelationTypes);
  return { from: list.filter((t) => t.end === 'from').map((t) => t.id), to: list.filter((t) => t.end === 'to').map((t) => t.id) };
}

/**
 * CIs no business service depends on, directly or through other CIs. The walk starts at the services
 * and follows each relation from its dependent end to the other (runs_on: from -> to; contains: to ->
 * from) through both relation indexes (type ids in the index condition); UNION drops repeats, so
 * cycles end. Services themselves pass.
 */
export async function findNoServiceRelation(q: Queryable, t: Target, serviceClassIds: readonly number[], types: { from: number[]; to: number[] }): Promise<number> {
  if (!serviceClassIds.length) return 0;
  return countInserted(
    q,
    sql`${insertViolations}
        WITH RECURSIVE reach(id) AS (
          SELECT s.id FROM ci_items s WHERE s.class_id = ANY(${idArray(serviceClassIds)}) AND s.status <> 'retired'${orgFilter(sql`s.org_id`, t.orgIds)}
          UNION
          SELECT x.id FROM reach JOIN LATERAL (
            SELECT r.to_ci_id AS id FROM ci_relations r WHERE r.from_ci_id = reach.id AND r.type_id = ANY(${idArray(types.from)})
            UNION ALL
            SELECT r.from_ci_id FROM ci_relations r WHERE r.to_ci_id = reach.id AND r.type_id = ANY(${idArray(types.to)})
          ) x ON true
        )
        SELECT ${t.runId}, ${t.ruleId}, ci.id, ci.org_id, ci.class_id, '{}'::jsonb
          FROM ci_items ci
         WHERE ${ciScope(t.orgIds, t.classIds)}
           AND ci.class_id <> ALL(${idArray(serviceClassIds)})
           AND NOT EXISTS (SELECT 1 FROM reach WHERE reach.id = ci.id)`,
  );
}

const IDENTIFIER_SQL = {
  name: sql`ci.name`,
  hostname: sql`ci.hostname`,
  ip: sql`ci.ip`,
  serialNumber: sql`ci.serial_number`,
  assetTag: sql`ci.asset_tag`,
  cloudId: sql`ci.cloud_id`,
} as const;

/** Non-retired CIs sharing an identifier (trimmed, case-insensitive) with another in the same organisation (and class). */
export async function findDuplicates(q: Queryable, t: Target, id: Identifier, label: string, sameClass: boolean): Promise<number> {
  const expr = 'field' in id ? IDENTIFIER_SQL[id.field] : sql`(ci.attributes ->> ${id.attr})`;
  return countInserted(
    q,
    sql`${insertViolations}
        SELECT ${t.runId}, ${t.ruleId}, d.id, d.org_id, d.class_id, jsonb_build_object('identifier', ${label}::text, 'value', d.val, 'count', d.n)
          FROM (
            SELECT v.*, count(*) OVER (PARTITION BY v.org_id, ${sameClass ? sql`v.class_id,` : sql``} v.val) AS n
              FROM (SELECT ci.id, ci.org_id, ci.class_id, lower(btrim(${expr})) AS val
                      FROM ci_items ci
                     WHERE ${ciScope(t.orgIds, t.classIds)} AND btrim(coalesce(${expr}, '')) <> '') v
          ) d
         WHERE d.n > 1`,
  );
}

/** Per organisation, class and owner: CIs checked, CIs with violations, violations. */
export async function insertRunStats(q: Queryable, runId: number, orgIds: readonly number[] | null): Promise<void> {
  await q.execute(sql`
    INSERT INTO cmdb_audit_run_stats (run_id, org_id, class_id, owner_kind, owner_id, cis_checked, cis_with_violations, violations)
    SELECT ${runId}, ci.org_id, ci.class_id,
           CASE WHEN ci.owner_user_id IS NOT NULL THEN 'user' WHEN ci.owner_group_id IS NOT NULL THEN 'group' ELSE 'none' END,
           COALESCE(ci.owner_user_id, ci.owner_group_id),
           count(*)::int, count(v.ci_id)::int, COALESCE(sum(v.n), 0)::int
      FROM ci_items ci
      LEFT JOIN (SELECT ci_id, count(*) AS n FROM cmdb_audit_violations WHERE run_id = ${runId} GROUP BY ci_id) v ON v.ci_id = ci.id
     WHERE ${ciScope(orgIds, null)}
     GROUP BY 2, 3, 4, 5`);
}

/** Serialises audit runs: one at a time across instances. */
export async function lockRuns(q: Queryable) {
  await q.execute(sql`SELECT pg_advisory_xact_lock(72910021)`);
}

export async function insertRun(q: Queryable, v: typeof cmdbAuditRuns.$inferInsert) {
  const [row] = await q.insert(cmdbAuditRuns).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function finishRun(q: Queryable, id: number, at: Date) {
  await q.update(cmdbAuditRuns).set({ finishedAt: at }).where(eq(cmdbAuditRuns.id, id));
}

/** Violation lists are kept for the newest `keep` runs; older runs keep their counts. */
export async function pruneViolations(q: Queryable, keep: number) {
  await q.execute(sql`
    WITH old AS (SELECT id FROM cmdb_audit_runs WHERE violations_kept ORDER BY id DESC OFFSET ${keep}),
         del AS (DELETE FROM cmdb_audit_violations WHERE run_id IN (SELECT id FROM old))
    UPDATE cmdb_audit_runs SET violations_kept = false WHERE id IN (SELECT id FROM old)`);
}

export async function findRun(q: Queryable, id: number) {
  const [row] = await q.select().from(cmdbAuditRuns).where(eq(cmdbAuditRuns.id, id));
  return row;
}

/** Runs touching the reader's organisations (null = all), newest first. */
export async function listRuns(q: Queryable, scope: number[] | null, limit: number, offset: number) {
  const where = scope ? sql`(r.org_ids IS NULL OR r.org_ids && ${idArray(scope)})` : sql`true`;
  const items = await rows<{ id: number }>(q, sql`SELECT r.id::int AS id FROM cmdb_audit_runs r WHERE ${where} ORDER BY r.id DESC LIMIT ${limit} OFFSET ${offset}`);
  const [total] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM cmdb_audit_runs r WHERE ${where}`);
  return { ids: items.map((r) => Number(r.id)), total: Number(total?.n ?? 0) };
}

export async function latestRunId(q: Queryable, scope: number[] | null): Promise<number | null> {
  const r = await listRuns(q, scope, 1, 0);
  return r.ids[0] ?? null;
}

export async function runsByIds(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return rows<RunRow & { started_by_name: string | null }>(
    q,
    sql`SELECT r.id::int AS "id", r.trigger AS "trigger", r.started_by::int AS "startedBy", r.org_ids AS "orgIds", r.rules AS "rules",
               r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.violations_kept AS "violationsKept", u.display_name AS started_by_name
          FROM cmdb_audit_runs r LEFT JOIN users u ON u.id = r.started_by
         WHERE r.id = ANY(${idArray(ids)})`,
  );
}

export type Tally = { cis_checked: number; cis_with_violations: number; violations: number };

export async function runTotals(q: Queryable, runIds: number[], scope: number[] | null) {
  if (!runIds.length) return [];
  return rows<Tally & { run_id: number }>(
    q,
    sql`SELECT run_id::int AS run_id, COALESCE(sum(cis_checked), 0)::int AS cis_checked, COALESCE(sum(cis_with_violations), 0)::int AS cis_with_violations,
               COALESCE(sum(violations), 0)::int AS violations
          FROM cmdb_audit_run_stats WHERE run_id = ANY(${idArray(runIds)})${orgFilter(sql`org_id`, scope)}
         GROUP BY run_id`,
  );
}

export async function totalsByClass(q: Queryable, runId: number, scope: number[] | null) {
  return rows<Tally & { class_id: number; class_key: string | null; class_name: string | null }>(
    q,
    sql`SELECT s.class_id::int AS class_id, c.key AS class_key, c.name AS class_name, sum(s.cis_checked)::int AS cis_checked,
               sum(s.cis_with_violations)::int AS cis_with_violations, sum(s.violations)::int AS violations
          FROM cmdb_audit_run_stats s LEFT JOIN ci_classes c ON c.id = s.class_id
         WHERE s.run_id = ${runId}${orgFilter(sql`s.org_id`, scope)}
         GROUP BY s.class_id, c.key, c.name
         ORDER BY sum(s.cis_with_violations) DESC, c.key`,
  );
}

export async function totalsByOwner(q: Queryable, runId: number, scope: number[] | null) {
  return rows<Tally & { owner_kind: 'user' | 'group' | 'none'; owner_id: number | null; owner_name: string | null }>(
    q,
    sql`SELECT s.owner_kind, s.owner_id::int AS owner_id,
               CASE s.owner_kind WHEN 'user' THEN max(u.display_name) WHEN 'group' THEN max(g.name) END AS owner_name,
               sum(s.cis_checked)::int AS cis_checked, sum(s.cis_with_violations)::int AS cis_with_violations, sum(s.violations)::int AS violations
          FROM cmdb_audit_run_stats s
          LEFT JOIN users u ON s.owner_kind = 'user' AND u.id = s.owner_id
          LEFT JOIN groups g ON s.owner_kind = 'group' AND g.id = s.owner_id
         WHERE s.run_id = ${runId}${orgFilter(sql`s.org_id`, scope)}
         GROUP BY s.owner_kind, s.owner_id
         ORDER BY sum(s.cis_with_violations) DESC, s.owner_kind, s.owner_id`,
  );
}

export async function totalsByRule(q: Queryable, runId: number, scope: number[] | null) {
  return rows<{ rule_id: number; n: number }>(
    q,
    sql`SELECT rule_id::int AS rule_id, count(*)::int AS n FROM cmdb_audit_violations
         WHERE run_id = ${runId}${orgFilter(sql`org_id`, scope)} GROUP BY rule_id`,
  );
}

export type ViolationRow = {
  id: number;
  rule_id: number;
  ci_id: number;
  ci_name: string;
  class_key: string;
  class_name: string;
  org_id: number;
  org_name: string;
  owner_user_id: number | null;
  owner_user_name: string | null;
  owner_group_id: number | null;
  owner_group_name: string | null;
  detail: Record<string, unknown>;
};

export async function violationsPage(
  q: Queryable,
  f: { runId: number; scope: number[] | null; ruleId?: number; classId?: number; ciId?: number; limit: number; offset: number },
) {
  const where = sql`v.run_id = ${f.runId}${orgFilter(sql`v.org_id`, f.scope)}${f.ruleId !== undefined ? sql` AND v.rule_id = ${f.ruleId}` : sql``}${
    f.classId !== undefined ? sql` AND v.class_id = ${f.classId}` : sql``
  }${f.ciId !== undefined ? sql` AND v.ci_id = ${f.ciId}` : sql``}`;
  const items = await rows<ViolationRow>(
    q,
    sql`SELECT v.id::int AS id, v.rule_id::int AS rule_id, v.ci_id::int AS ci_id, ci.name AS ci_name, c.key AS class_key, c.name AS class_name,
               v.org_id::int AS org_id, o.name AS org_name, ci.owner_user_id::int AS owner_user_id, u.display_name AS owner_user_name,
               ci.owner_group_id::int AS owner_group_id, g.name AS owner_group_name, v.detail
          FROM cmdb_audit_violations v
          JOIN ci_items ci ON ci.id = v.ci_id
          JOIN ci_classes c ON c.id = v.class_id
          JOIN organizations o ON o.id = v.org_id
          LEFT JOIN users u ON u.id = ci.owner_user_id
          LEFT JOIN groups g ON g.id = ci.owner_group_id
         WHERE ${where}
         ORDER BY v.id
         LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  const [total] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM cmdb_audit_violations v WHERE ${where}`);
  return { items, total: Number(total?.n ?? 0) };
}

export async function allRules(q: Queryable) {
  return q.select().from(cmdbAuditRules).orderBy(asc(cmdbAuditRules.id));
}

export async function lockRule(q: Queryable, id: number) {
  const [row] = await q.select().from(cmdbAuditRules).where(eq(cmdbAuditRules.id, id)).for('update');
  return row;
}

export async function insertRule(q: Queryable, v: typeof cmdbAuditRules.$inferInsert) {
  const [row] = await q.insert(cmdbAuditRules).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** Seeds a rule once: an existing key (possibly edited by an admin) is left alone. */
export async function insertRuleIfMissing(q: Queryable, v: typeof cmdbAuditRules.$inferInsert) {
  await q.insert(cmdbAuditRules).values(v).onConflictDoNothing({ target: cmdbAuditRules.key });
}

export async function updateRule(q: Queryable, id: number, patch: Partial<typeof cmdbAuditRules.$inferInsert>) {
  const [row] = await q
    .update(cmdbAuditRules)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(cmdbAuditRules.id, id))
    .returning();
  if (!row) throw new Error('update returned nothing');
  return row;
}

export async function deleteRule(q: Queryable, id: number) {
  await q.delete(cmdbAuditRules).where(eq(cmdbAuditRules.id, id));
}

export async function ensureSchedule(q: Queryable) {
  await q.insert(cmdbAuditSchedule).values({ id: 1 }).onConflictDoNothing({ target: cmdbAuditSchedule.id });
}

export async function getSchedule(q: Queryable) {
  const [row] = await q.select().from(cmdbAuditSchedule).where(eq(cmdbAuditSchedule.id, 1));
  return row;
}

export async function lockSchedule(q: Queryable) {
  const [row] = await q.select().from(cmdbAuditSchedule).where(eq(cmdbAuditSchedule.id, 1)).for('update');
  return row;
}

export async function updateSchedule(q: Queryable, patch: Partial<typeof cmdbAuditSchedule.$inferInsert>) {
  const [row] = await q
    .update(cmdbAuditSchedule)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(cmdbAuditSchedule.id, 1))
    .returning();
  return row;
}

/**
 * Claims the due slot: moves next_run_at on only if it still holds the slot that was read and is due.
 * A second instance blocks on the row lock, then finds next_run_at moved and claims nothing.
 */
export async function claimSlot(q: Queryable, slot: Date, next: Date | null, now: Date): Promise<boolean> {
  const r = await rows<{ id: number }>(
    q,
    sql`UPDATE cmdb_audit_schedule SET next_run_at = ${next ? next.toISOString() : null}::timestamptz, last_run_at = ${now.toISOString()}::timestamptz
         WHERE id = 1 AND mode <> 'off' AND next_run_at = ${slot.toISOString()}::timestamptz AND next_run_at <= ${now.toISOString()}::timestamptz
        RETURNING id`,
  );
  return r.length > 0;
}
