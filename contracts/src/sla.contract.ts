import { z } from 'zod';
import { isoDateTime } from './common.contract.ts';
import { prioritySchema } from './tickets.contract.ts';

export const slaKindSchema = z.enum(['sla', 'ola', 'uc']);
export type SlaKind = z.infer<typeof slaKindSchema>;
export const slaMetricSchema = z.enum(['response', 'resolution', 'update']);
export type SlaMetric = z.infer<typeof slaMetricSchema>;

const id = z.number().int().positive();
/** Minutes of business time; a year of 7x24 is the ceiling. */
const targetMinutes = z.number().int().max(525_600).nullable().default(null);

/** Which tickets a definition applies to; an empty list means "any". Evaluated when a ticket starts and when its priority changes. */
export const slaMatchSchema = z
  .object({
    // SLA clocks follow the incident lifecycle; other ticket types get clocks once clocks read state categories.
    types: z.array(z.enum(['incident'])).max(10).default(['incident']),
    priorities: z.array(prioritySchema).max(4).default([]),
    orgIds: z.array(id).max(500).default([]),
    services: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    categories: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    /** Assignment groups (an OLA is the internal group's promise): matched against the ticket's current group. */
    groupIds: z.array(id).max(100).default([]),
  })
  .strict();
export type SlaMatch = z.infer<typeof slaMatchSchema>;

/** Targets for one priority; null = no clock of that metric for this priority. */
export const slaTargetSchema = z
  .object({
    priority: prioritySchema,
    responseMinutes: targetMinutes,
    resolutionMinutes: targetMinutes,
    /** Periodic update: longest gap between public updates by the provider. */
    updateMinutes: targetMinutes,
  })
  .strict();
export type SlaTarget = z.infer<typeof slaTargetSchema>;

export const escalationRecipientSchema = z.enum(['assignee', 'group_lead', 'managers']);
export const escalationActionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('notify'),
      to: z.array(escalationRecipientSchema).max(3).default([]),
      userIds: z.array(id).max(50).default([]),
      groupIds: z.array(id).max(20).default([]),
    })
    .strict(),
  z.object({ type: z.literal('reassign'), groupId: id }).strict(),
  z.object({ type: z.literal('raise_priority') }).strict(),
]);
export type EscalationAction = z.infer<typeof escalationActionSchema>;

/** An escalation step fires once when a clock reaches `atPct` of its target (100 = breach). */
export const escalationStepSchema = z
  .object({
    atPct: z.number().int().min(1).max(500),
    metrics: z.array(slaMetricSchema).min(1).default(['resolution']),
    actions: z.array(escalationActionSchema).min(1).max(10),
  })
  .strict();
export type EscalationStep = z.infer<typeof escalationStepSchema>;

/** The rules of one definition version. */
export const slaRulesSchema = z
  .object({
    calendarId: id,
    match: slaMatchSchema.default({ types: ['incident'], priorities: [], orgIds: [], services: [], categories: [], groupIds: [] }),
    targets: z.array(slaTargetSchema).min(1).max(4),
    /** Pending reasons that pause the resolution and update clocks (the incident workflow's reasons). */
    pauseOn: z.array(z.string().min(1).max(40)).max(10).default(['customer', 'vendor']),
    /** Priorities whose clocks never pause (e.g. P1). */
    noPausePriorities: z.array(prioritySchema).max(4).default([]),
    /** Warning thresholds in percent of the target. */
    thresholds: z.array(z.number().int().min(1).max(99)).max(5).default([50, 75, 90]),
    escalations: z.array(escalationStepSchema).max(10).default([]),
    /** Reopen resumes the same resolution clock (true) or restarts it from the reopen. */
    reopenResumes: z.boolean().default(true),
    /** A priority change re-targets from the original start (true) or from the change. */
    retroactivePriority: z.boolean().default(true),
    /** Start condition: when the ticket is created, or when it is first assigned (to one of match.groupIds when set). */
    start: z.enum(['created', 'assigned']).default('created'),
    /** Response stops at the first public reply or acceptance (take/start/pend/resolve) by the provider, or only one of them. */
    responseStop: z.enum(['reply_or_accept', 'reply', 'accept']).default('reply_or_accept'),
    /** Resolution stops at resolved (service restored, the ITIL default) or only at closed. */
    resolutionStop: z.enum(['resolved', 'closed']).default('resolved'),
  })
  .strict();
export type SlaRules = z.output<typeof slaRulesSchema>;
export type SlaRulesInput = z.input<typeof slaRulesSchema>;

export const slaDefinitionSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: slaKindSchema,
  description: z.string(),
  active: z.boolean(),
  rank: z.number().int(),
  version: z.number().int(),
  rules: slaRulesSchema,
  calendarName: z.string(),
  updatedAt: isoDateTime,
});
export type SlaDefinition = z.infer<typeof slaDefinitionSchema>;

export const createSlaRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: slaKindSchema.default('sla'),
    description: z.string().max(2000).default(''),
    active: z.boolean().default(true),
    rank: z.number().int().min(0).max(10_000).default(100),
    rules: slaRulesSchema,
  })
  .strict();
export type CreateSlaRequest = z.input<typeof createSlaRequestSchema>;

/** A new version of the rules (and/or new header fields); `version` is the version the client last saw. */
export const updateSlaRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    active: z.boolean().optional(),
    rank: z.number().int().min(0).max(10_000).optional(),
    rules: slaRulesSchema.optional(),
  })
  .strict();
export type UpdateSlaRequest = z.input<typeof updateSlaRequestSchema>;

export const slaVersionSchema = z.object({
  version: z.number().int(),
  rules: slaRulesSchema,
  createdAt: isoDateTime,
  createdByName: z.string().nullable(),
});

/** One clock of a ticket as the UI shows it. Times in business minutes of the clock's calendar. */
export const ticketClockSchema = z.object({
  id: z.number().int(),
  definitionId: z.number().int(),
  definitionName: z.string(),
  kind: slaKindSchema,
  version: z.number().int(),
  metric: slaMetricSchema,
  state: z.enum(['running', 'paused', 'stopped', 'cancelled']),
  targetMinutes: z.number().int(),
  elapsedMinutes: z.number(),
  /** Positive = business minutes left; negative = business minutes overdue. */
  remainingMinutes: z.number(),
  percent: z.number(),
  startedAt: isoDateTime,
  dueAt: isoDateTime.nullable(),
  stoppedAt: isoDateTime.nullable(),
  pausedSince: isoDateTime.nullable(),
  pauseReason: z.string().nullable(),
  breached: z.boolean(),
  breachedAt: isoDateTime.nullable(),
  calendarName: z.string(),
});
export type TicketClock = z.infer<typeof ticketClockSchema>;

/** Recompute the clocks of chosen tickets from their timelines, with the current definitions and calendars. */
export const slaReplayRequestSchema = z
  .object({
    ticketIds: z.array(id).min(1).max(500).optional(),
    /** All tickets that have a clock of this definition (closed ones included). */
    definitionId: id.optional(),
    /** Re-pin the tickets to the definition's current version (otherwise the pinned version is replayed on the current calendar). */
    useCurrentVersion: z.boolean().default(false),
    /** Preview only: report what would change and write nothing. */
    dryRun: z.boolean().default(true),
  })
  .strict()
  .refine((v) => v.ticketIds !== undefined || v.definitionId !== undefined, { message: 'ticketIds or definitionId is required' });

const replaySnapshotSchema = z.object({
  targetMinutes: z.number().int(),
  dueAt: isoDateTime.nullable(),
  breached: z.boolean(),
  elapsedMinutes: z.number(),
  state: z.string(),
  calendarId: z.number().int(),
  version: z.number().int(),
});

export const slaReplayChangeSchema = z.object({
  ticketId: z.number().int(),
  number: z.string(),
  metric: slaMetricSchema,
  definitionName: z.string(),
  change: z.enum(['added', 'removed', 'changed', 'unchanged']),
  before: replaySnapshotSchema.nullable(),
  after: replaySnapshotSchema.nullable(),
});
export const slaReplayResultSchema = z.object({
  dryRun: z.boolean(),
  tickets: z.number().int(),
  changes: z.array(slaReplayChangeSchema),
});
export type SlaReplayResult = z.infer<typeof slaReplayResultSchema>;
