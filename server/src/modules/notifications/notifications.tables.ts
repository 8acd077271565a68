import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** In-app notifications (the bell). */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    event: text('event').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    link: text('link'),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    data: jsonb('data').notNull().default({}),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.id.desc()),
    index('notifications_unread_idx').on(t.userId).where(sql`read_at IS NULL`),
  ],
);

/** Per-user choices: which events reach which channel, quiet hours. Absent row = defaults. */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: bigint('user_id', { mode: 'number' })
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  prefs: jsonb('prefs').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Admin-configured outgoing channels: signed webhooks and DingTalk / WeCom / Feishu group robots. */
export const notificationChannels = pgTable('notification_channels', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['webhook', 'dingtalk', 'wecom', 'feishu'] }).notNull(),
  url: text('url').notNull(),
  /** HMAC key (webhook) or the robot's signing secret; never returned by the API. */
  secret: text('secret'),
  /** Event names this channel receives; empty = all. */
  events: text('events').array().notNull().default(sql`'{}'::text[]`),
  /** Only events of tickets of this organisation; null = all. */
  orgId: bigint('org_id', { mode: 'number' }).references(() => organizations.id),
  enabled: boolean('enabled').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** The outbox: one row per message to send, with its attempts. Written in the causing transaction. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel', { enum: ['email', 'webhook', 'dingtalk', 'wecom', 'feishu'] }).notNull(),
    channelId: bigint('channel_id', { mode: 'number' }).references(() => notificationChannels.id),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    event: text('event').notNull(),
    target: text('target').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`)],
);
