import type { Locale, StateCategory, TicketWorkflowView, TransitionAllow, TransitionRequest, WorkflowDefinition, WorkflowTransition } from '@tianshu/contracts';
import type { Actor } from '../../platform/auth/actor.ts';

/** What the engine needs to know about a ticket to decide who may do what. */
export type TicketFacts = { state: string; orgId: number; requesterId: number | null; assigneeId: number | null };

function ruleMatches(rule: TransitionAllow, actor: Actor, t: TicketFacts): boolean {
  if (rule.permission && !actor.permissions.has(rule.permission)) return false;
  if (rule.role && !actor.roles.includes(rule.role)) return false;
  if (rule.orgKind && actor.orgKind !== rule.orgKind) return false;
  switch (rule.party) {
    case 'requester':
      return t.requesterId !== null && t.requesterId === actor.userId;
    case 'own_org':
      return actor.orgId === t.orgId;
    case 'assignee':
      return t.assigneeId !== null && t.assigneeId === actor.userId;
    default:
      return true;
  }
}

/** May this actor take the transition (state and guards aside)? System transitions: never by hand. */
export function mayTake(tr: WorkflowTransition, actor: Actor, t: TicketFacts): boolean {
  if (tr.system) return false;
  if (!tr.allow.length) return actor.permissions.has('ticket.work');
  return tr.allow.some((rule) => ruleMatches(rule, actor, t));
}

/** User transitions with this key; several share a key when `from` or guards pick the target. */
export function transitionsNamed(def: WorkflowDefinition, key: string, system = false): WorkflowTransition[] {
  return def.transitions.filter((tr) => tr.key === key && (system || !tr.system));
}

export function stateOf(def: WorkflowDefinition, key: string) {
  return def.states.find((s) => s.key === key);
}

export function categoryOf(def: WorkflowDefinition, key: string): StateCategory {
  return stateOf(def, key)?.category ?? 'open';
}

/** Keys of the actions this actor may take from the ticket's state, in definition order. */
export function allowedActions(def: WorkflowDefinition, actor: Actor, t: TicketFacts): string[] {
  const keys: string[] = [];
  for (const tr of def.transitions) {
    if (keys.includes(tr.key) || !tr.from.includes(t.state)) continue;
    if (mayTake(tr, actor, t)) keys.push(tr.key);
  }
  return keys;
}

export function workflowView(wf: { key: string; version: number; definition: WorkflowDefinition }, actor: Actor, t: TicketFacts): TicketWorkflowView {
  const def = wf.definition;
  const s = stateOf(def, t.state);
  const fallback = { 'zh-CN': t.state, 'en-US': t.state };
  return {
    workflowKey: wf.key,
    version: wf.version,
    state: { key: t.state, label: s?.label ?? fallback, category: s?.category ?? 'open' },
    actions: allowedActions(def, actor, t).map((key) => {
      const tr = def.transitions.find((x) => x.key === key && x.from.includes(t.state) && mayTake(x, actor, t));
      return { key, label: tr?.label ?? fallback, inputs: tr?.inputs ?? [] };
    }),
  };
}

/** Request fields a transition asks for that the request lacks. */
export function missingInputs(tr: WorkflowTransition, req: Partial<TransitionRequest>): string[] {
  const missing: string[] = [];
  for (const f of tr.inputs) {
    if (f === 'assignment') {
      if (!req.assignmentGroupId && !req.assigneeId) missing.push('assignmentGroupId');
    } else {
      const v = req[f];
      if (v === undefined || v === null || v === '') missing.push(f);
    }
  }
  return missing;
}

export function labelIn(label: Record<Locale, string>, locale: Locale): string {
  return label[locale];
}
