import { z } from 'zod';
import { idSchema, isoDateTime, pageOf } from './common.contract.ts';

/** Asset lifecycle (资产生命周期): 在库 -> 在用 -> 维修中 -> 已退役 -> 已处置. */
export const ASSET_STATUS_VALUES = ['in_stock', 'in_use', 'under_repair', 'retired', 'disposed'] as const;
export const assetStatusSchema = z.enum(ASSET_STATUS_VALUES);
export type AssetStatus = z.infer<typeof assetStatusSchema>;
export const assetKindSchema = z.enum(['hardware', 'software']);
export type AssetKind = z.infer<typeof assetKindSchema>;
export const assetImportanceSchema = z.enum(['core', 'important', 'normal']);
export type AssetImportance = z.infer<typeof assetImportanceSchema>;
/** How the storage media were wiped before disposal: 消磁, 物理销毁, 多次覆写, or no storage media at all. */
export const wipeMethodSchema = z.enum(['degauss', 'shredding', 'overwrite', 'no_storage']);
export type WipeMethod = z.infer<typeof wipeMethodSchema>;

/** Asset tags: letters, digits and - _ . / only, so a tag is safe in a URL path and on a printed label. */
export const assetTagSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and - _ . / only');
/** Money in yuan as a decimal string with at most 2 decimals ("12999.00"): never a float. */
export const assetMoneySchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a non-negative amount with at most 2 decimals, e.g. 12999.50');
export const assetDateSchema = z.iso.date();

const text = (max: number) => z.string().trim().max(max);

export const assetSchema = z.object({
  id: z.number().int(),
  assetTag: z.string(),
  name: z.string(),
  kind: assetKindSchema,
  orgId: z.number().int(),
  orgName: z.string(),
  ciId: z.number().int().nullable(),
  ciName: z.string().nullable(),
  status: assetStatusSchema,
  category: z.string(),
  model: z.string(),
  manufacturer: z.string(),
  serialNumber: z.string().nullable(),
  department: z.string(),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  location: z.string(),
  importance: assetImportanceSchema,
  purchaseDate: z.string().nullable(),
  /** Decimal string with 2 decimals, e.g. "12999.00". */
  purchasePrice: z.string().nullable(),
  warrantyEnd: z.string().nullable(),
  vendorId: z.number().int().nullable(),
  vendorName: z.string().nullable(),
  contractId: z.number().int().nullable(),
  contractNumber: z.string().nullable(),
  notes: z.string(),
  wipeConfirmedBy: z.number().int().nullable(),
  wipeConfirmedByName: z.string().nullable(),
  wipeConfirmedAt: isoDateTime.nullable(),
  wipeMethod: z.string().nullable(),
  wipeCertificate: z.string().nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Asset = z.infer<typeof assetSchema>;
export const assetPageSchema = pageOf(assetSchema);
export type AssetPage = z.infer<typeof assetPageSchema>;

const assetFields = {
  name: text(200).min(1),
  kind: assetKindSchema,
  orgId: idSchema,
  ciId: idSchema.nullable(),
  category: text(100),
  model: text(200),
  manufacturer: text(200),
  serialNumber: text(200).min(1).nullable(),
  department: text(200),
  userId: idSchema.nullable(),
  location: text(200),
  importance: assetImportanceSchema,
  purchaseDate: assetDateSchema.nullable(),
  purchasePrice: assetMoneySchema.nullable(),
  warrantyEnd: assetDateSchema.nullable(),
  vendorId: idSchema.nullable(),
  contractId: idSchema.nullable(),
  notes: text(4000),
};

export const createAssetRequestSchema = z
  .object({
    /** Generated (ZC-<year>-<6 digits>) when left out. */
    assetTag: assetTagSchema.optional(),
    name: assetFields.name,
    kind: assetFields.kind.default('hardware'),
    orgId: assetFields.orgId,
    ciId: assetFields.ciId.default(null),
    /** A new asset starts in stock or already in use; later moves go through /transition. */
    status: z.enum(['in_stock', 'in_use']).default('in_stock'),
    category: assetFields.category.default(''),
    model: assetFields.model.default(''),
    manufacturer: assetFields.manufacturer.default(''),
    serialNumber: assetFields.serialNumber.default(null),
    department: assetFields.department.default(''),
    userId: assetFields.userId.default(null),
    location: assetFields.location.default(''),
    importance: assetFields.importance.default('normal'),
    purchaseDate: assetFields.purchaseDate.default(null),
    purchasePrice: assetFields.purchasePrice.default(null),
    warrantyEnd: assetFields.warrantyEnd.default(null),
    vendorId: assetFields.vendorId.default(null),
    contractId: assetFields.contractId.default(null),
    notes: assetFields.notes.default(''),
  })
  .strict();
export type CreateAssetRequest = z.input<typeof createAssetRequestSchema>;

/** Fields left out keep their value; the status only changes through /transition. */
export const updateAssetRequestSchema = z
  .object({
    version: z.number().int().min(1),
    assetTag: assetTagSchema.optional(),
    name: assetFields.name.optional(),
    kind: assetFields.kind.optional(),
    orgId: assetFields.orgId.optional(),
    ciId: assetFields.ciId.optional(),
    category: assetFields.category.optional(),
    model: assetFields.model.optional(),
    manufacturer: assetFields.manufacturer.optional(),
    serialNumber: assetFields.serialNumber.optional(),
    department: assetFields.department.optional(),
    userId: assetFields.userId.optional(),
    location: assetFields.location.optional(),
    importance: assetFields.importance.optional(),
    purchaseDate: assetFields.purchaseDate.optional(),
    purchasePrice: assetFields.purchasePrice.optional(),
    warrantyEnd: assetFields.warrantyEnd.optional(),
    vendorId: assetFields.vendorId.optional(),
    contractId: assetFields.contractId.optional(),
    notes: assetFields.notes.optional(),
  })
  .strict();
export type UpdateAssetRequest = z.input<typeof updateAssetRequestSchema>;

export const assetWipeSchema = z
  .object({
    confirmed: z.boolean(),
    method: wipeMethodSchema,
    /** Certificate or record number of the wipe / destruction, when there is one. */
    certificate: text(200).optional(),
  })
  .strict();

export const assetTransitionRequestSchema = z
  .object({
    to: assetStatusSchema,
    note: text(2000).default(''),
    ticketId: idSchema.nullable().default(null),
    /** Required to dispose of a hardware asset: the data wipe was done and how. */
    wipe: assetWipeSchema.optional(),
    /** On a move to in use: who uses it and in which department (left out: unchanged). */
    userId: idSchema.nullable().optional(),
    department: text(200).optional(),
    location: text(200).optional(),
    /** Optimistic concurrency: refused when the asset changed since this version. */
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type AssetTransitionRequest = z.input<typeof assetTransitionRequestSchema>;

const boolQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const assetListQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    orgId: z.coerce.number().int().positive().optional(),
    status: assetStatusSchema.optional(),
    kind: assetKindSchema.optional(),
    category: z.string().trim().max(100).optional(),
    /** Warranty ends within this many days from today (and has not ended yet); retired and disposed assets are left out. */
    warrantyWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
    /** Only assets linked to this CI. */
    ciId: z.coerce.number().int().positive().optional(),
    sort: z.enum(['id', 'assetTag', 'name', 'warrantyEnd', 'purchaseDate', 'updatedAt']).default('id'),
    order: z.enum(['asc', 'desc']).default('desc'),
    /** Include disposed assets (left out of the list by default). */
    includeDisposed: boolQuery.optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export type AssetListQuery = z.input<typeof assetListQuerySchema>;

export const assetTagParamsSchema = z.object({ tag: z.string().min(1).max(40) }).strict();

export const assetEventSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['created', 'updated', 'status']).or(z.string()),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  ticketId: z.number().int().nullable(),
  note: z.string(),
  at: isoDateTime,
});
export type AssetEvent = z.infer<typeof assetEventSchema>;

/** The moves allowed from each status; disposed is final. Shared by the server's rule and the web's buttons. */
export const ASSET_TRANSITIONS: Readonly<Record<AssetStatus, readonly AssetStatus[]>> = {
  in_stock: ['in_use', 'under_repair', 'retired'],
  in_use: ['in_stock', 'under_repair', 'retired'],
  under_repair: ['in_stock', 'in_use', 'retired'],
  retired: ['disposed', 'in_stock'],
  disposed: [],
};
