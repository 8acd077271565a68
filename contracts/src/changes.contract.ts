import { z } from 'zod';
import { isoDateTime, pageOf, pageQuerySchema } from './common.contract.ts';
import { ciNodeSchema, impactNodeSchema } from './cmdb-relations.contract.ts';
import { levelSchema, ticketSchema } from './tickets.contract.ts';
import type { Label } from './workflows.contract.ts';

/**
 * Changes (变更): tickets of type 'change' on workflow `change.<changeType>` with change-specific fields,
 * CIs and the business services they impact, a cutover (割接) plan, and a calendar with conflict detection.
 */

export const CHANGE_TYPES = ['standard', 'normal', 'emergency'] as const;
export const changeTypeSchema = z.enum(CHANGE_TYPES);
export type ChangeType = z.infer<typeof changeTypeSchema>;

export const RISK_LEVELS = ['low', 'medium', 'high', 'very_high'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

/* ------------------------------ risk questionnaire ------------------------------ */

export type RiskQuestion = { key: string; label: Label; options: { key: string; label: Label; weight: number }[] };

/**
 * The fixed risk questionnaire. Each answer adds its weight; the sum gives the level (RISK_THRESHOLDS),
 * and two answers force at least `high` (a critical business impact, a rollback that is impossible).
 */
export const RISK_QUESTIONS = [
  {
    key: 'business_impact',
    label: { 'zh-CN': '对业务的影响', 'en-US': 'Business impact' },
    options: [
      { key: 'none', label: { 'zh-CN': '无影响', 'en-US': 'None' }, weight: 0 },
      { key: 'minor', label: { 'zh-CN': '轻微（非核心功能）', 'en-US': 'Minor (non-core functions)' }, weight: 2 },
      { key: 'major', label: { 'zh-CN': '较大（核心功能降级）', 'en-US': 'Major (core functions degraded)' }, weight: 4 },
      { key: 'critical', label: { 'zh-CN': '严重（核心业务中断）', 'en-US': 'Critical (core business down)' }, weight: 6 },
    ],
  },
  {
    key: 'users_affected',
    label: { 'zh-CN': '受影响用户数', 'en-US': 'Users affected' },
    options: [
      { key: 'none', label: { 'zh-CN': '无', 'en-US': 'None' }, weight: 0 },
      { key: 'lt100', label: { 'zh-CN': '少于 100', 'en-US': 'Fewer than 100' }, weight: 1 },
      { key: 'lt1000', label: { 'zh-CN': '100 至 1000', 'en-US': '100 to 1,000' }, weight: 2 },
      { key: 'gte1000', label: { 'zh-CN': '1000 以上', 'en-US': 'More than 1,000' }, weight: 3 },
    ],
  },
  {
    key: 'tested',
    label: { 'zh-CN': '是否已测试', 'en-US': 'Tested before' },
    options: [
      { key: 'prod_like', label: { 'zh-CN': '已在类生产环境完整测试', 'en-US': 'Fully, in a production-like environment' }, weight: 0 },
      { key: 'partial', label: { 'zh-CN': '部分测试', 'en-US': 'Partly' }, weight: 1 },
      { key: 'no', label: { 'zh-CN': '未测试', 'en-US': 'Not tested' }, weight: 3 },
    ],
  },
  {
    key: 'rollback',
    label: { 'zh-CN': '回退复杂度', 'en-US': 'Rollback complexity' },
    options: [
      { key: 'simple', label: { 'zh-CN': '简单（几分钟内可回退）', 'en-US': 'Simple (minutes)' }, weight: 0 },
      { key: 'moderate', label: { 'zh-CN': '一般', 'en-US': 'Moderate' }, weight: 2 },
      { key: 'complex', label: { 'zh-CN': '复杂（需数据恢复）', 'en-US': 'Complex (needs data restore)' }, weight: 3 },
      { key: 'impossible', label: { 'zh-CN': '无法回退', 'en-US': 'Not possible' }, weight: 5 },
    ],
  },
  {
    key: 'window',
    label: { 'zh-CN': '实施时段', 'en-US': 'Change window' },
    options: [
      { key: 'maintenance', label: { 'zh-CN': '维护窗口内', 'en-US': 'Inside a maintenance window' }, weight: 0 },
      { key: 'off_hours', label: { 'zh-CN': '非工作时间', 'en-US': 'Outside business hours' }, weight: 1 },
      { key: 'business_hours', label: { 'zh-CN': '工作时间', 'en-US': 'During business hours' }, weight: 3 },
    ],
  },
  {
    key: 'past_failures',
    label: { 'zh-CN': '同类变更历史失败情况', 'en-US': 'Past failures of similar changes' },
    options: [
      { key: 'none', label: { 'zh-CN': '从未失败', 'en-US': 'Never failed' }, weight: 0 },
      { key: 'some', label: { 'zh-CN': '偶有失败', 'en-US': 'Failed occasionally' }, weight: 2 },
      { key: 'frequent', label: { 'zh-CN': '经常失败', 'en-US': 'Failed often' }, weight: 3 },
    ],
  },
] as const satisfies readonly RiskQuestion[];

type Q = (typeof RISK_QUESTIONS)[number];
type OptionKeyOf<K extends Q['key']> = Extract<Q, { key: K }>['options'][number]['key'];

const optionEnum = <K extends Q['key']>(key: K) => {
  const q = RISK_QUESTIONS.find((x) => x.key === key) as Extract<Q, { key: K }>;
  return z.enum(q.options.map((o) => o.key) as [OptionKeyOf<K>, ...OptionKeyOf<K>[]]);
};

/** Every question answered with one of its options. */
export const riskAnswersSchema = z
  .object({
    business_impact: optionEnum('business_impact'),
    users_affected: optionEnum('users_affected'),
    tested: optionEnum('tested'),
    rollback: optionEnum('rollback'),
    window: optionEnum('window'),
    past_failures: optionEnum('past_failures'),
  })
  .strict();
export type RiskAnswers = z.infer<typeof riskAnswersSchema>;

/** Score at or below which each level applies (above the last: very_high). Max score 23. */
export const RISK_THRESHOLDS = { low: 4, medium: 9, high: 15 } as const;

/** The risk level of a questionnaire (the server's rule; the web shows the same figure while the form is filled in). */
export function assessRisk(answers: RiskAnswers): { score: number; level: RiskLevel } {
  let score = 0;
  for (const q of RISK_QUESTIONS) {
    const chosen = (answers as Record<string, string>)[q.key];
    const opt = (q.options as readonly { key: string; weight: number }[]).find((o) => o.key === chosen);
    score += opt?.weight ?? 0;
  }
  let level: RiskLevel = score <= RISK_THRESHOLDS.low ? 'low' : score <= RISK_THRESHOLDS.medium ? 'medium' : score <= RISK_THRESHOLDS.high ? 'high' : 'very_high';
  const forcedHigh = answers.business_impact === 'critical' || answers.rollback === 'impossible';
  if (forcedHigh && (level === 'low' || level === 'medium')) level = 'high';
  return { score, level };
}

/* ------------------------------ cutover plan ------------------------------ */

export const CUTOVER_STEP_STATES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export const cutoverStepStateSchema = z.enum(CUTOVER_STEP_STATES);
export type CutoverStepState = z.infer<typeof cutoverStepStateSchema>;

export const cutoverStepInputSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    ownerId: z.number().int().positive().nullable().default(null),
    /** Minutes after the planned start. */
    offsetMinutes: z.number().int().min(0).max(60 * 24 * 30).default(0),
    durationMinutes: z.number().int().min(0).max(60 * 24 * 7).default(0),
  })
  .strict();
export type CutoverStepInput = z.input<typeof cutoverStepInputSchema>;

export const cutoverStepSchema = z.object({
  id: z.number().int(),
  position: z.number().int(),
  title: z.string(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  offsetMinutes: z.number().int(),
  durationMinutes: z.number().int(),
  state: cutoverStepStateSchema,
  result: z.string().nullable(),
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
  executedBy: z.number().int().nullable(),
  executedByName: z.string().nullable(),
});
export type CutoverStep = z.infer<typeof cutoverStepSchema>;

export const setCutoverRequestSchema = z.object({ steps: z.array(cutoverStepInputSchema).max(200) }).strict();
export type SetCutoverRequest = z.input<typeof setCutoverRequestSchema>;

/**
 * One execution action on a step: start (pending -> running), done / fail (running -> done / failed, with the
 * result), skip (pending -> skipped, with the reason as result).
 */
export const cutoverActionSchema = z.enum(['start', 'done', 'fail', 'skip']);
export const executeCutoverStepRequestSchema = z
  .object({
    action: cutoverActionSchema,
    result: z.string().trim().max(5000).optional(),
  })
  .strict();
export type ExecuteCutoverStepRequest = z.input<typeof executeCutoverStepRequestSchema>;
export const cutoverStepParamsSchema = z.object({ id: z.coerce.number().int().positive(), stepId: z.coerce.number().int().positive() }).strict();

/* ------------------------------ templates ------------------------------ */

/** What a standard change created from the template starts with. */
export const changeTemplateDefaultsSchema = z
  .object({
    reason: z.string().max(5000).default(''),
    scope: z.string().max(5000).default(''),
    implementationPlan: z.string().max(20000).default(''),
    testPlan: z.string().max(20000).default(''),
    rollbackPlan: z.string().max(20000).default(''),
    riskAnswers: riskAnswersSchema.nullable().default(null),
    outageExpected: z.boolean().default(false),
    outageMinutes: z.number().int().min(0).max(60 * 24 * 7).nullable().default(null),
    cutoverSteps: z.array(cutoverStepInputSchema).max(200).default([]),
  })
  .strict();
export type ChangeTemplateDefaults = z.output<typeof changeTemplateDefaultsSchema>;

export const changeTemplateSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  defaults: changeTemplateDefaultsSchema,
  active: z.boolean(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type ChangeTemplate = z.infer<typeof changeTemplateSchema>;

export const createChangeTemplateRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).default(''),
    defaults: changeTemplateDefaultsSchema,
    active: z.boolean().default(true),
  })
  .strict();
export type CreateChangeTemplateRequest = z.input<typeof createChangeTemplateRequestSchema>;

export const updateChangeTemplateRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(120).optional(),
    description: z.string().max(2000).optional(),
    defaults: changeTemplateDefaultsSchema.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateChangeTemplateRequest = z.input<typeof updateChangeTemplateRequestSchema>;

/* ------------------------------ changes ------------------------------ */

const plan = (max: number) => z.string().max(max);

export const createChangeRequestSchema = z
  .object({
    changeType: changeTypeSchema,
    /** Required for standard changes (a pre-approved template); its defaults fill the fields not given. */
    templateId: z.number().int().positive().nullable().optional(),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(20000).default(''),
    orgId: z.number().int().positive().optional(),
    impact: levelSchema.default(3),
    urgency: levelSchema.default(3),
    category: z.string().trim().max(100).nullable().optional(),
    assignmentGroupId: z.number().int().positive().nullable().optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    reason: plan(5000).optional(),
    scope: plan(5000).optional(),
    riskAnswers: riskAnswersSchema.optional(),
    implementationPlan: plan(20000).optional(),
    testPlan: plan(20000).optional(),
    /** Mandatory (回退方案): refused with CHANGE_ROLLBACK_PLAN_REQUIRED when empty. */
    rollbackPlan: plan(20000).optional(),
    plannedStart: isoDateTime.datetime({ offset: true }).nullable().optional(),
    plannedEnd: isoDateTime.datetime({ offset: true }).nullable().optional(),
    outageExpected: z.boolean().optional(),
    outageMinutes: z.number().int().min(0).max(60 * 24 * 7).nullable().optional(),
    ciIds: z.array(z.number().int().positive()).max(100).default([]),
    cutoverSteps: z.array(cutoverStepInputSchema).max(200).optional(),
  })
  .strict();
export type CreateChangeRequest = z.input<typeof createChangeRequestSchema>;

/** Edits while the change is being prepared (draft, assessment); `version` is the change record's version. */
export const updateChangeRequestSchema = z
  .object({
    version: z.number().int().min(1),
    reason: plan(5000).optional(),
    scope: plan(5000).optional(),
    riskAnswers: riskAnswersSchema.optional(),
    implementationPlan: plan(20000).optional(),
    testPlan: plan(20000).optional(),
    rollbackPlan: plan(20000).optional(),
    plannedStart: isoDateTime.datetime({ offset: true }).nullable().optional(),
    plannedEnd: isoDateTime.datetime({ offset: true }).nullable().optional(),
    outageExpected: z.boolean().optional(),
    outageMinutes: z.number().int().min(0).max(60 * 24 * 7).nullable().optional(),
    ciIds: z.array(z.number().int().positive()).max(100).optional(),
  })
  .strict();
export type UpdateChangeRequest = z.input<typeof updateChangeRequestSchema>;

export const changeFieldsSchema = z.object({
  changeType: changeTypeSchema,
  templateId: z.number().int().nullable(),
  templateName: z.string().nullable(),
  reason: z.string(),
  scope: z.string(),
  riskAnswers: riskAnswersSchema.nullable(),
  riskLevel: riskLevelSchema,
  riskScore: z.number().int(),
  implementationPlan: z.string(),
  testPlan: z.string(),
  rollbackPlan: z.string(),
  plannedStart: isoDateTime.nullable(),
  plannedEnd: isoDateTime.nullable(),
  outageExpected: z.boolean(),
  outageMinutes: z.number().int().nullable(),
  actualStart: isoDateTime.nullable(),
  actualEnd: isoDateTime.nullable(),
  outcome: z.string().nullable(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type ChangeFields = z.infer<typeof changeFieldsSchema>;

/* ------------------------------ conflicts ------------------------------ */

const otherChange = {
  changeId: z.number().int(),
  number: z.string(),
  /** null when the other change is outside the caller's tenant scope. */
  title: z.string().nullable(),
  state: z.string(),
  plannedStart: isoDateTime,
  plannedEnd: isoDateTime,
};

/**
 * Why a change's planned window is a problem: another active change touches one of its CIs (`ci_overlap`) or
 * impacted business services (`service_overlap`) in an overlapping window; the window overlaps a blackout
 * (`blackout`); or it lies outside every maintenance window of an impacted service that has some (`outside_maintenance`).
 */
export const changeConflictSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ci_overlap'), ...otherChange, cis: z.array(z.object({ id: z.number().int(), name: z.string() })) }),
  z.object({ kind: z.literal('service_overlap'), ...otherChange, services: z.array(z.object({ id: z.number().int(), name: z.string() })) }),
  z.object({
    kind: z.literal('blackout'),
    windowId: z.number().int(),
    name: z.string(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    serviceId: z.number().int().nullable(),
    serviceName: z.string().nullable(),
  }),
  z.object({ kind: z.literal('outside_maintenance'), serviceId: z.number().int(), serviceName: z.string() }),
]);
export type ChangeConflict = z.infer<typeof changeConflictSchema>;
export const changeConflictsSchema = z.object({ changeId: z.number().int(), checkedAt: isoDateTime, conflicts: z.array(changeConflictSchema) });
export type ChangeConflicts = z.infer<typeof changeConflictsSchema>;

/* ------------------------------ detail / list ------------------------------ */

export const changeDetailSchema = z.object({
  ticket: ticketSchema,
  change: changeFieldsSchema,
  cis: z.array(ciNodeSchema),
  services: z.array(impactNodeSchema.extend({ depth: z.number().int().nullable() })),
  cutover: z.array(cutoverStepSchema),
  conflicts: z.array(changeConflictSchema),
});
export type ChangeDetail = z.infer<typeof changeDetailSchema>;

export const changeSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  changeType: changeTypeSchema,
  riskLevel: riskLevelSchema,
  plannedStart: isoDateTime.nullable(),
  plannedEnd: isoDateTime.nullable(),
  assigneeName: z.string().nullable(),
  ciCount: z.number().int(),
  createdAt: isoDateTime,
});
export type ChangeSummary = z.infer<typeof changeSummarySchema>;

export const changeListQuerySchema = pageQuerySchema
  .extend({
    changeType: changeTypeSchema.optional(),
    state: z.string().trim().max(48).optional(),
    riskLevel: riskLevelSchema.optional(),
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export const changePageSchema = pageOf(changeSummarySchema);
export type ChangePage = z.infer<typeof changePageSchema>;

/* ------------------------------ windows ------------------------------ */

export const CHANGE_WINDOW_KINDS = ['blackout', 'maintenance'] as const;
export const changeWindowKindSchema = z.enum(CHANGE_WINDOW_KINDS);
export type ChangeWindowKind = z.infer<typeof changeWindowKindSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');

/** Weekly recurrence of a maintenance window: on these weekdays (1 = Monday .. 7 = Sunday) from `start` to `end` local time (an end at or before the start runs past midnight). */
export const changeWindowRecurrenceSchema = z
  .object({
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    start: hhmm,
    end: hhmm,
    timeZone: z.string().trim().min(1).max(64).default('Asia/Shanghai'),
  })
  .strict();
export type ChangeWindowRecurrence = z.output<typeof changeWindowRecurrenceSchema>;

export const changeWindowSchema = z.object({
  id: z.number().int(),
  kind: changeWindowKindSchema,
  name: z.string(),
  serviceId: z.number().int().nullable(),
  serviceName: z.string().nullable(),
  startsAt: isoDateTime,
  endsAt: isoDateTime.nullable(),
  recurrence: changeWindowRecurrenceSchema.nullable(),
  note: z.string(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type ChangeWindow = z.infer<typeof changeWindowSchema>;

const windowFields = {
  kind: changeWindowKindSchema,
  name: z.string().trim().min(1).max(120),
  /** A business service CI; null = global (blackouts only). */
  serviceId: z.number().int().positive().nullable().default(null),
  startsAt: isoDateTime.datetime({ offset: true }),
  /** Required except for a recurring maintenance window (null = no end). */
  endsAt: isoDateTime.datetime({ offset: true }).nullable().default(null),
  recurrence: changeWindowRecurrenceSchema.nullable().default(null),
  note: z.string().max(2000).default(''),
};
export const createChangeWindowRequestSchema = z.object(windowFields).strict();
export type CreateChangeWindowRequest = z.input<typeof createChangeWindowRequestSchema>;
export const updateChangeWindowRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: windowFields.name.optional(),
    serviceId: z.number().int().positive().nullable().optional(),
    startsAt: windowFields.startsAt.optional(),
    endsAt: isoDateTime.datetime({ offset: true }).nullable().optional(),
    recurrence: changeWindowRecurrenceSchema.nullable().optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type UpdateChangeWindowRequest = z.input<typeof updateChangeWindowRequestSchema>;
export const changeWindowListQuerySchema = z
  .object({
    kind: changeWindowKindSchema.optional(),
    from: isoDateTime.datetime({ offset: true }).optional(),
    to: isoDateTime.datetime({ offset: true }).optional(),
  })
  .strict();

/* ------------------------------ calendar ------------------------------ */

/** At most 62 days per calendar request (a month view with its leading / trailing days). */
export const changeCalendarQuerySchema = z
  .object({
    from: isoDateTime.datetime({ offset: true }),
    to: isoDateTime.datetime({ offset: true }),
  })
  .strict();

export const calendarChangeSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  changeType: changeTypeSchema,
  riskLevel: riskLevelSchema,
  plannedStart: isoDateTime,
  plannedEnd: isoDateTime,
  ciCount: z.number().int(),
  conflicts: z.array(changeConflictSchema),
});
export type CalendarChange = z.infer<typeof calendarChangeSchema>;

/** A window occurrence inside the calendar range (recurring maintenance windows expanded). */
export const calendarWindowSchema = z.object({
  windowId: z.number().int(),
  kind: changeWindowKindSchema,
  name: z.string(),
  serviceId: z.number().int().nullable(),
  serviceName: z.string().nullable(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
});
export type CalendarWindow = z.infer<typeof calendarWindowSchema>;

export const changeCalendarSchema = z.object({
  from: isoDateTime,
  to: isoDateTime,
  changes: z.array(calendarChangeSchema),
  windows: z.array(calendarWindowSchema),
});
export type ChangeCalendar = z.infer<typeof changeCalendarSchema>;

/* ------------------------------ reports ------------------------------ */

export const changeReportQuerySchema = z
  .object({
    from: isoDateTime.datetime({ offset: true }),
    to: isoDateTime.datetime({ offset: true }),
    /** Only this organisation's changes (within the caller's scope). */
    orgId: z.coerce.number().int().positive().optional(),
  })
  .strict();

export const unapprovedChangeSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  changeType: changeTypeSchema,
  state: z.string(),
  /** no_approval: no approved run of the required approval; approved_after: it entered implementing before the approval was decided. */
  reason: z.enum(['no_approval', 'approved_after']),
  implementingAt: isoDateTime.nullable(),
  approvedAt: isoDateTime.nullable(),
});
export type UnapprovedChange = z.infer<typeof unapprovedChangeSchema>;

export const changeReportSchema = z.object({
  from: isoDateTime,
  to: isoDateTime,
  /** Changes created in the period, by type. */
  created: z.object({ total: z.number().int(), standard: z.number().int(), normal: z.number().int(), emergency: z.number().int() }),
  /** emergency / created (0..1; null when nothing was created). */
  emergencyRatio: z.number().nullable(),
  /** Changes that finished implementation (actual end) in the period, by outcome. */
  finished: z.object({
    total: z.number().int(),
    completedSuccessful: z.number().int(),
    completedWithIssues: z.number().int(),
    rolledBack: z.number().int(),
    failed: z.number().int(),
  }),
  /** completed_successful / finished (null when none finished). */
  successRate: z.number().nullable(),
  /** Must be zero: changes that reached implementing without the required approval, found from the data itself. */
  implementedWithoutApproval: z.number().int(),
  unapproved: z.array(unapprovedChangeSchema),
  /** Mean number of CIs per change created in the period (null when none). */
  averageCisPerChange: z.number().nullable(),
});
export type ChangeReport = z.infer<typeof changeReportSchema>;
