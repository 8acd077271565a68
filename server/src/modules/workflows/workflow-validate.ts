import { FINAL_CATEGORIES, type WorkflowDefinition, type WorkflowIssue } from '@tianshu/contracts';

/**
 * Structural checks a definition must pass before it is saved: every reference resolves, every
 * state is reachable from the initial one, and from every state that is not final some final
 * state can still be reached (no dead ends, no closed loops). `names` are the registered checks
 * and hooks; null skips that check (pure tests of shape).
 */
export function validateWorkflow(def: WorkflowDefinition, names: { checks: string[]; hooks: string[] } | null): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const states = new Map<string, (typeof def.states)[number]>();
  def.states.forEach((s, i) => {
    if (states.has(s.key)) issues.push({ code: 'DUPLICATE_STATE', path: `states.${i}.key`, ref: s.key });
    else states.set(s.key, s);
  });
  const isFinal = (key: string) => FINAL_CATEGORIES.includes(states.get(key)?.category ?? 'open');
  if (!states.has(def.initial)) issues.push({ code: 'UNKNOWN_STATE', path: 'initial', ref: def.initial });

  const approvals = new Set<string>();
  def.approvals.forEach((a, i) => {
    if (approvals.has(a.key)) issues.push({ code: 'DUPLICATE_APPROVAL', path: `approvals.${i}.key`, ref: a.key });
    approvals.add(a.key);
  });
  const transitionKeys = new Set(def.transitions.map((t) => t.key));
  const systemKeys = new Set(def.transitions.filter((t) => t.system).map((t) => t.key));

  def.transitions.forEach((t, i) => {
    t.from.forEach((f, j) => {
      if (!states.has(f)) issues.push({ code: 'UNKNOWN_STATE', path: `transitions.${i}.from.${j}`, ref: f });
      else if (isFinal(f)) issues.push({ code: 'TRANSITION_FROM_FINAL', path: `transitions.${i}.from.${j}`, ref: f });
    });
    if (t.to !== null && !states.has(t.to)) issues.push({ code: 'UNKNOWN_STATE', path: `transitions.${i}.to`, ref: t.to });
    if (t.system && t.inputs.length) issues.push({ code: 'SYSTEM_TRANSITION_WITH_INPUTS', path: `transitions.${i}.inputs`, ref: t.key });
    t.guards.forEach((g, j) => {
      if (g.type === 'approval_granted' && !approvals.has(g.approval)) issues.push({ code: 'UNKNOWN_APPROVAL', path: `transitions.${i}.guards.${j}`, ref: g.approval });
      if (g.type === 'check' && names && !names.checks.includes(g.name)) issues.push({ code: 'UNKNOWN_CHECK', path: `transitions.${i}.guards.${j}`, ref: g.name });
    });
    t.effects.forEach((e, j) => {
      if (e.type === 'start_approval' && !approvals.has(e.approval)) issues.push({ code: 'UNKNOWN_APPROVAL', path: `transitions.${i}.effects.${j}`, ref: e.approval });
      if (e.type === 'hook' && names && !names.hooks.includes(e.name)) issues.push({ code: 'UNKNOWN_HOOK', path: `transitions.${i}.effects.${j}`, ref: e.name });
    });
  });
  def.approvals.forEach((a, i) => {
    for (const k of ['onApproved', 'onRejected'] as const) {
      const key = a[k];
      if (key !== null && !systemKeys.has(key) && !transitionKeys.has(key)) issues.push({ code: 'UNKNOWN_TRANSITION', path: `approvals.${i}.${k}`, ref: key });
    }
  });
  if (def.onCreate !== null && !transitionKeys.has(def.onCreate)) issues.push({ code: 'UNKNOWN_TRANSITION', path: 'onCreate', ref: def.onCreate });

  if (![...states.values()].some((s) => FINAL_CATEGORIES.includes(s.category))) {
    issues.push({ code: 'NO_FINAL_STATE', path: 'states', ref: '' });
    return issues;
  }

  // Edges between known states; `to: null` keeps the state and leads nowhere new.
  const next = new Map<string, Set<string>>();
  const prev = new Map<string, Set<string>>();
  for (const key of states.keys()) {
    next.set(key, new Set());
    prev.set(key, new Set());
  }
  for (const t of def.transitions) {
    if (t.to === null || !states.has(t.to)) continue;
    for (const f of t.from) {
      if (!states.has(f) || f === t.to) continue;
      next.get(f)?.add(t.to);
      prev.get(t.to)?.add(f);
    }
  }
  const walk = (starts: string[], edges: Map<string, Set<string>>) => {
    const seen = new Set(starts);
    const queue = [...starts];
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
      for (const n of edges.get(s) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    return seen;
  };
  const reachable = states.has(def.initial) ? walk([def.initial], next) : new Set<string>();
  const canFinish = walk([...states.keys()].filter(isFinal), prev);
  def.states.forEach((s, i) => {
    if (states.get(s.key) !== s) return;
    if (!reachable.has(s.key)) issues.push({ code: 'UNREACHABLE_STATE', path: `states.${i}`, ref: s.key });
    else if (!isFinal(s.key) && !canFinish.has(s.key)) issues.push({ code: 'DEAD_END_STATE', path: `states.${i}`, ref: s.key });
  });
  return issues;
}
