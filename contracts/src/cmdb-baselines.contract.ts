import { z } from 'zod';
import { isoDateTime, pageOf } from './common.contract.ts';

const id = z.number().int().positive();
const classKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'lower-case letters, digits, _ and dots')
  .max(60);

/**
 * A baseline freezes the fields and attributes of the selected CIs of one organisation: the CIs named
 * in `ciIds` plus every non-retired CI of the classes in `classKeys` (subclasses included).
 */
export const createCiBaselineRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(2000).default(''),
    orgId: id,
    ciIds: z.array(id).max(10_000).default([]),
    classKeys: z.array(classKey).max(50).default([]),
  })
  .strict();
export type CreateCiBaselineRequest = z.input<typeof createCiBaselineRequestSchema>;

/** Only the label can change: the items stay frozen. */
export const updateCiBaselineRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(120).optional(),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();
export type UpdateCiBaselineRequest = z.input<typeof updateCiBaselineRequestSchema>;

export const ciBaselineSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  ciIds: z.array(z.number().int()),
  classKeys: z.array(z.string()),
  itemCount: z.number().int(),
  createdBy: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type CiBaseline = z.infer<typeof ciBaselineSchema>;
export const ciBaselinePageSchema = pageOf(ciBaselineSchema);

export const ciBaselineListQuerySchema = z
  .object({
    orgId: z.coerce.number().int().positive().optional(),
    /** Baselines that contain this CI. */
    ciId: z.coerce.number().int().positive().optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();

export const ciBaselineItemSchema = z.object({
  ciId: z.number().int(),
  ciVersion: z.number().int(),
  name: z.string(),
  classKey: z.string(),
  snapshot: z.record(z.string(), z.unknown()),
});
export type CiBaselineItem = z.infer<typeof ciBaselineItemSchema>;
export const ciBaselineItemPageSchema = pageOf(ciBaselineItemSchema);

/**
 * One difference between a baseline and now: `changed` (a field or `attr.<key>`, baseline value vs
 * current), `retired` (the CI was retired since), `added` (a CI of a selected class created since).
 */
export const ciDriftKindSchema = z.enum(['changed', 'retired', 'added']);
export type CiDriftKind = z.infer<typeof ciDriftKindSchema>;

export const ciDriftSchema = z.object({
  kind: ciDriftKindSchema,
  ciId: z.number().int(),
  ciName: z.string(),
  classKey: z.string(),
  field: z.string().nullable(),
  baseline: z.unknown(),
  current: z.unknown(),
  baselineVersion: z.number().int().nullable(),
  currentVersion: z.number().int(),
});
export type CiDrift = z.infer<typeof ciDriftSchema>;

export const ciDriftQuerySchema = z
  .object({
    /** Only this CI's drift. */
    ciId: z.coerce.number().int().positive().optional(),
    kind: ciDriftKindSchema.optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const ciDriftReportSchema = z.object({
  baselineId: z.number().int(),
  comparedAt: isoDateTime,
  summary: z.object({
    items: z.number().int(),
    unchanged: z.number().int(),
    changed: z.number().int(),
    retired: z.number().int(),
    added: z.number().int(),
    /** Field-level differences over all changed CIs. */
    fieldChanges: z.number().int(),
  }),
  drifts: pageOf(ciDriftSchema),
});
export type CiDriftReport = z.infer<typeof ciDriftReportSchema>;
