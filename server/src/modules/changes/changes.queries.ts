import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { rows, runPreparedOn, type Queryable } from '../../platform/db/db.ts';
import { changeCis, changeCutoverSteps, changeDetails, changeServices, changeTemplates, type changeWindows } from './changes.tables.ts';

/** A bigint[] parameter (ids are integers, so the text form is safe). */
export const idArray = (ids: readonly number[]): SQL => sql`${`{${ids.map((n) => Math.trunc(Number(n))).join(',')}}`}::bigint[]`;
/** A text[] parameter of workflow keys (lower-case letters, digits, _ and .: safe unquoted in the array literal). */
const textArray = (xs: readonly string[]): SQL => {
  for (const x of xs) if (!/^[a-z0-9_.]+$/.test(x)) throw new Error(`not a key: ${x}`);
  return sql`${`{${xs.join(',')}}`}::text[]`;
};

export type DetailsRow = typeof changeDetails.$inferSelect;
export type TemplateRow = typeof changeTemplates.$inferSelect;
export type WindowRow = typeof changeWindows.$inferSelect;
export type StepRow = typeof changeCutoverSteps.$inferSelect;

export async function findDetails(q: Queryable, ticketId: number): Promise<(DetailsRow & { templateName: string | null }) | undefined> {
  const [row] = await q
    .select({ d: changeDetails, templateName: changeTemplates.name })
    .from(changeDetails)
    .leftJoin(changeTemplates, eq(changeTemplates.id, changeDetails.templateId))
    .where(eq(changeDetails.ticketId, ticketId));
  return row ? { ...row.d, templateName: row.templateName } : undefined;
}

export async function lockDetails(q: Queryable, ticketId: number): Promise<DetailsRow | undefined> {
  const [row] = await q.select().from(changeDetails).where(eq(changeDetails.ticketId, ticketId)).for('update');
  return row;
}

export async function replaceCis(q: Queryable, ticketId: number, ciIds: number[]): Promise<void> {
  await q.delete(changeCis).where(eq(changeCis.ticketId, ticketId));
  if (ciIds.length) await q.insert(changeCis).values(ciIds.map((ciId) => ({ ticketId, ciId })));
}

export async function replaceServices(q: Queryable, ticketId: number, serviceIds: number[]): Promise<void> {
  await q.delete(changeServices).where(eq(changeServices.ticketId, ticketId));
  if (serviceIds.length) await q.insert(changeServices).values(serviceIds.map((serviceCiId) => ({ ticketId, serviceCiId })));
}

export type StepInput = { title: string; ownerId: number | null; offsetMinutes: number; durationMinutes: number };

export async function replaceCutover(q: Queryable, ticketId: number, steps: StepInput[]): Promise<void> {
  await q.delete(changeCutoverSteps).where(eq(changeCutoverSteps.ticketId, ticketId));
  if (steps.length) await q.insert(changeCutoverSteps).values(steps.map((s, i) => ({ ticketId, position: i + 1, ...s })));
}

export type CiBriefRow = { id: number; name: string; class_id: number; class_key: string; class_name: string; org_id: number; importance: 'core' | 'important' | 'normal'; status: 'planned' | 'in_use' | 'maintenance' | 'retired' };

const ciBriefCols = sql`c.id, c.name, c.class_id, k.key AS class_key, k.name AS class_name, c.org_id, c.importance, c.status`;

export async function cisOf(q: Queryable, ticketId: number): Promise<CiBriefRow[]> {
  return rows<CiBriefRow>(q, sql`SELECT ${ciBriefCols} FROM change_cis x JOIN ci_items c ON c.id = x.ci_id JOIN ci_classes k ON k.id = c.class_id WHERE x.ticket_id = ${ticketId} ORDER BY c.id`);
}

export async function servicesOf(q: Queryable, ticketId: number): Promise<CiBriefRow[]> {
  return rows<CiBriefRow>(
    q,
    sql`SELECT ${ciBriefCols} FROM change_services x JOIN ci_items c ON c.id = x.service_ci_id JOIN ci_classes k ON k.id = c.class_id WHERE x.ticket_id = ${ticketId} ORDER BY c.id`,
  );
}

export async function findCis(q: Queryable, ids: number[]): Promise<{ id: number; orgId: number }[]> {
  if (!ids.length) return [];
  const list = await rows<{ id: number; org_id: number }>(q, sql`SELECT id, org_id FROM ci_items WHERE id = ANY(${idArray(ids)})`);
  return list.map((r) => ({ id: Number(r.id), orgId: Number(r.org_id) }));
}

export type StepView = StepRow & { ownerName: string | null; executedByName: string | null };

export async function stepsOf(q: Queryable, ticketId: number): Promise<StepView[]> {
  const list = await rows<Record<string, unknown>>(
    q,
    sql`SELECT s.*, o.display_name AS owner_name, x.display_name AS executed_by_name
        FROM change_cutover_steps s
        LEFT JOIN users o ON o.id = s.owner_id
        LEFT JOIN users x ON x.id = s.executed_by
        WHERE s.ticket_id = ${ticketId} ORDER BY s.position`,
  );
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return list.map((r) => ({
    id: Number(r.id),
    ticketId: Number(r.ticket_id),
    position: Number(r.position),
    title: String(r.title),
    ownerId: num(r.owner_id),
    offsetMinutes: Number(r.offset_minutes),
    durationMinutes: Number(r.duration_minutes),
    state: String(r.state),
    result: (r.result as string | null) ?? null,
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
    executedBy: num(r.executed_by),
    ownerName: (r.owner_name as string | null) ?? null,
    executedByName: (r.executed_by_name as string | null) ?? null,
  }));
}

export async function lockSteps(q: Queryable, ticketId: number): Promise<StepRow[]> {
  return q.select().from(changeCutoverSteps).where(eq(changeCutoverSteps.ticketId, ticketId)).orderBy(asc(changeCutoverSteps.position)).for('update');
}

export async function updateStep(q: Queryable, id: number, patch: Partial<typeof changeCutoverSteps.$inferInsert>): Promise<void> {
  await q.update(changeCutoverSteps).set(patch).where(eq(changeCutoverSteps.id, id));
}

/* ---------------------------------- conflicts ---------------------------------- */

/** A change's planned window with its CI and service ids, in one statement (the conflicts route). */
export async function subjectOf(q: Queryable, ticketId: number): Promise<{ start: Date | null; end: Date | null; ciIds: number[]; serviceIds: number[] } | undefined> {
  const [r] = await rows<{ planned_start: string | Date | null; planned_end: string | Date | null; cis: (number | string)[] | null; svcs: (number | string)[] | null }>(
    q,
    sql`SELECT d.planned_start, d.planned_end,
               ARRAY(SELECT ci_id FROM change_cis WHERE ticket_id = d.ticket_id) AS cis,
               ARRAY(SELECT service_ci_id FROM change_services WHERE ticket_id = d.ticket_id) AS svcs
        FROM change_details d WHERE d.ticket_id = ${ticketId}`,
  );
  if (!r) return undefined;
  const date = (v: string | Date | null) => (v === null ? null : new Date(v));
  return { start: date(r.planned_start), end: date(r.planned_end), ciIds: (r.cis ?? []).map(Number), serviceIds: (r.svcs ?? []).map(Number) };
}

export type ConflictSubjectRow = { id: number; start: Date; end: Date; ciIds: number[]; serviceIds: number[] };

/** A row of conflictRows: k = 'c' (other change on a shared CI), 's' (on a shared service) or 'w' (a window). */
export type ConflictRow = {
  k: 'c' | 's' | 'w';
  /** The subject change ('c' / 's'); null for windows, which apply by time and service. */
  subject: number | null;
  /** The other change, or the window id. */
  other_id: number;
  number: string;
  /** The other change's title, or the window's name. */
  title: string;
  /** The other change's state, or the window's kind. */
  state: string;
  org_id: number | null;
  planned_start: string | Date;
  planned_end: string | Date | null;
  /** The shared CI / service, or the window's service. */
  ref_id: number | null;
  ref_name: string | null;
  recurrence: unknown;
};

/**
 * Everything conflict detection needs for any number of changes, in one statement (one round trip):
 * for each subject, the other changes in `states` whose planned range overlaps its window and that touch one
 * of its CIs (change_cis by its (ci_id, ticket_id) index) or impacted services (change_services by
 * (service_ci_id, ticket_id), or the GiST range index when the planner prefers), each found per subject
 * through a LATERAL subquery kept apart (OFFSET 0: flattened, the planner hash-joined the whole of change_details
 * and change_services, 6 ms instead of 0.2) so the plan does not depend on how many subjects there are; and the blackouts
 * overlapping the subjects' span (global or of one of their services) and every maintenance window of
 * their services.
 */
const overlapSql = (link: string, col: string, arr: string) => `
    SELECT x.ticket_id AS other_id, t.number, t.title, t.state, t.org_id, d.planned_start, d.planned_end, c.id AS ref_id, c.name AS ref_name
    FROM ${link} x
    JOIN change_details d ON d.ticket_id = x.ticket_id
    JOIN tickets t ON t.id = x.ticket_id
    JOIN ci_items c ON c.id = x.${col}
    WHERE x.${col} = ANY(s.${arr}) AND x.ticket_id <> s.id
      AND d.planned_range && tstzrange(s.st, s.en, '[)')
      AND t.state = ANY($2::text[])
    OFFSET 0`;

// A named prepared statement on PostgreSQL: planning this union of laterals cost more than running it.
const CONFLICT_SQL = `WITH s AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(id bigint, st timestamptz, en timestamptz, cis bigint[], svcs bigint[]))
  SELECT 'c' AS k, s.id AS subject, o.*, NULL::jsonb AS recurrence FROM s CROSS JOIN LATERAL (${overlapSql('change_cis', 'ci_id', 'cis')}) o
  UNION ALL
  SELECT 's', s.id, o.*, NULL::jsonb FROM s CROSS JOIN LATERAL (${overlapSql('change_services', 'service_ci_id', 'svcs')}) o
  UNION ALL
  SELECT 'w', NULL, w.id, '', w.name, w.kind, NULL, w.starts_at, w.ends_at, w.service_ci_id, c.name, w.recurrence
  FROM change_windows w LEFT JOIN ci_items c ON c.id = w.service_ci_id
  WHERE (w.kind = 'blackout' AND w.starts_at < $4::timestamptz AND (w.ends_at IS NULL OR w.ends_at > $3::timestamptz)
         AND (w.service_ci_id IS NULL OR w.service_ci_id = ANY($5::bigint[])))
     OR (w.kind = 'maintenance' AND w.service_ci_id = ANY($5::bigint[]))`;

export async function conflictRows(q: Queryable, subjects: ConflictSubjectRow[], states: readonly string[]): Promise<ConflictRow[]> {
  if (!subjects.length) return [];
  for (const x of states) if (!/^[a-z0-9_.]+$/.test(x)) throw new Error(`not a key: ${x}`);
  const json = JSON.stringify(
    subjects.map((x) => ({ id: x.id, st: x.start.toISOString(), en: x.end.toISOString(), cis: x.ciIds.map(Number), svcs: x.serviceIds.map(Number) })),
  );
  const minStart = new Date(Math.min(...subjects.map((x) => x.start.getTime()))).toISOString();
  const maxEnd = new Date(Math.max(...subjects.map((x) => x.end.getTime()))).toISOString();
  const allServices = [...new Set(subjects.flatMap((x) => x.serviceIds.map((n) => Math.trunc(Number(n)))))];
  return runPreparedOn<ConflictRow>(q, 'change_conflicts_v1', CONFLICT_SQL, [json, `{${states.join(',')}}`, minStart, maxEnd, `{${allServices.join(',')}}`]);
}

export type WindowWithService = WindowRow & { serviceName: string | null };

export function windowFromRaw(r: Record<string, unknown>): WindowWithService {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: Number(r.id),
    kind: r.kind as WindowRow['kind'],
    name: String(r.name),
    serviceCiId: r.service_ci_id === null ? null : Number(r.service_ci_id),
    startsAt: new Date(r.starts_at as string),
    endsAt: date(r.ends_at),
    recurrence: r.recurrence ?? null,
    note: String(r.note ?? ''),
    version: Number(r.version),
    createdBy: r.created_by === null ? null : Number(r.created_by),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    serviceName: (r.service_name as string | null) ?? null,
  };
}

/** Every window that may show in [from, to): one-off ones overlapping it, recurring ones valid during it. */
export async function windowsIn(q: Queryable, from: Date, to: Date, kind?: 'blackout' | 'maintenance'): Promise<WindowWithService[]> {
  const list = await rows<Record<string, unknown>>(
    q,
    sql`SELECT w.*, c.name AS service_name FROM change_windows w LEFT JOIN ci_items c ON c.id = w.service_ci_id
        WHERE w.starts_at < ${to.toISOString()}::timestamptz AND (w.ends_at IS NULL OR w.ends_at > ${from.toISOString()}::timestamptz)
        ${kind ? sql`AND w.kind = ${kind}` : sql``}
        ORDER BY w.starts_at, w.id`,
  );
  return list.map(windowFromRaw);
}

export async function allWindows(q: Queryable, kind?: 'blackout' | 'maintenance'): Promise<WindowWithService[]> {
  const list = await rows<Record<string, unknown>>(
    q,
    sql`SELECT w.*, c.name AS service_name FROM change_windows w LEFT JOIN ci_items c ON c.id = w.service_ci_id
        ${kind ? sql`WHERE w.kind = ${kind}` : sql``} ORDER BY w.kind, w.starts_at, w.id`,
  );
  return list.map(windowFromRaw);
}

/* ---------------------------------- lists ---------------------------------- */

export type ChangeListRow = {
  id: number;
  number: string;
  title: string;
  state: string;
  org_id: number;
  org_name: string;
  change_type: string;
  risk_level: string;
  planned_start: string | Date | null;
  planned_end: string | Date | null;
  assignee_name: string | null;
  ci_count: number;
  created_at: string | Date;
};

export async function listChanges(
  q: Queryable,
  f: { scope: number[] | null; changeType?: string; state?: string; riskLevel?: string; q?: string; page: number; pageSize: number },
): Promise<{ items: ChangeListRow[]; total: number }> {
  const conds: SQL[] = [sql`t.type = 'change'`];
  if (f.scope) conds.push(sql`t.org_id = ANY(${idArray(f.scope)})`);
  if (f.changeType) conds.push(sql`d.change_type = ${f.changeType}`);
  if (f.state) conds.push(sql`t.state = ${f.state}`);
  if (f.riskLevel) conds.push(sql`d.risk_level = ${f.riskLevel}`);
  if (f.q) conds.push(sql`(t.title ILIKE ${`%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`} OR t.number = ${f.q.toUpperCase()})`);
  const where = sql.join(conds, sql` AND `);
  const items = await rows<ChangeListRow>(
    q,
    sql`SELECT t.id, t.number, t.title, t.state, t.org_id, o.name AS org_name, d.change_type, d.risk_level, d.planned_start, d.planned_end,
               a.display_name AS assignee_name, (SELECT count(*)::int FROM change_cis x WHERE x.ticket_id = t.id) AS ci_count, t.created_at
        FROM tickets t JOIN change_details d ON d.ticket_id = t.id JOIN organizations o ON o.id = t.org_id LEFT JOIN users a ON a.id = t.assignee_id
        WHERE ${where}
        ORDER BY t.created_at DESC, t.id DESC
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  const [c] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM tickets t JOIN change_details d ON d.ticket_id = t.id WHERE ${where}`);
  return { items, total: Number(c?.n ?? 0) };
}

export type CalendarRow = {
  id: number;
  number: string;
  title: string;
  state: string;
  org_id: number;
  change_type: string;
  risk_level: string;
  planned_start: string | Date;
  planned_end: string | Date;
  ci_count: number;
};

/** Changes whose planned window overlaps [from, to) (the GiST range index), in the given states. */
export async function calendarChanges(q: Queryable, p: { from: Date; to: Date; scope: number[] | null; states: readonly string[]; limit: number }): Promise<CalendarRow[]> {
  return rows<CalendarRow>(
    q,
    sql`SELECT t.id, t.number, t.title, t.state, t.org_id, d.change_type, d.risk_level, d.planned_start, d.planned_end,
               (SELECT count(*)::int FROM change_cis x WHERE x.ticket_id = t.id) AS ci_count
        FROM change_details d JOIN tickets t ON t.id = d.ticket_id
        WHERE d.planned_range && tstzrange(${p.from.toISOString()}::timestamptz, ${p.to.toISOString()}::timestamptz, '[)')
          AND t.state = ANY(${textArray(p.states)})
          ${p.scope ? sql`AND t.org_id = ANY(${idArray(p.scope)})` : sql``}
        ORDER BY d.planned_start, t.id
        LIMIT ${p.limit}`,
  );
}

export async function idsOfCisAndServices(q: Queryable, ticketIds: number[]): Promise<{ cis: Map<number, number[]>; services: Map<number, number[]> }> {
  const cis = new Map<number, number[]>();
  const services = new Map<number, number[]>();
  if (!ticketIds.length) return { cis, services };
  const list = await rows<{ k: string; ticket_id: number; ref: number }>(
    q,
    sql`SELECT 'c' AS k, ticket_id, ci_id AS ref FROM change_cis WHERE ticket_id = ANY(${idArray(ticketIds)})
        UNION ALL SELECT 's', ticket_id, service_ci_id FROM change_services WHERE ticket_id = ANY(${idArray(ticketIds)})`,
  );
  for (const r of list) {
    const m = r.k === 'c' ? cis : services;
    const id = Number(r.ticket_id);
    m.set(id, [...(m.get(id) ?? []), Number(r.ref)]);
  }
  return { cis, services };
}

/* ---------------------------------- reports ---------------------------------- */

export async function createdCounts(q: Queryable, from: Date, to: Date, scope: number[] | null) {
  const [r] = await rows<{ total: number; standard: number; normal: number; emergency: number; cis: number }>(
    q,
    sql`SELECT count(*)::int AS total,
               count(*) FILTER (WHERE d.change_type = 'standard')::int AS standard,
               count(*) FILTER (WHERE d.change_type = 'normal')::int AS normal,
               count(*) FILTER (WHERE d.change_type = 'emergency')::int AS emergency,
               coalesce(sum((SELECT count(*) FROM change_cis x WHERE x.ticket_id = t.id)), 0)::int AS cis
        FROM tickets t JOIN change_details d ON d.ticket_id = t.id
        WHERE t.type = 'change' AND t.created_at >= ${from.toISOString()}::timestamptz AND t.created_at < ${to.toISOString()}::timestamptz
          ${scope ? sql`AND t.org_id = ANY(${idArray(scope)})` : sql``}`,
  );
  return r ?? { total: 0, standard: 0, normal: 0, emergency: 0, cis: 0 };
}

export async function outcomeCounts(q: Queryable, from: Date, to: Date, scope: number[] | null) {
  const list = await rows<{ outcome: string; n: number }>(
    q,
    sql`SELECT d.outcome, count(*)::int AS n
        FROM change_details d JOIN tickets t ON t.id = d.ticket_id
        WHERE d.outcome IS NOT NULL AND d.actual_end >= ${from.toISOString()}::timestamptz AND d.actual_end < ${to.toISOString()}::timestamptz
          ${scope ? sql`AND t.org_id = ANY(${idArray(scope)})` : sql``}
        GROUP BY d.outcome`,
  );
  return new Map(list.map((r) => [r.outcome, Number(r.n)]));
}

export type UnapprovedRow = {
  id: number;
  number: string;
  title: string;
  change_type: string;
  state: string;
  implementing_at: string | Date | null;
  approved_at: string | Date | null;
};

/**
 * Changes of a type that needs an approval which reached implementing or a later state without it: read from
 * the data itself (the ticket's state, its timeline and the approvals table), so a state forced by a direct
 * UPDATE is found too. The change counts for the period when it entered implementing in it (first transition
 * event, else the actual start, else its last update).
 */
export async function unapprovedChanges(
  q: Queryable,
  p: { from: Date; to: Date; scope: number[] | null; laterStates: readonly string[]; required: Record<string, string> },
): Promise<UnapprovedRow[]> {
  const types = Object.keys(p.required);
  if (!types.length) return [];
  const keyCase = sql.join(
    types.map((t) => sql`WHEN ${t} THEN ${p.required[t]}`),
    sql` `,
  );
  return rows<UnapprovedRow>(
    q,
    sql`WITH c AS (
          SELECT t.id, t.number, t.title, t.state, t.updated_at, d.change_type, d.actual_start,
                 (CASE d.change_type ${keyCase} END) AS approval_key
          FROM tickets t JOIN change_details d ON d.ticket_id = t.id
          WHERE t.type = 'change' AND d.change_type = ANY(${textArray(types)})
            ${p.scope ? sql`AND t.org_id = ANY(${idArray(p.scope)})` : sql``}
        ), e AS (
          SELECT c.*,
                 (SELECT min(ev.at) FROM ticket_events ev WHERE ev.ticket_id = c.id AND ev.kind = 'transition' AND ev.data->>'to' = 'implementing') AS implementing_at,
                 (SELECT min(a.decided_at) FROM approvals a WHERE a.ticket_id = c.id AND a.approval_key = c.approval_key AND a.state = 'approved') AS approved_at
          FROM c
          WHERE c.state = ANY(${textArray(p.laterStates)})
             OR c.actual_start IS NOT NULL
             OR EXISTS (SELECT 1 FROM ticket_events ev WHERE ev.ticket_id = c.id AND ev.kind = 'transition' AND ev.data->>'to' = 'implementing')
        )
        SELECT id, number, title, change_type, state, implementing_at, approved_at
        FROM e
        WHERE (approved_at IS NULL OR (implementing_at IS NOT NULL AND implementing_at < approved_at))
          AND coalesce(implementing_at, actual_start, updated_at) >= ${p.from.toISOString()}::timestamptz
          AND coalesce(implementing_at, actual_start, updated_at) < ${p.to.toISOString()}::timestamptz
        ORDER BY id`,
  );
}

export async function templateByName(q: Queryable, name: string) {
  const [row] = await q.select({ id: changeTemplates.id }).from(changeTemplates).where(and(eq(changeTemplates.name, name)));
  return row;
}
