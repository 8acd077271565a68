import { z } from 'zod';
import { isoDateTime, pageQuerySchema } from './common.contract.ts';
import { stateCategorySchema, ticketWorkflowViewSchema } from './workflows.contract.ts';

export const ticketTypeSchema = z.enum(['incident', 'request', 'problem', 'change', 'release']);
export type TicketType = z.infer<typeof ticketTypeSchema>;

export const incidentStateSchema = z.enum([
  'new',
  'assigned',
  'in_progress',
  'pending',
  'resolved',
  'closed',
  'cancelled',
]);
export type IncidentState = z.infer<typeof incidentStateSchema>;
export const OPEN_STATES: readonly IncidentState[] = ['new', 'assigned', 'in_progress', 'pending'];

/** A state or action key of a workflow (incident's built-in ones are listed above and below). */
export const workflowKeyPartSchema = z.string().trim().min(1).max(48).regex(/^[a-z][a-z0-9_]*$/);

/** Actions a user takes on an incident; the server decides which are legal from which state. */
export const incidentActionSchema = z.enum([
  'assign',
  'take',
  'start',
  'pend',
  'resume',
  'resolve',
  'close',
  'reopen',
  'cancel',
]);
export type IncidentAction = z.infer<typeof incidentActionSchema>;

/** 1 = high, 3 = low. Priority 1..4 is shown as fault level 一级..四级. */
export const levelSchema = z.number().int().min(1).max(3);
export const prioritySchema = z.number().int().min(1).max(4);
export const channelSchema = z.enum(['web', 'phone', 'email', 'api', 'monitoring']);
export type Channel = z.infer<typeof channelSchema>;
export const pendingReasonSchema = z.enum(['customer', 'vendor', 'change']);
export const resolutionCodeSchema = z.enum([
  'fixed',
  'workaround',
  'config_change',
  'hardware_replaced',
  'user_error',
  'no_fault_found',
  'duplicate',
]);

const customFieldsSchema = z
  .record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((v) => Object.keys(v).length <= 50);

export const ticketSchema = z.object({
  id: z.number().int(),
  type: ticketTypeSchema,
  number: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  title: z.string(),
  description: z.string(),
  /** A state of the ticket's workflow (incidents: incidentStateSchema). */
  state: z.string(),
  stateCategory: stateCategorySchema,
  impact: levelSchema,
  urgency: levelSchema,
  priority: prioritySchema,
  category: z.string().nullable(),
  service: z.string().nullable(),
  requesterId: z.number().int().nullable(),
  requesterName: z.string().nullable(),
  callerName: z.string().nullable(),
  callerPhone: z.string().nullable(),
  assignmentGroupId: z.number().int().nullable(),
  assignmentGroupName: z.string().nullable(),
  assigneeId: z.number().int().nullable(),
  assigneeName: z.string().nullable(),
  channel: channelSchema,
  major: z.boolean(),
  pendingReason: pendingReasonSchema.nullable(),
  resolutionCode: resolutionCodeSchema.nullable(),
  resolutionNotes: z.string().nullable(),
  customFields: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  resolvedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  /** Actions the current user may take now; the UI shows only these. */
  allowedActions: z.array(z.string()),
  /** The workflow's view of the ticket: state label and category, actions with labels and inputs. */
  workflow: ticketWorkflowViewSchema,
});
export type Ticket = z.infer<typeof ticketSchema>;

/** The clock that matters most for a list row (breached, else the next due, else paused, else stopped). */
export const ticketSlaBadgeSchema = z.object({
  metric: z.enum(['response', 'resolution', 'update']),
  state: z.enum(['running', 'paused', 'stopped', 'cancelled']),
  dueAt: isoDateTime.nullable(),
  remainingMinutes: z.number(),
  percent: z.number(),
  breached: z.boolean(),
  pauseReason: z.string().nullable(),
});
export type TicketSlaBadge = z.infer<typeof ticketSlaBadgeSchema>;

export const ticketSummarySchema = ticketSchema
  .omit({
    description: true,
    resolutionNotes: true,
    customFields: true,
    allowedActions: true,
    workflow: true,
  })
  .extend({
    /** Present for users who may see SLA clocks; null when the ticket has none. */
    sla: ticketSlaBadgeSchema.nullable().optional(),
  });
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

export const createTicketRequestSchema = z
  .object({
    type: ticketTypeSchema.default('incident'),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(20000).default(''),
    orgId: z.number().int().positive().optional(),
    impact: levelSchema.default(3),
    urgency: levelSchema.default(3),
    category: z.string().trim().max(100).nullable().optional(),
    service: z.string().trim().max(100).nullable().optional(),
    requesterId: z.number().int().positive().nullable().optional(),
    callerName: z.string().trim().max(64).nullable().optional(),
    callerPhone: z
      .string()
      .trim()
      .max(32)
      .regex(/^[0-9+\-() ]*$/)
      .nullable()
      .optional(),
    channel: channelSchema.optional(),
    assignmentGroupId: z.number().int().positive().nullable().optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    major: z.boolean().default(false),
    customFields: customFieldsSchema.default({}),
  })
  .strict();
export type CreateTicketRequest = z.input<typeof createTicketRequestSchema>;

/** Field edits; `version` is the version the client last saw (optimistic concurrency). */
export const updateTicketRequestSchema = z
  .object({
    version: z.number().int().min(1),
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(20000).optional(),
    impact: levelSchema.optional(),
    urgency: levelSchema.optional(),
    category: z.string().trim().max(100).nullable().optional(),
    service: z.string().trim().max(100).nullable().optional(),
    major: z.boolean().optional(),
    assignmentGroupId: z.number().int().positive().nullable().optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    customFields: customFieldsSchema.optional(),
  })
  .strict();
export type UpdateTicketRequest = z.infer<typeof updateTicketRequestSchema>;

export const transitionRequestSchema = z
  .object({
    action: workflowKeyPartSchema,
    version: z.number().int().min(1),
    assignmentGroupId: z.number().int().positive().nullable().optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    pendingReason: pendingReasonSchema.optional(),
    resolutionCode: resolutionCodeSchema.optional(),
    resolutionNotes: z.string().trim().max(5000).optional(),
    comment: z.string().trim().max(5000).optional(),
  })
  .strict();
export type TransitionRequest = z.infer<typeof transitionRequestSchema>;

export const commentRequestSchema = z
  .object({
    body: z.string().trim().min(1).max(20000),
    internal: z.boolean().default(false),
  })
  .strict();
export type CommentRequest = z.input<typeof commentRequestSchema>;

export const ticketEventKindSchema = z.enum([
  'created',
  'comment',
  'work_note',
  'field_change',
  'transition',
  'assignment',
  'attachment',
  /** SLA clock events (internal): start, pause, resume, stop, breach, warning, escalation, replay... */
  'sla',
  /** Approval runs: data {action: requested|decided|delegated|step_completed|completed|cancelled, approvalKey, round, step, ...} */
  'approval',
]);

export const ticketEventSchema = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  kind: ticketEventKindSchema,
  internal: z.boolean(),
  at: isoDateTime,
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  body: z.string().nullable(),
  /** kind-specific: {changes:[{field,from,to}]}, {from,to,action}, {attachmentId,filename} */
  data: z.record(z.string(), z.unknown()),
});
export type TicketEvent = z.infer<typeof ticketEventSchema>;

export const attachmentSchema = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  uploadedBy: z.number().int().nullable(),
  createdAt: isoDateTime,
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const ticketViewSchema = z.enum(['mine', 'unassigned', 'p1p2', 'recently_resolved']);
export type TicketView = z.infer<typeof ticketViewSchema>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v),
    z.array(item).max(20),
  );

export const ticketListQuerySchema = pageQuerySchema.extend({
  type: ticketTypeSchema.optional(),
  view: ticketViewSchema.optional(),
  state: csv(workflowKeyPartSchema).optional(),
  stateCategory: csv(stateCategorySchema).optional(),
  priority: csv(z.coerce.number().int().min(1).max(4)).optional(),
  orgId: z.coerce.number().int().positive().optional(),
  groupId: z.coerce.number().int().positive().optional(),
  assigneeId: z.coerce.number().int().positive().optional(),
  requesterId: z.coerce.number().int().positive().optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().max(100).optional(),
  /** SLA: a clock has breached; or a clock has used >= 75% of its target and not breached. */
  sla: z.enum(['breached', 'at_risk']).optional(),
  sort: z
    .enum(['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'priority', '-priority', 'number', '-number'])
    .default('-createdAt'),
});
export type TicketListQuery = z.input<typeof ticketListQuerySchema>;

export const priorityMatrixSchema = z
  .array(z.array(prioritySchema).length(3))
  .length(3)
  .describe('matrix[impact-1][urgency-1] = priority');
export type PriorityMatrix = z.infer<typeof priorityMatrixSchema>;
