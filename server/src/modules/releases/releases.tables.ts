import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The release fields of a ticket of type `release` (one row per release ticket). */
export const releaseDetails = pgTable('release_details', {
  ticketId: bigint('ticket_id', { mode: 'number' })
    .primaryKey()
    .references(() => tickets.id),
  versionLabel: text('version_label').notNull(),
  /** Markdown. */
  releasePlan: text('release_plan').notNull().default(''),
  plannedReleaseAt: ts('planned_release_at'),
  rollbackPlan: text('rollback_plan').notNull(),
  rollbackOutcome: text('rollback_outcome'),
  cmdbConfirmed: boolean('cmdb_confirmed').notNull().default(false),
  cmdbConfirmedBy: bigint('cmdb_confirmed_by', { mode: 'number' }).references(() => users.id),
  cmdbConfirmedAt: ts('cmdb_confirmed_at'),
  cmdbNote: text('cmdb_note'),
  /** The CIs not bumped when the confirmation was recorded with an override note. */
  cmdbUnbumped: jsonb('cmdb_unbumped').notNull().default(sql`'[]'::jsonb`),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Change tickets bundled into a release; a change is in at most one open release (checked under the change's row lock). */
export const releaseChanges = pgTable(
  'release_changes',
  {
    releaseId: bigint('release_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    changeId: bigint('change_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    linkedBy: bigint('linked_by', { mode: 'number' }).references(() => users.id),
    linkedAt: ts('linked_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.changeId] }), index('release_changes_change_idx').on(t.changeId)],
);

/** Build and test records of a release. Append-only. */
export const releaseRecords = pgTable(
  'release_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    releaseId: bigint('release_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    kind: text('kind', { enum: ['build', 'test'] }).notNull(),
    name: text('name').notNull(),
    result: text('result', { enum: ['pass', 'fail'] }).notNull(),
    link: text('link'),
    notes: text('notes').notNull().default(''),
    recordedBy: bigint('recorded_by', { mode: 'number' }).references(() => users.id),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [index('release_records_release_idx').on(t.releaseId, t.id)],
);

/** A deployment of a release to one environment (dev, test, staging, prod or any other name). */
export const releaseDeployments = pgTable(
  'release_deployments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    releaseId: bigint('release_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    environment: text('environment').notNull(),
    plannedAt: ts('planned_at'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    result: text('result', { enum: ['success', 'failed', 'rolled_back'] }),
    notes: text('notes').notNull().default(''),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('release_deployments_release_idx').on(t.releaseId, t.id)],
);
