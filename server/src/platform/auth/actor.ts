import type { Locale, Permission, Role } from '@tianshu/contracts';
import { permissionsOf } from './rbac.ts';

/** Who is calling: resolved once per request from the session cookie or an API token. */
export type Actor = {
  userId: number;
  username: string;
  displayName: string;
  orgId: number;
  orgKind: 'provider' | 'customer';
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  locale: Locale;
  mustChangePassword: boolean;
  ip: string | null;
  via: 'session' | 'token' | 'system';
  sessionIdHash: string | null;
  csrfToken: string | null;
};

/** The system actor for jobs (auto-close, sealing) and the CLI. */
export function systemActor(): Actor {
  return {
    userId: 0,
    username: 'system',
    displayName: 'system',
    orgId: 0,
    orgKind: 'provider',
    roles: [],
    permissions: new Set(),
    locale: 'zh-CN',
    mustChangePassword: false,
    ip: null,
    via: 'system',
    sessionIdHash: null,
    csrfToken: null,
  };
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/** The route guard ran, so a protected handler always has an actor; this narrows the type. */
export function mustActor(actor: Actor | null): Actor {
  if (!actor) throw new Error('route guard let an anonymous request through');
  return actor;
}

/** Builds an actor for a user outside HTTP (CLI, seed). */
export function actorFromPrincipal(
  p: { user_id: number; username: string; display_name: string; org_id: number; org_kind: 'provider' | 'customer'; roles: string[]; locale: Locale; must_change_password: boolean },
  how: Partial<Pick<Actor, 'ip' | 'via' | 'sessionIdHash' | 'csrfToken'>> = {},
): Actor {
  const roles = p.roles as Role[];
  return {
    userId: Number(p.user_id),
    username: p.username,
    displayName: p.display_name,
    orgId: Number(p.org_id),
    orgKind: p.org_kind,
    roles,
    permissions: new Set(permissionsOf(roles)),
    locale: p.locale,
    mustChangePassword: p.must_change_password,
    ip: how.ip ?? null,
    via: how.via ?? 'system',
    sessionIdHash: how.sessionIdHash ?? null,
    csrfToken: how.csrfToken ?? null,
  };
}
