import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';
import { knowledgeArticles } from '../knowledge/knowledge.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const CAUSE_CATEGORIES = ['hardware', 'software', 'network', 'capacity', 'configuration', 'process', 'human', 'third_party', 'unknown'] as const;

/**
 * The root cause analysis of a problem ticket (type 'problem'), one row per problem. `root_cause_at`
 * is when a root cause was first recorded: "time to root cause" in the reports.
 */
export const problemDetails = pgTable('problem_details', {
  ticketId: bigint('ticket_id', { mode: 'number' })
    .primaryKey()
    .references(() => tickets.id),
  symptom: text('symptom').notNull().default(''),
  causeCategory: text('cause_category', { enum: CAUSE_CATEGORIES }),
  rootCause: text('root_cause').notNull().default(''),
  /** Up to five "why?" answers, in order (5 Whys). */
  fiveWhys: jsonb('five_whys').notNull().default(sql`'[]'::jsonb`),
  workaround: text('workaround').notNull().default(''),
  permanentFix: text('permanent_fix').notNull().default(''),
  rootCauseAt: ts('root_cause_at'),
  version: integer('version').notNull().default(1),
  updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Incidents caused by a problem: many incidents to one problem, an incident belongs to at most one. */
export const problemIncidents = pgTable(
  'problem_incidents',
  {
    incidentId: bigint('incident_id', { mode: 'number' })
      .primaryKey()
      .references(() => tickets.id),
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('problem_incidents_problem_idx').on(t.problemId)],
);

export const problemCis = pgTable(
  'problem_cis',
  {
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    ciId: bigint('ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.problemId, t.ciId] }), index('problem_cis_ci_idx').on(t.ciId)],
);

/** Changes that fix (or relate to) a problem. */
export const problemChanges = pgTable(
  'problem_changes',
  {
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    changeId: bigint('change_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.problemId, t.changeId] }), index('problem_changes_change_idx').on(t.changeId)],
);

/**
 * A known error (已知错误): symptom, cause and workaround of a problem, published as a knowledge article
 * (kind 'known_error'). One per problem; its CIs are the article's.
 */
export const knownErrors = pgTable(
  'known_errors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    problemId: bigint('problem_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    title: text('title').notNull(),
    symptom: text('symptom').notNull(),
    cause: text('cause').notNull(),
    workaround: text('workaround').notNull(),
    articleId: bigint('article_id', { mode: 'number' })
      .notNull()
      .references(() => knowledgeArticles.id),
    version: integer('version').notNull().default(1),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('known_errors_problem_uq').on(t.problemId), uniqueIndex('known_errors_article_uq').on(t.articleId)],
);
