import { z } from 'zod';
import { idSchema, isoDateTime, pageOf } from './common.contract.ts';

const text = (max: number) => z.string().trim().max(max);
const location = z.string().trim().min(1).max(100);
const boolQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const sparePartSchema = z.object({
  id: z.number().int(),
  partNumber: z.string(),
  name: z.string(),
  category: z.string(),
  model: z.string(),
  unit: z.string(),
  minStock: z.number().int(),
  /** null: the provider's shared stock. */
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  notes: z.string(),
  totalQuantity: z.number().int(),
  belowMinimum: z.boolean(),
  nextTestDue: z.string().nullable(),
  testOverdue: z.boolean(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type SparePart = z.infer<typeof sparePartSchema>;
export const sparePartPageSchema = pageOf(sparePartSchema);
export type SparePartPage = z.infer<typeof sparePartPageSchema>;

export const sparePartStockSchema = z.object({ location: z.string(), quantity: z.number().int(), updatedAt: isoDateTime });
export type SparePartStock = z.infer<typeof sparePartStockSchema>;

export const sparePartDetailSchema = sparePartSchema.extend({ stock: z.array(sparePartStockSchema) });
export type SparePartDetail = z.infer<typeof sparePartDetailSchema>;

export const createSparePartRequestSchema = z
  .object({
    partNumber: z.string().trim().min(1).max(60),
    name: z.string().trim().min(1).max(200),
    category: text(100).default(''),
    model: text(200).default(''),
    unit: z.string().trim().min(1).max(20).default('个'),
    minStock: z.number().int().min(0).max(1_000_000).default(0),
    orgId: idSchema.nullable().default(null),
    notes: text(4000).default(''),
  })
  .strict();
export type CreateSparePartRequest = z.input<typeof createSparePartRequestSchema>;

export const updateSparePartRequestSchema = z
  .object({
    version: z.number().int().min(1),
    partNumber: z.string().trim().min(1).max(60).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    category: text(100).optional(),
    model: text(200).optional(),
    unit: z.string().trim().min(1).max(20).optional(),
    minStock: z.number().int().min(0).max(1_000_000).optional(),
    notes: text(4000).optional(),
  })
  .strict();
export type UpdateSparePartRequest = z.input<typeof updateSparePartRequestSchema>;

export const sparePartListQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    category: z.string().trim().max(100).optional(),
    /** A customer organisation, or 'shared' for the provider's own stock. */
    orgId: z.union([z.literal('shared'), z.coerce.number().int().positive()]).optional(),
    belowMinimum: boolQuery.optional(),
    testOverdue: boolQuery.optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export type SparePartListQuery = z.input<typeof sparePartListQuerySchema>;

export const sparePartMovementKindSchema = z.enum(['in', 'out', 'transfer', 'adjust']);
export type SparePartMovementKind = z.infer<typeof sparePartMovementKindSchema>;

/**
 * in: toLocation; out: fromLocation; transfer: both; adjust (盘点调整): toLocation to add
 * or fromLocation to remove, with a reason.
 */
export const createSparePartMovementRequestSchema = z
  .object({
    kind: sparePartMovementKindSchema,
    quantity: z.number().int().min(1).max(1_000_000),
    fromLocation: location.nullable().default(null),
    toLocation: location.nullable().default(null),
    reason: text(500).default(''),
    ticketId: idSchema.nullable().default(null),
  })
  .strict();
export type CreateSparePartMovementRequest = z.input<typeof createSparePartMovementRequestSchema>;

export const sparePartMovementSchema = z.object({
  id: z.number().int(),
  partId: z.number().int(),
  kind: sparePartMovementKindSchema,
  quantity: z.number().int(),
  fromLocation: z.string().nullable(),
  toLocation: z.string().nullable(),
  reason: z.string(),
  ticketId: z.number().int().nullable(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  at: isoDateTime,
});
export type SparePartMovement = z.infer<typeof sparePartMovementSchema>;

export const sparePartMovementResultSchema = z.object({ movement: sparePartMovementSchema, part: sparePartDetailSchema });
export type SparePartMovementResult = z.infer<typeof sparePartMovementResultSchema>;

export const createSparePartTestRequestSchema = z
  .object({
    testedAt: z.iso.date(),
    result: z.enum(['pass', 'fail']),
    note: text(2000).default(''),
    /** When the next periodic test is due; null when no further test is planned. */
    nextDue: z.iso.date().nullable().default(null),
  })
  .strict();
export type CreateSparePartTestRequest = z.input<typeof createSparePartTestRequestSchema>;

export const sparePartTestSchema = z.object({
  id: z.number().int(),
  partId: z.number().int(),
  testedAt: z.string(),
  result: z.enum(['pass', 'fail']),
  note: z.string(),
  testedBy: z.number().int().nullable(),
  testedByName: z.string().nullable(),
  nextDue: z.string().nullable(),
  createdAt: isoDateTime,
});
export type SparePartTest = z.infer<typeof sparePartTestSchema>;
