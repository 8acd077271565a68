import { z } from 'zod';
import { idSchema, isoDateTime, pageOf, pageQuerySchema } from './common.contract.ts';
import { levelSchema, ticketSchema, ticketSummarySchema, workflowKeyPartSchema } from './tickets.contract.ts';
import { labelSchema, stateCategorySchema } from './workflows.contract.ts';

/**
 * Releases (发布): tickets of type `release` on the `release` workflow (planning -> building ->
 * testing -> deploying -> completed | rolled_back -> closed; cancelled). A release bundles change
 * tickets, keeps its plan, build and test records, a deployment record per environment, the
 * rollback plan and outcome, and a confirmation that the CMDB was updated: every CI of every linked
 * change has a CI version naming that change.
 */

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().trim().max(max);
const dateTimeInput = z.iso.datetime({ offset: true });

/** Environments the web app suggests; any other name is allowed. `prod` counts for the on-time rate. */
export const RELEASE_ENVIRONMENT_SUGGESTIONS = ['dev', 'test', 'staging', 'prod'] as const;
/** Environment names treated as production (case-insensitive) by the reports. */
export const PRODUCTION_ENVIRONMENTS: readonly string[] = ['prod', 'production', '生产'];

export const releaseRecordKindSchema = z.enum(['build', 'test']);
export type ReleaseRecordKind = z.infer<typeof releaseRecordKindSchema>;
export const releaseRecordResultSchema = z.enum(['pass', 'fail']);
export const releaseDeploymentResultSchema = z.enum(['success', 'failed', 'rolled_back']);
export type ReleaseDeploymentResult = z.infer<typeof releaseDeploymentResultSchema>;

/** A change ticket bundled into the release. */
export const releaseChangeSchema = z.object({
  changeId: z.number().int(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  /** The state's label and category on the change's own workflow version. */
  stateLabel: labelSchema,
  stateCategory: stateCategorySchema,
  orgId: z.number().int(),
  linkedAt: isoDateTime,
  linkedByName: z.string().nullable(),
});
export type ReleaseChange = z.infer<typeof releaseChangeSchema>;

export const releaseRecordSchema = z.object({
  id: z.number().int(),
  kind: releaseRecordKindSchema,
  name: z.string(),
  result: releaseRecordResultSchema,
  link: z.string().nullable(),
  notes: z.string(),
  recordedBy: z.number().int().nullable(),
  recordedByName: z.string().nullable(),
  recordedAt: isoDateTime,
});
export type ReleaseRecord = z.infer<typeof releaseRecordSchema>;

export const releaseDeploymentSchema = z.object({
  id: z.number().int(),
  environment: z.string(),
  plannedAt: isoDateTime.nullable(),
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
  result: releaseDeploymentResultSchema.nullable(),
  notes: z.string(),
  createdBy: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  updatedBy: z.number().int().nullable(),
  updatedByName: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type ReleaseDeployment = z.infer<typeof releaseDeploymentSchema>;

/** One CI of a linked change and whether it has a CI version naming that change. */
export const releaseCmdbCiSchema = z.object({
  changeId: z.number().int(),
  changeNumber: z.string(),
  ciId: z.number().int(),
  ciName: z.string(),
  bumped: z.boolean(),
  /** The newest CI version naming the change, when there is one. */
  ciVersion: z.number().int().nullable(),
  versionAt: isoDateTime.nullable(),
});
export type ReleaseCmdbCi = z.infer<typeof releaseCmdbCiSchema>;

/** The live CMDB check of the linked changes (computed on every read). */
export const releaseCmdbCheckSchema = z.object({
  cis: z.array(releaseCmdbCiSchema),
  unbumped: z.array(releaseCmdbCiSchema),
  /** Linked changes with no affected CI at all (nothing to check for them). */
  changesWithoutCis: z.array(z.object({ changeId: z.number().int(), changeNumber: z.string() })),
});
export type ReleaseCmdbCheck = z.infer<typeof releaseCmdbCheckSchema>;

export const releaseDetailsSchema = z.object({
  versionLabel: z.string(),
  releasePlan: z.string(),
  plannedReleaseAt: isoDateTime.nullable(),
  rollbackPlan: z.string(),
  rollbackOutcome: z.string().nullable(),
  cmdbConfirmed: z.boolean(),
  cmdbConfirmedBy: z.number().int().nullable(),
  cmdbConfirmedByName: z.string().nullable(),
  cmdbConfirmedAt: isoDateTime.nullable(),
  cmdbNote: z.string().nullable(),
  /** CIs not bumped when the confirmation was recorded (confirmed with an override note). */
  cmdbUnbumpedAtConfirmation: z.array(releaseCmdbCiSchema),
  /** Optimistic concurrency of the release fields (separate from the ticket's version). */
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type ReleaseDetails = z.infer<typeof releaseDetailsSchema>;

export const releaseSchema = z.object({
  ticket: ticketSchema,
  details: releaseDetailsSchema,
  changes: z.array(releaseChangeSchema),
  records: z.array(releaseRecordSchema),
  deployments: z.array(releaseDeploymentSchema),
  cmdbCheck: releaseCmdbCheckSchema,
});
export type Release = z.infer<typeof releaseSchema>;

export const releaseSummarySchema = ticketSummarySchema.extend({
  versionLabel: z.string(),
  plannedReleaseAt: isoDateTime.nullable(),
  cmdbConfirmed: z.boolean(),
  changeCount: z.number().int(),
});
export type ReleaseSummary = z.infer<typeof releaseSummarySchema>;
export const releasePageSchema = pageOf(releaseSummarySchema);
export type ReleasePage = z.infer<typeof releasePageSchema>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v), z.array(item).max(20));

export const releaseListQuerySchema = pageQuerySchema
  .extend({
    q: z.string().trim().max(100).optional(),
    state: csv(workflowKeyPartSchema).optional(),
    orgId: z.coerce.number().int().positive().optional(),
  })
  .strict();
export type ReleaseListQuery = z.input<typeof releaseListQuerySchema>;

/**
 * A new release. `rollbackPlan` is required (checked by the server so the refusal has its own code,
 * RELEASE_ROLLBACK_PLAN_REQUIRED); `changeIds` links change tickets at once.
 */
export const createReleaseRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(20000).default(''),
    orgId: id.optional(),
    impact: levelSchema.default(3),
    urgency: levelSchema.default(3),
    assignmentGroupId: id.nullable().optional(),
    assigneeId: id.nullable().optional(),
    versionLabel: z.string().trim().min(1).max(64),
    releasePlan: text(50000).default(''),
    plannedReleaseAt: dateTimeInput.nullable().default(null),
    rollbackPlan: text(50000).default(''),
    changeIds: z.array(id).max(200).default([]),
  })
  .strict();
export type CreateReleaseRequest = z.input<typeof createReleaseRequestSchema>;

export const updateReleaseDetailsRequestSchema = z
  .object({
    version: z.number().int().min(1),
    versionLabel: z.string().trim().min(1).max(64).optional(),
    releasePlan: text(50000).optional(),
    plannedReleaseAt: dateTimeInput.nullable().optional(),
    rollbackPlan: text(50000).optional(),
    rollbackOutcome: text(50000).nullable().optional(),
  })
  .strict();
export type UpdateReleaseDetailsRequest = z.input<typeof updateReleaseDetailsRequestSchema>;

export const linkReleaseChangesRequestSchema = z.object({ changeIds: z.array(id).min(1).max(200) }).strict();
export type LinkReleaseChangesRequest = z.input<typeof linkReleaseChangesRequestSchema>;
export const releaseChangeParamsSchema = z.object({ id: idSchema, changeId: idSchema }).strict();
export const releaseDeploymentParamsSchema = z.object({ id: idSchema, deploymentId: idSchema }).strict();

export const createReleaseRecordRequestSchema = z
  .object({
    kind: releaseRecordKindSchema,
    name: z.string().trim().min(1).max(200),
    result: releaseRecordResultSchema,
    link: z.url({ protocol: /^https?$/ }).max(1000).nullable().default(null),
    notes: text(5000).default(''),
  })
  .strict();
export type CreateReleaseRecordRequest = z.input<typeof createReleaseRecordRequestSchema>;

export const createReleaseDeploymentRequestSchema = z
  .object({
    environment: z.string().trim().min(1).max(64),
    plannedAt: dateTimeInput.nullable().default(null),
    startedAt: dateTimeInput.nullable().default(null),
    finishedAt: dateTimeInput.nullable().default(null),
    result: releaseDeploymentResultSchema.nullable().default(null),
    notes: text(5000).default(''),
  })
  .strict();
export type CreateReleaseDeploymentRequest = z.input<typeof createReleaseDeploymentRequestSchema>;

export const updateReleaseDeploymentRequestSchema = z
  .object({
    version: z.number().int().min(1),
    environment: z.string().trim().min(1).max(64).optional(),
    plannedAt: dateTimeInput.nullable().optional(),
    startedAt: dateTimeInput.nullable().optional(),
    finishedAt: dateTimeInput.nullable().optional(),
    result: releaseDeploymentResultSchema.nullable().optional(),
    notes: text(5000).optional(),
  })
  .strict();
export type UpdateReleaseDeploymentRequest = z.input<typeof updateReleaseDeploymentRequestSchema>;

/**
 * Records that the CMDB was updated. When some CIs were not bumped the server refuses
 * (RELEASE_CMDB_CIS_NOT_BUMPED, details.unbumped) unless `overrideNote` says why it is fine.
 */
export const releaseCmdbConfirmationRequestSchema = z
  .object({
    note: text(2000).optional(),
    overrideNote: text(2000).optional(),
  })
  .strict();
export type ReleaseCmdbConfirmationRequest = z.input<typeof releaseCmdbConfirmationRequestSchema>;

export const releaseReportQuerySchema = z
  .object({
    from: dateTimeInput,
    to: dateTimeInput,
    orgId: z.coerce.number().int().positive().optional(),
  })
  .strict();
export type ReleaseReportQuery = z.input<typeof releaseReportQuerySchema>;

const rate = z.number().min(0).max(1).nullable();

/**
 * Releases whose outcome (the transition into completed or rolled_back) falls in [from, to).
 * Rates are null when their denominator is 0.
 */
export const releaseReportSchema = z.object({
  from: isoDateTime,
  to: isoDateTime,
  /** Releases that reached an outcome in the window. */
  finished: z.number().int(),
  completed: z.number().int(),
  rolledBack: z.number().int(),
  /** completed / finished. */
  successRate: rate,
  /** rolledBack / finished. */
  rollbackRate: rate,
  /** Finished releases with a planned date. */
  withPlannedDate: z.number().int(),
  /** Of those, the first production deployment finished by the planned date. */
  onTime: z.number().int(),
  onTimeRate: rate,
  /** Deployments (any environment) of those releases with a result. */
  deployments: z.object({
    total: z.number().int(),
    success: z.number().int(),
    failed: z.number().int(),
    rolledBack: z.number().int(),
    successRate: rate,
  }),
});
export type ReleaseReport = z.infer<typeof releaseReportSchema>;
