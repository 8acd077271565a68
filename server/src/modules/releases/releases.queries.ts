import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { releaseChanges, releaseDeployments, releaseDetails, releaseRecords } from './releases.tables.ts';

export type DetailsRow = typeof releaseDetails.$inferSelect;
export type DeploymentRow = typeof releaseDeployments.$inferSelect;

/** States whose category means the release is still open (a change may sit in one such release only). */
export const OPEN_CATEGORIES = ['open', 'pending'];

const confirmer = alias(users, 'confirmer');
const creator = alias(users, 'creator');
const updater = alias(users, 'updater');

export async function findDetails(q: Queryable, releaseId: number) {
  const [row] = await q
    .select({ d: releaseDetails, confirmedByName: confirmer.displayName })
    .from(releaseDetails)
    .leftJoin(confirmer, eq(confirmer.id, releaseDetails.cmdbConfirmedBy))
    .where(eq(releaseDetails.ticketId, releaseId));
  return row;
}

export async function lockDetails(q: Queryable, releaseId: number): Promise<DetailsRow | undefined> {
  const [row] = await q.select().from(releaseDetails).where(eq(releaseDetails.ticketId, releaseId)).for('update');
  return row;
}

export async function insertDetails(q: Queryable, v: typeof releaseDetails.$inferInsert) {
  await q.insert(releaseDetails).values(v);
}

export async function updateDetailsVersioned(q: Queryable, releaseId: number, version: number, patch: Partial<typeof releaseDetails.$inferInsert>): Promise<boolean> {
  const r = await q
    .update(releaseDetails)
    .set({ ...patch, version: sql`${releaseDetails.version} + 1`, updatedAt: new Date() })
    .where(and(eq(releaseDetails.ticketId, releaseId), eq(releaseDetails.version, version)))
    .returning({ id: releaseDetails.ticketId });
  return r.length > 0;
}

/** Sets fields whatever the version is (used under the row lock), bumping the version. */
export async function updateDetails(q: Queryable, releaseId: number, patch: Partial<typeof releaseDetails.$inferInsert>) {
  await q
    .update(releaseDetails)
    .set({ ...patch, version: sql`${releaseDetails.version} + 1`, updatedAt: new Date() })
    .where(eq(releaseDetails.ticketId, releaseId));
}

/** The ticket columns a release needs about another ticket (linking, checks). */
export async function lockTicketBrief(q: Queryable, id: number) {
  const [row] = await q
    .select({ id: tickets.id, type: tickets.type, number: tickets.number, orgId: tickets.orgId, state: tickets.state, stateCategory: tickets.stateCategory })
    .from(tickets)
    .where(eq(tickets.id, id))
    .for('update');
  return row;
}

/** Open releases other than `releaseId` that hold the change. */
export async function openReleasesHolding(q: Queryable, changeId: number, releaseId: number) {
  return q
    .select({ id: tickets.id, number: tickets.number })
    .from(releaseChanges)
    .innerJoin(tickets, eq(tickets.id, releaseChanges.releaseId))
    .where(and(eq(releaseChanges.changeId, changeId), ne(releaseChanges.releaseId, releaseId), inArray(tickets.stateCategory, OPEN_CATEGORIES)));
}

export async function insertChangeLink(q: Queryable, v: typeof releaseChanges.$inferInsert): Promise<boolean> {
  const r = await q.insert(releaseChanges).values(v).onConflictDoNothing().returning({ id: releaseChanges.changeId });
  return r.length > 0;
}

export async function deleteChangeLink(q: Queryable, releaseId: number, changeId: number): Promise<boolean> {
  const r = await q
    .delete(releaseChanges)
    .where(and(eq(releaseChanges.releaseId, releaseId), eq(releaseChanges.changeId, changeId)))
    .returning({ id: releaseChanges.changeId });
  return r.length > 0;
}

export async function listChanges(q: Queryable, releaseId: number) {
  return q
    .select({
      changeId: releaseChanges.changeId,
      number: tickets.number,
      title: tickets.title,
      state: tickets.state,
      stateCategory: tickets.stateCategory,
      type: tickets.type,
      workflowVersionId: tickets.workflowVersionId,
      orgId: tickets.orgId,
      linkedAt: releaseChanges.linkedAt,
      linkedByName: creator.displayName,
    })
    .from(releaseChanges)
    .innerJoin(tickets, eq(tickets.id, releaseChanges.changeId))
    .leftJoin(creator, eq(creator.id, releaseChanges.linkedBy))
    .where(eq(releaseChanges.releaseId, releaseId))
    .orderBy(asc(releaseChanges.linkedAt), asc(releaseChanges.changeId));
}

export async function insertRecord(q: Queryable, v: typeof releaseRecords.$inferInsert) {
  const [row] = await q.insert(releaseRecords).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function listRecords(q: Queryable, releaseId: number) {
  return q
    .select({ r: releaseRecords, recordedByName: creator.displayName })
    .from(releaseRecords)
    .leftJoin(creator, eq(creator.id, releaseRecords.recordedBy))
    .where(eq(releaseRecords.releaseId, releaseId))
    .orderBy(asc(releaseRecords.id));
}

export async function insertDeployment(q: Queryable, v: typeof releaseDeployments.$inferInsert) {
  const [row] = await q.insert(releaseDeployments).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function lockDeployment(q: Queryable, releaseId: number, id: number): Promise<DeploymentRow | undefined> {
  const [row] = await q
    .select()
    .from(releaseDeployments)
    .where(and(eq(releaseDeployments.id, id), eq(releaseDeployments.releaseId, releaseId)))
    .for('update');
  return row;
}

export async function updateDeploymentVersioned(q: Queryable, id: number, version: number, patch: Partial<typeof releaseDeployments.$inferInsert>): Promise<boolean> {
  const r = await q
    .update(releaseDeployments)
    .set({ ...patch, version: sql`${releaseDeployments.version} + 1`, updatedAt: new Date() })
    .where(and(eq(releaseDeployments.id, id), eq(releaseDeployments.version, version)))
    .returning({ id: releaseDeployments.id });
  return r.length > 0;
}

export async function listDeployments(q: Queryable, releaseId: number, id?: number) {
  return q
    .select({ d: releaseDeployments, createdByName: creator.displayName, updatedByName: updater.displayName })
    .from(releaseDeployments)
    .leftJoin(creator, eq(creator.id, releaseDeployments.createdBy))
    .leftJoin(updater, eq(updater.id, releaseDeployments.updatedBy))
    .where(id === undefined ? eq(releaseDeployments.releaseId, releaseId) : and(eq(releaseDeployments.releaseId, releaseId), eq(releaseDeployments.id, id)))
    .orderBy(asc(releaseDeployments.id));
}

/**
 * Every CI of every linked change (the change module's change_cis) with the newest CI version that
 * names that change ticket, if any. One row per (change, CI).
 */
export async function cmdbCheckRows(q: Queryable, releaseId: number) {
  return rows<{ changeId: number; changeNumber: string; ciId: number; ciName: string; ciVersion: number | null; versionAt: Date | string | null }>(
    q,
    sql`
      SELECT rc.change_id AS "changeId", t.number AS "changeNumber", ci.id AS "ciId", ci.name AS "ciName",
        nv.version AS "ciVersion", nv.at AS "versionAt"
      FROM release_changes rc
      JOIN tickets t ON t.id = rc.change_id
      JOIN change_cis cc ON cc.ticket_id = rc.change_id
      JOIN ci_items ci ON ci.id = cc.ci_id
      LEFT JOIN LATERAL (
        SELECT v.version, v.changed_at AS at FROM ci_versions v
        WHERE v.ci_id = cc.ci_id AND v.change_ticket_id = rc.change_id
        ORDER BY v.version DESC LIMIT 1
      ) nv ON true
      WHERE rc.release_id = ${releaseId}
      ORDER BY t.id, ci.name, ci.id`,
  );
}

/** Release summaries for a page of release ticket ids. */
export async function summaries(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q
    .select({
      ticketId: releaseDetails.ticketId,
      versionLabel: releaseDetails.versionLabel,
      plannedReleaseAt: releaseDetails.plannedReleaseAt,
      cmdbConfirmed: releaseDetails.cmdbConfirmed,
      changeCount: sql<number>`(SELECT count(*)::int FROM release_changes rc WHERE rc.release_id = ${releaseDetails.ticketId})`,
    })
    .from(releaseDetails)
    .where(inArray(releaseDetails.ticketId, ids));
}

/** Releases in scope (null = all organisations) whose outcome transition falls in [from, to). */
export async function reportRows(q: Queryable, f: { from: Date; to: Date; scope: number[] | null; orgId?: number }) {
  const scopeSql = f.scope === null ? sql`true` : f.scope.length ? sql`t.org_id IN (${sql.join(f.scope.map((o) => sql`${o}`), sql`, `)})` : sql`false`;
  const orgSql = f.orgId ? sql`t.org_id = ${f.orgId}` : sql`true`;
  return rows<{ id: number; outcome: string; planned: Date | string | null; first_prod: Date | string | null }>(
    q,
    sql`
      WITH outcomes AS (
        SELECT DISTINCT ON (e.ticket_id) e.ticket_id, e.data->>'to' AS outcome, e.at
        FROM ticket_events e
        JOIN tickets t ON t.id = e.ticket_id
        WHERE t.type = 'release' AND e.kind = 'transition' AND e.data->>'to' IN ('completed', 'rolled_back')
          AND ${scopeSql} AND ${orgSql}
        ORDER BY e.ticket_id, e.id DESC
      )
      SELECT o.ticket_id AS id, o.outcome, d.planned_release_at AS planned,
        (SELECT min(rd.finished_at) FROM release_deployments rd
          WHERE rd.release_id = o.ticket_id AND rd.finished_at IS NOT NULL AND rd.result = 'success'
            AND lower(rd.environment) IN ('prod', 'production', '生产')) AS first_prod
      FROM outcomes o
      JOIN release_details d ON d.ticket_id = o.ticket_id
      WHERE o.at >= ${f.from.toISOString()}::timestamptz AND o.at < ${f.to.toISOString()}::timestamptz`,
  );
}

export async function deploymentResults(q: Queryable, releaseIds: number[]) {
  if (!releaseIds.length) return [];
  return q
    .select({ result: releaseDeployments.result, n: sql<number>`count(*)::int` })
    .from(releaseDeployments)
    .where(and(inArray(releaseDeployments.releaseId, releaseIds), sql`${releaseDeployments.result} IS NOT NULL`))
    .groupBy(releaseDeployments.result)
    .orderBy(desc(sql`count(*)`));
}
