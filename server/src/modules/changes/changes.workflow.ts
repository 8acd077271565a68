import { eq } from 'drizzle-orm';
import { registerWorkflowCheck, registerWorkflowHook } from '../workflows/workflow-registry.ts';
import { changeDetails } from './changes.tables.ts';

/**
 * The change workflows' named guards and hooks (referenced by `change.*` definitions):
 * - check `change.rollback_plan`: the change has a non-empty rollback plan (回退方案);
 * - check `change.planned_window`: planned start and end are set, the end after the start;
 * - hook `change.actual_start`: stamps the actual start when implementation begins;
 * - hook `change.actual_end`: stamps the actual end and the outcome state when implementation ends.
 */

registerWorkflowCheck('change.rollback_plan', async (tx, ticket) => {
  const [d] = await tx.select({ plan: changeDetails.rollbackPlan }).from(changeDetails).where(eq(changeDetails.ticketId, ticket.id));
  return d && d.plan.trim() ? null : { code: 'CHANGE_ROLLBACK_PLAN_REQUIRED' };
});

registerWorkflowCheck('change.planned_window', async (tx, ticket) => {
  const [d] = await tx
    .select({ s: changeDetails.plannedStart, e: changeDetails.plannedEnd })
    .from(changeDetails)
    .where(eq(changeDetails.ticketId, ticket.id));
  return d?.s && d.e && d.e.getTime() > d.s.getTime() ? null : { code: 'CHANGE_PLANNED_WINDOW_INVALID' };
});

registerWorkflowHook('change.actual_start', async (tx, ctx) => {
  // A change that was rolled back to an earlier state and implemented again keeps its first actual start.
  const [d] = await tx.select({ s: changeDetails.actualStart }).from(changeDetails).where(eq(changeDetails.ticketId, ctx.ticket.id));
  if (!d) return;
  await tx
    .update(changeDetails)
    .set({ actualStart: d.s ?? ctx.now, actualEnd: null, outcome: null, updatedAt: ctx.now })
    .where(eq(changeDetails.ticketId, ctx.ticket.id));
});

registerWorkflowHook('change.actual_end', async (tx, ctx) => {
  await tx.update(changeDetails).set({ actualEnd: ctx.now, outcome: ctx.transition.to, updatedAt: ctx.now }).where(eq(changeDetails.ticketId, ctx.ticket.id));
});
