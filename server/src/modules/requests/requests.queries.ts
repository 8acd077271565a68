import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '../../platform/db/db.ts';
import { groupMembers, groupOrgs, groups, organizations, users } from '../directory/directory.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { workflows, workflowVersions } from '../workflows/workflows.tables.ts';
import { requestForms, requestSubmissions, requestTasks, requestTypes } from './requests.tables.ts';

export type TypeRow = typeof requestTypes.$inferSelect;
export type FormRow = typeof requestForms.$inferSelect;
export type TaskRow = typeof requestTasks.$inferSelect;
export type TypeWithForm = { t: TypeRow; formVersion: number };

/* ------------------------------ types, forms ------------------------------ */

const typeColumns = { t: requestTypes, formVersion: sql<number>`coalesce(${requestForms.version}, 0)`.mapWith(Number) };

export async function listTypes(q: Queryable): Promise<TypeWithForm[]> {
  return q
    .select(typeColumns)
    .from(requestTypes)
    .leftJoin(requestForms, eq(requestForms.id, requestTypes.currentFormId))
    .orderBy(asc(requestTypes.categoryZh), asc(requestTypes.id));
}

export async function findType(q: Queryable, id: number): Promise<TypeWithForm | undefined> {
  const [r] = await q.select(typeColumns).from(requestTypes).leftJoin(requestForms, eq(requestForms.id, requestTypes.currentFormId)).where(eq(requestTypes.id, id));
  return r;
}

export async function findTypeByKey(q: Queryable, key: string): Promise<TypeWithForm | undefined> {
  const [r] = await q.select(typeColumns).from(requestTypes).leftJoin(requestForms, eq(requestForms.id, requestTypes.currentFormId)).where(eq(requestTypes.key, key));
  return r;
}

export async function lockType(q: Queryable, id: number): Promise<TypeRow | undefined> {
  const [r] = await q.select().from(requestTypes).where(eq(requestTypes.id, id)).for('update');
  return r;
}

export async function typeKeyTaken(q: Queryable, key: string): Promise<boolean> {
  const [r] = await q.select({ id: requestTypes.id }).from(requestTypes).where(eq(requestTypes.key, key));
  return r !== undefined;
}

export async function insertType(q: Queryable, v: typeof requestTypes.$inferInsert): Promise<TypeRow> {
  const [r] = await q.insert(requestTypes).values(v).returning();
  if (!r) throw new Error('request type insert returned nothing');
  return r;
}

export async function updateType(q: Queryable, id: number, patch: Partial<typeof requestTypes.$inferInsert>): Promise<TypeRow> {
  const [r] = await q
    .update(requestTypes)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(requestTypes.id, id))
    .returning();
  if (!r) throw new Error('request type vanished');
  return r;
}

export async function insertForm(q: Queryable, v: typeof requestForms.$inferInsert): Promise<FormRow> {
  const [r] = await q.insert(requestForms).values(v).returning();
  if (!r) throw new Error('request form insert returned nothing');
  return r;
}

export async function findForm(q: Queryable, typeId: number, version: number) {
  const [r] = await q
    .select({ f: requestForms, createdByName: users.displayName })
    .from(requestForms)
    .leftJoin(users, eq(users.id, requestForms.createdBy))
    .where(and(eq(requestForms.typeId, typeId), eq(requestForms.version, version)));
  return r;
}

export async function findFormById(q: Queryable, id: number) {
  const [r] = await q.select({ f: requestForms, createdByName: users.displayName }).from(requestForms).leftJoin(users, eq(users.id, requestForms.createdBy)).where(eq(requestForms.id, id));
  return r;
}

export async function formVersionsOf(q: Queryable, typeId: number) {
  return q
    .select({ version: requestForms.version, createdAt: requestForms.createdAt, createdByName: users.displayName })
    .from(requestForms)
    .leftJoin(users, eq(users.id, requestForms.createdBy))
    .where(eq(requestForms.typeId, typeId))
    .orderBy(desc(requestForms.version));
}

/** Workflow keys a request type may use: request workflows. */
export async function requestWorkflowExists(q: Queryable, key: string): Promise<boolean> {
  const [r] = await q
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.key, key), eq(workflows.ticketType, 'request')));
  return r !== undefined;
}

export async function groupNames(q: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await q.select({ id: groups.id, name: groups.name }).from(groups).where(inArray(groups.id, ids));
  return new Map(r.map((x) => [x.id, x.name]));
}

export async function existingOrgIds(q: Queryable, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const r = await q.select({ id: organizations.id }).from(organizations).where(inArray(organizations.id, ids));
  return r.map((x) => x.id);
}

/* ------------------------------ references ------------------------------ */

export async function usersByIds(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: users.id, orgId: users.orgId, status: users.status, displayName: users.displayName }).from(users).where(inArray(users.id, ids));
}

export async function groupsByIds(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  const r = await q
    .select({ id: groups.id, name: groups.name, orgIds: sql<number[] | null>`array_agg(${groupOrgs.orgId}) FILTER (WHERE ${groupOrgs.orgId} IS NOT NULL)` })
    .from(groups)
    .leftJoin(groupOrgs, eq(groupOrgs.groupId, groups.id))
    .where(inArray(groups.id, ids))
    .groupBy(groups.id, groups.name);
  return r.map((x) => ({ ...x, orgIds: (x.orgIds ?? []).map(Number) }));
}

export async function cisByIds(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: ciItems.id, orgId: ciItems.orgId, name: ciItems.name }).from(ciItems).where(inArray(ciItems.id, ids));
}

/* ------------------------------ submissions ------------------------------ */

export async function insertSubmission(q: Queryable, v: typeof requestSubmissions.$inferInsert) {
  await q.insert(requestSubmissions).values(v);
}

export async function findSubmission(q: Queryable, ticketId: number) {
  const [r] = await q.select().from(requestSubmissions).where(eq(requestSubmissions.ticketId, ticketId));
  return r;
}

const requester = alias(users, 'requester');

export type RequestListFilter = {
  scope: number[] | null;
  requesterId?: number;
  typeId?: number;
  stateCategory?: string;
  taskGroupIds?: number[];
  limit: number;
  offset: number;
};

export async function listRequests(q: Queryable, f: RequestListFilter) {
  const c: SQL[] = [eq(tickets.type, 'request')];
  // Open tasks of the caller's groups make a request visible to them whatever its organisation.
  // The requester's own requests are theirs to see wherever they were filed.
  if (f.scope !== null && f.taskGroupIds === undefined && f.requesterId === undefined) c.push(f.scope.length ? inArray(tickets.orgId, f.scope) : sql`false`);
  if (f.requesterId !== undefined) c.push(eq(tickets.requesterId, f.requesterId));
  if (f.typeId !== undefined) c.push(eq(requestSubmissions.typeId, f.typeId));
  if (f.stateCategory !== undefined) c.push(eq(tickets.stateCategory, f.stateCategory));
  if (f.taskGroupIds !== undefined) {
    c.push(
      f.taskGroupIds.length
        ? sql`EXISTS (SELECT 1 FROM request_tasks rt WHERE rt.ticket_id = ${tickets.id} AND rt.state = 'open' AND rt.group_id IN (${sql.join(
            f.taskGroupIds.map((g) => sql`${g}`),
            sql`, `,
          )}))`
        : sql`false`,
    );
  }
  const where = and(...c);
  const items = await q
    .select({
      t: {
        id: tickets.id,
        number: tickets.number,
        title: tickets.title,
        orgId: tickets.orgId,
        requesterId: tickets.requesterId,
        state: tickets.state,
        stateCategory: tickets.stateCategory,
        workflowVersionId: tickets.workflowVersionId,
        createdAt: tickets.createdAt,
        updatedAt: tickets.updatedAt,
      },
      orgName: organizations.name,
      requesterName: requester.displayName,
      type: { key: requestTypes.key, nameZh: requestTypes.nameZh, nameEn: requestTypes.nameEn, icon: requestTypes.icon },
      openTasks: sql<number>`(SELECT count(*) FROM request_tasks rt WHERE rt.ticket_id = ${tickets.id} AND rt.state = 'open')`.mapWith(Number),
      totalTasks: sql<number>`(SELECT count(*) FROM request_tasks rt WHERE rt.ticket_id = ${tickets.id})`.mapWith(Number),
    })
    .from(tickets)
    .innerJoin(requestSubmissions, eq(requestSubmissions.ticketId, tickets.id))
    .innerJoin(requestTypes, eq(requestTypes.id, requestSubmissions.typeId))
    .innerJoin(organizations, eq(organizations.id, tickets.orgId))
    .leftJoin(requester, eq(requester.id, tickets.requesterId))
    .where(where)
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(f.limit)
    .offset(f.offset);
  const [n] = await q
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(tickets)
    .innerJoin(requestSubmissions, eq(requestSubmissions.ticketId, tickets.id))
    .where(where);
  return { items, total: n?.n ?? 0 };
}

/** Workflow definitions by version id (for state labels). */
export async function workflowDefinitions(q: Queryable, versionIds: number[]) {
  if (!versionIds.length) return new Map<number, unknown>();
  const r = await q.select({ id: workflowVersions.id, definition: workflowVersions.definition }).from(workflowVersions).where(inArray(workflowVersions.id, versionIds));
  return new Map(r.map((x) => [x.id, x.definition]));
}

/* --------------------------------- tasks --------------------------------- */

const taskAssignee = alias(users, 'task_assignee');
const taskDoneBy = alias(users, 'task_done_by');

export type TaskJoined = { r: TaskRow; groupName: string | null; assigneeName: string | null; doneByName: string | null };

export async function tasksOf(q: Queryable, ticketId: number): Promise<TaskJoined[]> {
  return q
    .select({ r: requestTasks, groupName: groups.name, assigneeName: taskAssignee.displayName, doneByName: taskDoneBy.displayName })
    .from(requestTasks)
    .leftJoin(groups, eq(groups.id, requestTasks.groupId))
    .leftJoin(taskAssignee, eq(taskAssignee.id, requestTasks.assigneeId))
    .leftJoin(taskDoneBy, eq(taskDoneBy.id, requestTasks.doneBy))
    .where(eq(requestTasks.ticketId, ticketId))
    .orderBy(asc(requestTasks.seq));
}

export async function findTask(q: Queryable, ticketId: number, taskId: number): Promise<TaskJoined | undefined> {
  const r = await tasksOf(q, ticketId);
  return r.find((x) => x.r.id === taskId);
}

export async function lockTask(q: Queryable, ticketId: number, taskId: number): Promise<TaskRow | undefined> {
  const [r] = await q
    .select()
    .from(requestTasks)
    .where(and(eq(requestTasks.id, taskId), eq(requestTasks.ticketId, ticketId)))
    .for('update');
  return r;
}

export async function countTasks(q: Queryable, ticketId: number): Promise<{ total: number; open: number }> {
  const [r] = await q
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      open: sql<number>`count(*) FILTER (WHERE ${requestTasks.state} = 'open')`.mapWith(Number),
    })
    .from(requestTasks)
    .where(eq(requestTasks.ticketId, ticketId));
  return r ?? { total: 0, open: 0 };
}

export async function insertTasks(q: Queryable, rows: (typeof requestTasks.$inferInsert)[]) {
  if (!rows.length) return;
  await q.insert(requestTasks).values(rows).onConflictDoNothing();
}

export async function updateTask(q: Queryable, id: number, version: number, patch: Partial<typeof requestTasks.$inferInsert>): Promise<boolean> {
  const r = await q
    .update(requestTasks)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(eq(requestTasks.id, id), eq(requestTasks.version, version)))
    .returning({ id: requestTasks.id });
  return r.length > 0;
}

export async function memberGroupIds(q: Queryable, userId: number): Promise<number[]> {
  const r = await q.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, userId));
  return r.map((x) => x.id);
}
