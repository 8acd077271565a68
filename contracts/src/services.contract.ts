import { z } from 'zod';
import { idSchema, isoDateTime } from './common.contract.ts';

/**
 * Business services with an availability target, planned maintenance windows and outages
 * (section 4 of the SLA issue). A target is a percentage (0 < t < 100) or a yearly downtime
 * budget in hours, converted on an 8760-hour year: "<= 20 h/year" = 1 - 20/8760 = 99.7717%.
 */

const instant = z.iso.datetime({ offset: true });
const targetPct = z.number().gt(0).lt(100);
/** Hours of downtime per year; converted with 8760 h (a leap year uses the same percentage). */
const budgetHoursPerYear = z.number().gt(0).lt(8760);

export const serviceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  targetPct: z.number(),
  /** Set when the target was given as a yearly budget. */
  budgetHoursPerYear: z.number().nullable(),
  calendarId: z.number().int(),
  calendarName: z.string(),
  timeZone: z.string(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Service = z.infer<typeof serviceSchema>;

/** The list row: the service plus this month's figures. */
export const serviceSummarySchema = serviceSchema.extend({
  month: z.object({
    key: z.string(),
    availabilityPct: z.number().nullable(),
    budgetMinutes: z.number(),
    usedMinutes: z.number(),
    leftMinutes: z.number(),
    usedPct: z.number().nullable(),
  }),
});
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;

export const createServiceRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(2000).default(''),
    orgId: idSchema.nullable().optional(),
    calendarId: idSchema,
    /** Give exactly one of targetPct and budgetHoursPerYear. */
    targetPct: targetPct.optional(),
    budgetHoursPerYear: budgetHoursPerYear.optional(),
  })
  .strict();

export const updateServiceRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(2000).optional(),
    orgId: idSchema.nullable().optional(),
    calendarId: idSchema.optional(),
    /** At most one of targetPct and budgetHoursPerYear. */
    targetPct: targetPct.optional(),
    budgetHoursPerYear: budgetHoursPerYear.optional(),
    active: z.boolean().optional(),
  })
  .strict();

export const maintenanceWindowSchema = z.object({
  id: z.number().int(),
  serviceId: z.number().int(),
  title: z.string(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  createdBy: z.number().int().nullable(),
  createdAt: isoDateTime,
});
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

export const createMaintenanceWindowRequestSchema = z
  .object({ title: z.string().trim().min(1).max(200), startsAt: instant, endsAt: instant })
  .strict();

export const updateMaintenanceWindowRequestSchema = z
  .object({ title: z.string().trim().min(1).max(200).optional(), startsAt: instant.optional(), endsAt: instant.optional() })
  .strict();

export const outageImpactSchema = z.enum(['full', 'partial']);
export type OutageImpact = z.infer<typeof outageImpactSchema>;

export const outageSchema = z.object({
  id: z.number().int(),
  serviceId: z.number().int(),
  serviceName: z.string(),
  ticketId: z.number().int().nullable(),
  ticketNumber: z.string().nullable(),
  ticketTitle: z.string().nullable(),
  startedAt: isoDateTime,
  /** Null while the outage is ongoing. */
  endedAt: isoDateTime.nullable(),
  impact: outageImpactSchema,
  /** Share of the service lost: 1 for full, 0 < w <= 1 for partial. */
  weight: z.number(),
  note: z.string(),
  version: z.number().int(),
  createdBy: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Outage = z.infer<typeof outageSchema>;

const weight = z.number().gt(0).lte(1);

export const createOutageRequestSchema = z
  .object({
    /** The service-impacting incident, when there is one; it must be an incident the caller can see. */
    ticketId: idSchema.nullable().optional(),
    startedAt: instant,
    endedAt: instant.nullable().optional(),
    impact: outageImpactSchema,
    /** Required for a partial outage; a full outage always weighs 1. */
    weight: weight.optional(),
    note: z.string().trim().max(2000).default(''),
  })
  .strict();

export const updateOutageRequestSchema = z
  .object({
    version: z.number().int().min(1),
    ticketId: idSchema.nullable().optional(),
    startedAt: instant.optional(),
    endedAt: instant.nullable().optional(),
    impact: outageImpactSchema.optional(),
    weight: weight.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const serviceItemParamsSchema = z.object({ id: idSchema, itemId: idSchema }).strict();

export const availabilityQuerySchema = z.object({ at: instant.optional() }).strict();

export const periodKindSchema = z.enum(['month', 'quarter', 'year']);
export type PeriodKind = z.infer<typeof periodKindSchema>;

export const periodAvailabilitySchema = z.object({
  kind: periodKindSchema,
  /** 'month:2026-11', 'quarter:2026-Q4' or 'year:2026'. */
  key: z.string(),
  from: isoDateTime,
  to: isoDateTime,
  /** Agreed service time of the whole period (calendar time minus maintenance windows). */
  astMinutes: z.number(),
  astElapsedMinutes: z.number(),
  maintenanceMinutes: z.number(),
  downtimeMinutes: z.number(),
  /** To date; null before any agreed service time has passed. */
  availabilityPct: z.number().nullable(),
  budgetMinutes: z.number(),
  usedMinutes: z.number(),
  /** Negative once the budget is overspent. */
  leftMinutes: z.number(),
  usedPct: z.number().nullable(),
  /** Times the sustainable rate (1 = on course to use exactly the budget). */
  burnRate: z.number().nullable(),
  /** Null when the budget would not run out within the period at the current rate. */
  projectedExhaustionAt: isoDateTime.nullable(),
  exhausted: z.boolean(),
});
export type PeriodAvailabilityDto = z.infer<typeof periodAvailabilitySchema>;

export const serviceAvailabilitySchema = z.object({
  serviceId: z.number().int(),
  at: isoDateTime,
  targetPct: z.number(),
  timeZone: z.string(),
  month: periodAvailabilitySchema,
  quarter: periodAvailabilitySchema,
  year: periodAvailabilitySchema,
});
export type ServiceAvailability = z.infer<typeof serviceAvailabilitySchema>;
