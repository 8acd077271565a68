import type { z } from 'zod';
import {
  NOTIFICATION_EVENTS,
  notificationPreferencesSchema,
  type createNotificationChannelRequestSchema,
  type Locale,
  type NotificationChannel,
  type NotificationDelivery,
  type NotificationItem,
  type NotificationPreferences,
  type QuietHours,
  type updateNotificationChannelRequestSchema,
  type updateNotificationPreferencesRequestSchema,
} from '@tianshu/contracts';
import { clockMinutes, wallTimeToEpoch, zonedParts } from '@tianshu/contracts/zoned-time';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppConfig } from '../../platform/config/config.ts';
import { writeTogether, type Db, type Queryable } from '../../platform/db/db.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { isValidTimeZone } from '../calendars/calendars.service.ts';
import * as qs from './notifications.queries.ts';
import { createMailer, SendError, sendToChannel, type ChannelMessage, type ChannelTarget, type Mailer } from './notifications.senders.ts';
import { absoluteLink, renderEmail, renderMarkdown, renderMessage, renderText } from './notifications.templates.ts';

export type NotificationEvent =
  | 'ticket.assigned'
  | 'ticket.customer_replied'
  | 'ticket.transition'
  | 'ticket.resolved'
  | 'sla.warning'
  | 'sla.breached'
  | 'sla.escalated'
  | 'service.budget'
  | 'spare_part.low_stock'
  | 'asset.warranty'
  | 'vendor.contract_expiring'
  | 'approval.requested'
  | 'approval.reminder'
  | 'approval.decided';

export type NotifyInput = {
  event: NotificationEvent;
  /** Users notified in-app and by email; each user's preferences and quiet hours apply. Duplicates and inactive users are dropped. */
  userIds: readonly number[];
  /** Template parameters, e.g. { number: 'INC20261123-0001', title: '...', pct: 75, due: ISO string }. */
  params: Record<string, string | number>;
  ticketId?: number | null;
  /** Tenant of the event: a channel limited to an organisation only receives its events. */
  orgId?: number | null;
  /** Path in the web app the notification opens, e.g. '/incidents/12'. */
  link?: string | null;
  /** Urgent events (e.g. a P1 breach) ignore quiet hours. */
  urgent?: boolean;
  /**
   * Extra params for one user's e-mail only (never in-app or channels), e.g. that approver's signed
   * approve/reject links. Params whose name ends in `Link` are made absolute with PUBLIC_URL when sent.
   */
  emailParams?: ReadonlyMap<number, Record<string, string | number>>;
};

/* ------------------------------ preferences ----------------------------- */

const EMAIL_BY_DEFAULT: ReadonlySet<string> = new Set(['ticket.assigned', 'sla.breached', 'sla.escalated', 'service.budget', 'approval.requested', 'approval.reminder']);

export function defaultPreferences(): NotificationPreferences {
  const events = Object.fromEntries(NOTIFICATION_EVENTS.map((e) => [e, { inApp: true, email: EMAIL_BY_DEFAULT.has(e) }]));
  return {
    events: events as NotificationPreferences['events'],
    quietHours: { enabled: false, start: '22:00', end: '08:00', timeZone: 'Asia/Shanghai' },
  };
}

/** The stored choices over the defaults; anything unreadable falls back to the default. */
export function mergePreferences(stored: unknown): NotificationPreferences {
  const base = defaultPreferences();
  if (!stored || typeof stored !== 'object') return base;
  const s = stored as { events?: Record<string, unknown>; quietHours?: unknown };
  const events = { ...base.events };
  for (const e of NOTIFICATION_EVENTS) {
    const v = s.events?.[e] as { inApp?: unknown; email?: unknown } | undefined;
    if (v && typeof v === 'object') {
      events[e] = {
        inApp: typeof v.inApp === 'boolean' ? v.inApp : events[e].inApp,
        email: typeof v.email === 'boolean' ? v.email : events[e].email,
      };
    }
  }
  const quiet = notificationPreferencesSchema.shape.quietHours.safeParse(s.quietHours);
  return { events, quietHours: quiet.success && isValidTimeZone(quiet.data.timeZone) ? quiet.data : base.quietHours };
}

/**
 * When quiet hours are on and `now` falls inside them: the instant they end. Start after end wraps
 * midnight (22:00-08:00); start equal to end means no quiet time.
 */
export function quietUntil(quiet: QuietHours, now: Date): Date | null {
  if (!quiet.enabled) return null;
  const start = clockMinutes(quiet.start);
  const end = clockMinutes(quiet.end);
  if (start === end) return null;
  const p = zonedParts(now.getTime(), quiet.timeZone);
  const m = p.hour * 60 + p.minute;
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  // The end is later today, or (after the start of a wrapping window) tomorrow.
  const day = m < end ? p.day : p.day + 1;
  return new Date(wallTimeToEpoch(p.year, p.month, day, end * 60_000, quiet.timeZone));
}

export async function getPreferences(db: Db, actor: Actor): Promise<NotificationPreferences> {
  return mergePreferences((await qs.findPreferences(db, actor.userId))?.prefs);
}

export async function updatePreferences(db: Db, actor: Actor, input: z.output<typeof updateNotificationPreferencesRequestSchema>) {
  if (input.quietHours && !isValidTimeZone(input.quietHours.timeZone)) {
    throw new AppError('CALENDAR_TIMEZONE_INVALID', { timeZone: input.quietHours.timeZone });
  }
  return db.transaction(async (tx) => {
    const current = mergePreferences((await qs.findPreferences(tx, actor.userId))?.prefs);
    const next: NotificationPreferences = {
      events: { ...current.events, ...input.events },
      quietHours: input.quietHours ?? current.quietHours,
    };
    await qs.upsertPreferences(tx, actor.userId, next);
    await recordAudit(tx, {
      actor,
      action: 'notification.preferences',
      objectType: 'user',
      objectId: actor.userId,
      result: 'success',
      details: { events: input.events ?? {}, quietHours: input.quietHours ?? null },
    });
    return next;
  });
}

/* -------------------------------- notify -------------------------------- */

type EmailPayload = { locale: Locale; timeZone: string; params: Record<string, string | number>; link: string | null; ticketId: number | null; occurredAt: string };
type ChannelPayload = { params: Record<string, string | number>; link: string | null; ticketId: number | null; occurredAt: string };

/** A channel URL for the delivery log: no query string, long path segments (robot tokens) shortened. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname
      .split('/')
      .map((seg) => (seg.length >= 16 ? `${seg.slice(0, 4)}…` : seg))
      .join('/');
    return `${u.origin}${path}`;
  } catch {
    return '(invalid url)';
  }
}

/**
 * Writes in-app rows and the outbox (email per user, one row per matching channel) in the caller's
 * transaction; sends nothing itself, never throws for a channel problem. Each in-app row also
 * signals `pg_notify('tianshu_notifications', '<userId>')` so the bell updates live on commit.
 */
export async function notify(q: Queryable, input: NotifyInput): Promise<void> {
  const now = new Date();
  const occurredAt = now.toISOString();
  const link = input.link ?? null;
  const ticketId = input.ticketId ?? null;
  const userIds = [...new Set(input.userIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
  const { recipients, channels } = await qs.recipientsAndChannels(q, userIds, input.event, input.orgId ?? null);

  const inApp: Parameters<typeof qs.notificationsInsertStatement>[1] = [];
  const outbox: Parameters<typeof qs.deliveriesInsertStatement>[1] = [];
  for (const r of recipients) {
    const prefs = mergePreferences(r.prefs);
    const choice = prefs.events[input.event];
    const timeZone = prefs.quietHours.timeZone;
    if (choice.inApp) {
      const msg = renderMessage(input.event, input.params, r.locale, timeZone);
      inApp.push({ userId: r.id, event: input.event, title: msg.title, body: msg.body, link, ticketId, data: input.params });
    }
    const email = r.email?.trim();
    if (choice.email && email) {
      const until = input.urgent ? null : quietUntil(prefs.quietHours, now);
      const extra = input.emailParams?.get(r.id);
      const payload: EmailPayload = { locale: r.locale, timeZone, params: extra ? { ...input.params, ...extra } : input.params, link, ticketId, occurredAt };
      outbox.push({ channel: 'email', userId: r.id, event: input.event, target: email, payload, ...(until ? { nextAttemptAt: until } : {}) });
    }
  }
  for (const ch of channels) {
    const payload: ChannelPayload = { params: input.params, link, ticketId, occurredAt };
    outbox.push({ channel: ch.kind, channelId: ch.id, event: input.event, target: redactUrl(ch.url), payload });
  }
  // Both inserts (and the signals) in one round trip: notify runs inside many hot write paths.
  const writes = [...(inApp.length ? [qs.notificationsInsertStatement(q, inApp)] : []), ...(outbox.length ? [qs.deliveriesInsertStatement(q, outbox)] : [])];
  const [first, ...rest] = writes;
  if (first) await writeTogether(q, first, ...rest);
}

/* ------------------------------- delivery ------------------------------- */

export const DELIVERY_BATCH = 50;
export const DELIVERY_LEASE_MS = 2 * 60_000;
export const MAX_DELIVERY_ATTEMPTS = 6;
const SEND_CONCURRENCY = 8;
/** A row not started this long after the claim goes back unsent, so it is never sent twice after its lease. */
const START_DEADLINE_MS = DELIVERY_LEASE_MS - 30_000;

/** Wait before the next attempt after `attempts` failed ones: 1, 2, 4, 8, 16 minutes. */
export function retryDelayMs(attempts: number): number {
  return 60_000 * 2 ** Math.max(0, attempts - 1);
}

/** A failure that another attempt cannot fix: the row is given up at once. */
class PermanentError extends Error {}

function channelMessage(event: string, payload: ChannelPayload, deliveryId: number | null, config: AppConfig): ChannelMessage {
  const msg = renderMessage(event, payload.params, 'zh-CN');
  const link = absoluteLink(payload.link, config.publicUrl);
  // Without PUBLIC_URL a path means nothing inside a chat message; the webhook JSON still carries it.
  const clickable = link && /^https?:\/\//.test(link) ? link : null;
  return {
    event,
    deliveryId,
    occurredAt: payload.occurredAt,
    params: payload.params,
    ticketId: payload.ticketId,
    link,
    title: msg.title,
    text: renderText(msg, clickable, 'zh-CN'),
    markdown: renderMarkdown(msg, clickable, 'zh-CN'),
  };
}

async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Sends due outbox rows (status pending, next_attempt_at <= now; FOR UPDATE SKIP LOCKED, a bounded
 * batch), records each attempt; on failure retries with exponential backoff (1, 2, 4, 8, 16 min;
 * after 6 attempts status 'failed'). One failing channel never blocks the others. Returns how many
 * rows it handled.
 *
 * The rows are claimed in one short statement (attempts + 1 and a 2-minute lease), the sending
 * happens outside any transaction (8 at a time, 10 s timeout each), then each row's outcome is
 * written; rows not started within 90 s are handed back untouched for the next run. E-mail without SMTP_URL is
 * marked failed at once ('SMTP not configured'), as are messages for a deleted or disabled channel.
 */
export async function deliverDue(db: Db, config: AppConfig, now: Date = new Date()): Promise<number> {
  const claimed = await qs.claimDue(db, now, new Date(now.getTime() + DELIVERY_LEASE_MS), DELIVERY_BATCH);
  if (claimed.length === 0) return 0;
  const channelIds = [...new Set(claimed.map((r) => r.channel_id).filter((id): id is number => id !== null))];
  const channels = new Map((await qs.channelsByIds(db, channelIds)).map((c) => [c.id, c]));
  let mailer: Mailer | null = null;
  const getMailer = () => {
    if (!config.smtpUrl) throw new PermanentError('SMTP not configured');
    mailer ??= createMailer(config.smtpUrl, config.smtpFrom);
    return mailer;
  };

  const sendOne = async (row: qs.ClaimedDelivery) => {
    if (row.channel === 'email') {
      const p = row.payload as EmailPayload;
      const params = Object.fromEntries(
        Object.entries(p.params).map(([k, v]) => [k, k.endsWith('Link') && typeof v === 'string' ? (absoluteLink(v, config.publicUrl) ?? v) : v]),
      );
      const msg = renderMessage(row.event, params, p.locale, p.timeZone);
      const link = absoluteLink(p.link, config.publicUrl);
      const mail = renderEmail(msg, link && /^https?:\/\//.test(link) ? link : null, p.locale);
      await getMailer().send({ to: row.target, ...mail, headers: { 'X-Tianshu-Event': row.event, 'X-Tianshu-Delivery': String(row.id) } });
      return;
    }
    const ch = row.channel_id === null ? undefined : channels.get(row.channel_id);
    if (!ch) throw new PermanentError('channel deleted');
    if (!ch.enabled) throw new PermanentError('channel disabled');
    const target: ChannelTarget = { kind: ch.kind, url: ch.url, secret: ch.secret };
    await sendToChannel(target, channelMessage(row.event, row.payload as ChannelPayload, row.id, config), new Date());
  };

  const claimedAt = Date.now();
  try {
    await runLimited(claimed, SEND_CONCURRENCY, async (row) => {
      if (Date.now() - claimedAt > START_DEADLINE_MS) {
        await qs.releaseDelivery(db, row.id);
        return;
      }
      try {
        await sendOne(row);
        await qs.markDeliverySent(db, row.id, now);
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        const giveUp = err instanceof PermanentError || row.attempts >= MAX_DELIVERY_ATTEMPTS;
        await qs.markDeliveryFailed(db, row.id, message, giveUp ? null : new Date(now.getTime() + retryDelayMs(row.attempts)));
      }
    });
  } finally {
    (mailer as Mailer | null)?.close();
  }
  return claimed.length;
}

/* -------------------------------- in-app -------------------------------- */

export function notificationDto(r: qs.NotificationRow): NotificationItem {
  return {
    id: r.id,
    event: r.event,
    title: r.title,
    body: r.body,
    link: r.link,
    ticketId: r.ticketId,
    readAt: r.readAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listMine(db: Db, actor: Actor, query: { unread?: boolean | undefined; cursor?: number | undefined; limit: number }) {
  const found = await qs.listNotifications(db, actor.userId, { unread: query.unread ?? false, cursor: query.cursor, limit: query.limit });
  const page = found.slice(0, query.limit);
  return { items: page.map(notificationDto), nextCursor: found.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function unreadCount(q: Queryable, userId: number) {
  return { count: await qs.countUnread(q, userId) };
}

export async function markRead(db: Db, actor: Actor, id: number) {
  return db.transaction(async (tx) => {
    const row = await qs.markRead(tx, actor.userId, id);
    if (!row) throw new AppError('NOT_FOUND', { object: actor.locale === 'en-US' ? 'Notification' : '通知' });
    // Other tabs of the same user update their badge.
    await qs.pgNotifyUser(tx, actor.userId);
    return notificationDto(row);
  });
}

export async function markAllRead(db: Db, actor: Actor) {
  return db.transaction(async (tx) => {
    const updated = await qs.markAllRead(tx, actor.userId);
    if (updated > 0) await qs.pgNotifyUser(tx, actor.userId);
    return { updated };
  });
}

/* -------------------------------- channels ------------------------------ */

function channelDto(r: { channel: qs.ChannelRow; orgName: string | null }): NotificationChannel {
  const c = r.channel;
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    url: c.url,
    hasSecret: Boolean(c.secret),
    events: c.events,
    orgId: c.orgId,
    orgName: r.orgName,
    enabled: c.enabled,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const channelObject = (actor: Actor) => (actor.locale === 'en-US' ? 'Notification channel' : '通知渠道');
const orgObject = (actor: Actor) => (actor.locale === 'en-US' ? 'organisation' : '组织');

/** What the audit log keeps of a channel: never the secret, the URL without its tokens. */
function auditView(c: Partial<qs.ChannelRow>) {
  const { secret, url, ...rest } = c;
  return { ...rest, ...(url === undefined ? {} : { url: redactUrl(url) }), ...(secret === undefined ? {} : { secret: secret ? '(set)' : null }) };
}

export async function listChannels(db: Db) {
  return (await qs.listChannels(db)).map(channelDto);
}

async function fullChannel(q: Queryable, actor: Actor, id: number) {
  const row = await qs.findChannel(q, id);
  if (!row) throw new AppError('NOT_FOUND', { object: channelObject(actor) });
  return row;
}

export async function createChannel(db: Db, actor: Actor, input: z.output<typeof createNotificationChannelRequestSchema>) {
  return db.transaction(async (tx) => {
    if (input.orgId !== null && !(await qs.organizationExists(tx, input.orgId))) throw new AppError('REFERENCE_INVALID', { object: orgObject(actor) });
    const values = { name: input.name, kind: input.kind, url: input.url, secret: input.secret || null, events: input.events, orgId: input.orgId, enabled: input.enabled };
    const row = await qs.insertChannel(tx, values);
    await recordAudit(tx, { actor, action: 'notification_channel.create', objectType: 'notification_channel', objectId: row.id, result: 'success', details: auditView(values) });
    return channelDto(await fullChannel(tx, actor, row.id));
  });
}

export async function updateChannel(db: Db, actor: Actor, id: number, input: z.output<typeof updateNotificationChannelRequestSchema>) {
  return db.transaction(async (tx) => {
    const before = (await fullChannel(tx, actor, id)).channel;
    const { version, secret, ...rest } = input;
    const patch: Partial<qs.ChannelRow> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    if (secret !== undefined) patch.secret = secret || null;
    if (patch.orgId !== undefined && patch.orgId !== null && !(await qs.organizationExists(tx, patch.orgId))) {
      throw new AppError('REFERENCE_INVALID', { object: orgObject(actor) });
    }
    if (!(await qs.updateChannelVersioned(tx, id, version, patch))) {
      throw new AppError('VERSION_CONFLICT', { current: before.version }, { currentVersion: before.version });
    }
    const from = auditView(Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof qs.ChannelRow]])) as Partial<qs.ChannelRow>);
    await recordAudit(tx, {
      actor,
      action: 'notification_channel.update',
      objectType: 'notification_channel',
      objectId: id,
      result: 'success',
      details: { from, to: auditView(patch) },
    });
    return channelDto(await fullChannel(tx, actor, id));
  });
}

export async function deleteChannel(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const before = (await fullChannel(tx, actor, id)).channel;
    await qs.deleteChannel(tx, id);
    await recordAudit(tx, {
      actor,
      action: 'notification_channel.delete',
      objectType: 'notification_channel',
      objectId: id,
      result: 'success',
      details: auditView({ name: before.name, kind: before.kind, url: before.url }),
    });
  });
}

/** Sends a test message now; a failure is audited and answered with CHANNEL_TEST_FAILED (502). */
export async function testChannel(db: Db, config: AppConfig, actor: Actor, id: number) {
  const ch = (await fullChannel(db, actor, id)).channel;
  const started = Date.now();
  const payload: ChannelPayload = { params: { channel: ch.name }, link: config.publicUrl ? '/' : null, ticketId: null, occurredAt: new Date().toISOString() };
  const msg = channelMessage('channel.test', payload, null, config);
  try {
    const status = await sendToChannel({ kind: ch.kind, url: ch.url, secret: ch.secret }, msg);
    const durationMs = Date.now() - started;
    await recordAudit(db, { actor, action: 'notification_channel.test', objectType: 'notification_channel', objectId: id, result: 'success', details: { status, durationMs } });
    return { ok: true as const, status, durationMs };
  } catch (err) {
    const reason = err instanceof SendError ? err.message : err instanceof Error ? err.message : String(err);
    await recordAudit(db, { actor, action: 'notification_channel.test', objectType: 'notification_channel', objectId: id, result: 'failed', details: { reason } });
    throw new AppError('CHANNEL_TEST_FAILED', { reason }, { status: err instanceof SendError ? err.status : null });
  }
}

/* ------------------------------- delivery log --------------------------- */

export async function listDeliveries(
  db: Db,
  query: { status?: NotificationDelivery['status'] | undefined; channelId?: number | undefined; cursor?: number | undefined; limit: number },
) {
  const found = await qs.listDeliveries(db, query);
  const page = found.slice(0, query.limit);
  return {
    items: page.map(({ d, channelName, userName }): NotificationDelivery => ({
      id: d.id,
      channel: d.channel,
      channelId: d.channelId,
      channelName,
      userId: d.userId,
      userName,
      event: d.event,
      target: d.target,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt.toISOString(),
      lastError: d.lastError,
      sentAt: d.sentAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    })),
    nextCursor: found.length > query.limit ? (page.at(-1)?.d.id ?? null) : null,
  };
}
