import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A data-quality rule as data: kind, class scope (subclasses included; null = all), params, on/off. */
export const cmdbAuditRules = pgTable(
  'cmdb_audit_rules',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['required_missing', 'no_owner', 'no_service_relation', 'stale', 'duplicate_identifier'] }).notNull(),
    classKey: text('class_key'),
    params: jsonb('params').notNull().default(sql`'{}'::jsonb`),
    enabled: boolean('enabled').notNull().default(true),
    builtin: boolean('builtin').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cmdb_audit_rules_key_uq').on(t.key)],
);

/**
 * The one audit schedule (row id 1). `next_run_at` is the due slot: a sweep claims it with a conditional
 * UPDATE in the run's transaction, so each slot runs once however many instances sweep.
 */
export const cmdbAuditSchedule = pgTable(
  'cmdb_audit_schedule',
  {
    id: integer('id').primaryKey(),
    mode: text('mode', { enum: ['off', 'daily', 'weekly'] }).notNull().default('off'),
    time: text('time').notNull().default('02:00'),
    weekday: integer('weekday'),
    nextRunAt: ts('next_run_at'),
    lastRunAt: ts('last_run_at'),
    lastRunId: bigint('last_run_id', { mode: 'number' }),
    updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [check('cmdb_audit_schedule_single', sql`${t.id} = 1`)],
);

/** One audit run: who or what started it, over which organisations (null = all), the rules it applied. */
export const cmdbAuditRuns = pgTable(
  'cmdb_audit_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    trigger: text('trigger', { enum: ['manual', 'scheduled'] }).notNull(),
    startedBy: bigint('started_by', { mode: 'number' }).references(() => users.id),
    orgIds: bigint('org_ids', { mode: 'number' }).array(),
    rules: jsonb('rules').notNull().default(sql`'[]'::jsonb`),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    violationsKept: boolean('violations_kept').notNull().default(true),
  },
  (t) => [index('cmdb_audit_runs_org_ids_idx').using('gin', t.orgIds)],
);

/**
 * Counts of a run per organisation, class and owner: a reader's totals, per-class and per-owner tables
 * are sums over the organisations they may see. owner_kind: user (owner user set), group (only the
 * group set) or none.
 */
export const cmdbAuditRunStats = pgTable(
  'cmdb_audit_run_stats',
  {
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => cmdbAuditRuns.id, { onDelete: 'cascade' }),
    orgId: bigint('org_id', { mode: 'number' }).notNull(),
    classId: bigint('class_id', { mode: 'number' }).notNull(),
    ownerKind: text('owner_kind', { enum: ['user', 'group', 'none'] }).notNull(),
    ownerId: bigint('owner_id', { mode: 'number' }),
    cisChecked: integer('cis_checked').notNull(),
    cisWithViolations: integer('cis_with_violations').notNull(),
    violations: integer('violations').notNull(),
  },
  (t) => [index('cmdb_audit_run_stats_run_idx').on(t.runId, t.orgId)],
);

/** One finding: rule (the run keeps the rules' names, so rules can be deleted), CI, detail. */
export const cmdbAuditViolations = pgTable(
  'cmdb_audit_violations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // No foreign keys: a run inserts up to one row per CI and rule, and a per-row key check would double
    // its cost; the run row is written first in the same transaction and pruning deletes by run id.
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    ruleId: bigint('rule_id', { mode: 'number' }).notNull(),
    ciId: bigint('ci_id', { mode: 'number' }).notNull(),
    orgId: bigint('org_id', { mode: 'number' }).notNull(),
    classId: bigint('class_id', { mode: 'number' }).notNull(),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('cmdb_audit_violations_run_idx').on(t.runId, t.orgId, t.id)],
);
