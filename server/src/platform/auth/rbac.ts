import type { Permission, Role } from '@tianshu/contracts';
import { ADMIN_ROLES } from '@tianshu/contracts';

/**
 * Role -> permissions. 三权分立: the system admin runs the system but cannot read the audit log;
 * the security admin handles credentials and role grants; the audit admin only reads the audit log.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  system_admin: [
    'org.read',
    'org.manage',
    'user.read',
    'user.manage',
    'group.read',
    'group.manage',
    'role.read',
    'settings.manage',
    'ticket.read',
    'sla.read',
    'service.read',
    'service.manage',
    'notification.manage',
    'cmdb.read',
    'cmdb.class.manage',
    'cmdb.audit',
    'asset.read',
    'vendor.read',
    'vendor.manage',
    'workflow.manage',
    'request.read',
    'request.type.manage',
    'knowledge.read',
    'change.calendar.manage',
  ],
  security_admin: ['user.read', 'user.security', 'role.read', 'org.read', 'group.read'],
  audit_admin: ['audit.read'],
  agent: [
    'ticket.read',
    'ticket.create',
    'ticket.work',
    'ticket.assign',
    'ticket.internal',
    'ticket.confirm',
    'org.read',
    'group.read',
    'sla.read',
    'service.read',
    'outage.manage',
    'cmdb.read',
    'cmdb.ci.manage',
    'cmdb.audit',
    'asset.read',
    'asset.manage',
    'vendor.read',
    'request.read',
    'knowledge.read',
    'knowledge.manage',
    'problem.manage',
    'change.manage',
  ],
  engineer: [
    'ticket.read',
    'ticket.create',
    'ticket.work',
    'ticket.assign',
    'ticket.internal',
    'group.read',
    'sla.read',
    'service.read',
    'outage.manage',
    'cmdb.read',
    'cmdb.ci.manage',
    'cmdb.audit',
    'asset.read',
    'asset.manage',
    'vendor.read',
    'request.read',
    'knowledge.read',
    'knowledge.manage',
    'problem.manage',
    'change.manage',
    'change.implement',
    'release.manage',
  ],
  manager: [
    'ticket.read',
    'ticket.create',
    'ticket.work',
    'ticket.assign',
    'ticket.internal',
    'ticket.confirm',
    'org.read',
    'group.read',
    'user.read',
    'sla.read',
    'service.read',
    'service.manage',
    'outage.manage',
    'cmdb.read',
    'cmdb.ci.manage',
    'cmdb.audit',
    'asset.read',
    'asset.manage',
    'vendor.read',
    'vendor.manage',
    'repair.approve',
    'request.read',
    'knowledge.read',
    'knowledge.manage',
    'problem.manage',
    'change.manage',
    'change.implement',
    'change.calendar.manage',
    'release.manage',
  ],
  customer: ['ticket.read', 'ticket.create', 'ticket.confirm', 'service.read', 'cmdb.read', 'asset.read', 'knowledge.read'],
};

export function permissionsOf(roles: readonly Role[]): Permission[] {
  const set = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r] ?? []) set.add(p);
  return [...set].sort();
}

/** True when the roles hold more than one of the three separated admin roles. */
export function violatesRoleSeparation(roles: readonly Role[]): boolean {
  return roles.filter((r) => ADMIN_ROLES.includes(r)).length > 1;
}

/** Roles that may only be granted by a security admin. */
export function grantsAdminRole(roles: readonly Role[]): boolean {
  return roles.some((r) => ADMIN_ROLES.includes(r));
}
