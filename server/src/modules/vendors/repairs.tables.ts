import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, numeric, pgSequence, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { assets } from '../assets/assets.tables.ts';
import { vendorContracts, vendors } from './vendors.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Numbers WX-<year>-<seq>: one sequence for all years, so numbers never collide across instances. */
export const repairOrderSeq = pgSequence('repair_order_seq', { startWith: 1 });

/**
 * A repair order (维修单) for one asset. In warranty it goes to the vendor as an RMA; out of warranty
 * a cost estimate must be approved by a manager before the repair starts. `asset_prior_status` holds
 * the asset's status while this order keeps it `under_repair` (null when it does not).
 */
export const repairOrders = pgTable(
  'repair_orders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    number: text('number').notNull().unique(),
    assetId: bigint('asset_id', { mode: 'number' })
      .notNull()
      .references(() => assets.id),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => organizations.id),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    vendorId: bigint('vendor_id', { mode: 'number' }).references(() => vendors.id),
    contractId: bigint('contract_id', { mode: 'number' }).references(() => vendorContracts.id),
    fault: text('fault').notNull(),
    inWarranty: boolean('in_warranty').notNull(),
    warrantyBasis: text('warranty_basis', { enum: ['warranty', 'contract', 'none'] }).notNull(),
    status: text('status', {
      enum: ['open', 'sent_to_vendor', 'cost_pending', 'approved', 'rejected', 'in_repair', 'returned', 'closed', 'cancelled'],
    })
      .notNull()
      .default('open'),
    assetPriorStatus: text('asset_prior_status'),
    rmaNumber: text('rma_number'),
    sentAt: ts('sent_at'),
    returnedAt: ts('returned_at'),
    estimatedCost: numeric('estimated_cost', { precision: 14, scale: 2 }),
    requestedBy: bigint('requested_by', { mode: 'number' }).references(() => users.id),
    requestedAt: ts('requested_at'),
    approvedBy: bigint('approved_by', { mode: 'number' }).references(() => users.id),
    approvedAt: ts('approved_at'),
    rejectedBy: bigint('rejected_by', { mode: 'number' }).references(() => users.id),
    rejectedAt: ts('rejected_at'),
    decisionComment: text('decision_comment'),
    outcome: text('outcome', { enum: ['repaired', 'replaced', 'unrepairable'] }),
    actualCost: numeric('actual_cost', { precision: 14, scale: 2 }),
    closedAt: ts('closed_at'),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('repair_orders_org_idx').on(t.orgId, t.id.desc()),
    index('repair_orders_asset_idx').on(t.assetId, t.id.desc()),
    index('repair_orders_vendor_idx').on(t.vendorId),
    index('repair_orders_open_idx').on(t.status).where(sql`status NOT IN ('closed', 'cancelled')`),
  ],
);

/** The timeline of a repair order: creation, every transition, documents. Append-only. */
export const repairOrderEvents = pgTable(
  'repair_order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    repairOrderId: bigint('repair_order_id', { mode: 'number' })
      .notNull()
      .references(() => repairOrders.id),
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actorId: bigint('actor_id', { mode: 'number' }).references(() => users.id),
    note: text('note').notNull().default(''),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('repair_order_events_order_idx').on(t.repairOrderId, t.id)],
);

/**
 * Documents of a repair order (RMA form, quotation, invoice, photo, vendor report). Either an uploaded
 * file, kept in the attachment storage (`storage_key` and the file columns set, `name` is the file
 * name), or a link record: a name, a link to where the file lives (document system, vendor portal) and
 * a description, with the file columns null.
 */
export const repairOrderDocuments = pgTable(
  'repair_order_documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    repairOrderId: bigint('repair_order_id', { mode: 'number' })
      .notNull()
      .references(() => repairOrders.id),
    name: text('name').notNull(),
    url: text('url').notNull().default(''),
    description: text('description').notNull().default(''),
    contentType: text('content_type'),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    storageKey: text('storage_key'),
    addedBy: bigint('added_by', { mode: 'number' }).references(() => users.id),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [index('repair_order_documents_order_idx').on(t.repairOrderId, t.id)],
);
