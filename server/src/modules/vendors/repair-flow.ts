import type { RepairAction, RepairStatus } from '@tianshu/contracts';

/**
 * The repair-order state machine as data: which action moves which state where, for orders in and
 * out of warranty. Services consult it; nothing else decides a transition.
 */
type Rule = { from: readonly RepairStatus[]; to: RepairStatus; warranty: 'in' | 'out' | 'any' };

export const REPAIR_RULES: Record<RepairAction, Rule> = {
  send: { from: ['open'], to: 'sent_to_vendor', warranty: 'in' },
  estimate: { from: ['open', 'rejected'], to: 'cost_pending', warranty: 'out' },
  approve: { from: ['cost_pending'], to: 'approved', warranty: 'out' },
  reject: { from: ['cost_pending'], to: 'rejected', warranty: 'out' },
  start: { from: ['approved'], to: 'in_repair', warranty: 'out' },
  return: { from: ['sent_to_vendor', 'in_repair'], to: 'returned', warranty: 'any' },
  close: { from: ['returned', 'rejected'], to: 'closed', warranty: 'any' },
  cancel: { from: ['open', 'sent_to_vendor', 'cost_pending', 'approved', 'rejected', 'in_repair', 'returned'], to: 'cancelled', warranty: 'any' },
};

export const FINAL_STATUSES: readonly RepairStatus[] = ['closed', 'cancelled'];

/** States in which the asset is away for repair (held `under_repair` by the order). */
export const HOLDS_ASSET: readonly RepairStatus[] = ['sent_to_vendor', 'in_repair'];

export type TransitionCheck = { ok: true; to: RepairStatus } | { ok: false; reason: 'not_allowed' | 'approval_required' };

export function checkTransition(order: { status: RepairStatus; inWarranty: boolean }, action: RepairAction): TransitionCheck {
  const rule = REPAIR_RULES[action];
  const warrantyOk = rule.warranty === 'any' || (rule.warranty === 'in') === order.inWarranty;
  if (warrantyOk && rule.from.includes(order.status)) return { ok: true, to: rule.to };
  // Starting an out-of-warranty repair before its cost is approved gets its own answer.
  if (action === 'start' && !order.inWarranty && !FINAL_STATUSES.includes(order.status)) return { ok: false, reason: 'approval_required' };
  return { ok: false, reason: 'not_allowed' };
}

export type TransitionInput = { rmaNumber?: string | undefined; estimatedCost?: string | undefined; outcome?: string | undefined; comment?: string | undefined };

/** Fields each action needs; closing a rejected order needs no outcome (nothing was repaired). */
export function missingFields(order: { status: RepairStatus }, action: RepairAction, input: TransitionInput): string[] {
  const missing: string[] = [];
  if (action === 'send' && !input.rmaNumber) missing.push('rmaNumber');
  if (action === 'estimate' && !input.estimatedCost) missing.push('estimatedCost');
  if (action === 'reject' && !input.comment) missing.push('comment');
  if (action === 'close' && order.status === 'returned' && !input.outcome) missing.push('outcome');
  return missing;
}

/** Actions that are possible from a state at all (permissions aside). */
export function actionsFrom(order: { status: RepairStatus; inWarranty: boolean }): RepairAction[] {
  return (Object.keys(REPAIR_RULES) as RepairAction[]).filter((a) => checkTransition(order, a).ok);
}

/**
 * Turnaround in hours: from sent to the vendor (in warranty) or from approval (out of warranty) to
 * the return; while still out, up to `now`. Null before the clock starts.
 */
export function turnaroundHours(
  o: { inWarranty: boolean; sentAt: Date | null; approvedAt: Date | null; returnedAt: Date | null; status: RepairStatus },
  now: Date,
): number | null {
  const start = o.inWarranty ? o.sentAt : o.approvedAt;
  if (!start) return null;
  const end = o.returnedAt ?? (FINAL_STATUSES.includes(o.status) ? null : now);
  if (!end) return null;
  return Math.round(((end.getTime() - start.getTime()) / 3_600_000) * 10) / 10;
}

/** Out with the vendor (or being repaired) longer than the contract's resolution hours. */
export function isOverdue(
  o: { inWarranty: boolean; sentAt: Date | null; approvedAt: Date | null; returnedAt: Date | null; status: RepairStatus },
  resolutionHours: number | null,
  now: Date,
): boolean {
  if (resolutionHours === null || !['sent_to_vendor', 'approved', 'in_repair'].includes(o.status)) return false;
  const h = turnaroundHours(o, now);
  return h !== null && h > resolutionHours;
}

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date ('YYYY-MM-DD') in China at an instant: warranty and contract dates are Chinese calendar days. */
export function shanghaiDate(at: Date): string {
  return shanghaiDay.format(at);
}

/** A calendar date plus n days ('YYYY-MM-DD'). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
