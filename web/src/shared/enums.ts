import type { Channel, IncidentAction, IncidentState, Permission, Role } from '@tianshu/contracts';
import type { Level, PendingReason, PriorityLevel, ResolutionCode } from './contract-types';

// Records keyed by the contract unions: the compiler flags any value added to the contracts
// and missing here, and the key order gives the display order.
const STATE_COLORS: Record<IncidentState, string> = {
  new: 'blue',
  assigned: 'cyan',
  in_progress: 'geekblue',
  pending: 'orange',
  resolved: 'green',
  closed: 'default',
  cancelled: 'default',
};
export const INCIDENT_STATES = Object.keys(STATE_COLORS) as IncidentState[];
export const stateColor = (state: IncidentState): string => STATE_COLORS[state];

const PRIORITY_COLORS: Record<PriorityLevel, string> = { 1: 'red', 2: 'volcano', 3: 'gold', 4: 'blue' };
export const PRIORITIES: readonly PriorityLevel[] = [1, 2, 3, 4];
export const LEVELS: readonly Level[] = [1, 2, 3];

export function asPriority(value: number): PriorityLevel {
  return value <= 1 ? 1 : value >= 4 ? 4 : (value as PriorityLevel);
}
export function asLevel(value: number): Level {
  return value <= 1 ? 1 : value >= 3 ? 3 : (value as Level);
}
export const priorityColor = (priority: number): string => PRIORITY_COLORS[asPriority(priority)];

const CHANNEL_SET: Record<Channel, true> = { web: true, phone: true, email: true, api: true, monitoring: true };
export const CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

const PENDING_SET: Record<PendingReason, true> = { customer: true, vendor: true, change: true };
export const PENDING_REASONS = Object.keys(PENDING_SET) as PendingReason[];

const RESOLUTION_SET: Record<ResolutionCode, true> = {
  fixed: true,
  workaround: true,
  config_change: true,
  hardware_replaced: true,
  user_error: true,
  no_fault_found: true,
  duplicate: true,
};
export const RESOLUTION_CODES = Object.keys(RESOLUTION_SET) as ResolutionCode[];

const ACTION_SET: Record<IncidentAction, true> = {
  take: true,
  assign: true,
  start: true,
  pend: true,
  resume: true,
  resolve: true,
  close: true,
  reopen: true,
  cancel: true,
};
/** Display order of action buttons: the usual next step first, destructive last. */
export const INCIDENT_ACTIONS = Object.keys(ACTION_SET) as IncidentAction[];

const ROLE_SET: Record<Role, true> = {
  system_admin: true,
  security_admin: true,
  audit_admin: true,
  agent: true,
  engineer: true,
  manager: true,
  customer: true,
};
export const ROLES = Object.keys(ROLE_SET) as Role[];
export const ADMIN_ROLE_LIST: readonly Role[] = ['system_admin', 'security_admin', 'audit_admin'];

const PERMISSION_SET: Record<Permission, true> = {
  'org.read': true,
  'org.manage': true,
  'user.read': true,
  'user.manage': true,
  'user.security': true,
  'group.read': true,
  'group.manage': true,
  'role.read': true,
  'audit.read': true,
  'settings.manage': true,
  'ticket.read': true,
  'ticket.create': true,
  'ticket.work': true,
  'ticket.assign': true,
  'ticket.internal': true,
  'ticket.confirm': true,
  'sla.read': true,
  'service.read': true,
  'service.manage': true,
  'outage.manage': true,
  'notification.manage': true,
  'cmdb.read': true,
  'cmdb.class.manage': true,
  'cmdb.ci.manage': true,
  'cmdb.audit': true,
  'asset.read': true,
  'asset.manage': true,
  'vendor.read': true,
  'vendor.manage': true,
  'repair.approve': true,
  'workflow.manage': true,
  'request.read': true,
  'request.type.manage': true,
  'problem.manage': true,
  'knowledge.read': true,
  'knowledge.manage': true,
  'change.manage': true,
  'change.implement': true,
  'change.calendar.manage': true,
  'release.manage': true,
};
export const PERMISSIONS = Object.keys(PERMISSION_SET) as Permission[];
export function isPermission(value: string): value is Permission {
  return value in PERMISSION_SET;
}

export const OPEN_STATE_LIST: readonly IncidentState[] = ['new', 'assigned', 'in_progress', 'pending'];
