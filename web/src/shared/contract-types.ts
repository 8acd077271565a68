import type { z } from 'zod';
import type {
  ApiToken,
  IncidentState,
  Permission,
  Role,
  Ticket,
  User,
  createdApiTokenSchema,
  roleInfoSchema,
  userWithPasswordSchema,
} from '@tianshu/contracts';

/** Types the contracts define as schemas only; derived here so the web bundles no zod code. */
export interface Page<T> {
  items: T[];
  total: number;
  /** True when the server stopped counting at `total`. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}
export type RoleInfo = z.infer<typeof roleInfoSchema>;
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export type UserWithPassword = z.infer<typeof userWithPasswordSchema>;
export type PendingReason = NonNullable<Ticket['pendingReason']>;
export type ResolutionCode = NonNullable<Ticket['resolutionCode']>;
export type PriorityLevel = 1 | 2 | 3 | 4;
export type Level = 1 | 2 | 3;
export type { ApiToken, IncidentState, Permission, Role, User };
