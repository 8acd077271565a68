import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { groups, organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A CI class with its own attributes (the contracts' CiAttributeDef[]); it inherits its parent's. */
export const ciClasses = pgTable(
  'ci_classes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    parentId: bigint('parent_id', { mode: 'number' }).references((): AnyPgColumn => ciClasses.id),
    attributes: jsonb('attributes').notNull().default(sql`'[]'::jsonb`),
    namingRule: text('naming_rule'),
    builtin: boolean('builtin').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ci_classes_key_uq').on(t.key), index('ci_classes_parent_idx').on(t.parentId)],
);

/** A configuration item. Reconciliation identifiers are columns; class attributes live in `attributes`. */
export const ciItems = pgTable(
  'ci_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    classId: bigint('class_id', { mode: 'number' })
      .notNull()
      .references(() => ciClasses.id),
    name: text('name').notNull(),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => organizations.id),
    ownerUserId: bigint('owner_user_id', { mode: 'number' }).references(() => users.id),
    ownerGroupId: bigint('owner_group_id', { mode: 'number' }).references(() => groups.id),
    location: text('location'),
    importance: text('importance', { enum: ['core', 'important', 'normal'] }).notNull().default('normal'),
    status: text('status', { enum: ['planned', 'in_use', 'maintenance', 'retired'] }).notNull().default('planned'),
    serialNumber: text('serial_number'),
    assetTag: text('asset_tag'),
    hostname: text('hostname'),
    ip: text('ip'),
    cloudId: text('cloud_id'),
    attributes: jsonb('attributes').notNull().default(sql`'{}'::jsonb`),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('ci_items_class_idx').on(t.classId),
    index('ci_items_org_idx').on(t.orgId, t.id.desc()),
    index('ci_items_status_idx').on(t.status),
    // Serial number, asset tag and cloud id identify one CI across the whole CMDB.
    uniqueIndex('ci_items_serial_number_uq').on(t.serialNumber).where(sql`serial_number IS NOT NULL`),
    uniqueIndex('ci_items_asset_tag_uq').on(t.assetTag).where(sql`asset_tag IS NOT NULL`),
    uniqueIndex('ci_items_cloud_id_uq').on(t.cloudId).where(sql`cloud_id IS NOT NULL`),
    // Host names and (private) addresses repeat across customers: unique per organisation.
    uniqueIndex('ci_items_org_hostname_uq').on(t.orgId, sql`lower(${t.hostname})`).where(sql`hostname IS NOT NULL`),
    uniqueIndex('ci_items_org_ip_uq').on(t.orgId, t.ip).where(sql`ip IS NOT NULL`),
    index('ci_items_hostname_idx').on(sql`lower(${t.hostname})`),
    index('ci_items_ip_idx').on(t.ip),
    index('ci_items_attributes_idx').using('gin', t.attributes.op('jsonb_path_ops')),
  ],
);

/** Every state of a CI: who changed what, when, through which change ticket. Append-only. */
export const ciVersions = pgTable(
  'ci_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ciId: bigint('ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
    version: integer('version').notNull(),
    changedBy: bigint('changed_by', { mode: 'number' }).references(() => users.id),
    changedAt: ts('changed_at').notNull().defaultNow(),
    changeTicketId: bigint('change_ticket_id', { mode: 'number' }).references(() => tickets.id),
    changes: jsonb('changes').notNull().default(sql`'[]'::jsonb`),
    snapshot: jsonb('snapshot').notNull(),
  },
  (t) => [uniqueIndex('ci_versions_ci_version_uq').on(t.ciId, t.version), index('ci_versions_ticket_idx').on(t.changeTicketId)],
);
