import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { groups, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A request type of the service catalogue (账号开通, VPN 申请 ...). */
export const requestTypes = pgTable(
  'request_types',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    descriptionZh: text('description_zh').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    icon: text('icon').notNull().default('file'),
    categoryZh: text('category_zh').notNull(),
    categoryEn: text('category_en').notNull(),
    /** null: every organisation may request it. */
    orgIds: jsonb('org_ids').$type<number[] | null>(),
    workflowKey: text('workflow_key').notNull().default('request'),
    /** [{title, groupId, order}] */
    taskTemplates: jsonb('task_templates').notNull().default(sql`'[]'::jsonb`),
    active: boolean('active').notNull().default(true),
    builtIn: boolean('built_in').notNull().default(false),
    /** The form version new submissions are validated against. */
    currentFormId: bigint('current_form_id', { mode: 'number' }).references((): AnyPgColumn => requestForms.id),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('request_types_key_uq').on(t.key)],
);

/** An immutable version of a type's form. */
export const requestForms = pgTable(
  'request_forms',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    typeId: bigint('type_id', { mode: 'number' })
      .notNull()
      .references((): AnyPgColumn => requestTypes.id),
    version: integer('version').notNull(),
    schema: jsonb('schema').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('request_forms_type_version_uq').on(t.typeId, t.version)],
);

/** What a request ticket was submitted with: the form version it was validated against and the values. */
export const requestSubmissions = pgTable(
  'request_submissions',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .primaryKey()
      .references(() => tickets.id),
    typeId: bigint('type_id', { mode: 'number' })
      .notNull()
      .references(() => requestTypes.id),
    formId: bigint('form_id', { mode: 'number' })
      .notNull()
      .references(() => requestForms.id),
    values: jsonb('values').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('request_submissions_type_idx').on(t.typeId)],
);

/** A fulfilment task of a request, created from the type's templates when fulfilment starts. */
export const requestTasks = pgTable(
  'request_tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    seq: integer('seq').notNull(),
    title: text('title').notNull(),
    groupId: bigint('group_id', { mode: 'number' }).references(() => groups.id),
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.id),
    /** open, done, cancelled */
    state: text('state').notNull().default('open'),
    note: text('note'),
    doneBy: bigint('done_by', { mode: 'number' }).references(() => users.id),
    doneAt: ts('done_at'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('request_tasks_ticket_seq_uq').on(t.ticketId, t.seq),
    index('request_tasks_group_open_idx').on(t.groupId).where(sql`state = 'open'`),
  ],
);
