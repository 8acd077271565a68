import { and, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { settings } from '../settings/settings.tables.ts';
import { ticketEvents } from '../tickets/tickets.tables.ts';
import { approvalLinks, approvals, approvalTasks } from './approvals.tables.ts';

export type ApprovalRow = typeof approvals.$inferSelect;
export type TaskRow = typeof approvalTasks.$inferSelect;

/* ------------------------------ approvers ------------------------------- */

export async function activeUserIds(q: Queryable, ids: readonly number[]): Promise<number[]> {
  if (!ids.length) return [];
  const list = sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );
  const r = await rows<{ id: number }>(q, sql`SELECT id FROM users WHERE status = 'active' AND id IN (${list}) ORDER BY id`);
  return r.map((x) => Number(x.id));
}

export async function activeGroupMemberIds(q: Queryable, groupId: number): Promise<number[]> {
  const r = await rows<{ id: number }>(
    q,
    sql`SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ${groupId} AND u.status = 'active' ORDER BY u.id`,
  );
  return r.map((x) => Number(x.id));
}

/** Active users of provider organisations holding the role. */
export async function activeProviderRoleIds(q: Queryable, role: string): Promise<number[]> {
  const r = await rows<{ id: number }>(
    q,
    sql`SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id
        WHERE o.kind = 'provider' AND u.status = 'active' AND ${role} = ANY(u.roles) ORDER BY u.id`,
  );
  return r.map((x) => Number(x.id));
}

export async function activeManagerOf(q: Queryable, userId: number): Promise<number[]> {
  const r = await rows<{ id: number }>(
    q,
    sql`SELECT m.id FROM users u JOIN users m ON m.id = u.manager_id WHERE u.id = ${userId} AND m.status = 'active'`,
  );
  return r.map((x) => Number(x.id));
}

export async function workflowKeyOfVersion(q: Queryable, workflowVersionId: number): Promise<string | null> {
  const r = await rows<{ key: string }>(
    q,
    sql`SELECT w.key FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE v.id = ${workflowVersionId}`,
  );
  return r[0]?.key ?? null;
}

export async function readSetting(q: Queryable, key: string): Promise<unknown> {
  const [r] = await q.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return r?.value;
}

export async function writeSetting(q: Queryable, key: string, value: unknown): Promise<void> {
  await q
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}

export async function groupExists(q: Queryable, groupId: number): Promise<boolean> {
  const r = await rows<{ id: number }>(q, sql`SELECT id FROM groups WHERE id = ${groupId}`);
  return r.length > 0;
}

export type UserBrief = { id: number; status: string; display_name: string };
export async function findUserBrief(q: Queryable, userId: number): Promise<UserBrief | undefined> {
  const r = await rows<UserBrief>(q, sql`SELECT id, status, display_name FROM users WHERE id = ${userId}`);
  return r[0];
}

/* -------------------------------- runs --------------------------------- */

export type Subject = { type: string; id: number };

export async function lockPendingRun(q: Queryable, subject: Subject, approvalKey: string): Promise<ApprovalRow | undefined> {
  const [r] = await q
    .select()
    .from(approvals)
    .where(and(eq(approvals.subjectType, subject.type), eq(approvals.subjectId, subject.id), eq(approvals.approvalKey, approvalKey), eq(approvals.state, 'pending')))
    .for('update');
  return r;
}

export async function lockPendingRunsOfTicket(q: Queryable, ticketId: number): Promise<ApprovalRow[]> {
  return q
    .select()
    .from(approvals)
    .where(and(eq(approvals.ticketId, ticketId), eq(approvals.state, 'pending')))
    .orderBy(approvals.id)
    .for('update');
}

export async function lastRound(q: Queryable, subject: Subject, approvalKey: string): Promise<number> {
  const r = await rows<{ round: number | null }>(
    q,
    sql`SELECT max(round) AS round FROM approvals WHERE subject_type = ${subject.type} AND subject_id = ${subject.id} AND approval_key = ${approvalKey}`,
  );
  return Number(r[0]?.round ?? 0);
}

export async function latestRunState(q: Queryable, ticketId: number, approvalKey: string): Promise<string | null> {
  const r = await rows<{ state: string }>(
    q,
    sql`SELECT state FROM approvals WHERE ticket_id = ${ticketId} AND approval_key = ${approvalKey} ORDER BY id DESC LIMIT 1`,
  );
  return r[0]?.state ?? null;
}

export async function insertRun(q: Queryable, v: typeof approvals.$inferInsert): Promise<ApprovalRow> {
  const [r] = await q.insert(approvals).values(v).returning();
  if (!r) throw new Error('insert approvals returned nothing');
  return r;
}

export async function findRun(q: Queryable, id: number): Promise<ApprovalRow | undefined> {
  const [r] = await q.select().from(approvals).where(eq(approvals.id, id));
  return r;
}

export async function updateRun(q: Queryable, id: number, set: Partial<typeof approvals.$inferInsert>): Promise<void> {
  await q.update(approvals).set(set).where(eq(approvals.id, id));
}

export async function runsOfSubject(q: Queryable, subject: Subject): Promise<(ApprovalRow & { requestedByName: string | null })[]> {
  const r = await rows<Record<string, unknown>>(
    q,
    sql`SELECT a.id, a.subject_type, a.subject_id, a.ticket_id, a.workflow_version_id, a.approval_key, a.label, a.round, a.state, a.current_step, a.steps,
          a.requested_by, a.created_at, a.decided_at, u.display_name AS requested_by_name
        FROM approvals a LEFT JOIN users u ON u.id = a.requested_by
        WHERE a.subject_type = ${subject.type} AND a.subject_id = ${subject.id} ORDER BY a.id DESC`,
  );
  return r.map((x) => ({
    id: Number(x.id),
    subjectType: String(x.subject_type),
    subjectId: Number(x.subject_id),
    ticketId: x.ticket_id === null ? null : Number(x.ticket_id),
    workflowVersionId: x.workflow_version_id === null ? null : Number(x.workflow_version_id),
    approvalKey: String(x.approval_key),
    label: x.label,
    round: Number(x.round),
    state: String(x.state),
    currentStep: Number(x.current_step),
    steps: x.steps,
    requestedBy: x.requested_by === null ? null : Number(x.requested_by),
    createdAt: toDate(x.created_at),
    decidedAt: x.decided_at === null ? null : toDate(x.decided_at),
    requestedByName: (x.requested_by_name as string | null) ?? null,
  }));
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

/* -------------------------------- tasks -------------------------------- */

export async function insertTasks(q: Queryable, v: (typeof approvalTasks.$inferInsert)[]): Promise<TaskRow[]> {
  if (!v.length) return [];
  return q.insert(approvalTasks).values(v).returning();
}

/** New tasks, not yet run (for writeTogether): returns `id` and `approver_id`; `v` must not be empty. */
export function tasksInsertStatement(q: Queryable, v: (typeof approvalTasks.$inferInsert)[]) {
  return q.insert(approvalTasks).values(v).returning({ id: approvalTasks.id, approverId: approvalTasks.approverId });
}

/**
 * A task's subject; a ticket subject is locked by the same statement (tickets first: the order every
 * ticket write takes). `locked` says whether it was; other subjects are locked by their adapter.
 */
export async function subjectOfTask(q: Queryable, taskId: number): Promise<(Subject & { locked: boolean }) | null> {
  const r = await rows<{ subject_type: string; subject_id: number; locked: number | null }>(
    q,
    sql`SELECT t.subject_type, t.subject_id, k.id AS locked FROM approval_tasks t
        LEFT JOIN LATERAL (SELECT id FROM tickets WHERE t.subject_type = 'ticket' AND id = t.subject_id FOR UPDATE) k ON true
        WHERE t.id = ${taskId}`,
  );
  const x = r[0];
  return x ? { type: x.subject_type, id: Number(x.subject_id), locked: x.locked !== null } : null;
}

/** Locks a task's run and every task of its step (the ticket lock is held already): one round trip. */
export async function lockRunAndStep(q: Queryable, taskId: number): Promise<{ run: ApprovalRow; tasks: TaskRow[] } | null> {
  const same = sql`(SELECT approval_id, step_index FROM approval_tasks WHERE id = ${taskId})`;
  const r = await q
    .select({ a: approvals, t: approvalTasks })
    .from(approvalTasks)
    .innerJoin(approvals, eq(approvals.id, approvalTasks.approvalId))
    .where(sql`(${approvalTasks.approvalId}, ${approvalTasks.stepIndex}) = ${same}`)
    .orderBy(approvalTasks.id)
    .for('update');
  const first = r[0];
  return first ? { run: first.a, tasks: r.map((x) => x.t) } : null;
}

/** A task's decision, not yet run (for writeTogether); returns the id. */
export function taskUpdateStatement(q: Queryable, id: number, set: Partial<typeof approvalTasks.$inferInsert>) {
  return q.update(approvalTasks).set(set).where(eq(approvalTasks.id, id)).returning({ id: approvalTasks.id });
}

export async function updateTask(q: Queryable, id: number, set: Partial<typeof approvalTasks.$inferInsert>): Promise<void> {
  await q.update(approvalTasks).set(set).where(eq(approvalTasks.id, id));
}

export async function stepTasks(q: Queryable, approvalId: number, stepIndex: number): Promise<TaskRow[]> {
  return q
    .select()
    .from(approvalTasks)
    .where(and(eq(approvalTasks.approvalId, approvalId), eq(approvalTasks.stepIndex, stepIndex)))
    .orderBy(approvalTasks.id);
}

/** Ends the still-pending tasks of a run (or of one step): returns their ids. */
export async function closePendingTasks(q: Queryable, approvalId: number, state: 'skipped' | 'cancelled', stepIndex?: number): Promise<number[]> {
  const cond = [eq(approvalTasks.approvalId, approvalId), eq(approvalTasks.state, 'pending')];
  if (stepIndex !== undefined) cond.push(eq(approvalTasks.stepIndex, stepIndex));
  const r = await q
    .update(approvalTasks)
    .set({ state, decidedAt: new Date() })
    .where(and(...cond))
    .returning({ id: approvalTasks.id });
  return r.map((x) => x.id);
}

export async function tasksWithNames(q: Queryable, approvalIds: readonly number[]) {
  if (!approvalIds.length) return [];
  const r = await rows<Record<string, unknown>>(
    q,
    sql`SELECT t.id, t.approval_id, t.step_index, t.approver_id, u.display_name AS approver_name, t.state, t.comment,
          t.delegated_from_task_id, t.decided_at, t.created_at
        FROM approval_tasks t JOIN users u ON u.id = t.approver_id
        WHERE t.approval_id IN (${sql.join(
          approvalIds.map((i) => sql`${i}`),
          sql`, `,
        )}) ORDER BY t.id`,
  );
  return r.map((x) => ({
    id: Number(x.id),
    approvalId: Number(x.approval_id),
    stepIndex: Number(x.step_index),
    approverId: Number(x.approver_id),
    approverName: String(x.approver_name),
    state: String(x.state),
    comment: (x.comment as string | null) ?? null,
    delegatedFromTaskId: x.delegated_from_task_id === null ? null : Number(x.delegated_from_task_id),
    decidedAt: x.decided_at === null ? null : toDate(x.decided_at),
    createdAt: toDate(x.created_at),
  }));
}

export type MyTaskRow = {
  task_id: number;
  approval_id: number;
  state: string;
  comment: string | null;
  created_at: Date | string;
  decided_at: Date | string | null;
  approval_key: string;
  label: unknown;
  round: number;
  run_state: string;
  step_index: number;
  steps: unknown;
  subject_type: string;
  subject_id: number;
};

export async function myTasks(q: Queryable, userId: number, which: 'pending' | 'decided', limit: number): Promise<MyTaskRow[]> {
  const stateCond = which === 'pending' ? sql`t.state = 'pending'` : sql`t.state IN ('approved', 'rejected', 'delegated')`;
  const order = which === 'pending' ? sql`t.created_at ASC, t.id ASC` : sql`t.decided_at DESC NULLS LAST, t.id DESC`;
  return rows<MyTaskRow>(
    q,
    sql`SELECT t.id AS task_id, t.approval_id, t.state, t.comment, t.created_at, t.decided_at,
          a.approval_key, a.label, a.round, a.state AS run_state, t.step_index, a.steps, t.subject_type, t.subject_id
        FROM approval_tasks t
        JOIN approvals a ON a.id = t.approval_id
        WHERE t.approver_id = ${userId} AND ${stateCond}
        ORDER BY ${order} LIMIT ${limit}`,
  );
}

export async function countMyPending(q: Queryable, userId: number): Promise<number> {
  const r = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM approval_tasks WHERE approver_id = ${userId} AND state = 'pending'`);
  return Number(r[0]?.n ?? 0);
}

/* ------------------------------- reminders ------------------------------ */

export type DueReminder = { id: number; approval_id: number; step_index: number; approver_id: number; created_at: Date | string; hours: number };

/**
 * Claims pending tasks whose step's remindAfterHours has passed since the task was opened or last
 * reminded, stamping reminded_at (the claim; SKIP LOCKED against a concurrent sweep).
 */
export async function claimDueReminders(q: Queryable, now: Date, batch: number): Promise<DueReminder[]> {
  return rows<DueReminder>(
    q,
    sql`WITH due AS (
          SELECT t.id, ((a.steps -> t.step_index::int) ->> 'remindAfterHours')::int AS hours
          FROM approval_tasks t JOIN approvals a ON a.id = t.approval_id
          WHERE t.state = 'pending' AND a.state = 'pending'
            AND coalesce(((a.steps -> t.step_index::int) ->> 'remindAfterHours')::int, 0) > 0
            AND coalesce(t.reminded_at, t.created_at)
                <= ${now.toISOString()}::timestamptz - make_interval(hours => ((a.steps -> t.step_index::int) ->> 'remindAfterHours')::int)
          ORDER BY t.id LIMIT ${batch}
          FOR UPDATE OF t SKIP LOCKED)
        UPDATE approval_tasks t SET reminded_at = ${now.toISOString()}::timestamptz
        FROM due WHERE t.id = due.id
        RETURNING t.id, t.approval_id, t.step_index, t.approver_id, t.created_at, due.hours`,
  );
}

/* -------------------------------- links --------------------------------- */

export async function insertLinks(q: Queryable, v: (typeof approvalLinks.$inferInsert)[]): Promise<void> {
  if (v.length) await q.insert(approvalLinks).values(v);
}

export async function findLink(q: Queryable, tokenHash: string, lock = false) {
  const base = q.select().from(approvalLinks).where(eq(approvalLinks.tokenHash, tokenHash));
  const [r] = lock ? await base.for('update') : await base;
  return r;
}

/** Withdraws every unused link of the tasks (a used link and its sibling; tasks that ended). */
export async function useLinksOfTasks(q: Queryable, taskIds: readonly number[], now: Date): Promise<void> {
  if (!taskIds.length) return;
  await useLinksStatement(q, taskIds, now);
}

/** useLinksOfTasks, not yet run (for writeTogether); `taskIds` must not be empty. */
export function useLinksStatement(q: Queryable, taskIds: readonly number[], now: Date) {
  return q
    .update(approvalLinks)
    .set({ usedAt: now })
    .where(and(inArray(approvalLinks.taskId, [...taskIds]), sql`${approvalLinks.usedAt} IS NULL`));
}

export type LinkContext = {
  task_id: number;
  approval_id: number;
  task_state: string;
  approver_id: number;
  approver_name: string;
  step_index: number;
  approval_key: string;
  label: unknown;
  round: number;
  run_state: string;
  steps: unknown;
  subject_type: string;
  subject_id: number;
};

export async function linkContext(q: Queryable, taskId: number): Promise<LinkContext | undefined> {
  const r = await rows<LinkContext>(
    q,
    sql`SELECT t.id AS task_id, t.approval_id, t.state AS task_state, t.approver_id, u.display_name AS approver_name, t.step_index,
          a.approval_key, a.label, a.round, a.state AS run_state, a.steps, t.subject_type, t.subject_id
        FROM approval_tasks t
        JOIN users u ON u.id = t.approver_id
        JOIN approvals a ON a.id = t.approval_id
        WHERE t.id = ${taskId}`,
  );
  return r[0];
}

/* -------------------------------- events -------------------------------- */

type ApprovalEvent = { ticketId: number; actorId: number | null; body?: string | null; data: Record<string, unknown> };
/** A ticket's approval event, not yet run (awaited alone or sent with other writes). */
export function approvalEventStatement(q: Queryable, v: ApprovalEvent) {
  return q.insert(ticketEvents).values({ ticketId: v.ticketId, kind: 'approval', internal: false, actorId: v.actorId, body: v.body ?? null, data: v.data });
}

export type TicketBrief = { id: number; number: string; title: string; type: string; org_id: number; requester_id: number | null; requester_name: string | null };
export async function ticketBriefs(q: Queryable, ids: readonly number[]): Promise<TicketBrief[]> {
  if (!ids.length) return [];
  return rows<TicketBrief>(
    q,
    sql`SELECT k.id, k.number, k.title, k.type, k.org_id, k.requester_id, r.display_name AS requester_name
        FROM tickets k LEFT JOIN users r ON r.id = k.requester_id WHERE k.id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
  );
}
