import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable, Tx } from '../../platform/db/db.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { registerWorkflowCheck, registerWorkflowHook } from '../workflows/workflow-registry.ts';
import * as qs from './requests.queries.ts';

type StoredTemplate = { title: string; groupId: number | null; order: number };
const actorId = (a: Actor | null) => (a && a.userId > 0 ? a.userId : null);

/* ------------------------------ workflow hooks ------------------------------ */

/** Creates the fulfilment tasks from the type's templates; does nothing when the request has tasks already. */
export async function createTasksFor(tx: Tx, ticketId: number, actor: Actor | null): Promise<number> {
  const sub = await qs.findSubmission(tx, ticketId);
  if (!sub) return 0;
  const { total } = await qs.countTasks(tx, ticketId);
  if (total > 0) return 0;
  const type = await qs.findType(tx, sub.typeId);
  if (!type) return 0;
  const templates = (Array.isArray(type.t.taskTemplates) ? (type.t.taskTemplates as StoredTemplate[]) : [])
    .slice()
    .sort((a, b) => a.order - b.order);
  // A group deleted since the template was saved leaves the task unassigned.
  const live = await qs.groupNames(tx, templates.map((x) => x.groupId).filter((x): x is number => x !== null));
  await qs.insertTasks(
    tx,
    templates.map((x, i) => ({ ticketId, seq: i + 1, title: x.title, groupId: x.groupId !== null && live.has(x.groupId) ? x.groupId : null })),
  );
  if (templates.length) {
    await recordAudit(tx, { actor, ...(actor ? {} : { actorName: 'system' }), action: 'request.tasks.create', objectType: 'ticket', objectId: ticketId, result: 'success', details: { count: templates.length } });
  }
  return templates.length;
}

/** Cancels the open tasks of a request (e.g. when the request is cancelled). */
export async function cancelOpenTasks(tx: Tx, ticketId: number, actor: Actor | null): Promise<void> {
  const tasks = (await qs.tasksOf(tx, ticketId)).filter((x) => x.r.state === 'open');
  for (const t of tasks) await qs.updateTask(tx, t.r.id, t.r.version, { state: 'cancelled', doneBy: actorId(actor), doneAt: new Date() });
  if (tasks.length) {
    await recordAudit(tx, { actor, ...(actor ? {} : { actorName: 'system' }), action: 'request.tasks.cancel', objectType: 'ticket', objectId: ticketId, result: 'success', details: { count: tasks.length } });
  }
}

export async function openTaskCount(q: Queryable, ticketId: number): Promise<number> {
  return (await qs.countTasks(q, ticketId)).open;
}

/**
 * Workflow extensions of service requests:
 * - hook `request.create_tasks`: on entering fulfilment, create the tasks from the request type's
 *   templates (idempotent: a request that has tasks keeps them, e.g. after pending -> resume).
 * - hook `request.cancel_tasks`: cancel the open tasks (for cancel / reject transitions).
 * - check `request.tasks_done`: refuse (REQUEST_TASKS_OPEN) while any task is open.
 */
registerWorkflowHook('request.create_tasks', async (tx, ctx) => {
  await createTasksFor(tx, ctx.ticket.id, ctx.actor);
});

registerWorkflowHook('request.cancel_tasks', async (tx, ctx) => {
  await cancelOpenTasks(tx, ctx.ticket.id, ctx.actor);
});

registerWorkflowCheck('request.tasks_done', async (tx, ticket) => {
  const open = await openTaskCount(tx, ticket.id);
  return open > 0 ? { code: 'REQUEST_TASKS_OPEN', params: { count: open } } : null;
});
