import { describe, expect, it } from 'vitest';
import type { Role } from '@tianshu/contracts';
import { systemActor, type Actor } from '../../platform/auth/actor.ts';
import { permissionsOf } from '../../platform/auth/rbac.ts';
import { allowedActions, missingFields } from './incident-workflow.ts';
import { DEFAULT_PRIORITY_MATRIX, priorityOf } from './priority.ts';

const actor = (roles: Role[], orgKind: 'provider' | 'customer' = 'provider', orgId = 1, userId = 10): Actor => ({
  ...systemActor(),
  via: 'session',
  userId,
  orgId,
  orgKind,
  roles,
  permissions: new Set(permissionsOf(roles)),
});

describe('priority matrix', () => {
  it('maps impact x urgency to P1..P4', () => {
    expect(priorityOf(DEFAULT_PRIORITY_MATRIX, 1, 1)).toBe(1);
    expect(priorityOf(DEFAULT_PRIORITY_MATRIX, 2, 2)).toBe(3);
    expect(priorityOf(DEFAULT_PRIORITY_MATRIX, 3, 3)).toBe(4);
    expect(() => priorityOf(DEFAULT_PRIORITY_MATRIX, 4, 1)).toThrow();
  });
});

describe('incident workflow', () => {
  const ticket = (state: string) => ({ state, orgId: 2, requesterId: 20, assigneeId: null });
  it('offers engineers work actions and customers only confirm/reopen/cancel', () => {
    expect(allowedActions(actor(['engineer']), ticket('new'))).toEqual(['assign', 'take', 'resolve', 'cancel']);
    expect(allowedActions(actor(['engineer']), ticket('in_progress'))).toEqual(['assign', 'pend', 'resolve', 'cancel']);
    const cust = actor(['customer'], 'customer', 2, 20);
    expect(allowedActions(cust, ticket('resolved'))).toEqual(['close', 'reopen']);
    expect(allowedActions(cust, ticket('new'))).toEqual(['cancel']);
    expect(allowedActions(actor(['customer'], 'customer', 3, 21), ticket('resolved'))).toEqual([]);
    expect(allowedActions(actor(['engineer']), ticket('closed'))).toEqual([]);
  });
  it('lists missing required fields', () => {
    expect(missingFields('resolve', { action: 'resolve', version: 1 })).toEqual(['resolutionCode', 'resolutionNotes']);
    expect(missingFields('assign', { action: 'assign', version: 1 })).toEqual(['assignmentGroupId']);
    expect(missingFields('pend', { action: 'pend', version: 1, pendingReason: 'vendor' })).toEqual([]);
  });
});
