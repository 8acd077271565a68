import { bigint, bigserial, boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A named workflow (e.g. `incident`, `change.normal`); its definitions live in versions. */
export const workflows = pgTable(
  'workflows',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    ticketType: text('ticket_type').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    builtIn: boolean('built_in').notNull().default(false),
    currentVersion: integer('current_version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('workflows_key_uq').on(t.key)],
);

/** An immutable definition; tickets point at the version they were created with. */
export const workflowVersions = pgTable(
  'workflow_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workflowId: bigint('workflow_id', { mode: 'number' })
      .notNull()
      .references(() => workflows.id),
    version: integer('version').notNull(),
    definition: jsonb('definition').notNull(),
    note: text('note'),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('workflow_versions_uq').on(t.workflowId, t.version)],
);
