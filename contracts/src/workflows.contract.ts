import { z } from 'zod';
import { isoDateTime } from './common.contract.ts';
import { roleSchema, permissionSchema } from './auth.contract.ts';

/**
 * Workflows as data. Every ticket type runs on a workflow: states with a category, transitions
 * with who may take them, guards and effects, and approval processes. A saved definition is an
 * immutable version; a ticket keeps the version it was created with, so editing a workflow never
 * strands a ticket in flight.
 */

export const workflowKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'lower-case letters, digits, _ and .');
const slug = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _');

/** A user-facing label in both languages. */
export const labelSchema = z.object({
  'zh-CN': z.string().trim().min(1).max(64),
  'en-US': z.string().trim().min(1).max(64),
});
export type Label = z.infer<typeof labelSchema>;

/** What a state means for lists, SLA clocks and reports whatever it is called. */
export const stateCategorySchema = z.enum(['open', 'pending', 'resolved', 'closed', 'cancelled']);
export type StateCategory = z.infer<typeof stateCategorySchema>;
export const FINAL_CATEGORIES: readonly StateCategory[] = ['closed', 'cancelled'];

export const workflowStateSchema = z
  .object({
    key: slug,
    label: labelSchema,
    category: stateCategorySchema,
    /** Position in the visual editor (optional; the editor lays out states without one). */
    x: z.number().min(-10000).max(10000).optional(),
    y: z.number().min(-10000).max(10000).optional(),
  })
  .strict();
export type WorkflowState = z.infer<typeof workflowStateSchema>;

/**
 * Who may take a transition: any one rule that matches. Within a rule every given condition must
 * hold. `party` relates the actor to the ticket. No rule at all means anyone with ticket.work.
 */
export const transitionAllowSchema = z
  .object({
    permission: permissionSchema.optional(),
    role: roleSchema.optional(),
    orgKind: z.enum(['provider', 'customer']).optional(),
    party: z.enum(['requester', 'own_org', 'assignee']).optional(),
  })
  .strict();
export type TransitionAllow = z.infer<typeof transitionAllowSchema>;

/** Request fields a transition may ask for; `assignment` means a group or an assignee. */
export const transitionInputSchema = z.enum(['assignment', 'pendingReason', 'resolutionCode', 'resolutionNotes', 'comment']);
export type TransitionInput = z.infer<typeof transitionInputSchema>;

/** Ticket fields a guard can test (custom fields as `custom.<key>`). */
export const guardFieldSchema = z.union([
  z.enum(['assigneeId', 'assignmentGroupId', 'requesterId', 'category', 'service', 'description']),
  z.string().regex(/^custom\.[A-Za-z0-9_]{1,64}$/),
]);

/**
 * Conditions checked when a transition is taken (all must hold). `check` names a rule a module
 * registers (e.g. `change.rollback_plan`) for facts outside the ticket row.
 */
export const guardSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('field_set'), field: guardFieldSchema }).strict(),
  z.object({ type: z.literal('approval_granted'), approval: slug }).strict(),
  z.object({ type: z.literal('check'), name: workflowKeySchema }).strict(),
]);
export type Guard = z.infer<typeof guardSchema>;

/** What happens after the state changes (in the same transaction). */
export const effectSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('notify'),
      recipients: z.enum(['requester', 'assignee', 'group']),
      /** A notification event; `ticket.transition` uses the transition's label. */
      event: z.enum(['ticket.transition', 'ticket.resolved']).default('ticket.transition'),
    })
    .strict(),
  z
    .object({
      type: z.literal('set_field'),
      field: z.union([z.enum(['major']), z.string().regex(/^custom\.[A-Za-z0-9_]{1,64}$/)]),
      value: z.union([z.string().max(500), z.number(), z.boolean(), z.null()]),
    })
    .strict(),
  /** Assigns the ticket to the actor (and their first group when the ticket's group is not theirs). */
  z.object({ type: z.literal('take') }).strict(),
  z.object({ type: z.literal('start_approval'), approval: slug }).strict(),
  z.object({ type: z.literal('cancel_approvals') }).strict(),
  z.object({ type: z.literal('hook'), name: workflowKeySchema }).strict(),
]);
export type Effect = z.infer<typeof effectSchema>;

/**
 * A transition. Several transitions may share a key (one action for the user) with different
 * `from` sets or guards: the first whose `from` holds the current state and whose guards pass is
 * taken. `to: null` keeps the state (e.g. re-assigning a ticket in progress).
 */
export const workflowTransitionSchema = z
  .object({
    key: slug,
    label: labelSchema,
    from: z.array(slug).min(1).max(50),
    to: slug.nullable(),
    allow: z.array(transitionAllowSchema).max(20).default([]),
    inputs: z.array(transitionInputSchema).max(5).default([]),
    guards: z.array(guardSchema).max(20).default([]),
    effects: z.array(effectSchema).max(20).default([]),
    /** Only the system takes it (approval outcomes, automation); hidden from users. */
    system: z.boolean().default(false),
  })
  .strict();
export type WorkflowTransition = z.infer<typeof workflowTransitionSchema>;

/** Approvers of a step; `cab` is the change advisory board set for the change type. */
export const approverSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: z.number().int().positive() }).strict(),
  z.object({ type: z.literal('group'), groupId: z.number().int().positive() }).strict(),
  z.object({ type: z.literal('role'), role: roleSchema }).strict(),
  z.object({ type: z.literal('requester_manager') }).strict(),
  z.object({ type: z.literal('cab') }).strict(),
]);
export type Approver = z.infer<typeof approverSchema>;

/** any = 或签 (one approval decides), all = 会签 (everyone approves), count = at least N approve. */
export const approvalRuleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('any') }).strict(),
  z.object({ type: z.literal('all') }).strict(),
  z.object({ type: z.literal('count'), count: z.number().int().min(1).max(50) }).strict(),
]);
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;

export const approvalStepSchema = z
  .object({
    key: slug,
    label: labelSchema,
    approvers: z.array(approverSchema).min(1).max(20),
    rule: approvalRuleSchema,
    /** Remind pending approvers after this many hours (0 = never). */
    remindAfterHours: z.number().int().min(0).max(720).default(0),
  })
  .strict();
export type ApprovalStep = z.infer<typeof approvalStepSchema>;

/**
 * An approval process: steps in sequence. When it ends the system takes `onApproved` or
 * `onRejected` (transition keys of this workflow) if given.
 */
export const approvalDefinitionSchema = z
  .object({
    key: slug,
    label: labelSchema,
    steps: z.array(approvalStepSchema).min(1).max(10),
    onApproved: slug.nullable().default(null),
    onRejected: slug.nullable().default(null),
  })
  .strict();
export type ApprovalDefinition = z.infer<typeof approvalDefinitionSchema>;

export const workflowDefinitionSchema = z
  .object({
    initial: slug,
    states: z.array(workflowStateSchema).min(2).max(50),
    transitions: z.array(workflowTransitionSchema).min(1).max(200),
    approvals: z.array(approvalDefinitionSchema).max(20).default([]),
    /** A system transition taken right after a ticket is created (e.g. one that starts approvals). */
    onCreate: slug.nullable().default(null),
  })
  .strict();
export type WorkflowDefinition = z.output<typeof workflowDefinitionSchema>;
export type WorkflowDefinitionInput = z.input<typeof workflowDefinitionSchema>;

export const workflowTicketTypeSchema = z.enum(['incident', 'request', 'problem', 'change', 'release']);

/** A structural problem found when validating a definition; `path` points into it. */
export const workflowIssueSchema = z.object({
  code: z.enum([
    'DUPLICATE_STATE',
    'UNKNOWN_STATE',
    'UNREACHABLE_STATE',
    'DEAD_END_STATE',
    'NO_FINAL_STATE',
    'DUPLICATE_APPROVAL',
    'UNKNOWN_APPROVAL',
    'UNKNOWN_TRANSITION',
    'TRANSITION_FROM_FINAL',
    'UNKNOWN_CHECK',
    'UNKNOWN_HOOK',
    'SYSTEM_TRANSITION_WITH_INPUTS',
  ]),
  path: z.string(),
  ref: z.string(),
});
export type WorkflowIssue = z.infer<typeof workflowIssueSchema>;

export const workflowSummarySchema = z.object({
  id: z.number().int(),
  key: workflowKeySchema,
  ticketType: workflowTicketTypeSchema,
  name: labelSchema,
  builtIn: z.boolean(),
  currentVersion: z.number().int(),
  updatedAt: isoDateTime,
  /** Tickets still open on an older version than the current one. */
  ticketsOnOlderVersions: z.number().int(),
});
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;

export const workflowSchema = workflowSummarySchema.extend({
  version: z.number().int(),
  versionId: z.number().int(),
  definition: workflowDefinitionSchema,
  versions: z.array(z.object({ version: z.number().int(), createdAt: isoDateTime, createdByName: z.string().nullable(), note: z.string().nullable() })),
});
export type Workflow = z.infer<typeof workflowSchema>;

export const createWorkflowRequestSchema = z
  .object({
    key: workflowKeySchema,
    ticketType: workflowTicketTypeSchema,
    name: labelSchema,
    definition: workflowDefinitionSchema,
  })
  .strict();
export type CreateWorkflowRequest = z.input<typeof createWorkflowRequestSchema>;

/** Saving makes a new version; `baseVersion` is the version the editor started from. */
export const saveWorkflowRequestSchema = z
  .object({
    baseVersion: z.number().int().min(1),
    name: labelSchema.optional(),
    definition: workflowDefinitionSchema,
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type SaveWorkflowRequest = z.input<typeof saveWorkflowRequestSchema>;

export const validateWorkflowResponseSchema = z.object({ ok: z.boolean(), issues: z.array(workflowIssueSchema) });

/** How the ticket page shows the current state and the actions on offer. */
export const ticketWorkflowViewSchema = z.object({
  workflowKey: z.string(),
  version: z.number().int(),
  state: z.object({ key: z.string(), label: labelSchema, category: stateCategorySchema }),
  actions: z.array(z.object({ key: z.string(), label: labelSchema, inputs: z.array(transitionInputSchema) })),
});
export type TicketWorkflowView = z.infer<typeof ticketWorkflowViewSchema>;
