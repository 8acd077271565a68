import { z } from 'zod';
import { isoDateTime, pageOf } from './common.contract.ts';

export const ciAttributeTypeSchema = z.enum(['string', 'number', 'boolean', 'date', 'enum', 'reference', 'ip']);
export type CiAttributeType = z.infer<typeof ciAttributeTypeSchema>;
export const ciImportanceSchema = z.enum(['core', 'important', 'normal']);
export type CiImportance = z.infer<typeof ciImportanceSchema>;
export const ciStatusSchema = z.enum(['planned', 'in_use', 'maintenance', 'retired']);
export type CiStatus = z.infer<typeof ciStatusSchema>;

const id = z.number().int().positive();
const classKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'lower-case letters, digits, _ and dots')
  .max(60);

/** One attribute of a CI class. `reference` points to a CI of class `refClassKey` (or a subclass). */
export const ciAttributeDefSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _')
      .max(40),
    label: z.string().trim().min(1).max(60),
    type: ciAttributeTypeSchema,
    required: z.boolean().default(false),
    unique: z.boolean().default(false),
    indexed: z.boolean().default(false),
    enumValues: z.array(z.string().trim().min(1).max(60)).min(1).max(100).optional(),
    refClassKey: classKey.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.type === 'enum' && !a.enumValues?.length) ctx.addIssue({ code: 'custom', path: ['enumValues'], message: 'enum attributes need enumValues' });
    if (a.type === 'enum' && a.enumValues && new Set(a.enumValues).size !== a.enumValues.length) {
      ctx.addIssue({ code: 'custom', path: ['enumValues'], message: 'duplicate enum values' });
    }
    if (a.type !== 'enum' && a.enumValues) ctx.addIssue({ code: 'custom', path: ['enumValues'], message: 'only enum attributes have enumValues' });
    if (a.type === 'reference' && !a.refClassKey) ctx.addIssue({ code: 'custom', path: ['refClassKey'], message: 'reference attributes need refClassKey' });
    if (a.type !== 'reference' && a.refClassKey) ctx.addIssue({ code: 'custom', path: ['refClassKey'], message: 'only reference attributes have refClassKey' });
  });
export type CiAttributeDef = z.output<typeof ciAttributeDefSchema>;

const attributeList = z
  .array(ciAttributeDefSchema)
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const a of list) {
      if (seen.has(a.key)) ctx.addIssue({ code: 'custom', message: `duplicate attribute key ${a.key}` });
      seen.add(a.key);
    }
  });

/**
 * Naming rule: a template of `{field}` (hostname, ip, serialNumber, assetTag, cloudId, location) and
 * `{attr.key}` placeholders, e.g. `{hostname}` or `{attr.room_code}-{attr.rack_no}`.
 */
const namingRule = z
  .string()
  .trim()
  .max(200)
  .regex(/^([^{}]|\{(hostname|ip|serialNumber|assetTag|cloudId|location|attr\.[a-z][a-z0-9_]*)\})+$/, 'placeholders: {hostname} {ip} {serialNumber} {assetTag} {cloudId} {location} {attr.key}');

export const ciEffectiveAttributeSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: ciAttributeTypeSchema,
  required: z.boolean(),
  unique: z.boolean(),
  indexed: z.boolean(),
  enumValues: z.array(z.string()).optional(),
  refClassKey: z.string().optional(),
  /** The class that defines the attribute (this class or an ancestor). */
  definedBy: z.string(),
});
export type CiEffectiveAttribute = z.infer<typeof ciEffectiveAttributeSchema>;

export const ciClassSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  parentId: z.number().int().nullable(),
  /** Ancestors' keys, root first. */
  path: z.array(z.string()),
  attributes: z.array(ciEffectiveAttributeSchema),
  /** Ancestors' attributes then the class's own. */
  effectiveAttributes: z.array(ciEffectiveAttributeSchema),
  namingRule: z.string().nullable(),
  /** The rule in force: the class's own or its nearest ancestor's. */
  effectiveNamingRule: z.string().nullable(),
  builtin: z.boolean(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type CiClass = z.infer<typeof ciClassSchema>;

export const createCiClassRequestSchema = z
  .object({
    key: classKey,
    name: z.string().trim().min(1).max(60),
    description: z.string().max(2000).default(''),
    parentId: id.nullable().default(null),
    attributes: attributeList.default([]),
    namingRule: namingRule.nullable().default(null),
  })
  .strict();
export type CreateCiClassRequest = z.input<typeof createCiClassRequestSchema>;

export const updateCiClassRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(60).optional(),
    description: z.string().max(2000).optional(),
    parentId: id.nullable().optional(),
    attributes: attributeList.optional(),
    namingRule: namingRule.nullable().optional(),
  })
  .strict();
export type UpdateCiClassRequest = z.input<typeof updateCiClassRequestSchema>;

const identifier = z.string().trim().min(1).max(200);
export const ciAttributesSchema = z.record(z.string().max(40), z.unknown());

export const ciSchema = z.object({
  id: z.number().int(),
  classId: z.number().int(),
  classKey: z.string(),
  className: z.string(),
  name: z.string(),
  orgId: z.number().int(),
  ownerUserId: z.number().int().nullable(),
  ownerGroupId: z.number().int().nullable(),
  location: z.string().nullable(),
  importance: ciImportanceSchema,
  status: ciStatusSchema,
  serialNumber: z.string().nullable(),
  assetTag: z.string().nullable(),
  hostname: z.string().nullable(),
  ip: z.string().nullable(),
  cloudId: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Ci = z.infer<typeof ciSchema>;
export const ciPageSchema = pageOf(ciSchema);

export const createCiRequestSchema = z
  .object({
    classId: id,
    /** Filled from the class's naming rule when left out. */
    name: z.string().trim().min(1).max(200).optional(),
    orgId: id,
    ownerUserId: id.nullable().default(null),
    ownerGroupId: id.nullable().default(null),
    location: z.string().trim().max(200).nullable().default(null),
    importance: ciImportanceSchema.default('normal'),
    status: ciStatusSchema.default('planned'),
    serialNumber: identifier.nullable().default(null),
    assetTag: identifier.nullable().default(null),
    hostname: identifier.nullable().default(null),
    ip: identifier.nullable().default(null),
    cloudId: identifier.nullable().default(null),
    attributes: ciAttributesSchema.default({}),
    /** The change ticket this CI comes from, if any. */
    changeTicketId: id.nullable().default(null),
  })
  .strict();
export type CreateCiRequest = z.input<typeof createCiRequestSchema>;

/** `attributes` is merged into the stored ones; a null value removes an attribute. */
export const updateCiRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(200).optional(),
    orgId: id.optional(),
    ownerUserId: id.nullable().optional(),
    ownerGroupId: id.nullable().optional(),
    location: z.string().trim().max(200).nullable().optional(),
    importance: ciImportanceSchema.optional(),
    status: ciStatusSchema.optional(),
    serialNumber: identifier.nullable().optional(),
    assetTag: identifier.nullable().optional(),
    hostname: identifier.nullable().optional(),
    ip: identifier.nullable().optional(),
    cloudId: identifier.nullable().optional(),
    attributes: ciAttributesSchema.optional(),
    changeTicketId: id.nullable().optional(),
  })
  .strict();
export type UpdateCiRequest = z.input<typeof updateCiRequestSchema>;

export const ciListQuerySchema = z
  .object({
    classId: z.coerce.number().int().positive().optional(),
    q: z.string().trim().max(200).optional(),
    status: ciStatusSchema.optional(),
    orgId: z.coerce.number().int().positive().optional(),
    /** Equality on one attribute of the class (needs classId); fast when the attribute is `indexed`. */
    attrKey: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .max(40)
      .optional(),
    attrValue: z.string().trim().min(1).max(200).optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict()
  .superRefine((q, ctx) => {
    if ((q.attrKey === undefined) !== (q.attrValue === undefined)) ctx.addIssue({ code: 'custom', path: ['attrValue'], message: 'attrKey and attrValue go together' });
    if (q.attrKey !== undefined && q.classId === undefined) ctx.addIssue({ code: 'custom', path: ['classId'], message: 'an attribute filter needs classId' });
  });

export const ciChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export type CiChange = z.infer<typeof ciChangeSchema>;

export const ciVersionSchema = z.object({
  version: z.number().int(),
  changedBy: z.number().int().nullable(),
  changedByName: z.string().nullable(),
  changedAt: isoDateTime,
  changeTicketId: z.number().int().nullable(),
  changes: z.array(ciChangeSchema),
  snapshot: z.record(z.string(), z.unknown()),
});
export type CiVersion = z.infer<typeof ciVersionSchema>;

export const ciDiffQuerySchema = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .strict();
export const ciDiffSchema = z.object({ from: z.number().int(), to: z.number().int(), changes: z.array(ciChangeSchema) });
export type CiDiff = z.infer<typeof ciDiffSchema>;
