import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { ciItems } from './cmdb.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A kind of relation between two CIs, defined as data. `allowed_pairs` is a list of {from, to} class keys
 * (a key admits its subclasses; empty = any pair). `dependent_end` says which end depends on the other:
 * 'from' (A runs_on B: A depends on B, a failure of B impacts A) or 'to' (A contains B: a failure of A impacts B).
 */
export const ciRelationTypes = pgTable(
  'ci_relation_types',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    reverseName: text('reverse_name').notNull(),
    description: text('description').notNull().default(''),
    dependentEnd: text('dependent_end', { enum: ['from', 'to'] }).notNull().default('from'),
    allowedPairs: jsonb('allowed_pairs').notNull().default(sql`'[]'::jsonb`),
    builtin: boolean('builtin').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ci_relation_types_key_uq').on(t.key)],
);

/** A typed, directed relation "from <type> to" between two CIs of one organisation. */
export const ciRelations = pgTable(
  'ci_relations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    typeId: bigint('type_id', { mode: 'number' })
      .notNull()
      .references(() => ciRelationTypes.id),
    fromCiId: bigint('from_ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
    toCiId: bigint('to_ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ci_relations_type_from_to_uq').on(t.typeId, t.fromCiId, t.toCiId),
    // Both traversal directions: (from -> to) and (to -> from), each carrying the type for the impact walk.
    // Migration 0011 adds INCLUDE (id) so the impact view's edge reads are index-only.
    index('ci_relations_from_idx').on(t.fromCiId, t.typeId, t.toCiId),
    index('ci_relations_to_idx').on(t.toCiId, t.typeId, t.fromCiId),
  ],
);

/** CIs a ticket (an incident) is about. */
export const ticketCis = pgTable(
  'ticket_cis',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    ciId: bigint('ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.ciId] }), index('ticket_cis_ci_idx').on(t.ciId)],
);
