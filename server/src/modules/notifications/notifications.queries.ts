import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/db.ts';
import { rows } from '../../platform/db/db.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { notificationChannels, notificationDeliveries, notificationPreferences, notifications } from './notifications.tables.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type ChannelRow = typeof notificationChannels.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type ChannelKind = ChannelRow['kind'];

/** The channel every NOTIFY goes to; the payload is the user id. */
export const NOTIFY_CHANNEL = 'tianshu_notifications';

/* -------------------------------- notify -------------------------------- */

export type Recipient = { id: number; email: string | null; locale: 'zh-CN' | 'en-US'; prefs: unknown };
export type MatchedChannel = { id: number; kind: ChannelKind; url: string };

/**
 * The active users among `ids` (with their preferences) and the enabled channels subscribed to the
 * event (empty list = all) and to its organisation (null = all): one round trip for both.
 */
export async function recipientsAndChannels(q: Queryable, ids: readonly number[], event: string, orgId: number | null) {
  const userCond = ids.length
    ? sql`u.id IN (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`
    : sql`FALSE`;
  const orgCond = orgId === null ? sql`c.org_id IS NULL` : sql`(c.org_id IS NULL OR c.org_id = ${orgId})`;
  const r = await rows<{ k: 'user' | 'channel'; id: number; email: string | null; locale: Recipient['locale'] | null; prefs: unknown; kind: ChannelKind | null; url: string | null }>(
    q,
    sql`SELECT 'user' AS k, u.id, u.email, u.locale, p.prefs, NULL::text AS kind, NULL::text AS url
          FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id
         WHERE u.status = 'active' AND ${userCond}
        UNION ALL
        SELECT 'channel', c.id, NULL, NULL, NULL, c.kind, c.url
          FROM notification_channels c
         WHERE c.enabled AND (cardinality(c.events) = 0 OR ${event} = ANY(c.events)) AND ${orgCond}`,
  );
  const recipients: Recipient[] = [];
  const channels: MatchedChannel[] = [];
  for (const x of r) {
    if (x.k === 'user') recipients.push({ id: Number(x.id), email: x.email, locale: x.locale ?? 'zh-CN', prefs: x.prefs });
    else if (x.kind && x.url !== null) channels.push({ id: Number(x.id), kind: x.kind, url: x.url });
  }
  return { recipients, channels };
}

/**
 * The in-app rows, not yet run (for writeTogether): each row also signals its user on
 * NOTIFY_CHANNEL (delivered on commit; PostgreSQL folds identical signals of one transaction).
 */
export function notificationsInsertStatement(q: Queryable, values: (typeof notifications.$inferInsert)[]) {
  return q
    .insert(notifications)
    .values(values)
    .returning({ id: notifications.id, signal: sql`pg_notify(${NOTIFY_CHANNEL}, ${notifications.userId}::text)` });
}

/** The outbox rows, not yet run (for writeTogether); `values` must not be empty. */
export function deliveriesInsertStatement(q: Queryable, values: (typeof notificationDeliveries.$inferInsert)[]) {
  return q.insert(notificationDeliveries).values(values).returning({ id: notificationDeliveries.id });
}

/** Delivered to listeners when the surrounding transaction commits. */
export async function pgNotifyUser(q: Queryable, userId: number) {
  await q.execute(sql`SELECT pg_notify(${NOTIFY_CHANNEL}, ${String(userId)})`);
}

/* -------------------------------- in-app -------------------------------- */

export async function listNotifications(q: Queryable, userId: number, opts: { unread: boolean; cursor?: number | undefined; limit: number }) {
  return q
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        opts.unread ? isNull(notifications.readAt) : undefined,
        opts.cursor ? lt(notifications.id, opts.cursor) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(opts.limit + 1);
}

export async function countUnread(q: Queryable, userId: number): Promise<number> {
  const [r] = await q
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(r?.n ?? 0);
}

/** Marks one of the user's notifications read (idempotent); undefined when it is not theirs. */
export async function markRead(q: Queryable, userId: number, id: number) {
  const [row] = await q
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning();
  return row;
}

export async function markAllRead(q: Queryable, userId: number): Promise<number> {
  const r = await q
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return r.length;
}

/* ------------------------------ preferences ----------------------------- */

export async function findPreferences(q: Queryable, userId: number) {
  const [row] = await q.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return row;
}

export async function upsertPreferences(q: Queryable, userId: number, prefs: unknown) {
  await q
    .insert(notificationPreferences)
    .values({ userId, prefs })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: { prefs, updatedAt: new Date() } });
}

/* -------------------------------- channels ------------------------------ */

const channelColumns = {
  channel: notificationChannels,
  orgName: organizations.name,
};

export async function listChannels(q: Queryable) {
  return q
    .select(channelColumns)
    .from(notificationChannels)
    .leftJoin(organizations, eq(organizations.id, notificationChannels.orgId))
    .orderBy(notificationChannels.id);
}

export async function findChannel(q: Queryable, id: number) {
  const [row] = await q
    .select(channelColumns)
    .from(notificationChannels)
    .leftJoin(organizations, eq(organizations.id, notificationChannels.orgId))
    .where(eq(notificationChannels.id, id));
  return row;
}

export async function insertChannel(q: Queryable, v: typeof notificationChannels.$inferInsert) {
  const [row] = await q.insert(notificationChannels).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** Optimistic update: false when the version moved on. */
export async function updateChannelVersioned(q: Queryable, id: number, version: number, patch: Partial<typeof notificationChannels.$inferInsert>) {
  const r = await q
    .update(notificationChannels)
    .set({ ...patch, version: sql`${notificationChannels.version} + 1`, updatedAt: new Date() })
    .where(and(eq(notificationChannels.id, id), eq(notificationChannels.version, version)))
    .returning({ id: notificationChannels.id });
  return r.length > 0;
}

/**
 * Removes a channel. Its delivery log stays (detached, the target URL kept); messages still
 * waiting are given up.
 */
export async function deleteChannel(q: Queryable, id: number) {
  await q
    .update(notificationDeliveries)
    .set({ status: 'failed', lastError: 'channel deleted' })
    .where(and(eq(notificationDeliveries.channelId, id), eq(notificationDeliveries.status, 'pending')));
  await q.update(notificationDeliveries).set({ channelId: null }).where(eq(notificationDeliveries.channelId, id));
  await q.delete(notificationChannels).where(eq(notificationChannels.id, id));
}

export async function organizationExists(q: Queryable, id: number) {
  const [row] = await q.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  return row !== undefined;
}

/* ------------------------------- deliveries ----------------------------- */

export type ClaimedDelivery = {
  id: number;
  channel: DeliveryRow['channel'];
  channel_id: number | null;
  user_id: number | null;
  event: string;
  target: string;
  payload: unknown;
  attempts: number;
  created_at: string | Date;
};

/**
 * Takes up to `batch` due rows in one statement: each gets attempts + 1 and a lease (its next
 * attempt moved to `leaseUntil`), so a crashed sender's rows come back after the lease and two
 * senders never take the same row (SKIP LOCKED).
 */
export async function claimDue(q: Queryable, now: Date, leaseUntil: Date, batch: number): Promise<ClaimedDelivery[]> {
  return rows<ClaimedDelivery>(
    q,
    sql`WITH due AS (
          SELECT id FROM notification_deliveries
          WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
          ORDER BY next_attempt_at, id
          LIMIT ${batch}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE notification_deliveries d
        SET attempts = d.attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
        FROM due WHERE d.id = due.id
        RETURNING d.id, d.channel, d.channel_id, d.user_id, d.event, d.target, d.payload, d.attempts, d.created_at`,
  );
}

export async function channelsByIds(q: Queryable, ids: number[]) {
  if (ids.length === 0) return [];
  return q.select().from(notificationChannels).where(inArray(notificationChannels.id, ids));
}

export async function markDeliverySent(q: Queryable, id: number, at: Date) {
  await q.update(notificationDeliveries).set({ status: 'sent', sentAt: at, lastError: null }).where(eq(notificationDeliveries.id, id));
}

/** A failed attempt: try again at `retryAt`, or give up (status failed) when it is null. */
export async function markDeliveryFailed(q: Queryable, id: number, error: string, retryAt: Date | null) {
  await q
    .update(notificationDeliveries)
    .set(retryAt ? { lastError: error, nextAttemptAt: retryAt } : { lastError: error, status: 'failed' })
    .where(eq(notificationDeliveries.id, id));
}

/** Hands a claimed row back unsent: the attempt is not counted and it is due again at once. */
export async function releaseDelivery(q: Queryable, id: number) {
  await q
    .update(notificationDeliveries)
    .set({ attempts: sql`greatest(${notificationDeliveries.attempts} - 1, 0)`, nextAttemptAt: sql`now()` })
    .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.status, 'pending')));
}

export async function listDeliveries(
  q: Queryable,
  opts: { status?: DeliveryRow['status'] | undefined; channelId?: number | undefined; cursor?: number | undefined; limit: number },
) {
  return q
    .select({ d: notificationDeliveries, channelName: notificationChannels.name, userName: users.displayName })
    .from(notificationDeliveries)
    .leftJoin(notificationChannels, eq(notificationChannels.id, notificationDeliveries.channelId))
    .leftJoin(users, eq(users.id, notificationDeliveries.userId))
    .where(
      and(
        opts.status ? eq(notificationDeliveries.status, opts.status) : undefined,
        opts.channelId ? eq(notificationDeliveries.channelId, opts.channelId) : undefined,
        opts.cursor ? lt(notificationDeliveries.id, opts.cursor) : undefined,
      ),
    )
    .orderBy(desc(notificationDeliveries.id))
    .limit(opts.limit + 1);
}
