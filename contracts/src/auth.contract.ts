import { z } from 'zod';
import { isoDateTime, localeSchema } from './common.contract.ts';

/**
 * Roles. The three admin roles are kept apart (三权分立): one user never holds two of them,
 * a system admin cannot read the audit log, and an audit admin cannot change users.
 */
export const roleSchema = z.enum([
  'system_admin',
  'security_admin',
  'audit_admin',
  'agent',
  'engineer',
  'manager',
  'customer',
]);
export type Role = z.infer<typeof roleSchema>;
export const ADMIN_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'audit_admin'];

export const permissionSchema = z.enum([
  'org.read',
  'org.manage',
  'user.read',
  'user.manage',
  'user.security',
  'group.read',
  'group.manage',
  'role.read',
  'audit.read',
  'settings.manage',
  'ticket.read',
  'ticket.create',
  'ticket.work',
  'ticket.assign',
  'ticket.internal',
  'ticket.confirm',
  'sla.read',
  'service.read',
  'service.manage',
  'outage.manage',
  'notification.manage',
  'cmdb.read',
  'cmdb.class.manage',
  'cmdb.ci.manage',
  'cmdb.audit',
  'asset.read',
  'asset.manage',
  'vendor.read',
  'vendor.manage',
  'repair.approve',
  'workflow.manage',
  'request.read',
  'request.type.manage',
  'problem.manage',
  'knowledge.read',
  'knowledge.manage',
  'change.manage',
  'change.implement',
  'change.calendar.manage',
  'release.manage',
]);
export type Permission = z.infer<typeof permissionSchema>;

export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const meSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  orgId: z.number().int(),
  orgName: z.string(),
  orgKind: z.enum(['provider', 'customer']),
  roles: z.array(roleSchema),
  permissions: z.array(permissionSchema),
  locale: localeSchema,
  mustChangePassword: z.boolean(),
  csrfToken: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;

export const changePasswordRequestSchema = z
  .object({
    currentPassword: z.string().min(1).max(256),
    newPassword: z.string().min(1).max(256),
  })
  .strict();
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

export const updateMeRequestSchema = z
  .object({ locale: localeSchema.optional(), displayName: z.string().trim().min(1).max(64).optional() })
  .strict();

export const apiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: isoDateTime,
  lastUsedAt: isoDateTime.nullable(),
  expiresAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const createApiTokenRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

/** The secret is in this response only; the server keeps a hash. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
