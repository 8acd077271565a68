import { describe, expect, it } from 'vitest';
import { workflowDefinitionSchema, type Role } from '@tianshu/contracts';
import { systemActor, type Actor } from '../../platform/auth/actor.ts';
import { permissionsOf } from '../../platform/auth/rbac.ts';
import { DEFAULT_PRIORITY_MATRIX, priorityOf } from '../tickets/priority.ts';
import { BUILT_IN_WORKFLOWS } from './default-workflows.ts';
import { allowedActions, missingInputs, transitionsNamed, workflowView } from './workflow-engine.ts';

const actor = (roles: Role[], orgKind: 'provider' | 'customer' = 'provider', orgId = 1, userId = 10): Actor => ({
  ...systemActor(),
  via: 'session',
  userId,
  orgId,
  orgKind,
  roles,
  permissions: new Set(permissionsOf(roles)),
});

const def = (key: string) => {
  const w = BUILT_IN_WORKFLOWS.find((x) => x.key === key);
  if (!w) throw new Error(key);
  return workflowDefinitionSchema.parse(w.definition);
};

describe('priority matrix', () => {
  it('maps impact x urgency to P1..P4', () => {
    expect(priorityOf(DEFAULT_PRIORITY_MATRIX, 1, 1)).toBe(1);
    expect(priorityOf(DEFAULT_PRIORITY_MATRIX, 2, 2)).toBe(3);
    expect(priorityOf(DEFAULT_PRIORITY_MATRIX, 3, 3)).toBe(4);
    expect(() => priorityOf(DEFAULT_PRIORITY_MATRIX, 4, 1)).toThrow();
  });
});

describe('incident workflow as data', () => {
  const incident = def('incident');
  const ticket = (state: string) => ({ state, orgId: 2, requesterId: 20, assigneeId: null });
  it('offers engineers work actions and customers only confirm/reopen/cancel', () => {
    expect(allowedActions(incident, actor(['engineer']), ticket('new'))).toEqual(['assign', 'take', 'resolve', 'cancel']);
    expect(allowedActions(incident, actor(['engineer']), ticket('in_progress'))).toEqual(['assign', 'pend', 'resolve', 'cancel']);
    const cust = actor(['customer'], 'customer', 2, 20);
    expect(allowedActions(incident, cust, ticket('resolved'))).toEqual(['close', 'reopen']);
    expect(allowedActions(incident, cust, ticket('new'))).toEqual(['cancel']);
    expect(allowedActions(incident, actor(['customer'], 'customer', 3, 21), ticket('resolved'))).toEqual([]);
    expect(allowedActions(incident, actor(['engineer']), ticket('closed'))).toEqual([]);
  });
  it('lists missing inputs of a transition', () => {
    const [resolve] = transitionsNamed(incident, 'resolve');
    const [assign] = transitionsNamed(incident, 'assign');
    const [pend] = transitionsNamed(incident, 'pend');
    if (!resolve || !assign || !pend) throw new Error('incident workflow lacks resolve/assign/pend');
    expect(missingInputs(resolve, {})).toEqual(['resolutionCode', 'resolutionNotes']);
    expect(missingInputs(assign, {})).toEqual(['assignmentGroupId']);
    expect(missingInputs(pend, { pendingReason: 'vendor' })).toEqual([]);
  });
  it('describes the state and labelled actions for the ticket page', () => {
    const v = workflowView({ key: 'incident', version: 1, definition: incident }, actor(['engineer']), ticket('pending'));
    expect(v.state).toEqual({ key: 'pending', label: { 'zh-CN': '挂起', 'en-US': 'Pending' }, category: 'pending' });
    expect(v.actions.map((a) => a.key)).toEqual(['assign', 'resume', 'resolve', 'cancel']);
    expect(v.actions.find((a) => a.key === 'resolve')?.inputs).toEqual(['resolutionCode', 'resolutionNotes']);
  });
});

describe('change workflows', () => {
  it('never offer system transitions (approval outcomes) to users', () => {
    const normal = def('change.normal');
    const manager = actor(['manager']);
    expect(allowedActions(normal, manager, { state: 'cab_approval', orgId: 1, requesterId: null, assigneeId: null })).toEqual(['assign', 'cancel']);
    expect(allowedActions(normal, manager, { state: 'scheduled', orgId: 1, requesterId: null, assigneeId: null })).toContain('implement');
    // Agents raise changes but do not implement them.
    expect(allowedActions(normal, actor(['agent']), { state: 'scheduled', orgId: 1, requesterId: null, assigneeId: null })).not.toContain('implement');
  });
});
