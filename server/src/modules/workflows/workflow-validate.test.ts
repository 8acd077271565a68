import { describe, expect, it } from 'vitest';
import { workflowDefinitionSchema, type WorkflowDefinitionInput } from '@tianshu/contracts';
import { BUILT_IN_WORKFLOWS } from './default-workflows.ts';
import { validateWorkflow } from './workflow-validate.ts';

const L = { 'zh-CN': '甲', 'en-US': 'A' };
const parse = (d: WorkflowDefinitionInput) => workflowDefinitionSchema.parse(d);
const base = (): WorkflowDefinitionInput => ({
  initial: 'a',
  states: [
    { key: 'a', label: L, category: 'open' },
    { key: 'b', label: L, category: 'open' },
    { key: 'done', label: L, category: 'closed' },
  ],
  transitions: [
    { key: 'go', label: L, from: ['a'], to: 'b' },
    { key: 'finish', label: L, from: ['b'], to: 'done' },
  ],
});
const codes = (d: WorkflowDefinitionInput) => validateWorkflow(parse(d), { checks: ['x.ok'], hooks: ['x.run'] }).map((i) => `${i.code}:${i.ref}`);

describe('validateWorkflow', () => {
  it('accepts every built-in workflow (checks and hooks aside)', () => {
    for (const w of BUILT_IN_WORKFLOWS) expect([w.key, validateWorkflow(parse(w.definition), null)]).toEqual([w.key, []]);
  });

  it('accepts a minimal valid workflow', () => {
    expect(codes(base())).toEqual([]);
  });

  it('finds unreachable states', () => {
    const d = base();
    d.states.push({ key: 'orphan', label: L, category: 'open' });
    d.transitions.push({ key: 'leave', label: L, from: ['orphan'], to: 'done' });
    expect(codes(d)).toEqual(['UNREACHABLE_STATE:orphan']);
  });

  it('finds dead ends and loops with no way out', () => {
    const d = base();
    d.states.push({ key: 'c', label: L, category: 'open' }, { key: 'd', label: L, category: 'pending' });
    d.transitions.push({ key: 'loop', label: L, from: ['a'], to: 'c' }, { key: 'there', label: L, from: ['c'], to: 'd' }, { key: 'back', label: L, from: ['d'], to: 'c' });
    expect(codes(d).sort()).toEqual(['DEAD_END_STATE:c', 'DEAD_END_STATE:d']);
  });

  it('finds unknown states, approvals, transitions, checks and hooks', () => {
    const d = base();
    d.initial = 'nowhere';
    d.transitions.push({ key: 'bad', label: L, from: ['ghost'], to: 'void', guards: [{ type: 'approval_granted', approval: 'cab' }, { type: 'check', name: 'x.missing' }], effects: [{ type: 'hook', name: 'x.gone' }] });
    d.onCreate = 'nope';
    const c = codes(d);
    for (const want of ['UNKNOWN_STATE:nowhere', 'UNKNOWN_STATE:ghost', 'UNKNOWN_STATE:void', 'UNKNOWN_APPROVAL:cab', 'UNKNOWN_CHECK:x.missing', 'UNKNOWN_HOOK:x.gone', 'UNKNOWN_TRANSITION:nope']) {
      expect(c).toContain(want);
    }
  });

  it('refuses transitions out of final states, duplicate keys and workflows without an end', () => {
    const d = base();
    d.transitions.push({ key: 'undo', label: L, from: ['done'], to: 'a' });
    d.states.push({ key: 'a', label: L, category: 'open' });
    expect(codes(d)).toEqual(expect.arrayContaining(['TRANSITION_FROM_FINAL:done', 'DUPLICATE_STATE:a']));
    const e = base();
    e.states[2] = { key: 'done', label: L, category: 'resolved' };
    expect(codes(e)).toEqual(['NO_FINAL_STATE:']);
  });
});
