import type { IncidentAction, IncidentState, TransitionRequest } from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';

type TicketFacts = { state: string; orgId: number; requesterId: number | null; assigneeId: number | null };

type ActionDef = {
  from: readonly IncidentState[];
  /** Required request fields; 'assignment' means a group or an assignee. */
  requires: readonly (keyof TransitionRequest | 'assignment')[];
  may: (actor: Actor, t: TicketFacts) => boolean;
};

const isWorker = (a: Actor) => a.permissions.has('ticket.work');
const isOwnCustomer = (a: Actor, t: TicketFacts) => a.orgKind === 'customer' && a.orgId === t.orgId;

/**
 * The incident lifecycle as data (workflows become admin-editable data in a later issue):
 * 新建 -> 已分派 -> 处理中 -> 挂起 -> 已解决 -> 已关闭, reopen from resolved, cancel while open.
 */
export const INCIDENT_ACTIONS: Record<IncidentAction, ActionDef> = {
  assign: { from: ['new', 'assigned', 'in_progress', 'pending'], requires: ['assignment'], may: (a) => a.permissions.has('ticket.assign') },
  take: { from: ['new', 'assigned'], requires: [], may: (a) => isWorker(a) && a.orgKind === 'provider' },
  start: { from: ['assigned'], requires: [], may: isWorker },
  pend: { from: ['assigned', 'in_progress'], requires: ['pendingReason'], may: isWorker },
  resume: { from: ['pending'], requires: [], may: isWorker },
  // 'new' allows first-contact resolution by the service desk (一次解决).
  resolve: { from: ['new', 'assigned', 'in_progress', 'pending'], requires: ['resolutionCode', 'resolutionNotes'], may: isWorker },
  close: {
    from: ['resolved'],
    requires: [],
    may: (a, t) => a.permissions.has('ticket.confirm') && (a.orgKind === 'provider' || isOwnCustomer(a, t)),
  },
  reopen: { from: ['resolved'], requires: ['comment'], may: (a, t) => isWorker(a) || isOwnCustomer(a, t) },
  cancel: {
    from: ['new', 'assigned', 'in_progress', 'pending'],
    requires: ['comment'],
    may: (a, t) => a.permissions.has('ticket.assign') || (isOwnCustomer(a, t) && t.requesterId === a.userId),
  },
};

export function allowedActions(actor: Actor, t: TicketFacts): IncidentAction[] {
  return (Object.keys(INCIDENT_ACTIONS) as IncidentAction[]).filter((name) => {
    const def = INCIDENT_ACTIONS[name];
    return def.from.includes(t.state as IncidentState) && def.may(actor, t);
  });
}

/** Names of required fields the request lacks (empty when complete). */
export function missingFields(action: IncidentAction, req: TransitionRequest): string[] {
  const missing: string[] = [];
  for (const f of INCIDENT_ACTIONS[action].requires) {
    if (f === 'assignment') {
      if (!req.assignmentGroupId && !req.assigneeId) missing.push('assignmentGroupId');
    } else {
      const v = req[f];
      if (v === undefined || v === null || v === '') missing.push(f);
    }
  }
  return missing;
}

export function isOpenState(state: string): boolean {
  return state === 'new' || state === 'assigned' || state === 'in_progress' || state === 'pending';
}
