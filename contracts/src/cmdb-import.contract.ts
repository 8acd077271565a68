import { z } from 'zod';
import { ciImportanceSchema, ciStatusSchema } from './cmdb.contract.ts';

/** Import modes: a dry run writes nothing; all-or-nothing refuses the whole file on any error; valid-only writes the rows without errors. */
export const cmdbImportModeSchema = z.enum(['dry_run', 'all_or_nothing', 'valid_only']);
export type CmdbImportMode = z.infer<typeof cmdbImportModeSchema>;

/** Row-level problems of an import, each with a stable code. */
export const cmdbImportIssueCodeSchema = z.enum([
  'VALUE_INVALID',
  'REQUIRED',
  'ORG_UNKNOWN',
  'USER_UNKNOWN',
  'GROUP_UNKNOWN',
  'REFERENCE_UNKNOWN',
  'DUPLICATE_IDENTIFIER',
  'CONFLICT',
  'RELATION_TYPE_UNKNOWN',
  'RELATION_CI_UNKNOWN',
  'RELATION_NOT_ALLOWED',
  'RELATION_CROSS_ORG',
  'RELATION_SELF',
  'ROW_INVALID',
]);
export type CmdbImportIssueCode = z.infer<typeof cmdbImportIssueCodeSchema>;

export const cmdbImportIssueSchema = z.object({
  sheet: z.string(),
  /** 1-based, as Excel shows it (the header is row 1). */
  row: z.number().int(),
  /** Column letter, e.g. "C"; empty when the problem concerns the whole row. */
  column: z.string(),
  header: z.string(),
  code: cmdbImportIssueCodeSchema,
  message: z.string(),
});
export type CmdbImportIssue = z.infer<typeof cmdbImportIssueSchema>;

export const cmdbImportReportSchema = z.object({
  mode: cmdbImportModeSchema,
  /** True when the database was changed (never for a dry run or a refused all-or-nothing import). */
  committed: z.boolean(),
  counts: z.object({
    rows: z.number().int(),
    valid: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    relations: z.number().int(),
    relationsCreated: z.number().int(),
  }),
  sheets: z.array(z.object({ sheet: z.string(), classKey: z.string(), rows: z.number().int() })),
  errors: z.array(cmdbImportIssueSchema),
});
export type CmdbImportReport = z.infer<typeof cmdbImportReportSchema>;

export const cmdbImportFieldsSchema = z.object({
  mode: cmdbImportModeSchema.default('dry_run'),
  /** Required for CSV (one class per file); ignored for xlsx. */
  classKey: z.string().trim().max(60).optional(),
});

export const cmdbExportQuerySchema = z
  .object({
    classKey: z.string().trim().min(1).max(60),
    orgId: z.coerce.number().int().positive().optional(),
  })
  .strict();

// ---- reconciliation API for discovery tools ----

export const CMDB_RECONCILE_MAX_ITEMS = 1000;

const optText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

export const reconcileItemSchema = z
  .object({
    /** Class key, e.g. "server.vm". */
    class: z.string().trim().min(1).max(60),
    /** Optional when the class has a naming rule the identifiers fill. */
    name: z.string().trim().min(1).max(200).optional(),
    /** Organisation id or code. */
    org: z.union([z.number().int().positive(), z.string().trim().min(1).max(60)]),
    identifiers: z
      .object({
        serialNumber: optText(100),
        assetTag: optText(100),
        cloudId: optText(200),
        hostname: optText(200),
        ip: optText(64),
      })
      .strict()
      .default({}),
    attributes: z.record(z.string().max(40), z.unknown()).default({}),
    status: ciStatusSchema.optional(),
    importance: ciImportanceSchema.optional(),
    location: z.string().trim().max(200).nullable().optional(),
  })
  .strict();
export type ReconcileItem = z.infer<typeof reconcileItemSchema>;

export const reconcileRequestSchema = z
  .object({
    /** Who sends the batch (tool name), kept in the audit log. */
    source: z.string().trim().min(1).max(100),
    items: z.array(reconcileItemSchema).min(1).max(CMDB_RECONCILE_MAX_ITEMS),
  })
  .strict();

export const reconcileOutcomeSchema = z.enum(['created', 'updated', 'unchanged', 'conflict']);
export type ReconcileOutcome = z.infer<typeof reconcileOutcomeSchema>;

export const reconcileConflictReasonSchema = z.enum([
  'identifiers_split',
  'class_mismatch',
  'org_mismatch',
  'org_unknown',
  'class_unknown',
  'attribute_invalid',
  'name_required',
  'duplicate_in_batch',
  'ambiguous_name',
  'ci_not_found',
]);
export type ReconcileConflictReason = z.infer<typeof reconcileConflictReasonSchema>;

export const reconcileItemResultSchema = z.object({
  index: z.number().int(),
  outcome: reconcileOutcomeSchema,
  ciId: z.number().int().nullable(),
  reason: reconcileConflictReasonSchema.optional(),
  message: z.string().optional(),
});
export type ReconcileItemResult = z.infer<typeof reconcileItemResultSchema>;

export const reconcileResultSchema = z.object({
  totals: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), conflict: z.number().int() }),
  items: z.array(reconcileItemResultSchema),
});
export type ReconcileResult = z.infer<typeof reconcileResultSchema>;
