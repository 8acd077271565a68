import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { searchQuery } from '../knowledge/knowledge.queries.ts';
import { knowledgeArticleCis, knowledgeArticles } from '../knowledge/knowledge.tables.ts';
import { users } from '../directory/directory.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { knownErrors, problemChanges, problemCis, problemDetails, problemIncidents } from './problems.tables.ts';

export async function findDetails(q: Queryable, problemId: number) {
  const [row] = await q
    .select({ d: problemDetails, updatedByName: users.displayName })
    .from(problemDetails)
    .leftJoin(users, eq(users.id, problemDetails.updatedBy))
    .where(eq(problemDetails.ticketId, problemId));
  return row;
}

/** The details row, created empty when missing, locked for the caller's transaction. */
export async function lockDetails(q: Queryable, problemId: number) {
  await q.insert(problemDetails).values({ ticketId: problemId }).onConflictDoNothing();
  const [row] = await q.select().from(problemDetails).where(eq(problemDetails.ticketId, problemId)).for('update');
  if (!row) throw new Error('problem details vanished');
  return row;
}

export async function insertDetails(q: Queryable, v: typeof problemDetails.$inferInsert) {
  await q.insert(problemDetails).values(v);
}

export async function updateDetails(q: Queryable, problemId: number, version: number, patch: Partial<typeof problemDetails.$inferInsert>) {
  const r = await q
    .update(problemDetails)
    .set({ ...patch, version: sql`${problemDetails.version} + 1`, updatedAt: new Date() })
    .where(and(eq(problemDetails.ticketId, problemId), eq(problemDetails.version, version)))
    .returning({ id: problemDetails.ticketId });
  return r.length > 0;
}

/** Linked tickets (incidents or changes) of a problem, with the link time. */
export async function linkedIncidents(q: Queryable, problemId: number) {
  return q
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      state: tickets.state,
      priority: tickets.priority,
      orgId: tickets.orgId,
      createdAt: tickets.createdAt,
      linkedAt: problemIncidents.createdAt,
    })
    .from(problemIncidents)
    .innerJoin(tickets, eq(tickets.id, problemIncidents.incidentId))
    .where(eq(problemIncidents.problemId, problemId))
    .orderBy(asc(tickets.createdAt), asc(tickets.id));
}

export async function linkedChanges(q: Queryable, problemId: number) {
  return q
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      state: tickets.state,
      priority: tickets.priority,
      orgId: tickets.orgId,
      createdAt: tickets.createdAt,
      linkedAt: problemChanges.createdAt,
    })
    .from(problemChanges)
    .innerJoin(tickets, eq(tickets.id, problemChanges.changeId))
    .where(eq(problemChanges.problemId, problemId))
    .orderBy(asc(tickets.createdAt), asc(tickets.id));
}

export async function linkedCis(q: Queryable, problemId: number) {
  return q
    .select({ id: ciItems.id, name: ciItems.name, status: ciItems.status, importance: ciItems.importance, orgId: ciItems.orgId, linkedAt: problemCis.createdAt })
    .from(problemCis)
    .innerJoin(ciItems, eq(ciItems.id, problemCis.ciId))
    .where(eq(problemCis.problemId, problemId))
    .orderBy(asc(ciItems.id));
}

/** Count and first/last occurrence over every linked incident (whatever the reader's scope). */
export async function occurrence(q: Queryable, problemId: number) {
  const [r] = await rows<{ n: number | string; first: string | Date | null; last: string | Date | null }>(
    q,
    sql`SELECT count(*)::int AS n, min(t.created_at) AS first, max(t.created_at) AS last
        FROM problem_incidents pi JOIN tickets t ON t.id = pi.incident_id WHERE pi.problem_id = ${problemId}::bigint`,
  );
  const d = (v: string | Date | null | undefined) => (v === null || v === undefined ? null : new Date(v));
  return { incidentCount: Number(r?.n ?? 0), first: d(r?.first), last: d(r?.last) };
}

export async function ticketsByIds(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: tickets.id, type: tickets.type, number: tickets.number, orgId: tickets.orgId }).from(tickets).where(inArray(tickets.id, ids));
}

export async function existingIncidentLinks(q: Queryable, incidentIds: number[]) {
  if (!incidentIds.length) return [];
  return q
    .select({ incidentId: problemIncidents.incidentId, problemId: problemIncidents.problemId, problemNumber: tickets.number })
    .from(problemIncidents)
    .innerJoin(tickets, eq(tickets.id, problemIncidents.problemId))
    .where(inArray(problemIncidents.incidentId, incidentIds));
}

/** Inserts incident links; returns the incident ids actually linked (a concurrent link loses the row). */
export async function insertIncidentLinks(q: Queryable, problemId: number, incidentIds: number[], actorId: number | null): Promise<number[]> {
  if (!incidentIds.length) return [];
  const r = await q
    .insert(problemIncidents)
    .values(incidentIds.map((incidentId) => ({ incidentId, problemId, createdBy: actorId })))
    .onConflictDoNothing()
    .returning({ id: problemIncidents.incidentId });
  return r.map((x) => x.id);
}

export async function deleteIncidentLink(q: Queryable, problemId: number, incidentId: number) {
  const r = await q
    .delete(problemIncidents)
    .where(and(eq(problemIncidents.problemId, problemId), eq(problemIncidents.incidentId, incidentId)))
    .returning({ id: problemIncidents.incidentId });
  return r.length > 0;
}

export async function findCis(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: ciItems.id, name: ciItems.name, orgId: ciItems.orgId }).from(ciItems).where(inArray(ciItems.id, ids));
}

export async function insertCiLinks(q: Queryable, problemId: number, ciIds: number[], actorId: number | null): Promise<number[]> {
  if (!ciIds.length) return [];
  const r = await q
    .insert(problemCis)
    .values(ciIds.map((ciId) => ({ problemId, ciId, createdBy: actorId })))
    .onConflictDoNothing()
    .returning({ id: problemCis.ciId });
  return r.map((x) => x.id);
}

export async function deleteCiLink(q: Queryable, problemId: number, ciId: number) {
  const r = await q.delete(problemCis).where(and(eq(problemCis.problemId, problemId), eq(problemCis.ciId, ciId))).returning({ id: problemCis.ciId });
  return r.length > 0;
}

export async function insertChangeLinks(q: Queryable, problemId: number, changeIds: number[], actorId: number | null): Promise<number[]> {
  if (!changeIds.length) return [];
  const r = await q
    .insert(problemChanges)
    .values(changeIds.map((changeId) => ({ problemId, changeId, createdBy: actorId })))
    .onConflictDoNothing()
    .returning({ id: problemChanges.changeId });
  return r.map((x) => x.id);
}

export async function deleteChangeLink(q: Queryable, problemId: number, changeId: number) {
  const r = await q
    .delete(problemChanges)
    .where(and(eq(problemChanges.problemId, problemId), eq(problemChanges.changeId, changeId)))
    .returning({ id: problemChanges.changeId });
  return r.length > 0;
}

export async function findKnownError(q: Queryable, problemId: number) {
  const [row] = await q
    .select({ k: knownErrors, articleNumber: knowledgeArticles.number, articleState: knowledgeArticles.state, articleOrgId: knowledgeArticles.orgId })
    .from(knownErrors)
    .innerJoin(knowledgeArticles, eq(knowledgeArticles.id, knownErrors.articleId))
    .where(eq(knownErrors.problemId, problemId));
  if (!row) return undefined;
  const cis = await q.select({ ciId: knowledgeArticleCis.ciId }).from(knowledgeArticleCis).where(eq(knowledgeArticleCis.articleId, row.k.articleId)).orderBy(asc(knowledgeArticleCis.ciId));
  return { ...row, ciIds: cis.map((c) => c.ciId) };
}

export async function lockKnownError(q: Queryable, problemId: number) {
  const [row] = await q.select().from(knownErrors).where(eq(knownErrors.problemId, problemId)).for('update');
  return row;
}

export async function insertKnownError(q: Queryable, v: typeof knownErrors.$inferInsert) {
  await q.insert(knownErrors).values(v);
}

export async function updateKnownError(q: Queryable, id: number, patch: Partial<typeof knownErrors.$inferInsert>) {
  await q
    .update(knownErrors)
    .set({ ...patch, version: sql`${knownErrors.version} + 1`, updatedAt: new Date() })
    .where(eq(knownErrors.id, id));
}

export async function problemOfIncident(q: Queryable, incidentId: number) {
  const [row] = await q
    .select({ id: tickets.id, number: tickets.number, title: tickets.title, state: tickets.state, orgId: tickets.orgId })
    .from(problemIncidents)
    .innerJoin(tickets, eq(tickets.id, problemIncidents.problemId))
    .where(eq(problemIncidents.incidentId, incidentId));
  return row;
}

export type ListFilter = {
  scope: number[] | null;
  q?: string;
  state?: string[];
  orgId?: number;
  causeCategory?: string;
  /** State categories (open, pending, resolved, closed, cancelled): the row's denormalised state_category. */
  stateCategory?: string[];
  sort: string;
  page: number;
  pageSize: number;
};

export type ProblemListRow = {
  id: number | string;
  number: string;
  title: string;
  state: string;
  state_category: string;
  workflow_version_id: number | string | null;
  priority: number;
  org_id: number | string;
  org_name: string;
  assignee_name: string | null;
  group_name: string | null;
  cause_category: string | null;
  root_cause_at: string | Date | null;
  ke_number: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  incident_count: number | string;
  first_at: string | Date | null;
  last_at: string | Date | null;
};

export async function listProblems(q: Queryable, f: ListFilter) {
  const c: SQL[] = [sql`t.type = 'problem'`];
  if (f.scope !== null) c.push(f.scope.length ? sql`t.org_id = ANY(${`{${f.scope.join(',')}}`}::bigint[])` : sql`false`);
  if (f.state?.length) c.push(sql`t.state IN (${sql.join(f.state.map((s) => sql`${s}`), sql`, `)})`);
  if (f.orgId) c.push(sql`t.org_id = ${f.orgId}::bigint`);
  if (f.causeCategory) c.push(sql`d.cause_category = ${f.causeCategory}`);
  if (f.stateCategory?.length) c.push(sql`t.state_category IN (${sql.join(f.stateCategory.map((s) => sql`${s}`), sql`, `)})`);
  if (f.q) {
    const tsq = searchQuery(f.q);
    c.push(tsq ? sql`t.search_vector @@ ${tsq}` : sql`false`);
  }
  const where = sql.join(c, sql` AND `);
  const order =
    f.sort === 'createdAt'
      ? sql`t.created_at ASC, t.id ASC`
      : f.sort === '-incidentCount'
        ? sql`occ.n DESC, t.created_at DESC, t.id DESC`
        : f.sort === '-lastOccurrence'
          ? sql`occ.last_at DESC NULLS LAST, t.id DESC`
          : sql`t.created_at DESC, t.id DESC`;
  const items = await rows<ProblemListRow>(
    q,
    sql`SELECT t.id, t.number, t.title, t.state, t.state_category, t.workflow_version_id, t.priority, t.org_id, o.name AS org_name, a.display_name AS assignee_name,
          g.name AS group_name, d.cause_category, d.root_cause_at, ka.number AS ke_number, t.created_at, t.updated_at,
          occ.n AS incident_count, occ.first_at, occ.last_at
        FROM tickets t
        JOIN organizations o ON o.id = t.org_id
        LEFT JOIN users a ON a.id = t.assignee_id
        LEFT JOIN groups g ON g.id = t.assignment_group_id
        LEFT JOIN problem_details d ON d.ticket_id = t.id
        LEFT JOIN known_errors ke ON ke.problem_id = t.id
        LEFT JOIN knowledge_articles ka ON ka.id = ke.article_id
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS n, min(i.created_at) AS first_at, max(i.created_at) AS last_at
          FROM problem_incidents pi JOIN tickets i ON i.id = pi.incident_id WHERE pi.problem_id = t.id
        ) occ
        WHERE ${where}
        ORDER BY ${order}
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  const [cnt] = await rows<{ n: number | string }>(q, sql`SELECT count(*)::int AS n FROM tickets t LEFT JOIN problem_details d ON d.ticket_id = t.id WHERE ${where}`);
  return { items, total: Number(cnt?.n ?? 0) };
}

export type ReportRow = {
  id: number | string;
  number: string;
  title: string;
  state: string;
  workflow_version_id: number | string | null;
  created_at: string | Date;
  root_cause_at: string | Date | null;
  cause_category: string | null;
  incident_count: number | string;
  first_at: string | Date | null;
  last_at: string | Date | null;
};

/** Problems created in [from, to) in scope, with their RCA instant and incident counts. */
export async function reportRows(q: Queryable, args: { from: Date; to: Date; scope: number[] | null; orgId?: number }) {
  const c: SQL[] = [sql`t.type = 'problem'`, sql`t.created_at >= ${args.from.toISOString()}::timestamptz`, sql`t.created_at < ${args.to.toISOString()}::timestamptz`];
  if (args.scope !== null) c.push(args.scope.length ? sql`t.org_id = ANY(${`{${args.scope.join(',')}}`}::bigint[])` : sql`false`);
  if (args.orgId) c.push(sql`t.org_id = ${args.orgId}::bigint`);
  return rows<ReportRow>(
    q,
    sql`SELECT t.id, t.number, t.title, t.state, t.workflow_version_id, t.created_at, d.root_cause_at, d.cause_category,
          occ.n AS incident_count, occ.first_at, occ.last_at
        FROM tickets t
        LEFT JOIN problem_details d ON d.ticket_id = t.id
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS n, min(i.created_at) AS first_at, max(i.created_at) AS last_at
          FROM problem_incidents pi JOIN tickets i ON i.id = pi.incident_id WHERE pi.problem_id = t.id
        ) occ
        WHERE ${sql.join(c, sql` AND `)}
        ORDER BY t.id
        LIMIT 50000`,
  );
}
