import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { workflowVersions } from '../workflows/workflows.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One run of an approval process on a subject: a ticket (from its workflow) or another record a
 * module registers (a repair order's cost). Starting the same process again (after a revision)
 * cancels the pending run and opens a new round; finished runs stay as the record.
 */
export const approvals = pgTable(
  'approvals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** 'ticket' or a registered subject type (approval-subjects.ts); subject_id is that row's id. */
    subjectType: text('subject_type').notNull().default('ticket'),
    subjectId: bigint('subject_id', { mode: 'number' }).notNull(),
    /** Set for ticket subjects (= subject_id), for the foreign key and the ticket queries. */
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    /** The workflow version that started it; null for a subject without a workflow. */
    workflowVersionId: bigint('workflow_version_id', { mode: 'number' }).references(() => workflowVersions.id),
    approvalKey: text('approval_key').notNull(),
    /** The process's label ({'zh-CN','en-US'}) when the run started. */
    label: jsonb('label'),
    round: integer('round').notNull().default(1),
    /** pending, approved, rejected, cancelled */
    state: text('state').notNull().default('pending'),
    currentStep: smallint('current_step').notNull().default(0),
    /** The steps as defined when the run started, approvers resolved to user ids per step. */
    steps: jsonb('steps').notNull(),
    requestedBy: bigint('requested_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    decidedAt: ts('decided_at'),
  },
  (t) => [
    index('approvals_ticket_idx').on(t.ticketId, t.approvalKey),
    index('approvals_subject_idx').on(t.subjectType, t.subjectId, t.approvalKey),
    uniqueIndex('approvals_one_pending_uq').on(t.subjectType, t.subjectId, t.approvalKey).where(sql`state = 'pending'`),
    check('approvals_ticket_subject_ck', sql`(subject_type = 'ticket') = (ticket_id IS NOT NULL) AND (ticket_id IS NULL OR ticket_id = subject_id)`),
  ],
);

/** One approver's decision in one step. */
export const approvalTasks = pgTable(
  'approval_tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    approvalId: bigint('approval_id', { mode: 'number' })
      .notNull()
      .references(() => approvals.id),
    /** The run's subject, copied so a task needs no join to find what it decides. */
    subjectType: text('subject_type').notNull().default('ticket'),
    subjectId: bigint('subject_id', { mode: 'number' }).notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    stepIndex: smallint('step_index').notNull(),
    approverId: bigint('approver_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    /** pending, approved, rejected, delegated, skipped (the step ended without them), cancelled */
    state: text('state').notNull().default('pending'),
    comment: text('comment'),
    delegatedFromTaskId: bigint('delegated_from_task_id', { mode: 'number' }),
    decidedAt: ts('decided_at'),
    remindedAt: ts('reminded_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('approval_tasks_approver_idx').on(t.approverId, t.state),
    index('approval_tasks_approval_idx').on(t.approvalId, t.stepIndex),
    index('approval_tasks_subject_idx').on(t.subjectType, t.subjectId),
    // One live task per approver per step: approving twice is refused by the database too.
    // The reminder sweep's work list.
    index('approval_tasks_pending_idx').on(t.createdAt).where(sql`state = 'pending'`),
    uniqueIndex('approval_tasks_live_uq').on(t.approvalId, t.stepIndex, t.approverId).where(sql`state IN ('pending', 'approved', 'rejected')`),
  ],
);

/** A signed, single-use link in an email or IM message that approves or rejects one task. */
export const approvalLinks = pgTable(
  'approval_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    taskId: bigint('task_id', { mode: 'number' })
      .notNull()
      .references(() => approvalTasks.id),
    decision: text('decision').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('approval_links_task_idx').on(t.taskId)],
);
