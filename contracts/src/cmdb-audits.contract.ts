import { z } from 'zod';
import { isoDateTime, pageOf } from './common.contract.ts';

/**
 * Data-quality rules of the CMDB. `required_missing`: a required attribute of the CI's class (inherited ones
 * included) is empty. `no_owner`: neither owner user nor owner group. `no_service_relation`: no business
 * service depends on the CI, directly or through other CIs. `stale`: not updated for `params.days` days.
 * `duplicate_identifier`: another non-retired CI of the same organisation (and class, when `sameClass`) has
 * the same `params.identifier` (name, hostname, ip, serialNumber, assetTag, cloudId or attr.<key>).
 */
export const cmdbAuditRuleKindSchema = z.enum(['required_missing', 'no_owner', 'no_service_relation', 'stale', 'duplicate_identifier']);
export type CmdbAuditRuleKind = z.infer<typeof cmdbAuditRuleKindSchema>;

export const cmdbAuditRuleParamsSchema = z
  .object({
    days: z.number().int().min(1).max(3650).optional(),
    identifier: z.string().trim().max(60).optional(),
    sameClass: z.boolean().optional(),
  })
  .strict();
export type CmdbAuditRuleParams = z.infer<typeof cmdbAuditRuleParamsSchema>;

const classKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'lower-case letters, digits, _ and dots')
  .max(60);

export const cmdbAuditRuleSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  name: z.string(),
  kind: cmdbAuditRuleKindSchema,
  /** Class scope (subclasses included); null = every class. */
  classKey: z.string().nullable(),
  params: cmdbAuditRuleParamsSchema,
  enabled: z.boolean(),
  builtin: z.boolean(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type CmdbAuditRule = z.infer<typeof cmdbAuditRuleSchema>;

export const createCmdbAuditRuleRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    kind: cmdbAuditRuleKindSchema,
    classKey: classKey.nullable().default(null),
    params: cmdbAuditRuleParamsSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateCmdbAuditRuleRequest = z.input<typeof createCmdbAuditRuleRequestSchema>;

export const updateCmdbAuditRuleRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(120).optional(),
    classKey: classKey.nullable().optional(),
    params: cmdbAuditRuleParamsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type UpdateCmdbAuditRuleRequest = z.input<typeof updateCmdbAuditRuleRequestSchema>;

/** Scheduled audits, in Asia/Shanghai: off, daily at `time`, or weekly on `weekday` (1 = Monday) at `time`. */
export const cmdbAuditScheduleModeSchema = z.enum(['off', 'daily', 'weekly']);
export type CmdbAuditScheduleMode = z.infer<typeof cmdbAuditScheduleModeSchema>;

export const cmdbAuditScheduleSchema = z.object({
  mode: cmdbAuditScheduleModeSchema,
  time: z.string(),
  weekday: z.number().int().nullable(),
  timeZone: z.string(),
  nextRunAt: isoDateTime.nullable(),
  lastRunAt: isoDateTime.nullable(),
  lastRunId: z.number().int().nullable(),
  version: z.number().int(),
});
export type CmdbAuditSchedule = z.infer<typeof cmdbAuditScheduleSchema>;

/** Checked by the server (CMDB_AUDIT_SCHEDULE_INVALID): `time` is HH:MM, `weekday` 1-7 and needed for weekly. */
export const updateCmdbAuditScheduleRequestSchema = z
  .object({
    version: z.number().int().min(1),
    mode: cmdbAuditScheduleModeSchema,
    time: z.string().trim().max(10).default('02:00'),
    weekday: z.number().int().nullable().default(null),
  })
  .strict();
export type UpdateCmdbAuditScheduleRequest = z.input<typeof updateCmdbAuditScheduleRequestSchema>;

export const cmdbAuditTriggerSchema = z.enum(['manual', 'scheduled']);

const tally = {
  cisChecked: z.number().int(),
  cisWithViolations: z.number().int(),
  violations: z.number().int(),
  /** 配置准确率: CIs without any violation / CIs checked x 100; null when nothing was checked. */
  accuracyPct: z.number().nullable(),
};

/** Totals are those of the organisations the reader may see. */
export const cmdbAuditRunSchema = z.object({
  id: z.number().int(),
  trigger: cmdbAuditTriggerSchema,
  startedBy: z.number().int().nullable(),
  startedByName: z.string().nullable(),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  /** The organisations the run covered; null = all. */
  orgIds: z.array(z.number().int()).nullable(),
  rules: z.array(z.object({ id: z.number().int(), name: z.string(), kind: cmdbAuditRuleKindSchema })),
  /** False when the violation list was pruned (only the newest runs keep it). */
  violationsKept: z.boolean(),
  ...tally,
});
export type CmdbAuditRun = z.infer<typeof cmdbAuditRunSchema>;
export const cmdbAuditRunPageSchema = pageOf(cmdbAuditRunSchema);

export const cmdbAuditReportSchema = z.object({
  run: cmdbAuditRunSchema,
  byClass: z.array(z.object({ classId: z.number().int(), classKey: z.string(), className: z.string(), ...tally })),
  byOwner: z.array(
    z.object({ ownerKind: z.enum(['user', 'group', 'none']), ownerId: z.number().int().nullable(), ownerName: z.string().nullable(), ...tally }),
  ),
  byRule: z.array(z.object({ ruleId: z.number().int(), name: z.string(), kind: cmdbAuditRuleKindSchema, violations: z.number().int() })),
});
export type CmdbAuditReport = z.infer<typeof cmdbAuditReportSchema>;

export const cmdbAuditViolationSchema = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  ruleName: z.string(),
  kind: cmdbAuditRuleKindSchema,
  ciId: z.number().int(),
  ciName: z.string(),
  classKey: z.string(),
  className: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  ownerUserId: z.number().int().nullable(),
  ownerUserName: z.string().nullable(),
  ownerGroupId: z.number().int().nullable(),
  ownerGroupName: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type CmdbAuditViolation = z.infer<typeof cmdbAuditViolationSchema>;
export const cmdbAuditViolationPageSchema = pageOf(cmdbAuditViolationSchema);

export const cmdbAuditViolationQuerySchema = z
  .object({
    ruleId: z.coerce.number().int().positive().optional(),
    classId: z.coerce.number().int().positive().optional(),
    ciId: z.coerce.number().int().positive().optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const cmdbAuditRunListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
