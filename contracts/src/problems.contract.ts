import { z } from 'zod';
import { idSchema, isoDateTime, pageQuerySchema } from './common.contract.ts';
import { levelSchema, prioritySchema, ticketSchema, workflowKeyPartSchema } from './tickets.contract.ts';
import { stateCategorySchema } from './workflows.contract.ts';

/**
 * Problems (问题) are tickets of type 'problem' on the `problem` workflow, with a root cause analysis
 * (RCA), linked incidents (many to one), CIs and changes, and at most one known error (已知错误) that
 * is published to the knowledge base.
 */
export const causeCategorySchema = z.enum(['hardware', 'software', 'network', 'capacity', 'configuration', 'process', 'human', 'third_party', 'unknown']);
export type CauseCategory = z.infer<typeof causeCategorySchema>;
export const CAUSE_CATEGORY_VALUES = causeCategorySchema.options;

/** State keys of the built-in `problem` workflow (an edited workflow may add others). */
export const PROBLEM_STATES = ['new', 'investigating', 'pending', 'known_error', 'resolved', 'closed', 'cancelled'] as const;

const whySchema = z.string().trim().min(1).max(1000);

export const problemDetailsSchema = z.object({
  symptom: z.string(),
  causeCategory: causeCategorySchema.nullable(),
  rootCause: z.string(),
  fiveWhys: z.array(z.string()).max(5),
  workaround: z.string(),
  permanentFix: z.string(),
  /** When a root cause was first recorded. */
  rootCauseAt: isoDateTime.nullable(),
  version: z.number().int(),
  updatedAt: isoDateTime,
  updatedByName: z.string().nullable(),
});
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

export const linkedTicketSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  priority: prioritySchema,
  orgId: z.number().int(),
  createdAt: isoDateTime,
  linkedAt: isoDateTime,
});
export type LinkedTicket = z.infer<typeof linkedTicketSchema>;

export const problemCiSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  importance: z.string(),
  linkedAt: isoDateTime,
});
export type ProblemCi = z.infer<typeof problemCiSchema>;

/** How often the problem's incidents occurred: count and first/last creation instant. */
export const occurrenceSchema = z.object({
  incidentCount: z.number().int(),
  firstOccurrenceAt: isoDateTime.nullable(),
  lastOccurrenceAt: isoDateTime.nullable(),
});

export const knownErrorSchema = z.object({
  id: z.number().int(),
  problemId: z.number().int(),
  title: z.string(),
  symptom: z.string(),
  cause: z.string(),
  workaround: z.string(),
  articleId: z.number().int(),
  articleNumber: z.string(),
  articleState: z.enum(['draft', 'published', 'retired']),
  /** true: the article is readable by every organisation; false: by the problem's organisation only. */
  shared: z.boolean(),
  ciIds: z.array(z.number().int()),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type KnownError = z.infer<typeof knownErrorSchema>;

export const problemSchema = occurrenceSchema.extend({
  ticket: ticketSchema,
  details: problemDetailsSchema,
  incidents: z.array(linkedTicketSchema),
  cis: z.array(problemCiSchema),
  changes: z.array(linkedTicketSchema),
  knownError: knownErrorSchema.nullable(),
});
export type Problem = z.infer<typeof problemSchema>;

export const problemSummarySchema = occurrenceSchema.extend({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  stateCategory: stateCategorySchema,
  priority: prioritySchema,
  orgId: z.number().int(),
  orgName: z.string(),
  assigneeName: z.string().nullable(),
  assignmentGroupName: z.string().nullable(),
  causeCategory: causeCategorySchema.nullable(),
  rootCauseAt: isoDateTime.nullable(),
  knownErrorArticleNumber: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type ProblemSummary = z.infer<typeof problemSummarySchema>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v), z.array(item).max(20));

export const problemListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  state: csv(workflowKeyPartSchema).optional(),
  stateCategory: csv(stateCategorySchema).optional(),
  orgId: idSchema.optional(),
  causeCategory: causeCategorySchema.optional(),
  sort: z.enum(['-createdAt', 'createdAt', '-incidentCount', '-lastOccurrence']).default('-createdAt'),
});
export type ProblemListQuery = z.input<typeof problemListQuerySchema>;

export const createProblemRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(20000).default(''),
    /** Optional when `incidentIds` is given: the incidents' organisation. */
    orgId: z.number().int().positive().optional(),
    impact: levelSchema.default(3),
    urgency: levelSchema.default(3),
    category: z.string().trim().max(100).nullable().optional(),
    service: z.string().trim().max(100).nullable().optional(),
    assignmentGroupId: z.number().int().positive().nullable().optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    symptom: z.string().max(20000).optional(),
    /** Create the problem from these incidents (same organisation, visible, not linked elsewhere). */
    incidentIds: z.array(z.number().int().positive()).max(200).optional(),
    ciIds: z.array(z.number().int().positive()).max(50).optional(),
  })
  .strict();
export type CreateProblemRequest = z.input<typeof createProblemRequestSchema>;

/** RCA edits; `version` is the details version the client last saw. */
export const updateProblemDetailsRequestSchema = z
  .object({
    version: z.number().int().min(1),
    symptom: z.string().max(20000).optional(),
    causeCategory: causeCategorySchema.nullable().optional(),
    rootCause: z.string().max(20000).optional(),
    fiveWhys: z.array(whySchema).max(5).optional(),
    workaround: z.string().max(20000).optional(),
    permanentFix: z.string().max(20000).optional(),
  })
  .strict();
export type UpdateProblemDetailsRequest = z.input<typeof updateProblemDetailsRequestSchema>;

export const linkIncidentsRequestSchema = z.object({ incidentIds: z.array(z.number().int().positive()).min(1).max(200) }).strict();
export const linkCisRequestSchema = z.object({ ciIds: z.array(z.number().int().positive()).min(1).max(50) }).strict();
export const linkChangesRequestSchema = z.object({ changeIds: z.array(z.number().int().positive()).min(1).max(50) }).strict();
export const problemLinkParamsSchema = z.object({ id: idSchema, linkedId: idSchema }).strict();

export const knownErrorRequestSchema = z
  .object({
    /** Defaults to the problem's title. */
    title: z.string().trim().min(1).max(200).optional(),
    symptom: z.string().trim().min(1).max(20000),
    cause: z.string().trim().min(1).max(20000),
    workaround: z.string().trim().min(1).max(20000),
    /** Defaults to the problem's CIs. */
    ciIds: z.array(z.number().int().positive()).max(50).optional(),
    /** Publish for every organisation (default: the problem's organisation only). */
    shared: z.boolean().default(false),
    /** Required when updating an existing known error. */
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type KnownErrorRequest = z.input<typeof knownErrorRequestSchema>;

/** The problem an incident is linked to (for the incident page). */
export const incidentProblemSchema = z.object({
  problem: z.object({ id: z.number().int(), number: z.string(), title: z.string(), state: z.string() }).nullable(),
});

export const problemReportQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  orgId: idSchema.optional(),
});
export type ProblemReportQuery = z.input<typeof problemReportQuerySchema>;

export const problemReportSchema = z.object({
  from: isoDateTime,
  to: isoDateTime,
  /** Problems created in the window. */
  created: z.number().int(),
  /** Of those, resolved or closed (not cancelled). */
  resolved: z.number().int(),
  cancelled: z.number().int(),
  /** resolved / (created - cancelled); null when nothing counts. */
  resolutionRate: z.number().nullable(),
  /** Problems of the window with a root cause recorded. */
  withRootCause: z.number().int(),
  /** Average hours from creation to the first recorded root cause. */
  avgHoursToRootCause: z.number().nullable(),
  byCause: z.array(z.object({ causeCategory: causeCategorySchema.nullable(), count: z.number().int() })),
  /** Linked incidents per problem (repeat incidents), most first. */
  repeatIncidents: z.array(
    z.object({
      problemId: z.number().int(),
      number: z.string(),
      title: z.string(),
      state: z.string(),
      incidentCount: z.number().int(),
      firstOccurrenceAt: isoDateTime.nullable(),
      lastOccurrenceAt: isoDateTime.nullable(),
    }),
  ),
  avgIncidentsPerProblem: z.number().nullable(),
});
export type ProblemReport = z.infer<typeof problemReportSchema>;
