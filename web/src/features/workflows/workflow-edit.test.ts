import { describe, expect, it } from 'vitest';
import { workflowDefinitionSchema } from '@tianshu/contracts';
import {
  addState,
  addTransition,
  applyPositions,
  freeKey,
  moveState,
  removeApproval,
  removeState,
  removeTransition,
  sameDefinition,
  SLUG_PATTERN,
  transitionKeys,
  updateApproval,
  updateState,
  updateTransition,
  WORKFLOW_KEY_PATTERN,
} from './workflow-edit';
import { fixtureDefinition } from './workflow-test-fixture';

describe('workflow edits', () => {
  it('adds a state without touching transitions and the result still parses', () => {
    const def = addState(fixtureDefinition(), { key: 'waiting', label: { 'zh-CN': '等待', 'en-US': 'Waiting' }, category: 'pending' });
    expect(def.states.map((s) => s.key)).toContain('waiting');
    expect(def.transitions).toEqual(fixtureDefinition().transitions);
    expect(workflowDefinitionSchema.safeParse(def).success).toBe(true);
  });

  it('renaming a state renames it in the initial state and in every from/to', () => {
    const base = fixtureDefinition();
    const renamed = updateState(base, 'new', { key: 'logged', label: { 'zh-CN': '已登记', 'en-US': 'Logged' }, category: 'open' });
    expect(renamed.initial).toBe('logged');
    expect(renamed.states[0]).toMatchObject({ key: 'logged', category: 'open' });
    expect(renamed.transitions.find((t) => t.key === 'assign')?.from).toEqual(['logged', 'assigned', 'pending']);
    expect(renamed.transitions.some((t) => t.from.includes('new') || t.to === 'new')).toBe(false);
    expect(base.initial).toBe('new'); // the input is not mutated
  });

  it('keeps the position of a state when the form does not carry one', () => {
    const placed = moveState(fixtureDefinition(), 'pending', 40, 80);
    const edited = updateState(placed, 'pending', { key: 'pending', label: { 'zh-CN': '等待', 'en-US': 'On hold' }, category: 'pending' });
    expect(edited.states.find((s) => s.key === 'pending')).toMatchObject({ x: 40, y: 80, label: { 'en-US': 'On hold' } });
  });

  it('removing a state drops it from from-lists and drops transitions into it or left without a source', () => {
    const def = removeState(fixtureDefinition(), 'pending');
    expect(def.states.map((s) => s.key)).not.toContain('pending');
    expect(def.transitions.map((t) => t.key)).not.toContain('pend'); // into pending
    expect(def.transitions.map((t) => t.key)).not.toContain('resume'); // only from pending
    expect(def.transitions.find((t) => t.key === 'assign')?.from).toEqual(['new', 'assigned']);
    expect(workflowDefinitionSchema.safeParse(def).success).toBe(true);
  });

  it('removing the initial state hands over to the first remaining state', () => {
    expect(removeState(fixtureDefinition(), 'new').initial).toBe('assigned');
  });

  it('moves states with rounding and clamps to the contract bounds', () => {
    const def = moveState(fixtureDefinition(), 'new', 12.6, -20000);
    expect(def.states[0]).toMatchObject({ x: 13, y: -10000 });
    const all = applyPositions(fixtureDefinition(), new Map([['closed', { x: 1, y: 2 }], ['cancelled', { x: 3, y: 4 }]]));
    expect(all.states.filter((s) => s.x !== undefined).map((s) => [s.key, s.x, s.y])).toEqual([['closed', 1, 2], ['cancelled', 3, 4]]);
  });

  it('renaming a transition key carries approval outcomes and onCreate, unless another transition keeps the key', () => {
    const base = { ...fixtureDefinition(), onCreate: 'approved' };
    const i = base.transitions.findIndex((t) => t.key === 'approved');
    const renamed = updateTransition(base, i, { ...base.transitions[i]!, key: 'granted' });
    expect(renamed.approvals[0]?.onApproved).toBe('granted');
    expect(renamed.onCreate).toBe('granted');

    const shared = addTransition(base, { ...base.transitions[i]!, from: ['pending'] });
    const partly = updateTransition(shared, i, { ...base.transitions[i]!, key: 'granted' });
    expect(partly.approvals[0]?.onApproved).toBe('approved');
    expect(transitionKeys(partly)).toContain('approved');
  });

  it('removing a transition leaves references for validation to report', () => {
    const base = fixtureDefinition();
    const def = removeTransition(base, base.transitions.findIndex((t) => t.key === 'approved'));
    expect(def.transitions.map((t) => t.key)).not.toContain('approved');
    expect(def.approvals[0]?.onApproved).toBe('approved');
  });

  it('renaming an approval renames guards and start_approval effects; removing it keeps them', () => {
    const base = fixtureDefinition();
    const renamed = updateApproval(base, 'cab', { ...base.approvals[0]!, key: 'board' });
    expect(renamed.approvals.map((a) => a.key)).toEqual(['board']);
    expect(renamed.transitions.find((t) => t.key === 'resolve')?.guards).toEqual([{ type: 'approval_granted', approval: 'board' }]);
    expect(renamed.transitions.find((t) => t.key === 'approved')?.effects).toEqual([{ type: 'start_approval', approval: 'board' }]);
    expect(removeApproval(base, 'cab').approvals).toEqual([]);
  });

  it('finds free keys and compares drafts', () => {
    expect(freeKey(['new_state'], 'new_state')).toBe('new_state_2');
    expect(freeKey(['a'], 'b')).toBe('b');
    expect(sameDefinition(fixtureDefinition(), fixtureDefinition())).toBe(true);
    expect(sameDefinition(fixtureDefinition(), moveState(fixtureDefinition(), 'new', 1, 1))).toBe(false);
  });

  it('key patterns match the contract', () => {
    expect(SLUG_PATTERN.test('in_progress')).toBe(true);
    expect(SLUG_PATTERN.test('In')).toBe(false);
    expect(SLUG_PATTERN.test('1a')).toBe(false);
    expect(WORKFLOW_KEY_PATTERN.test('change.normal')).toBe(true);
    expect(WORKFLOW_KEY_PATTERN.test('change.')).toBe(false);
  });
});
