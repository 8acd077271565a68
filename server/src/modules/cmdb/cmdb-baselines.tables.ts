import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { ciItems } from './cmdb.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A named, frozen snapshot of selected CIs of one organisation. `ci_ids` and `class_keys` record how the
 * CIs were selected (the class keys also find CIs added since); the items themselves never change.
 */
export const ciBaselines = pgTable(
  'ci_baselines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => organizations.id),
    ciIds: jsonb('ci_ids').notNull().default(sql`'[]'::jsonb`),
    classKeys: jsonb('class_keys').notNull().default(sql`'[]'::jsonb`),
    itemCount: integer('item_count').notNull().default(0),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('ci_baselines_org_idx').on(t.orgId, t.id.desc())],
);

/** One CI as it was when the baseline was taken: its version and a snapshot of fields and attributes. */
export const ciBaselineItems = pgTable(
  'ci_baseline_items',
  {
    baselineId: bigint('baseline_id', { mode: 'number' })
      .notNull()
      .references(() => ciBaselines.id, { onDelete: 'cascade' }),
    ciId: bigint('ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
    ciVersion: integer('ci_version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
  },
  (t) => [primaryKey({ columns: [t.baselineId, t.ciId] }), index('ci_baseline_items_ci_idx').on(t.ciId)],
);
