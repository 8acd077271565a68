import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A spare part (备品备件) kept in stock: a catalogue entry with its minimum stock. `org_id` null is the
 * provider's shared stock; otherwise the part is held for one customer organisation.
 * `total_quantity` is the sum over locations, maintained in the same transaction as every movement
 * (the part row is locked first), so the "below minimum" list is an indexed read.
 */
export const spareParts = pgTable(
  'spare_parts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partNumber: text('part_number').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull().default(''),
    model: text('model').notNull().default(''),
    unit: text('unit').notNull().default('个'),
    minStock: integer('min_stock').notNull().default(0),
    orgId: bigint('org_id', { mode: 'number' }).references(() => organizations.id),
    notes: text('notes').notNull().default(''),
    totalQuantity: integer('total_quantity').notNull().default(0),
    /** Set when the low-stock notification went out for the current dip below the minimum; cleared when stock recovers. */
    lowStockNotified: boolean('low_stock_notified').notNull().default(false),
    /** Due date of the next periodic test (定期测试), from the latest test record. */
    nextTestDue: date('next_test_due', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('spare_parts_part_number_uq').on(sql`lower(${t.partNumber})`),
    index('spare_parts_org_idx').on(t.orgId),
    check('spare_parts_min_stock_ck', sql`${t.minStock} >= 0`),
    check('spare_parts_total_ck', sql`${t.totalQuantity} >= 0`),
  ],
);

/** Quantity of one part at one location (库位). Never negative: the CHECK backs the conditional UPDATE. */
export const sparePartStock = pgTable(
  'spare_part_stock',
  {
    partId: bigint('part_id', { mode: 'number' })
      .notNull()
      .references(() => spareParts.id),
    location: text('location').notNull(),
    quantity: integer('quantity').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('spare_part_stock_uq').on(t.partId, t.location), check('spare_part_stock_qty_ck', sql`${t.quantity} >= 0`)],
);

/** Every stock movement (出入库): append-only. */
export const sparePartMovements = pgTable(
  'spare_part_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partId: bigint('part_id', { mode: 'number' })
      .notNull()
      .references(() => spareParts.id),
    kind: text('kind', { enum: ['in', 'out', 'transfer', 'adjust'] }).notNull(),
    quantity: integer('quantity').notNull(),
    fromLocation: text('from_location'),
    toLocation: text('to_location'),
    reason: text('reason').notNull().default(''),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    actorId: bigint('actor_id', { mode: 'number' }).references(() => users.id),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('spare_part_movements_part_idx').on(t.partId, t.id), check('spare_part_movements_qty_ck', sql`${t.quantity} > 0`)],
);

/** Periodic test records (定期测试) of a spare part: kept parts must still work when needed. */
export const sparePartTests = pgTable(
  'spare_part_tests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partId: bigint('part_id', { mode: 'number' })
      .notNull()
      .references(() => spareParts.id),
    testedAt: date('tested_at', { mode: 'string' }).notNull(),
    result: text('result', { enum: ['pass', 'fail'] }).notNull(),
    note: text('note').notNull().default(''),
    testedBy: bigint('tested_by', { mode: 'number' }).references(() => users.id),
    nextDue: date('next_due', { mode: 'string' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('spare_part_tests_part_idx').on(t.partId, t.testedAt)],
);
