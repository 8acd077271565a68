import { z } from 'zod';
import { idSchema, isoDateTime } from './common.contract.ts';

/** Everything that can notify someone. The server's notify() takes one of these. */
export const NOTIFICATION_EVENTS = [
  'ticket.assigned',
  'ticket.customer_replied',
  'ticket.transition',
  'ticket.resolved',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'service.budget',
  'spare_part.low_stock',
  'asset.warranty',
  'vendor.contract_expiring',
  'approval.requested',
  'approval.reminder',
  'approval.decided',
] as const;
export const notificationEventSchema = z.enum(NOTIFICATION_EVENTS);
export type NotificationEventName = z.infer<typeof notificationEventSchema>;

/** One in-app notification (the bell). */
export const notificationSchema = z.object({
  id: z.number().int(),
  event: z.string(),
  title: z.string(),
  body: z.string(),
  /** Path in the web app, e.g. '/incidents/12'. */
  link: z.string().nullable(),
  ticketId: z.number().int().nullable(),
  readAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type NotificationItem = z.infer<typeof notificationSchema>;

const boolQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const notificationListQuerySchema = z
  .object({
    unread: boolQuery.optional(),
    /** The id of the last item of the previous page: the next page holds older notifications. */
    cursor: idSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.number().int().nullable(),
});
export type NotificationPage = z.infer<typeof notificationPageSchema>;

export const unreadCountSchema = z.object({ count: z.number().int() });
export const readAllResultSchema = z.object({ updated: z.number().int() });

/* ----------------------------- preferences ----------------------------- */

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const eventPreferenceSchema = z.object({ inApp: z.boolean(), email: z.boolean() }).strict();
export const quietHoursSchema = z
  .object({
    enabled: z.boolean(),
    /** 'HH:MM' local time; start after end wraps midnight (22:00 - 08:00). */
    start: clock,
    end: clock,
    timeZone: z.string().min(1).max(64),
  })
  .strict();
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const notificationPreferencesSchema = z.object({
  events: z.record(notificationEventSchema, eventPreferenceSchema),
  quietHours: quietHoursSchema,
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/** Events left out keep their current choice. */
export const updateNotificationPreferencesRequestSchema = z
  .object({
    events: z.partialRecord(notificationEventSchema, eventPreferenceSchema).optional(),
    quietHours: quietHoursSchema.optional(),
  })
  .strict();

/* ------------------------------- channels ------------------------------- */

export const NOTIFICATION_CHANNEL_KINDS = ['webhook', 'dingtalk', 'wecom', 'feishu'] as const;
export const notificationChannelKindSchema = z.enum(NOTIFICATION_CHANNEL_KINDS);
export type NotificationChannelKind = z.infer<typeof notificationChannelKindSchema>;

export const notificationChannelSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: notificationChannelKindSchema,
  url: z.string(),
  /** The secret itself is never returned. */
  hasSecret: z.boolean(),
  /** Empty = every event. */
  events: z.array(z.string()),
  /** Only events of this organisation's tickets; null = all. */
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  enabled: z.boolean(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

const channelUrl = z
  .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
  .max(2000);

export const createNotificationChannelRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: notificationChannelKindSchema,
    url: channelUrl,
    secret: z.string().trim().max(500).nullable().optional(),
    events: z.array(notificationEventSchema).max(NOTIFICATION_EVENTS.length).default([]),
    orgId: idSchema.nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict();

export const updateNotificationChannelRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    kind: notificationChannelKindSchema.optional(),
    url: channelUrl.optional(),
    /** A string replaces the secret, null removes it, absent keeps it. */
    secret: z.string().trim().max(500).nullable().optional(),
    events: z.array(notificationEventSchema).max(NOTIFICATION_EVENTS.length).optional(),
    orgId: idSchema.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const notificationChannelTestResultSchema = z.object({
  ok: z.literal(true),
  /** HTTP status the receiver answered with. */
  status: z.number().int(),
  durationMs: z.number().int(),
});

/* ------------------------------ deliveries ------------------------------ */

export const NOTIFICATION_DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export const notificationDeliveryStatusSchema = z.enum(NOTIFICATION_DELIVERY_STATUSES);

export const notificationDeliverySchema = z.object({
  id: z.number().int(),
  channel: z.enum(['email', ...NOTIFICATION_CHANNEL_KINDS]),
  channelId: z.number().int().nullable(),
  channelName: z.string().nullable(),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  event: z.string(),
  /** E-mail address, or the channel's URL without its query string (robot tokens stay hidden). */
  target: z.string(),
  status: notificationDeliveryStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: isoDateTime,
  lastError: z.string().nullable(),
  sentAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type NotificationDelivery = z.infer<typeof notificationDeliverySchema>;

export const notificationDeliveryListQuerySchema = z
  .object({
    status: notificationDeliveryStatusSchema.optional(),
    channelId: idSchema.optional(),
    cursor: idSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const notificationDeliveryPageSchema = z.object({
  items: z.array(notificationDeliverySchema),
  nextCursor: z.number().int().nullable(),
});
