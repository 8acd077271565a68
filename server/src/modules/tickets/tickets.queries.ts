import { and, asc, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ticketListQuerySchema } from '@tianshu/contracts';
import type { z } from 'zod';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { groups, organizations, users } from '../directory/directory.tables.ts';
import { attachments, idempotencyKeys, ticketEvents, tickets } from './tickets.tables.ts';
import { searchTerms } from '../../platform/search/zh-tokenizer.ts';

const requester = alias(users, 'requester');
const assignee = alias(users, 'assignee');
const actorUser = alias(users, 'actor_user');

const summaryColumns = {
  t: tickets,
  orgName: organizations.name,
  requesterName: requester.displayName,
  assigneeName: assignee.displayName,
  groupName: groups.name,
};

export type TicketRow = {
  t: typeof tickets.$inferSelect;
  orgName: string;
  requesterName: string | null;
  assigneeName: string | null;
  groupName: string | null;
};

function joined(q: Queryable) {
  return q
    .select(summaryColumns)
    .from(tickets)
    .innerJoin(organizations, eq(organizations.id, tickets.orgId))
    .leftJoin(requester, eq(requester.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(groups, eq(groups.id, tickets.assignmentGroupId));
}

export async function findTicket(q: Queryable, id: number): Promise<TicketRow | undefined> {
  const [row] = await joined(q).where(eq(tickets.id, id));
  return row;
}

export async function lockTicket(q: Queryable, id: number) {
  const [row] = await q.select().from(tickets).where(eq(tickets.id, id)).for('update');
  return row;
}

export async function nextTicketNumber(q: Queryable, type: 'incident'): Promise<string> {
  const prefix = { incident: 'INC' }[type];
  const r = await rows<{ n: number }>(q, sql`SELECT nextval(${`ticket_number_${type}`}::regclass) AS n`);
  return `${prefix}${String(r[0]?.n ?? 0).padStart(6, '0')}`;
}

export async function insertTicket(q: Queryable, v: typeof tickets.$inferInsert, searchDoc: string) {
  const [row] = await q
    .insert(tickets)
    .values({ ...v, searchVector: sql`to_tsvector('simple', ${searchDoc})` })
    .returning({ id: tickets.id });
  if (!row) throw new Error('insert returned nothing');
  return row.id;
}

/** Updates only when the version still matches; returns false on a stale version. */
export async function updateTicketVersioned(
  q: Queryable,
  id: number,
  version: number,
  patch: Partial<typeof tickets.$inferInsert>,
  searchDoc?: string,
): Promise<boolean> {
  const r = await q
    .update(tickets)
    .set({
      ...patch,
      ...(searchDoc === undefined ? {} : { searchVector: sql`to_tsvector('simple', ${searchDoc})` }),
      version: sql`${tickets.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(tickets.id, id), eq(tickets.version, version)))
    .returning({ id: tickets.id });
  return r.length > 0;
}

export async function touchTicket(q: Queryable, id: number) {
  await q.update(tickets).set({ updatedAt: new Date() }).where(eq(tickets.id, id));
}

export async function insertEvent(q: Queryable, v: typeof ticketEvents.$inferInsert) {
  const [row] = await q.insert(ticketEvents).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function insertEvents(q: Queryable, v: (typeof ticketEvents.$inferInsert)[]) {
  if (v.length) await q.insert(ticketEvents).values(v);
}

export async function listEvents(q: Queryable, ticketId: number, includeInternal: boolean) {
  return q
    .select({ e: ticketEvents, actorName: actorUser.displayName })
    .from(ticketEvents)
    .leftJoin(actorUser, eq(actorUser.id, ticketEvents.actorId))
    .where(includeInternal ? eq(ticketEvents.ticketId, ticketId) : and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.internal, false)))
    .orderBy(asc(ticketEvents.id));
}

export async function findIdempotency(q: Queryable, userId: number, key: string) {
  const [row] = await q
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
  return row;
}

export async function insertIdempotency(q: Queryable, v: typeof idempotencyKeys.$inferInsert) {
  await q.insert(idempotencyKeys).values(v);
}

export type ListFilter = z.output<typeof ticketListQuerySchema> & {
  scope: number[] | null;
  me: number;
  myGroups: number[];
};

const OPEN = ['new', 'assigned', 'in_progress', 'pending'];

function listWhere(f: ListFilter): SQL | undefined {
  const c: SQL[] = [];
  if (f.scope !== null) c.push(f.scope.length ? inArray(tickets.orgId, f.scope) : sql`false`);
  if (f.type) c.push(eq(tickets.type, f.type));
  if (f.state?.length) c.push(inArray(tickets.state, f.state));
  if (f.priority?.length) c.push(inArray(tickets.priority, f.priority));
  if (f.orgId) c.push(eq(tickets.orgId, f.orgId));
  if (f.groupId) c.push(eq(tickets.assignmentGroupId, f.groupId));
  if (f.assigneeId) c.push(eq(tickets.assigneeId, f.assigneeId));
  if (f.requesterId) c.push(eq(tickets.requesterId, f.requesterId));
  if (f.createdFrom) c.push(gte(tickets.createdAt, new Date(f.createdFrom)));
  if (f.createdTo) c.push(lte(tickets.createdAt, new Date(f.createdTo)));
  switch (f.view) {
    case 'mine':
      c.push(eq(tickets.assigneeId, f.me), inArray(tickets.state, OPEN));
      break;
    case 'unassigned':
      c.push(isNull(tickets.assigneeId), inArray(tickets.state, OPEN));
      c.push(f.myGroups.length ? inArray(tickets.assignmentGroupId, f.myGroups) : sql`false`);
      break;
    case 'p1p2':
      c.push(lte(tickets.priority, 2), inArray(tickets.state, OPEN));
      break;
    case 'recently_resolved':
      c.push(inArray(tickets.state, ['resolved', 'closed']), sql`${tickets.resolvedAt} >= now() - interval '7 days'`);
      break;
    default:
  }
  if (f.q) {
    const terms = searchTerms(f.q);
    if (terms.length) {
      const parts = terms.flatMap((t) => [
        ...(t.phrase ? [sql`phraseto_tsquery('simple', ${t.phrase})`] : []),
        ...(t.bigrams ? [sql`plainto_tsquery('simple', ${t.bigrams})`] : []),
      ]);
      const tsq = sql.join(parts, sql` && `);
      c.push(sql`${tickets.searchVector} @@ (${tsq})`);
    }
  }
  return c.length ? and(...c) : undefined;
}

const SORTS: Record<string, SQL[]> = {
  createdAt: [asc(tickets.createdAt), asc(tickets.id)],
  '-createdAt': [desc(tickets.createdAt), desc(tickets.id)],
  updatedAt: [asc(tickets.updatedAt), asc(tickets.id)],
  '-updatedAt': [desc(tickets.updatedAt), desc(tickets.id)],
  priority: [asc(tickets.priority), desc(tickets.createdAt)],
  '-priority': [desc(tickets.priority), desc(tickets.createdAt)],
  number: [asc(tickets.id)],
  '-number': [desc(tickets.id)],
};

export async function listTickets(q: Queryable, f: ListFilter) {
  const where = listWhere(f);
  const order = f.view === 'recently_resolved' && f.sort === '-createdAt' ? [desc(tickets.resolvedAt)] : (SORTS[f.sort] ?? SORTS['-createdAt'] ?? []);
  // Page the narrow table first, then join only the page's rows: sorting wide joined rows of a
  // large result was the cost (seq scan + hash joins on 100k tickets).
  const ids = await q
    .select({ id: tickets.id })
    .from(tickets)
    .where(where)
    .orderBy(...order)
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  const pageIds = ids.map((r) => r.id);
  const rowsById = new Map<number, TicketRow>();
  if (pageIds.length) {
    for (const r of await joined(q).where(inArray(tickets.id, pageIds))) rowsById.set(r.t.id, r);
  }
  const items = pageIds.flatMap((id) => rowsById.get(id) ?? []);
  const [c] = await q.select({ n: sql<number>`count(*)::int` }).from(tickets).where(where);
  return { items, total: Number(c?.n ?? 0) };
}

export async function listAttachments(q: Queryable, ticketId: number) {
  return q.select().from(attachments).where(eq(attachments.ticketId, ticketId)).orderBy(asc(attachments.id));
}

export async function insertAttachment(q: Queryable, v: typeof attachments.$inferInsert) {
  const [row] = await q.insert(attachments).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function findAttachment(q: Queryable, id: number) {
  const [row] = await q
    .select({ a: attachments, orgId: tickets.orgId })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .where(eq(attachments.id, id));
  return row;
}

/** Resolved incidents past the auto-close age, locked so two instances never close the same one. */
export async function dueForAutoClose(q: Queryable, days: number, limit: number) {
  return rows<{ id: number; version: number }>(
    q,
    sql`SELECT id, version FROM tickets WHERE state = 'resolved' AND resolved_at < now() - make_interval(days => ${days})
        ORDER BY resolved_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}
