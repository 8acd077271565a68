import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type {
  NotificationChannelKind,
  NotificationDelivery,
  NotificationEventName,
  createNotificationChannelRequestSchema,
  notificationChannelTestResultSchema,
  updateNotificationChannelRequestSchema,
  updateNotificationPreferencesRequestSchema,
} from '@tianshu/contracts';

/** Request and reply types the contracts define as schemas only; type-only, so no zod is bundled. */
export type CreateChannelRequest = z.input<typeof createNotificationChannelRequestSchema>;
export type UpdateChannelRequest = z.input<typeof updateNotificationChannelRequestSchema>;
export type UpdatePreferencesRequest = z.input<typeof updateNotificationPreferencesRequestSchema>;
export type ChannelTestResult = z.infer<typeof notificationChannelTestResultSchema>;
export type DeliveryStatus = NotificationDelivery['status'];

// Records keyed by the contract unions: a value added to the contracts and missing here fails to compile.
const EVENT_SET: Record<NotificationEventName, true> = {
  'ticket.assigned': true,
  'ticket.customer_replied': true,
  'ticket.transition': true,
  'ticket.resolved': true,
  'sla.warning': true,
  'sla.breached': true,
  'sla.escalated': true,
  'service.budget': true,
  'spare_part.low_stock': true,
  'asset.warranty': true,
  'vendor.contract_expiring': true,
  'approval.requested': true,
  'approval.reminder': true,
  'approval.decided': true,
};
export const NOTIFICATION_EVENT_NAMES = Object.keys(EVENT_SET) as NotificationEventName[];

const KIND_SET: Record<NotificationChannelKind, true> = { webhook: true, dingtalk: true, wecom: true, feishu: true };
export const CHANNEL_KINDS = Object.keys(KIND_SET) as NotificationChannelKind[];

const STATUS_COLORS: Record<DeliveryStatus, string> = { pending: 'processing', sent: 'success', failed: 'error' };
export const DELIVERY_STATUSES = Object.keys(STATUS_COLORS) as DeliveryStatus[];
export const deliveryStatusColor = (status: DeliveryStatus): string => STATUS_COLORS[status];

export function isEventName(value: string): value is NotificationEventName {
  return value in EVENT_SET;
}

/** The label of an event; an unknown one (a newer server) shows its name. */
export function eventLabel(t: TFunction, event: string): string {
  if (isEventName(event)) return t(`notification.event.${event}`);
  if (event === 'channel.test') return t('notification.event.channel.test');
  return event;
}

export const kindLabel = (t: TFunction, kind: NotificationChannelKind | 'email'): string => t(`notification.channels.kinds.${kind}`);
