import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, numeric, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { slaDefinitions } from '../sla/sla.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A supplier (供应商): hardware makers, integrators, carriers, cloud and software vendors. */
export const vendors = pgTable(
  'vendors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['hardware', 'software', 'service', 'cloud', 'telecom', 'other'] }).notNull().default('other'),
    /** 统一社会信用代码 (18 characters) when known. */
    creditCode: text('credit_code'),
    address: text('address').notNull().default(''),
    website: text('website').notNull().default(''),
    notes: text('notes').notNull().default(''),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('vendors_name_uq').on(sql`lower(${t.name})`), uniqueIndex('vendors_credit_code_uq').on(t.creditCode).where(sql`credit_code IS NOT NULL`)],
);

export const vendorContacts = pgTable(
  'vendor_contacts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vendorId: bigint('vendor_id', { mode: 'number' })
      .notNull()
      .references(() => vendors.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role').notNull().default(''),
    phone: text('phone').notNull().default(''),
    email: text('email').notNull().default(''),
    primary: boolean('is_primary').notNull().default(false),
  },
  (t) => [index('vendor_contacts_vendor_idx').on(t.vendorId)],
);

/**
 * A contract with a vendor: purchase, maintenance (维保), service, licence or lease. Its service level
 * (`service_level`: coverage, response/on-site/resolution hours) can be tied to an underpinning-contract
 * SLA definition (kind 'uc') so vendor tickets get a clock.
 */
export const vendorContracts = pgTable(
  'vendor_contracts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vendorId: bigint('vendor_id', { mode: 'number' })
      .notNull()
      .references(() => vendors.id),
    /** The customer organisation the contract serves; null = the provider's own. */
    orgId: bigint('org_id', { mode: 'number' }).references(() => organizations.id),
    number: text('number').notNull(),
    title: text('title').notNull(),
    kind: text('kind', { enum: ['purchase', 'maintenance', 'service', 'license', 'lease'] }).notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    /** Amount in yuan with two decimals (numeric, never float). */
    amount: numeric('amount', { precision: 14, scale: 2 }),
    currency: text('currency').notNull().default('CNY'),
    serviceLevel: jsonb('service_level').notNull().default(sql`'{}'::jsonb`),
    slaDefinitionId: bigint('sla_definition_id', { mode: 'number' }).references(() => slaDefinitions.id),
    notes: text('notes').notNull().default(''),
    /** The end date an expiry reminder went out for (so it goes once; a new end date re-arms it). */
    remindedFor: date('reminded_for', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('vendor_contracts_number_uq').on(t.number), index('vendor_contracts_vendor_idx').on(t.vendorId), index('vendor_contracts_end_idx').on(t.endDate)],
);

/** A yearly (or other period) evaluation of a vendor with scores per criterion (0-100). */
export const vendorEvaluations = pgTable(
  'vendor_evaluations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    vendorId: bigint('vendor_id', { mode: 'number' })
      .notNull()
      .references(() => vendors.id),
    year: smallint('year').notNull(),
    /** { quality, response, price, service, compliance }: each 0-100. */
    scores: jsonb('scores').notNull(),
    total: numeric('total', { precision: 5, scale: 2 }).notNull(),
    grade: text('grade', { enum: ['A', 'B', 'C', 'D'] }).notNull(),
    comment: text('comment').notNull().default(''),
    evaluatedBy: bigint('evaluated_by', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    evaluatedAt: ts('evaluated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('vendor_evaluations_vendor_year_uq').on(t.vendorId, t.year)],
);
