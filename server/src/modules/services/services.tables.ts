import { bigint, bigserial, boolean, doublePrecision, index, integer, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { calendars } from '../calendars/calendars.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A business service with an availability target (until the service catalogue issue extends it). */
export const services = pgTable('services', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  /** Customer organisation the service is delivered to; null = internal / all. */
  orgId: bigint('org_id', { mode: 'number' }).references(() => organizations.id),
  /** Target availability in percent, e.g. 99.7717; derived from the budget when set that way. */
  targetPct: doublePrecision('target_pct').notNull(),
  /** Yearly downtime budget in minutes when the target was given as a budget ("<= 20 h/yr"). */
  budgetMinutesPerYear: integer('budget_minutes_per_year'),
  /** Agreed service time: the measurement calendar. */
  calendarId: bigint('calendar_id', { mode: 'number' })
    .notNull()
    .references(() => calendars.id),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Planned, announced maintenance: excluded from agreed service time. */
export const maintenanceWindows = pgTable(
  'maintenance_windows',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    serviceId: bigint('service_id', { mode: 'number' })
      .notNull()
      .references(() => services.id),
    title: text('title').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('maintenance_windows_service_idx').on(t.serviceId, t.startsAt)],
);

/** Unplanned downtime of a service, usually from a service-impacting incident. */
export const serviceOutages = pgTable(
  'service_outages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    serviceId: bigint('service_id', { mode: 'number' })
      .notNull()
      .references(() => services.id),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    startedAt: ts('started_at').notNull(),
    /** Null while the outage is ongoing. */
    endedAt: ts('ended_at'),
    impact: text('impact', { enum: ['full', 'partial'] }).notNull(),
    /** Share of the service lost (1 for full; 0 < w < 1 for partial). */
    weight: doublePrecision('weight').notNull().default(1),
    note: text('note').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('service_outages_service_idx').on(t.serviceId, t.startedAt), index('service_outages_ticket_idx').on(t.ticketId)],
);

/** Budget warnings already sent (50/75/100% of a period's budget), so each fires once per period. */
export const serviceBudgetAlerts = pgTable(
  'service_budget_alerts',
  {
    serviceId: bigint('service_id', { mode: 'number' })
      .notNull()
      .references(() => services.id),
    /** 'month:2026-11', 'quarter:2026-Q4' or 'year:2026'. */
    period: text('period').notNull(),
    pct: smallint('pct').notNull(),
    firedAt: ts('fired_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.period, t.pct] })],
);
