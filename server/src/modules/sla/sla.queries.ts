import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { calendars } from '../calendars/calendars.tables.ts';
import { users } from '../directory/directory.tables.ts';
import { slaDefinitions, slaVersions, ticketSlas } from './sla.tables.ts';

export type DefinitionRow = typeof slaDefinitions.$inferSelect;
export type VersionRow = typeof slaVersions.$inferSelect;
export type ClockRow = typeof ticketSlas.$inferSelect;

export async function listDefinitions(q: Queryable) {
  return q
    .select({ d: slaDefinitions, v: slaVersions, calendarName: calendars.name })
    .from(slaDefinitions)
    .innerJoin(slaVersions, and(eq(slaVersions.definitionId, slaDefinitions.id), eq(slaVersions.version, slaDefinitions.currentVersion)))
    .innerJoin(calendars, eq(calendars.id, slaVersions.calendarId))
    .orderBy(asc(slaDefinitions.rank), asc(slaDefinitions.id));
}

export async function findDefinition(q: Queryable, id: number) {
  const [row] = await q
    .select({ d: slaDefinitions, v: slaVersions, calendarName: calendars.name })
    .from(slaDefinitions)
    .innerJoin(slaVersions, and(eq(slaVersions.definitionId, slaDefinitions.id), eq(slaVersions.version, slaDefinitions.currentVersion)))
    .innerJoin(calendars, eq(calendars.id, slaVersions.calendarId))
    .where(eq(slaDefinitions.id, id));
  return row;
}

export async function lockDefinition(q: Queryable, id: number) {
  const [row] = await q.select().from(slaDefinitions).where(eq(slaDefinitions.id, id)).for('update');
  return row;
}

export async function listVersions(q: Queryable, definitionId: number) {
  return q
    .select({ v: slaVersions, createdByName: users.displayName })
    .from(slaVersions)
    .leftJoin(users, eq(users.id, slaVersions.createdBy))
    .where(eq(slaVersions.definitionId, definitionId))
    .orderBy(desc(slaVersions.version));
}

export async function findVersions(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select().from(slaVersions).where(inArray(slaVersions.id, ids));
}

export async function insertDefinition(q: Queryable, v: typeof slaDefinitions.$inferInsert) {
  const [row] = await q.insert(slaDefinitions).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function insertVersion(q: Queryable, v: typeof slaVersions.$inferInsert) {
  const [row] = await q.insert(slaVersions).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateDefinition(q: Queryable, id: number, patch: Partial<typeof slaDefinitions.$inferInsert>) {
  await q.update(slaDefinitions).set({ ...patch, updatedAt: new Date() }).where(eq(slaDefinitions.id, id));
}

/** Current versions of the active definitions, in rank order (what a new ticket is matched against). */
export async function activeCurrentVersions(q: Queryable) {
  return q
    .select({ d: slaDefinitions, v: slaVersions })
    .from(slaDefinitions)
    .innerJoin(slaVersions, and(eq(slaVersions.definitionId, slaDefinitions.id), eq(slaVersions.version, slaDefinitions.currentVersion)))
    .where(eq(slaDefinitions.active, true))
    .orderBy(asc(slaDefinitions.rank), asc(slaDefinitions.id));
}

export async function definitionNames(q: Queryable, ids: number[]) {
  if (!ids.length) return new Map<number, { name: string; kind: string }>();
  const r = await q.select({ id: slaDefinitions.id, name: slaDefinitions.name, kind: slaDefinitions.kind }).from(slaDefinitions).where(inArray(slaDefinitions.id, ids));
  return new Map(r.map((x) => [x.id, { name: x.name, kind: x.kind }]));
}

export async function clocksOf(q: Queryable, ticketId: number) {
  return q.select().from(ticketSlas).where(eq(ticketSlas.ticketId, ticketId)).orderBy(asc(ticketSlas.id));
}

export async function clocksOfTickets(q: Queryable, ticketIds: number[]) {
  if (!ticketIds.length) return [];
  return q.select().from(ticketSlas).where(inArray(ticketSlas.ticketId, ticketIds));
}

export async function insertClock(q: Queryable, v: typeof ticketSlas.$inferInsert) {
  const [row] = await q.insert(ticketSlas).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateClock(q: Queryable, id: number, patch: Partial<typeof ticketSlas.$inferInsert>) {
  await q.update(ticketSlas).set(patch).where(eq(ticketSlas.id, id));
}

/** The timeline facts of a ticket, with whether each actor is a provider-side worker. */
export async function timelineOf(q: Queryable, ticketId: number) {
  return rows<{ at: Date | string; kind: string; internal: boolean; data: Record<string, unknown>; provider_worker: boolean | null }>(
    q,
    sql`SELECT e.at, e.kind, e.internal, e.data,
          (o.kind = 'provider' AND u.roles && ARRAY['agent','engineer','manager']::text[]) AS provider_worker
        FROM ticket_events e
        LEFT JOIN users u ON u.id = e.actor_id
        LEFT JOIN organizations o ON o.id = u.org_id
        WHERE e.ticket_id = ${ticketId} AND e.kind IN ('created', 'transition', 'field_change', 'comment', 'assignment')
        ORDER BY e.id`,
  );
}

/** Tickets with a clock due for a look (threshold, breach); oldest first. */
export async function dueTicketIds(q: Queryable, now: Date, limit: number) {
  const r = await rows<{ ticket_id: number }>(
    q,
    sql`SELECT ticket_id FROM (
          SELECT ticket_id, min(next_check_at) AS due FROM ticket_slas
          WHERE next_check_at <= ${now.toISOString()}::timestamptz
          GROUP BY ticket_id
        ) d ORDER BY due LIMIT ${limit}`,
  );
  return r.map((x) => Number(x.ticket_id));
}

/** Recently created open tickets with no clock yet: a create whose clock attach did not happen. */
export async function unclockedRecentTickets(q: Queryable, since: Date, limit: number) {
  const r = await rows<{ id: number }>(
    q,
    sql`SELECT t.id FROM tickets t
        WHERE t.created_at >= ${since.toISOString()}::timestamptz
          AND t.state IN ('new', 'assigned', 'in_progress', 'pending')
          AND NOT EXISTS (SELECT 1 FROM ticket_slas s WHERE s.ticket_id = t.id)
          AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'sla')
        ORDER BY t.created_at LIMIT ${limit}`,
  );
  return r.map((x) => Number(x.id));
}

export async function ticketIdsWithDefinition(q: Queryable, definitionId: number, limit: number) {
  const r = await q
    .selectDistinct({ id: ticketSlas.ticketId })
    .from(ticketSlas)
    .where(eq(ticketSlas.definitionId, definitionId))
    .orderBy(asc(ticketSlas.ticketId))
    .limit(limit);
  return r.map((x) => x.id);
}

export async function calendarVersions(q: Queryable, ids: number[]) {
  if (!ids.length) return new Map<number, { version: number; name: string }>();
  const r = await q.select({ id: calendars.id, version: calendars.version, name: calendars.name }).from(calendars).where(inArray(calendars.id, ids));
  return new Map(r.map((x) => [x.id, { version: x.version, name: x.name }]));
}
