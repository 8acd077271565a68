import { z } from 'zod';
import { isoDateTime, pageOf, pageQuerySchema } from './common.contract.ts';
import { vendorMoneySchema } from './vendors.contract.ts';

/**
 * 维修单 states. In warranty: open -> sent_to_vendor -> returned -> closed. Out of warranty:
 * open -> cost_pending -> approved | rejected; approved -> in_repair -> returned -> closed;
 * rejected -> closed or cost_pending (new estimate). Any non-final state -> cancelled.
 */
export const REPAIR_STATUSES = ['open', 'sent_to_vendor', 'cost_pending', 'approved', 'rejected', 'in_repair', 'returned', 'closed', 'cancelled'] as const;
export const repairStatusSchema = z.enum(REPAIR_STATUSES);
export type RepairStatus = z.infer<typeof repairStatusSchema>;
export const REPAIR_ACTIONS = ['send', 'estimate', 'approve', 'reject', 'start', 'return', 'close', 'cancel'] as const;
export const repairActionSchema = z.enum(REPAIR_ACTIONS);
export type RepairAction = z.infer<typeof repairActionSchema>;
export const REPAIR_OUTCOMES = ['repaired', 'replaced', 'unrepairable'] as const;
export const repairOutcomeSchema = z.enum(REPAIR_OUTCOMES);
export type RepairOutcome = z.infer<typeof repairOutcomeSchema>;

const id = z.number().int().positive();
const boolQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const repairOrderSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  assetId: z.number().int(),
  assetTag: z.string(),
  assetName: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  ticketId: z.number().int().nullable(),
  ticketNumber: z.string().nullable(),
  vendorId: z.number().int().nullable(),
  vendorName: z.string().nullable(),
  contractId: z.number().int().nullable(),
  contractNumber: z.string().nullable(),
  /** The contract's resolution hours, the yardstick for "overdue". */
  resolutionHours: z.number().nullable(),
  fault: z.string(),
  inWarranty: z.boolean(),
  /** Why it is (not) in warranty: the asset's warranty date, an active maintenance contract, or neither. */
  warrantyBasis: z.enum(['warranty', 'contract', 'none']),
  status: repairStatusSchema,
  rmaNumber: z.string().nullable(),
  sentAt: isoDateTime.nullable(),
  returnedAt: isoDateTime.nullable(),
  estimatedCost: z.string().nullable(),
  requestedBy: z.number().int().nullable(),
  requestedByName: z.string().nullable(),
  approvedBy: z.number().int().nullable(),
  approvedAt: isoDateTime.nullable(),
  rejectedBy: z.number().int().nullable(),
  rejectedAt: isoDateTime.nullable(),
  decisionComment: z.string().nullable(),
  outcome: repairOutcomeSchema.nullable(),
  actualCost: z.string().nullable(),
  closedAt: isoDateTime.nullable(),
  /** Hours from sent (in warranty) or approved (out of warranty) to returned; up to now while still out. */
  turnaroundHours: z.number().nullable(),
  overdue: z.boolean(),
  createdBy: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type RepairOrder = z.infer<typeof repairOrderSchema>;

export const repairEventSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  note: z.string(),
  at: isoDateTime,
});
export type RepairEvent = z.infer<typeof repairEventSchema>;

export const repairDocumentSchema = z.object({
  id: z.number().int(),
  /** For an uploaded file, its file name. */
  name: z.string(),
  /** A link record's link ('' when none, always '' for an uploaded file). */
  url: z.string(),
  description: z.string(),
  /** The uploaded file (type sniffed from its bytes); null for a link record. */
  file: z.object({ contentType: z.string(), size: z.number().int() }).nullable(),
  /** Where an uploaded file is downloaded (`/api/repair-documents/:id/download`); null for a link record. */
  downloadUrl: z.string().nullable(),
  addedBy: z.number().int().nullable(),
  addedByName: z.string().nullable(),
  addedAt: isoDateTime,
});
export type RepairDocument = z.infer<typeof repairDocumentSchema>;

export const repairOrderDetailSchema = repairOrderSchema.extend({
  events: z.array(repairEventSchema),
  documents: z.array(repairDocumentSchema),
  /** Actions the caller may take now (state and permissions). */
  allowedActions: z.array(repairActionSchema),
});
export type RepairOrderDetail = z.infer<typeof repairOrderDetailSchema>;

export const createRepairOrderRequestSchema = z
  .object({
    assetId: id,
    fault: z.string().trim().min(1).max(4000),
    /** Defaults to the asset's vendor. */
    vendorId: id.nullable().default(null),
    /** Defaults to the asset's contract. An active maintenance contract makes the repair in warranty. */
    contractId: id.nullable().default(null),
    /** An incident ticket of the asset's organisation. */
    ticketId: id.nullable().default(null),
  })
  .strict();

export const repairTransitionRequestSchema = z
  .object({
    action: repairActionSchema,
    version: z.number().int().positive(),
    rmaNumber: z.string().trim().min(1).max(60).optional(),
    estimatedCost: vendorMoneySchema.optional(),
    actualCost: vendorMoneySchema.optional(),
    outcome: repairOutcomeSchema.optional(),
    comment: z.string().trim().max(2000).optional(),
  })
  .strict();
export type RepairTransitionRequest = z.output<typeof repairTransitionRequestSchema>;

export const addRepairDocumentRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    url: z.union([z.literal(''), z.string().trim().url().max(1000)]).default(''),
    description: z.string().trim().max(2000).default(''),
  })
  .strict();

/** The text fields of a multipart document upload (the file itself is the part named `file`; other fields are ignored). */
export const uploadRepairDocumentFieldsSchema = z
  .object({
    description: z.string().trim().max(2000).default(''),
  });

export const repairListQuerySchema = pageQuerySchema
  .extend({
    status: repairStatusSchema.optional(),
    /** 'open' = every non-final state. */
    state: z.enum(['open', 'final']).optional(),
    inWarranty: boolQuery.optional(),
    overdue: boolQuery.optional(),
    /** Orders waiting for a cost decision the caller may take (not their own). */
    pendingMyApproval: boolQuery.optional(),
    assetId: z.coerce.number().int().positive().optional(),
    vendorId: z.coerce.number().int().positive().optional(),
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export const repairOrderPageSchema = pageOf(repairOrderSchema);
