import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { calendars } from '../calendars/calendars.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An SLA, OLA or underpinning contract. Its rules live in versions; tickets pin the version they started with. */
export const slaDefinitions = pgTable('sla_definitions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull().unique(),
  kind: text('kind', { enum: ['sla', 'ola', 'uc'] }).notNull(),
  description: text('description').notNull().default(''),
  active: boolean('active').notNull().default(true),
  /** Lower runs first when several definitions match; all matching definitions attach. */
  rank: integer('rank').notNull().default(100),
  currentVersion: integer('current_version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Immutable: an edit adds a version. `body` is the contracts' SlaRules (match, targets, calendar, pauses...). */
export const slaVersions = pgTable(
  'sla_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    definitionId: bigint('definition_id', { mode: 'number' })
      .notNull()
      .references(() => slaDefinitions.id),
    version: integer('version').notNull(),
    calendarId: bigint('calendar_id', { mode: 'number' })
      .notNull()
      .references(() => calendars.id),
    body: jsonb('body').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sla_versions_def_version_uq').on(t.definitionId, t.version)],
);

/**
 * One clock (task SLA) per ticket, definition and metric. A cache of what the ticket's timeline
 * implies: it can always be recomputed (replayed) from ticket_events.
 */
export const ticketSlas = pgTable(
  'ticket_slas',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    definitionId: bigint('definition_id', { mode: 'number' })
      .notNull()
      .references(() => slaDefinitions.id),
    versionId: bigint('version_id', { mode: 'number' })
      .notNull()
      .references(() => slaVersions.id),
    metric: text('metric', { enum: ['response', 'resolution', 'update'] }).notNull(),
    state: text('state', { enum: ['running', 'paused', 'stopped', 'cancelled'] }).notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    startedAt: ts('started_at').notNull(),
    /** When the target is (or was) reached; null while paused. */
    dueAt: ts('due_at'),
    /** When 75% of the target is used: the "at risk" filter compares it with now. */
    riskAt: ts('risk_at'),
    stoppedAt: ts('stopped_at'),
    /** Business minutes used before runningSince (while running) or in all (paused, stopped). */
    elapsedMinutes: doublePrecision('elapsed_minutes').notNull().default(0),
    /** While running: the instant from which more time accrues on top of elapsedMinutes. */
    runningSince: ts('running_since'),
    pausedSince: ts('paused_since'),
    pauseReason: text('pause_reason'),
    breached: boolean('breached').notNull().default(false),
    breachedAt: ts('breached_at'),
    /** Highest warning threshold already fired (percent), so each fires once. */
    firedPct: smallint('fired_pct').notNull().default(0),
    /** Next instant the job must look at this clock (threshold, breach or periodic update); null when none. */
    nextCheckAt: ts('next_check_at'),
    /** How many of the derived clock events are already on the ticket timeline (append-only). */
    eventsRecorded: integer('events_recorded').notNull().default(0),
    computedAt: ts('computed_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ticket_slas_ticket_def_metric_uq').on(t.ticketId, t.definitionId, t.metric),
    index('ticket_slas_next_check_idx').on(t.nextCheckAt).where(sql`next_check_at IS NOT NULL`),
    index('ticket_slas_breached_idx').on(t.ticketId).where(sql`breached`),
    index('ticket_slas_risk_idx').on(t.riskAt).where(sql`state = 'running' AND NOT breached`),
  ],
);
