import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ticketListQuerySchema } from '@tianshu/contracts';
import type { z } from 'zod';
import { rows, runPreparedOn, type Queryable } from '../../platform/db/db.ts';
import { groups, organizations, users } from '../directory/directory.tables.ts';
import { attachments, idempotencyKeys, ticketEvents, tickets } from './tickets.tables.ts';
import { searchTerms } from '../../platform/search/zh-tokenizer.ts';

const requester = alias(users, 'requester');
const assignee = alias(users, 'assignee');
const actorUser = alias(users, 'actor_user');

// Every column but the search vector (about 1 KB a row, never sent to clients).
const { searchVector: _searchVector, ...ticketColumns } = getTableColumns(tickets);

const summaryColumns = {
  t: ticketColumns,
  orgName: organizations.name,
  requesterName: requester.displayName,
  assigneeName: assignee.displayName,
  groupName: groups.name,
};

export type TicketRow = {
  t: Omit<typeof tickets.$inferSelect, 'searchVector'>;
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

// The two reads every ticket request makes run as named prepared statements on PostgreSQL: the
// five-way join costs more to plan than to run, and a connection plans a named statement once.
export async function findTicket(q: Queryable, id: number): Promise<TicketRow | undefined> {
  const [row] = await joined(q)
    .where(eq(tickets.id, sql.placeholder('id')))
    .prepare('ticket_find_v1')
    .execute({ id });
  return row;
}

/** findTicket that also locks the ticket row (not the joined rows) for the transaction. */
export async function lockTicketJoined(q: Queryable, id: number): Promise<TicketRow | undefined> {
  const [row] = await joined(q)
    .where(eq(tickets.id, sql.placeholder('id')))
    .for('update', { of: tickets })
    .prepare('ticket_lock_joined_v1')
    .execute({ id });
  return row;
}

export async function lockTicket(q: Queryable, id: number) {
  const [row] = await q.select(ticketColumns).from(tickets).where(eq(tickets.id, id)).for('update');
  return row;
}

/** Updates only when the version still matches; returns false on a stale version. */
export async function updateTicketVersioned(
  q: Queryable,
  id: number,
  version: number,
  patch: Partial<typeof tickets.$inferInsert>,
  searchDoc?: string,
): Promise<boolean> {
  const r = await ticketUpdateStatement(q, id, version, patch, searchDoc);
  return r.length > 0;
}

/** updateTicketVersioned's statement, not yet run (for writeTogether); returns the id when it matched. */
export function ticketUpdateStatement(
  q: Queryable,
  id: number,
  version: number,
  patch: Partial<typeof tickets.$inferInsert>,
  searchDoc?: string,
  updatedAt = new Date(),
) {
  return q
    .update(tickets)
    .set({
      ...patch,
      ...(searchDoc === undefined ? {} : { searchVector: sql`to_tsvector('simple', ${searchDoc})` }),
      version: sql`${tickets.version} + 1`,
      updatedAt,
    })
    .where(and(eq(tickets.id, id), eq(tickets.version, version)))
    .returning({ id: tickets.id });
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
  if (v.length) await eventsInsertStatement(q, v);
}

/** The timeline insert, not yet run (for writeTogether); `v` must not be empty. */
export function eventsInsertStatement(q: Queryable, v: (typeof ticketEvents.$inferInsert)[]) {
  return q.insert(ticketEvents).values(v);
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

export type ListFilter = z.output<typeof ticketListQuerySchema> & {
  scope: number[] | null;
  countCap?: number;
  me: number;
  myGroups: number[];
};

const OPEN = ['open', 'pending'];

function listWhere(f: ListFilter): SQL | undefined {
  const c: SQL[] = [];
  if (f.scope !== null) c.push(f.scope.length ? inArray(tickets.orgId, f.scope) : sql`false`);
  if (f.type) c.push(eq(tickets.type, f.type));
  if (f.state?.length) c.push(inArray(tickets.state, f.state));
  if (f.stateCategory?.length) c.push(inArray(tickets.stateCategory, f.stateCategory));
  if (f.priority?.length) c.push(inArray(tickets.priority, f.priority));
  if (f.orgId) c.push(eq(tickets.orgId, f.orgId));
  if (f.groupId) c.push(eq(tickets.assignmentGroupId, f.groupId));
  if (f.assigneeId) c.push(eq(tickets.assigneeId, f.assigneeId));
  if (f.requesterId) c.push(eq(tickets.requesterId, f.requesterId));
  if (f.createdFrom) c.push(gte(tickets.createdAt, new Date(f.createdFrom)));
  if (f.createdTo) c.push(lte(tickets.createdAt, new Date(f.createdTo)));
  switch (f.view) {
    case 'mine':
      c.push(eq(tickets.assigneeId, f.me), inArray(tickets.stateCategory, OPEN));
      break;
    case 'unassigned':
      c.push(isNull(tickets.assigneeId), inArray(tickets.stateCategory, OPEN));
      c.push(f.myGroups.length ? inArray(tickets.assignmentGroupId, f.myGroups) : sql`false`);
      break;
    case 'p1p2':
      c.push(lte(tickets.priority, 2), inArray(tickets.stateCategory, OPEN));
      break;
    case 'recently_resolved':
      c.push(inArray(tickets.stateCategory, ['resolved', 'closed']), sql`${tickets.resolvedAt} >= now() - interval '7 days'`);
      break;
    default:
  }
  if (f.sla === 'breached') {
    c.push(sql`EXISTS (SELECT 1 FROM ticket_slas s WHERE s.ticket_id = ${tickets.id} AND s.breached AND s.state <> 'cancelled')`);
  } else if (f.sla === 'at_risk') {
    c.push(
      sql`EXISTS (SELECT 1 FROM ticket_slas s WHERE s.ticket_id = ${tickets.id} AND s.state IN ('running', 'paused') AND NOT s.breached AND s.risk_at <= now())`,
    );
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
  const cap = f.countCap ?? COUNT_CAP;
  // An exact count over 100k+ rows costs more than the page itself; past the cap "10,000+" is enough.
  const capped = q
    .select({ one: sql`1` })
    .from(tickets)
    .where(where)
    .limit(cap + 1)
    .as('capped');
  const [c] = await q.select({ n: sql<number>`count(*)::int` }).from(capped);
  const n = Number(c?.n ?? 0);
  return { items, total: Math.min(n, cap), totalCapped: n > cap };
}

export const COUNT_CAP = 10_000;

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
    sql`SELECT id, version FROM tickets WHERE type = 'incident' AND state = 'resolved' AND resolved_at < now() - make_interval(days => ${days})
        ORDER BY resolved_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}

export type NewTicket = Omit<typeof tickets.$inferInsert, 'number' | 'id' | 'searchVector'> & {
  type: 'incident' | 'request' | 'problem' | 'change' | 'release';
  orgId: number;
  requesterId: number | null;
};

/** A clock attached in the create statement: running from the creation instant. */
export type NewClock = {
  definition_id: number;
  version_id: number;
  metric: string;
  target_minutes: number;
  due_at: string | null;
  risk_at: string | null;
  next_check_at: string | null;
};

type AuditFields = { actorId: number | null; actorName: string | null; actorIp: string | null };

type RawTicketRow = Record<string, unknown>;

const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

function mapRawTicket(r: RawTicketRow): TicketRow {
  return {
    t: {
      id: Number(r.id),
      type: String(r.type),
      number: String(r.number),
      orgId: Number(r.org_id),
      title: String(r.title),
      description: String(r.description),
      state: String(r.state),
      stateCategory: String(r.state_category),
      impact: Number(r.impact),
      urgency: Number(r.urgency),
      priority: Number(r.priority),
      category: (r.category as string | null) ?? null,
      service: (r.service as string | null) ?? null,
      requesterId: r.requester_id === null ? null : Number(r.requester_id),
      callerName: (r.caller_name as string | null) ?? null,
      callerPhone: (r.caller_phone as string | null) ?? null,
      assignmentGroupId: r.assignment_group_id === null ? null : Number(r.assignment_group_id),
      assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
      channel: String(r.channel),
      major: Boolean(r.major),
      pendingReason: (r.pending_reason as string | null) ?? null,
      resolutionCode: (r.resolution_code as string | null) ?? null,
      resolutionNotes: (r.resolution_notes as string | null) ?? null,
      customFields: (typeof r.custom_fields === 'string' ? JSON.parse(r.custom_fields) : r.custom_fields) as unknown,
      workflowVersionId: r.workflow_version_id === null || r.workflow_version_id === undefined ? null : Number(r.workflow_version_id),
      version: Number(r.version),
      createdBy: r.created_by === null ? null : Number(r.created_by),
      createdAt: new Date(r.created_at as string),
      updatedAt: new Date(r.updated_at as string),
      resolvedAt: dateOrNull(r.resolved_at),
      closedAt: dateOrNull(r.closed_at),
    },
    orgName: String(r.org_name),
    requesterName: (r.requester_name as string | null) ?? null,
    assigneeName: (r.assignee_name as string | null) ?? null,
    groupName: (r.group_name as string | null) ?? null,
  };
}

/**
 * Creates a ticket in one statement: number from the sequence, the row, its 'created' event, the
 * idempotency key and the audit row, returning the joined ticket. One round trip and no open
 * transaction across awaits: creation throughput is bound by round trips, not by PostgreSQL.
 * Returns undefined when the organisation or the requester does not qualify.
 */
const CREATE_TICKET_SQL = `WITH num AS (
    SELECT $30::text || lpad(nextval($31::text::regclass)::text, 6, '0') AS n
  ),
  org AS (SELECT id, name FROM organizations WHERE id = $1::bigint),
  req AS (SELECT id, display_name FROM users WHERE id = $2::bigint AND org_id = $1::bigint),
  t AS (
    INSERT INTO tickets (type, number, org_id, title, description, state, impact, urgency, priority, category,
      service, requester_id, caller_name, caller_phone, assignment_group_id, assignee_id, channel, major,
      custom_fields, created_by, search_vector, created_at, updated_at, workflow_version_id, state_category)
    SELECT $3::text, num.n, org.id, $4::text, $5::text, $6::text, $7::smallint, $8::smallint, $9::smallint,
      $10::text, $11::text, $2::bigint, $12::text, $13::text, $14::bigint, $15::bigint, $16::text, $17::boolean,
      $18::jsonb, $19::bigint, to_tsvector('simple', lower(num.n) || ' ' || $20::text), $27::timestamptz, $27::timestamptz,
      $29::bigint, $32::text
    FROM num, org
    WHERE $2::bigint IS NULL OR EXISTS (SELECT 1 FROM req)
    RETURNING *
  ),
  ev AS (
    INSERT INTO ticket_events (ticket_id, kind, actor_id, at, data)
    SELECT t.id, 'created', $21::bigint, $27::timestamptz, jsonb_build_object('number', t.number, 'state', t.state,
      'channel', t.channel, 'orgId', t.org_id, 'priority', t.priority,
      'assignmentGroupId', t.assignment_group_id, 'assigneeId', t.assignee_id)
    FROM t
    RETURNING id
  ),
  -- The SLA clocks the app derived for the new ticket (an empty array when none applies).
  clk AS (
    INSERT INTO ticket_slas (ticket_id, definition_id, version_id, metric, state, target_minutes, started_at, due_at,
      risk_at, elapsed_minutes, running_since, next_check_at, events_recorded, computed_at)
    SELECT t.id, x.definition_id, x.version_id, x.metric, 'running', x.target_minutes, $27::timestamptz, x.due_at,
      x.risk_at, 0, $27::timestamptz, x.next_check_at, 1, $27::timestamptz
    FROM t, jsonb_to_recordset($28::jsonb) AS x(definition_id bigint, version_id bigint, metric text,
      target_minutes int, due_at timestamptz, risk_at timestamptz, next_check_at timestamptz)
    RETURNING id, definition_id, metric, target_minutes, due_at
  ),
  clkev AS (
    -- After the 'created' event (the FROM on ev orders it), one 'start' event per clock.
    INSERT INTO ticket_events (ticket_id, kind, internal, at, data)
    SELECT t.id, 'sla', true, $27::timestamptz, jsonb_build_object('clockId', clk.id, 'definitionId', clk.definition_id,
      'definition', d.name, 'metric', clk.metric, 'event', 'start', 'targetMinutes', clk.target_minutes,
      'dueAt', to_char(clk.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM t, (SELECT max(id) AS created_event FROM ev) e, clk JOIN sla_definitions d ON d.id = clk.definition_id
    WHERE e.created_event IS NOT NULL
    ORDER BY clk.id
  ),
  idem AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, ticket_id)
    SELECT $24::bigint, $25::text, $26::text, t.id FROM t WHERE $25::text IS NOT NULL
  ),
  au AS (
    INSERT INTO audit_log (actor_id, actor_name, actor_ip, action, object_type, object_id, result, details)
    SELECT $21::bigint, $22::text, $23::text, 'ticket.create', 'ticket', t.id::text, 'success',
      jsonb_build_object('number', t.number, 'orgId', t.org_id, 'title', t.title)
    FROM t
  )
  SELECT t.id, t.type, t.number, t.org_id, t.title, t.description, t.state, t.impact, t.urgency, t.priority,
    t.category, t.service, t.requester_id, t.caller_name, t.caller_phone, t.assignment_group_id, t.assignee_id,
    t.channel, t.major, t.pending_reason, t.resolution_code, t.resolution_notes, t.custom_fields, t.version,
    t.created_by, t.created_at, t.updated_at, t.resolved_at, t.closed_at, t.workflow_version_id, t.state_category,
    org.name AS org_name, req.display_name AS requester_name,
    (SELECT display_name FROM users WHERE id = t.assignee_id) AS assignee_name,
    (SELECT name FROM groups WHERE id = t.assignment_group_id) AS group_name
  FROM t JOIN org ON org.id = t.org_id LEFT JOIN req ON req.id = t.requester_id`;

const NUMBER_PREFIX: Record<NewTicket['type'], string> = { incident: 'INC', request: 'REQ', problem: 'PRB', change: 'CHG', release: 'RLS' };

/**
 * Creates a ticket in one statement: number from the type's sequence, the row, its 'created' event,
 * the idempotency key and the audit row, returning the joined ticket. One round trip, no open
 * transaction across awaits, planned once per connection: creation throughput is bound by round
 * trips and planning, not by PostgreSQL's commit rate. Inside a transaction (a caller that writes
 * its own rows with the ticket) the same statement runs unprepared.
 * Returns undefined when the organisation or the requester does not qualify (nothing written).
 */
export async function insertTicketWithEvents(
  db: Queryable,
  v: NewTicket,
  searchDoc: string,
  audit: AuditFields,
  idempotency: { key: string; requestHash: string; userId: number } | null,
  clocks: readonly NewClock[] = [],
): Promise<TicketRow | undefined> {
  const r = await runPreparedOn<RawTicketRow>(db, 'ticket_create_v3', CREATE_TICKET_SQL, [
    v.orgId,
    v.requesterId,
    v.type,
    v.title,
    v.description ?? '',
    v.state,
    v.impact,
    v.urgency,
    v.priority,
    v.category ?? null,
    v.service ?? null,
    v.callerName ?? null,
    v.callerPhone ?? null,
    v.assignmentGroupId ?? null,
    v.assigneeId ?? null,
    v.channel,
    v.major ?? false,
    JSON.stringify(v.customFields ?? {}),
    v.createdBy ?? null,
    searchDoc,
    audit.actorId,
    audit.actorName,
    audit.actorIp,
    idempotency?.userId ?? null,
    idempotency?.key ?? null,
    idempotency?.requestHash ?? null,
    v.createdAt ?? new Date(),
    JSON.stringify(clocks),
    v.workflowVersionId ?? null,
    NUMBER_PREFIX[v.type],
    `ticket_number_${v.type}`,
    v.stateCategory ?? 'open',
  ]);
  const row = r[0];
  return row ? mapRawTicket(row) : undefined;
}
