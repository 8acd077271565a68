import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { groups, organizations, users } from '../directory/directory.tables.ts';
import { workflowVersions } from '../workflows/workflows.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** One table for every ticket type (incident, request, problem, change, release). */
export const tickets = pgTable(
  'tickets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    number: text('number').notNull().unique(),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => organizations.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    state: text('state').notNull(),
    /** The state's category in the ticket's workflow (open/pending/resolved/closed/cancelled), kept with the state. */
    stateCategory: text('state_category').notNull().default('open'),
    impact: smallint('impact').notNull(),
    urgency: smallint('urgency').notNull(),
    priority: smallint('priority').notNull(),
    category: text('category'),
    service: text('service'),
    requesterId: bigint('requester_id', { mode: 'number' }).references(() => users.id),
    callerName: text('caller_name'),
    callerPhone: text('caller_phone'),
    assignmentGroupId: bigint('assignment_group_id', { mode: 'number' }).references(() => groups.id),
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.id),
    channel: text('channel').notNull(),
    major: boolean('major').notNull().default(false),
    pendingReason: text('pending_reason'),
    resolutionCode: text('resolution_code'),
    resolutionNotes: text('resolution_notes'),
    customFields: jsonb('custom_fields').notNull().default({}),
    /** The workflow version the ticket runs on (null: version 1 of its type's built-in workflow). */
    workflowVersionId: bigint('workflow_version_id', { mode: 'number' }).references(() => workflowVersions.id),
    version: integer('version').notNull().default(1),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    searchVector: tsvector('search_vector').notNull().default(sql`''::tsvector`),
  },
  (t) => [
    index('tickets_org_created_idx').on(t.orgId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Matches ORDER BY created_at DESC, id DESC (DESC sorts NULLS FIRST) so the list pages from the index.
    index('tickets_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('tickets_state_priority_idx').on(t.state, t.priority),
    index('tickets_assignee_state_idx').on(t.assigneeId, t.state),
    index('tickets_group_state_idx').on(t.assignmentGroupId, t.state),
    index('tickets_requester_idx').on(t.requesterId),
    index('tickets_resolved_idx').on(t.resolvedAt).where(sql`state = 'resolved'`),
    index('tickets_search_idx').using('gin', t.searchVector),
    index('tickets_assignee_category_idx').on(t.assigneeId, t.stateCategory),
    index('tickets_type_created_idx').on(t.type, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

/** The append-only timeline of a ticket: the source of its history, SLA clocks and reports. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    kind: text('kind').notNull(),
    internal: boolean('internal').notNull().default(false),
    at: ts('at').notNull().defaultNow(),
    actorId: bigint('actor_id', { mode: 'number' }).references(() => users.id),
    body: text('body'),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id)],
);

export const attachments = pgTable(
  'attachments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: bigint('uploaded_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('attachments_ticket_idx').on(t.ticketId)],
);

/** A retried create with the same Idempotency-Key returns the first ticket. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
