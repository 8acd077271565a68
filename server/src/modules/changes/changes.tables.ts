import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tstzrange = customType<{ data: string }>({ dataType: () => 'tstzrange' });

/** A pre-approved standard change: its name and the fields a standard change created from it starts with. */
export const changeTemplates = pgTable(
  'change_templates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** ChangeTemplateDefaults (contracts/src/changes.contract.ts). */
    defaults: jsonb('defaults').notNull().default(sql`'{}'::jsonb`),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('change_templates_name_uq').on(t.name)],
);

/** The change-specific fields of a ticket of type 'change' (one row per change ticket). */
export const changeDetails = pgTable(
  'change_details',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .primaryKey()
      .references(() => tickets.id),
    /** standard | normal | emergency */
    changeType: text('change_type').notNull(),
    templateId: bigint('template_id', { mode: 'number' }).references(() => changeTemplates.id),
    reason: text('reason').notNull().default(''),
    scope: text('scope').notNull().default(''),
    riskAnswers: jsonb('risk_answers').notNull().default(sql`'{}'::jsonb`),
    /** low | medium | high | very_high, computed on the server from the questionnaire. */
    riskLevel: text('risk_level').notNull(),
    riskScore: smallint('risk_score').notNull().default(0),
    implementationPlan: text('implementation_plan').notNull().default(''),
    testPlan: text('test_plan').notNull().default(''),
    rollbackPlan: text('rollback_plan').notNull(),
    plannedStart: ts('planned_start'),
    plannedEnd: ts('planned_end'),
    /** [planned_start, planned_end): the GiST index answers "overlaps this window" for the calendar and conflicts. */
    plannedRange: tstzrange('planned_range').generatedAlwaysAs(sql`tstzrange(planned_start, planned_end, '[)')`),
    outageExpected: boolean('outage_expected').notNull().default(false),
    outageMinutes: integer('outage_minutes'),
    actualStart: ts('actual_start'),
    actualEnd: ts('actual_end'),
    /** The outcome state the change ended implementation in (completed_successful, ..., failed). */
    outcome: text('outcome'),
    version: integer('version').notNull().default(1),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('change_details_range_idx').using('gist', t.plannedRange),
    index('change_details_type_idx').on(t.changeType),
    check('change_details_window_ck', sql`planned_end IS NULL OR planned_start IS NULL OR planned_end > planned_start`),
  ],
);

/** CIs a change touches. The (ci_id, ticket_id) index answers "which changes touch these CIs". */
export const changeCis = pgTable(
  'change_cis',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    ciId: bigint('ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.ciId] }), index('change_cis_ci_idx').on(t.ciId, t.ticketId)],
);

/** Business services (CIs of class business_service) a change impacts, computed from its CIs by the CMDB impact walk. */
export const changeServices = pgTable(
  'change_services',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    serviceCiId: bigint('service_ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.serviceCiId] }), index('change_services_service_idx').on(t.serviceCiId, t.ticketId)],
);

/** The cutover (割接) plan: ordered steps executed one by one while the change is implementing. */
export const changeCutoverSteps = pgTable(
  'change_cutover_steps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    ownerId: bigint('owner_id', { mode: 'number' }).references(() => users.id),
    /** Planned start as minutes after the change's planned start, and planned duration. */
    offsetMinutes: integer('offset_minutes').notNull().default(0),
    durationMinutes: integer('duration_minutes').notNull().default(0),
    /** pending | running | done | failed | skipped */
    state: text('state').notNull().default('pending'),
    result: text('result'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    executedBy: bigint('executed_by', { mode: 'number' }).references(() => users.id),
  },
  (t) => [uniqueIndex('change_cutover_steps_pos_uq').on(t.ticketId, t.position)],
);

/**
 * Blackout (freeze, 封网) and maintenance windows. A blackout with no service applies to every change; a
 * maintenance window belongs to one business service (a CI). A maintenance window may repeat weekly
 * (`recurrence`), then starts_at / ends_at bound when it applies (ends_at null = open-ended).
 */
export const changeWindows = pgTable(
  'change_windows',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['blackout', 'maintenance'] }).notNull(),
    name: text('name').notNull(),
    serviceCiId: bigint('service_ci_id', { mode: 'number' }).references(() => ciItems.id),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at'),
    /** ChangeWindowRecurrence: { weekdays: 1..7 (Mon..Sun), start 'HH:MM', end 'HH:MM', timeZone }. */
    recurrence: jsonb('recurrence'),
    note: text('note').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('change_windows_kind_idx').on(t.kind, t.startsAt), index('change_windows_service_idx').on(t.serviceCiId)],
);
