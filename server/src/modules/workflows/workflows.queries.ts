import { and, desc, eq, sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { users } from '../directory/directory.tables.ts';
import { workflowVersions, workflows } from './workflows.tables.ts';

export type WorkflowRow = typeof workflows.$inferSelect;
export type VersionRow = typeof workflowVersions.$inferSelect;

export async function findWorkflow(q: Queryable, key: string): Promise<WorkflowRow | undefined> {
  const [w] = await q.select().from(workflows).where(eq(workflows.key, key));
  return w;
}

export async function lockWorkflow(q: Queryable, key: string): Promise<WorkflowRow | undefined> {
  const [w] = await q.select().from(workflows).where(eq(workflows.key, key)).for('update');
  return w;
}

export async function findVersion(q: Queryable, workflowId: number, version: number): Promise<VersionRow | undefined> {
  const [v] = await q
    .select()
    .from(workflowVersions)
    .where(and(eq(workflowVersions.workflowId, workflowId), eq(workflowVersions.version, version)));
  return v;
}

export async function findVersionById(q: Queryable, id: number): Promise<(VersionRow & { key: string }) | undefined> {
  const [v] = await q
    .select({ v: workflowVersions, key: workflows.key })
    .from(workflowVersions)
    .innerJoin(workflows, eq(workflows.id, workflowVersions.workflowId))
    .where(eq(workflowVersions.id, id));
  return v ? { ...v.v, key: v.key } : undefined;
}

export async function listVersions(q: Queryable, workflowId: number) {
  return q
    .select({ version: workflowVersions.version, createdAt: workflowVersions.createdAt, note: workflowVersions.note, createdByName: users.displayName })
    .from(workflowVersions)
    .leftJoin(users, eq(users.id, workflowVersions.createdBy))
    .where(eq(workflowVersions.workflowId, workflowId))
    .orderBy(desc(workflowVersions.version));
}

/** Every workflow with the number of unfinished tickets still on an older version. */
export async function listWorkflows(q: Queryable) {
  return rows<WorkflowRow & { older: number }>(
    q,
    sql`SELECT w.id, w.key, w.ticket_type AS "ticketType", w.name_zh AS "nameZh", w.name_en AS "nameEn", w.built_in AS "builtIn",
          w.current_version AS "currentVersion", w.created_at AS "createdAt", w.updated_at AS "updatedAt",
          (SELECT count(*)::int FROM tickets t JOIN workflow_versions v ON v.id = t.workflow_version_id
            WHERE v.workflow_id = w.id AND v.version < w.current_version AND t.state_category NOT IN ('closed', 'cancelled')) AS older
        FROM workflows w ORDER BY w.ticket_type, w.key`,
  );
}

export async function insertWorkflow(q: Queryable, v: typeof workflows.$inferInsert): Promise<WorkflowRow> {
  const [w] = await q.insert(workflows).values(v).returning();
  if (!w) throw new Error('workflow insert returned nothing');
  return w;
}

export async function insertVersion(q: Queryable, v: typeof workflowVersions.$inferInsert): Promise<VersionRow> {
  const [r] = await q.insert(workflowVersions).values(v).returning();
  if (!r) throw new Error('workflow version insert returned nothing');
  return r;
}

export async function setCurrentVersion(q: Queryable, id: number, version: number, names?: { nameZh: string; nameEn: string }) {
  await q
    .update(workflows)
    .set({ currentVersion: version, updatedAt: new Date(), ...(names ?? {}) })
    .where(eq(workflows.id, id));
}
