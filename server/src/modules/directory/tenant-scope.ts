import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/db.ts';
import { servedOrgIds } from './directory.queries.ts';

/**
 * The organisations whose tickets an actor may see: null means every organisation.
 * Customer users see their own organisation; engineers the organisations their groups serve;
 * the service desk, managers and the system admin see all.
 */
export async function ticketOrgScope(q: Queryable, actor: Actor): Promise<number[] | null> {
  if (actor.via === 'system') return null;
  if (actor.orgKind === 'customer' || actor.roles.includes('customer')) return [actor.orgId];
  if (actor.roles.some((r) => r === 'agent' || r === 'manager' || r === 'system_admin')) return null;
  if (actor.roles.includes('engineer')) return servedOrgIds(q, actor.userId);
  return [];
}

export function inScope(scope: number[] | null, orgId: number): boolean {
  return scope === null || scope.includes(orgId);
}
