import type { ApprovalDefinition, WorkflowDefinition, WorkflowState, WorkflowTransition } from '@tianshu/contracts';

/**
 * Edits to a workflow definition, as pure functions returning a new definition (the editor keeps
 * the draft in state and the diagram redraws from it). They keep references consistent where the
 * intent is plain (renaming a state renames it in every transition); anything else is left for
 * validation to report rather than silently dropped.
 */

/** Keys the contracts accept for states, transitions and approvals (the web bundles no zod). */
export const SLUG_PATTERN = /^[a-z][a-z0-9_]*$/;
export const WORKFLOW_KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
/** Editor coordinates are bounded by the contract. */
export const COORDINATE_LIMIT = 10000;

export const isFinalCategory = (category: WorkflowState['category']): boolean => category === 'closed' || category === 'cancelled';

const renameIn = (keys: readonly string[], from: string, to: string): string[] => keys.map((k) => (k === from ? to : k));

export function addState(def: WorkflowDefinition, state: WorkflowState): WorkflowDefinition {
  return { ...def, states: [...def.states, state] };
}

/** Replaces the state `oldKey`; a new key is carried into the initial state and every transition. */
export function updateState(def: WorkflowDefinition, oldKey: string, state: WorkflowState): WorkflowDefinition {
  const renamed = state.key !== oldKey;
  return {
    ...def,
    initial: renamed && def.initial === oldKey ? state.key : def.initial,
    states: def.states.map((s) => (s.key === oldKey ? { ...state, x: state.x ?? s.x, y: state.y ?? s.y } : s)),
    transitions: renamed
      ? def.transitions.map((tr) => ({ ...tr, from: renameIn(tr.from, oldKey, state.key), to: tr.to === oldKey ? state.key : tr.to }))
      : def.transitions,
  };
}

/**
 * Removes a state: it leaves every transition's `from`; transitions into it, or left with no
 * `from`, go too. A removed initial state hands over to the first remaining one.
 */
export function removeState(def: WorkflowDefinition, key: string): WorkflowDefinition {
  const states = def.states.filter((s) => s.key !== key);
  const transitions = def.transitions
    .filter((tr) => tr.to !== key)
    .map((tr) => ({ ...tr, from: tr.from.filter((f) => f !== key) }))
    .filter((tr) => tr.from.length > 0);
  return {
    ...def,
    initial: def.initial === key ? (states[0]?.key ?? def.initial) : def.initial,
    states,
    transitions,
  };
}

/** Moves a state in the diagram (rounded, and kept inside the contract's bounds). */
export function moveState(def: WorkflowDefinition, key: string, x: number, y: number): WorkflowDefinition {
  const clamp = (v: number) => Math.max(-COORDINATE_LIMIT, Math.min(COORDINATE_LIMIT, Math.round(v)));
  return { ...def, states: def.states.map((s) => (s.key === key ? { ...s, x: clamp(x), y: clamp(y) } : s)) };
}

/** Writes computed positions into the states (e.g. after an automatic layout). */
export function applyPositions(def: WorkflowDefinition, positions: ReadonlyMap<string, { x: number; y: number }>): WorkflowDefinition {
  let next = def;
  for (const [key, p] of positions) next = moveState(next, key, p.x, p.y);
  return next;
}

export function addTransition(def: WorkflowDefinition, transition: WorkflowTransition): WorkflowDefinition {
  return { ...def, transitions: [...def.transitions, transition] };
}

/** References to a transition key (onCreate, approval outcomes) follow a rename when no other transition keeps the old key. */
function renameTransitionRefs(def: WorkflowDefinition, oldKey: string, newKey: string): WorkflowDefinition {
  if (oldKey === newKey || def.transitions.some((tr) => tr.key === oldKey)) return def;
  const swap = (k: string | null) => (k === oldKey ? newKey : k);
  return {
    ...def,
    onCreate: swap(def.onCreate),
    approvals: def.approvals.map((a) => ({ ...a, onApproved: swap(a.onApproved), onRejected: swap(a.onRejected) })),
  };
}

export function updateTransition(def: WorkflowDefinition, index: number, transition: WorkflowTransition): WorkflowDefinition {
  const old = def.transitions[index];
  if (!old) return def;
  const next = { ...def, transitions: def.transitions.map((tr, i) => (i === index ? transition : tr)) };
  return renameTransitionRefs(next, old.key, transition.key);
}

export function removeTransition(def: WorkflowDefinition, index: number): WorkflowDefinition {
  return { ...def, transitions: def.transitions.filter((_, i) => i !== index) };
}

export function addApproval(def: WorkflowDefinition, approval: ApprovalDefinition): WorkflowDefinition {
  return { ...def, approvals: [...def.approvals, approval] };
}

/** Replaces the approval `oldKey`; a new key is carried into guards and start_approval effects. */
export function updateApproval(def: WorkflowDefinition, oldKey: string, approval: ApprovalDefinition): WorkflowDefinition {
  const approvals = def.approvals.map((a) => (a.key === oldKey ? approval : a));
  if (approval.key === oldKey) return { ...def, approvals };
  const transitions = def.transitions.map((tr) => ({
    ...tr,
    guards: tr.guards.map((g) => (g.type === 'approval_granted' && g.approval === oldKey ? { ...g, approval: approval.key } : g)),
    effects: tr.effects.map((e) => (e.type === 'start_approval' && e.approval === oldKey ? { ...e, approval: approval.key } : e)),
  }));
  return { ...def, approvals, transitions };
}

export function removeApproval(def: WorkflowDefinition, key: string): WorkflowDefinition {
  return { ...def, approvals: def.approvals.filter((a) => a.key !== key) };
}

export function setInitial(def: WorkflowDefinition, key: string): WorkflowDefinition {
  return { ...def, initial: key };
}

export function setOnCreate(def: WorkflowDefinition, key: string | null): WorkflowDefinition {
  return { ...def, onCreate: key };
}

/** A state key not used yet, derived from `base` (new_state, new_state_2...). */
export function freeKey(taken: Iterable<string>, base: string): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i += 1) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Transition keys in first-seen order (several transitions may share one). */
export function transitionKeys(def: WorkflowDefinition): string[] {
  return [...new Set(def.transitions.map((tr) => tr.key))];
}

/** Stable JSON for "has the draft changed" checks (key order as built). */
export function sameDefinition(a: WorkflowDefinition, b: WorkflowDefinition): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
