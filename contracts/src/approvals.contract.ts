import { z } from 'zod';
import { idSchema, isoDateTime } from './common.contract.ts';
import { approvalRuleSchema, approverSchema, labelSchema } from './workflows.contract.ts';

/**
 * Generic approvals on tickets: a run of an approval process (steps in sequence, each with
 * approvers and a rule), one task per approver and step, decisions from the app or a signed link.
 */

export const approvalRunStateSchema = z.enum(['pending', 'approved', 'rejected', 'cancelled']);
export type ApprovalRunState = z.infer<typeof approvalRunStateSchema>;
export const approvalTaskStateSchema = z.enum(['pending', 'approved', 'rejected', 'delegated', 'skipped', 'cancelled']);
export type ApprovalTaskState = z.infer<typeof approvalTaskStateSchema>;
export const approvalDecisionSchema = z.enum(['approve', 'reject']);
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

const comment = z.string().trim().max(2000);

export const approvalTaskSchema = z.object({
  id: z.number().int(),
  stepIndex: z.number().int(),
  approverId: z.number().int(),
  approverName: z.string(),
  state: approvalTaskStateSchema,
  comment: z.string().nullable(),
  delegatedFromTaskId: z.number().int().nullable(),
  decidedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type ApprovalTask = z.infer<typeof approvalTaskSchema>;

export const approvalStepViewSchema = z.object({
  index: z.number().int(),
  key: z.string(),
  label: labelSchema,
  rule: approvalRuleSchema,
  approvers: z.array(approverSchema),
  /** The approvers the step resolved to when the run started. */
  approverIds: z.array(z.number().int()),
  remindAfterHours: z.number().int(),
  /** pending (current), waiting (later step), approved, rejected, cancelled */
  state: z.enum(['pending', 'waiting', 'approved', 'rejected', 'cancelled']),
  tasks: z.array(approvalTaskSchema),
});
export type ApprovalStepView = z.infer<typeof approvalStepViewSchema>;

export const approvalRunSchema = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  approvalKey: z.string(),
  label: labelSchema,
  round: z.number().int(),
  state: approvalRunStateSchema,
  currentStep: z.number().int(),
  requestedBy: z.number().int().nullable(),
  requestedByName: z.string().nullable(),
  createdAt: isoDateTime,
  decidedAt: isoDateTime.nullable(),
  steps: z.array(approvalStepViewSchema),
});
export type ApprovalRun = z.infer<typeof approvalRunSchema>;
export const ticketApprovalsSchema = z.object({ items: z.array(approvalRunSchema) });
export type TicketApprovals = z.infer<typeof ticketApprovalsSchema>;

/* ------------------------------- my tasks ------------------------------- */

export const myApprovalsQuerySchema = z
  .object({
    state: z.enum(['pending', 'decided']).default('pending'),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export const myApprovalItemSchema = z.object({
  taskId: z.number().int(),
  approvalId: z.number().int(),
  state: approvalTaskStateSchema,
  comment: z.string().nullable(),
  createdAt: isoDateTime,
  decidedAt: isoDateTime.nullable(),
  /** Minutes since the task was opened. */
  ageMinutes: z.number().int(),
  approvalKey: z.string(),
  approvalLabel: labelSchema,
  round: z.number().int(),
  runState: approvalRunStateSchema,
  stepIndex: z.number().int(),
  stepLabel: labelSchema,
  ticket: z.object({
    id: z.number().int(),
    number: z.string(),
    title: z.string(),
    type: z.string(),
    requesterId: z.number().int().nullable(),
    requesterName: z.string().nullable(),
  }),
});
export type MyApprovalItem = z.infer<typeof myApprovalItemSchema>;
export const myApprovalsSchema = z.object({ items: z.array(myApprovalItemSchema), pendingCount: z.number().int() });
export type MyApprovals = z.infer<typeof myApprovalsSchema>;

/* ------------------------------- decisions ------------------------------ */

export const decideRequestSchema = z.object({ decision: approvalDecisionSchema, comment: comment.default('') }).strict();
export type DecideRequest = z.input<typeof decideRequestSchema>;

export const decisionResultSchema = z.object({
  taskId: z.number().int(),
  approvalId: z.number().int(),
  taskState: approvalTaskStateSchema,
  runState: approvalRunStateSchema,
  currentStep: z.number().int(),
});
export type DecisionResult = z.infer<typeof decisionResultSchema>;

export const batchDecideRequestSchema = z
  .object({
    taskIds: z.array(idSchema).min(1).max(100),
    decision: approvalDecisionSchema,
    comment: comment.default(''),
  })
  .strict();
export type BatchDecideRequest = z.input<typeof batchDecideRequestSchema>;

export const batchDecideResultSchema = z.object({
  results: z.array(
    z.object({
      taskId: z.number().int(),
      ok: z.boolean(),
      code: z.string().nullable(),
      message: z.string().nullable(),
      runState: approvalRunStateSchema.nullable(),
    }),
  ),
});
export type BatchDecideResult = z.infer<typeof batchDecideResultSchema>;

export const delegateRequestSchema = z.object({ userId: idSchema, comment: comment.default('') }).strict();
export type DelegateRequest = z.input<typeof delegateRequestSchema>;
export const delegateResultSchema = z.object({ taskId: z.number().int(), newTaskId: z.number().int(), delegateId: z.number().int() });

/* ------------------------------ signed links ----------------------------- */

export const approvalLinkParamsSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) }).strict();

/** What the approver sees before confirming a link: only what they need to decide. */
export const approvalLinkInfoSchema = z.object({
  decision: approvalDecisionSchema,
  expiresAt: isoDateTime,
  approverName: z.string(),
  approvalLabel: labelSchema,
  stepLabel: labelSchema,
  round: z.number().int(),
  ticket: z.object({ number: z.string(), title: z.string(), type: z.string(), requesterName: z.string().nullable() }),
});
export type ApprovalLinkInfo = z.infer<typeof approvalLinkInfoSchema>;
export const approvalLinkDecideRequestSchema = z.object({ comment: comment.default('') }).strict();
export const approvalLinkDecideResultSchema = z.object({
  decision: approvalDecisionSchema,
  runState: approvalRunStateSchema,
  ticketNumber: z.string(),
});
export type ApprovalLinkDecideResult = z.infer<typeof approvalLinkDecideResultSchema>;

/* ------------------------------- CAB groups ------------------------------ */

/** The change advisory board per change type (setting `change.cab_groups`): a support group id. */
export const cabGroupsSchema = z
  .object({
    standard: idSchema.nullable().default(null),
    normal: idSchema.nullable().default(null),
    emergency: idSchema.nullable().default(null),
  })
  .strict();
export type CabGroups = z.output<typeof cabGroupsSchema>;
export type CabGroupsInput = z.input<typeof cabGroupsSchema>;
