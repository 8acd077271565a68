import { sql } from 'drizzle-orm';
import { bigint, bigserial, date, index, integer, numeric, pgSequence, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';
import { vendorContracts, vendors } from '../vendors/vendors.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Numbers the generated asset tags (ZC-<year>-<6 digits>); gaps are fine, reuse is not. */
export const assetTagSeq = pgSequence('asset_tag_seq', { startWith: 1, increment: 1 });

export const ASSET_STATUSES = ['in_stock', 'in_use', 'under_repair', 'retired', 'disposed'] as const;

/**
 * A hardware or software asset (资产): the financial and lifecycle side of a thing, linked to its CI
 * (the operational side). Scoped by organisation like CIs. Disposal records who confirmed the data wipe.
 */
export const assets = pgTable(
  'assets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetTag: text('asset_tag').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['hardware', 'software'] }).notNull().default('hardware'),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => organizations.id),
    ciId: bigint('ci_id', { mode: 'number' }).references(() => ciItems.id),
    status: text('status', { enum: ASSET_STATUSES }).notNull().default('in_stock'),
    category: text('category').notNull().default(''),
    model: text('model').notNull().default(''),
    manufacturer: text('manufacturer').notNull().default(''),
    serialNumber: text('serial_number'),
    department: text('department').notNull().default(''),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    location: text('location').notNull().default(''),
    importance: text('importance', { enum: ['core', 'important', 'normal'] }).notNull().default('normal'),
    purchaseDate: date('purchase_date', { mode: 'string' }),
    purchasePrice: numeric('purchase_price', { precision: 14, scale: 2 }),
    warrantyEnd: date('warranty_end', { mode: 'string' }),
    vendorId: bigint('vendor_id', { mode: 'number' }).references(() => vendors.id),
    contractId: bigint('contract_id', { mode: 'number' }).references(() => vendorContracts.id),
    notes: text('notes').notNull().default(''),
    /** Disposal: data wipe confirmed by whom, when, how (e.g. 消磁, 物理销毁, 三次覆写) and the certificate number. */
    wipeConfirmedBy: bigint('wipe_confirmed_by', { mode: 'number' }).references(() => users.id),
    wipeConfirmedAt: ts('wipe_confirmed_at'),
    wipeMethod: text('wipe_method'),
    wipeCertificate: text('wipe_certificate'),
    /** When a warranty-expiry reminder went out for the current warranty_end (so it goes once). */
    warrantyRemindedFor: date('warranty_reminded_for', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('assets_asset_tag_uq').on(t.assetTag),
    uniqueIndex('assets_ci_uq').on(t.ciId).where(sql`ci_id IS NOT NULL`),
    uniqueIndex('assets_serial_number_uq').on(t.serialNumber).where(sql`serial_number IS NOT NULL`),
    index('assets_org_idx').on(t.orgId, t.id.desc()),
    index('assets_status_idx').on(t.status),
    index('assets_warranty_idx').on(t.warrantyEnd).where(sql`status NOT IN ('retired', 'disposed')`),
  ],
);

/** The lifecycle history of an asset: every status move, who, when, why, through which ticket. Append-only. */
export const assetEvents = pgTable(
  'asset_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetId: bigint('asset_id', { mode: 'number' })
      .notNull()
      .references(() => assets.id),
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actorId: bigint('actor_id', { mode: 'number' }).references(() => users.id),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    note: text('note').notNull().default(''),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('asset_events_asset_idx').on(t.assetId, t.id)],
);
