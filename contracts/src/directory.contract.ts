import { z } from 'zod';
import { isoDateTime, localeSchema, pageQuerySchema } from './common.contract.ts';
import { roleSchema } from './auth.contract.ts';

export const orgKindSchema = z.enum(['provider', 'customer']);

export const organizationSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string(),
  kind: orgKindSchema,
  createdAt: isoDateTime,
});
export type Organization = z.infer<typeof organizationSchema>;

export const createOrganizationRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    code: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9_-]+$/),
    kind: z.literal('customer').default('customer'),
  })
  .strict();

export const updateOrganizationRequestSchema = z
  .object({ name: z.string().trim().min(1).max(100) })
  .strict();

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** The line manager (approver of "requester's manager" approval steps). */
  managerId: z.number().int().nullable(),
  orgId: z.number().int(),
  orgName: z.string(),
  roles: z.array(roleSchema),
  status: z.enum(['active', 'disabled']),
  locale: localeSchema,
  lockedUntil: isoDateTime.nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type User = z.infer<typeof userSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/);

export const createUserRequestSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(64),
    email: z.email().max(254).nullable().optional(),
    phone: z.string().trim().max(32).nullable().optional(),
    orgId: z.number().int().positive(),
    managerId: z.number().int().positive().nullable().optional(),
    roles: z.array(roleSchema).min(1).max(7),
    password: z.string().min(1).max(256).optional(),
    locale: localeSchema.optional(),
  })
  .strict();
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

export const updateUserRequestSchema = z
  .object({
    displayName: z.string().trim().min(1).max(64).optional(),
    email: z.email().max(254).nullable().optional(),
    phone: z.string().trim().max(32).nullable().optional(),
    managerId: z.number().int().positive().nullable().optional(),
    roles: z.array(roleSchema).min(1).max(7).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict();

/** A created user or a reset returns the one-time password when the server generated it. */
export const userWithPasswordSchema = z.object({ user: userSchema, password: z.string().nullable() });

export const userListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  orgId: z.coerce.number().int().positive().optional(),
  role: roleSchema.optional(),
});

export const groupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  leadUserId: z.number().int().nullable(),
  memberIds: z.array(z.number().int()),
  orgIds: z.array(z.number().int()),
  createdAt: isoDateTime,
});
export type Group = z.infer<typeof groupSchema>;

export const createGroupRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().optional(),
    leadUserId: z.number().int().positive().nullable().optional(),
    memberIds: z.array(z.number().int().positive()).max(500).default([]),
    orgIds: z.array(z.number().int().positive()).max(500).default([]),
  })
  .strict();

export const updateGroupRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    leadUserId: z.number().int().positive().nullable().optional(),
    memberIds: z.array(z.number().int().positive()).max(500).optional(),
    orgIds: z.array(z.number().int().positive()).max(500).optional(),
  })
  .strict();

export const roleInfoSchema = z.object({
  role: roleSchema,
  permissions: z.array(z.string()),
});

/** Small records for pickers (requester, assignee); available to ticket workers. */
export const userLookupSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  orgId: z.number().int(),
});
export type UserLookup = z.infer<typeof userLookupSchema>;

export const userLookupQuerySchema = z.object({
  q: z.string().trim().max(64).optional(),
  orgId: z.coerce.number().int().positive().optional(),
  groupId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
