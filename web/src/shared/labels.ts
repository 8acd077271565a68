import type { TFunction } from 'i18next';
import type { Channel, IncidentAction, IncidentState, Permission, Role } from '@tianshu/contracts';
import type { PendingReason, ResolutionCode } from './contract-types';
import { asLevel, asPriority } from './enums';

// Typed wrappers so a page never builds a translation key by hand.
export const priorityLabel = (t: TFunction, priority: number): string => t(`priority.${asPriority(priority)}`);
export const levelLabel = (t: TFunction, level: number): string => t(`level.${asLevel(level)}`);
export const stateLabel = (t: TFunction, state: IncidentState): string => t(`state.${state}`);
export const channelLabel = (t: TFunction, channel: Channel): string => t(`channel.${channel}`);
export const actionLabel = (t: TFunction, action: IncidentAction): string => t(`action.${action}`);
export const roleLabel = (t: TFunction, role: Role): string => t(`role.${role}`);
export const permissionLabel = (t: TFunction, permission: Permission): string => t(`permission.${permission}`);
export const pendingReasonLabel = (t: TFunction, reason: PendingReason): string => t(`pendingReason.${reason}`);
export const resolutionCodeLabel = (t: TFunction, code: ResolutionCode): string => t(`resolutionCode.${code}`);
