import { sql } from 'drizzle-orm';
import type { ApprovalDefinition } from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import { rows, type Queryable, type Tx } from '../../platform/db/db.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { registerApprovalSubject, type SubjectBrief, type SubjectEvent } from '../approvals/approval-subjects.ts';
import { repairOrderEvents } from './repairs.tables.ts';
import * as qs from './repairs.queries.ts';

/**
 * The cost approval of an out-of-warranty repair runs on the generic approvals (tasks, 或签, delegation,
 * reminders, signed e-mail links, "my approvals"): subject type `repair_order`. Estimating starts a run;
 * its outcome approves or rejects the order here, in the decision's transaction.
 */
export const REPAIR_SUBJECT = 'repair_order';

export const REPAIR_COST_APPROVAL: ApprovalDefinition = {
  key: 'repair_cost',
  label: { 'zh-CN': '维修费用审批', 'en-US': 'Repair cost approval' },
  steps: [
    {
      key: 'manager',
      label: { 'zh-CN': '经理审批', 'en-US': 'Manager approval' },
      // Managers hold repair.approve; any one of them decides (或签).
      approvers: [{ type: 'role', role: 'manager' }],
      rule: { type: 'any' },
      remindAfterHours: 24,
    },
  ],
  onApproved: null,
  onRejected: null,
};

/** Applies a cost decision to a locked order still awaiting it: status, who and when, timeline, audit. */
export async function applyCostDecision(tx: Tx, actor: Actor, id: number, outcome: 'approved' | 'rejected', comment: string | null, now = new Date()): Promise<void> {
  const o = await qs.lockOrder(tx, id);
  if (!o || o.status !== 'cost_pending') return;
  const me = actor.userId > 0 ? actor.userId : null;
  const approve = outcome === 'approved';
  await qs.updateOrder(tx, id, {
    status: outcome,
    version: o.version + 1,
    decisionComment: comment,
    ...(approve ? { approvedBy: me, approvedAt: now } : { rejectedBy: me, rejectedAt: now }),
  });
  const action = approve ? 'approve' : 'reject';
  await qs.insertEvent(tx, { repairOrderId: id, kind: action, fromStatus: o.status, toStatus: outcome, actorId: me, note: comment ?? '', at: now });
  await recordAudit(tx, { actor, action: `repair.${action}`, objectType: 'repair_order', objectId: id, result: 'success', details: { number: o.number, from: o.status, to: outcome } });
}

/** The approval event as a line of the order's timeline (kind `approval`). */
function eventNote(e: SubjectEvent): string {
  const d = e.data;
  const tail = e.body ? `：${e.body}` : '';
  switch (d.action) {
    case 'requested':
      return `请求审批（第 ${String(d.round)} 轮，${Array.isArray(d.approverIds) ? d.approverIds.length : 0} 位审批人）`;
    case 'decided':
      return `${d.decision === 'approve' ? '同意' : '驳回'}${tail}`;
    case 'delegated':
      return `委托给 ${String(d.delegateName ?? '')}${tail}`;
    case 'step_completed':
    case 'completed':
      return d.outcome === 'approved' ? '审批通过' : '审批驳回';
    case 'cancelled':
      return d.reason === 'restarted' ? '重新提交，上一轮审批作废' : '审批已取消';
    default:
      return String(d.action ?? '');
  }
}

async function briefs(q: Queryable, ids: readonly number[]): Promise<Map<number, SubjectBrief>> {
  const out = new Map<number, SubjectBrief>();
  if (!ids.length) return out;
  const r = await rows<{ id: number; number: string; fault: string; asset_tag: string; estimated_cost: string | null; org_id: number; requested_by: number | null; requester_name: string | null }>(
    q,
    sql`SELECT r.id, r.number, r.fault, a.asset_tag, r.estimated_cost, r.org_id, r.requested_by, u.display_name AS requester_name
        FROM repair_orders r JOIN assets a ON a.id = r.asset_id LEFT JOIN users u ON u.id = r.requested_by
        WHERE r.id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
  );
  for (const x of r) {
    const id = Number(x.id);
    out.set(id, {
      id,
      number: x.number,
      // What an approver decides on, in any language: the asset, the estimated cost, the fault.
      title: [x.asset_tag, x.estimated_cost === null ? null : `¥${x.estimated_cost}`, x.fault].filter(Boolean).join(' · ').slice(0, 200),
      type: 'repair',
      orgId: Number(x.org_id),
      requesterId: x.requested_by === null ? null : Number(x.requested_by),
      requesterName: x.requester_name,
      link: `/repairs/${id}`,
    });
  }
  return out;
}

registerApprovalSubject(REPAIR_SUBJECT, {
  lock: async (tx, id) => (await qs.lockOrder(tx, id)) !== undefined,
  briefs,
  eventStatement: (q, id, e) => q.insert(repairOrderEvents).values({ repairOrderId: id, kind: 'approval', fromStatus: null, toStatus: null, actorId: e.actorId, note: eventNote(e) }),
  outcome: (_db, tx, o) => applyCostDecision(tx, o.actor, o.subjectId, o.outcome, o.comment),
});
