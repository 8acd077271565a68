import { z } from 'zod';
import { isoDateTime, pageOf, pageQuerySchema } from './common.contract.ts';
import { isoDateSchema } from './calendars.contract.ts';

export const VENDOR_KINDS = ['hardware', 'software', 'service', 'cloud', 'telecom', 'other'] as const;
export const vendorKindSchema = z.enum(VENDOR_KINDS);
export const CONTRACT_KINDS = ['purchase', 'maintenance', 'service', 'license', 'lease'] as const;
export const contractKindSchema = z.enum(CONTRACT_KINDS);
export type ContractKind = z.infer<typeof contractKindSchema>;

const id = z.number().int().positive();
const boolQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** Money as a decimal string with at most two decimals (never a float): '12800', '12800.50'. */
export const vendorMoneySchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a non-negative amount with at most 2 decimals, e.g. 12800.50');

/* -------------------------------- vendors -------------------------------- */

export const vendorContactSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    role: z.string().trim().max(60).default(''),
    phone: z.string().trim().max(40).default(''),
    email: z.union([z.literal(''), z.string().trim().email().max(200)]).default(''),
    primary: z.boolean().default(false),
  })
  .strict();
export type VendorContact = z.output<typeof vendorContactSchema>;

export const vendorSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: vendorKindSchema,
  creditCode: z.string().nullable(),
  address: z.string(),
  website: z.string(),
  notes: z.string(),
  active: z.boolean(),
  contacts: z.array(vendorContactSchema),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Vendor = z.infer<typeof vendorSchema>;

const vendorFields = {
  name: z.string().trim().min(1).max(120),
  kind: vendorKindSchema,
  /** 统一社会信用代码: 18 characters with the GB 32100-2015 check digit (checked on the server). */
  creditCode: z
    .string()
    .trim()
    .toUpperCase()
    .nullable()
    .transform((v) => (v === '' ? null : v)),
  address: z.string().trim().max(300),
  website: z.string().trim().max(300),
  notes: z.string().max(4000),
  active: z.boolean(),
  /** Replaces the whole contact list. */
  contacts: z.array(vendorContactSchema).max(50),
};

export const createVendorRequestSchema = z
  .object({
    ...vendorFields,
    kind: vendorKindSchema.default('other'),
    creditCode: vendorFields.creditCode.default(null),
    address: vendorFields.address.default(''),
    website: vendorFields.website.default(''),
    notes: vendorFields.notes.default(''),
    active: z.boolean().default(true),
    contacts: vendorFields.contacts.default([]),
  })
  .strict();
export const updateVendorRequestSchema = z.object({ ...vendorFields, version: z.number().int().positive() }).partial().required({ version: true }).strict();

export const vendorListQuerySchema = pageQuerySchema
  .extend({
    q: z.string().trim().max(100).optional(),
    kind: vendorKindSchema.optional(),
    active: boolQuery.optional(),
  })
  .strict();
export const vendorListItemSchema = vendorSchema.extend({
  contractCount: z.number().int(),
  /** Grade of the latest evaluation, null when never evaluated. */
  latestGrade: z.enum(['A', 'B', 'C', 'D']).nullable(),
  openRepairs: z.number().int(),
});
export type VendorListItem = z.infer<typeof vendorListItemSchema>;
export const vendorPageSchema = pageOf(vendorListItemSchema);

/* ------------------------------- contracts ------------------------------- */

export const serviceLevelSchema = z
  .object({
    coverage: z.enum(['7x24', '5x8', 'other']).default('5x8'),
    responseHours: z.number().positive().max(8760).nullable().default(null),
    onsiteHours: z.number().positive().max(8760).nullable().default(null),
    resolutionHours: z.number().positive().max(8760).nullable().default(null),
    sparePartsHours: z.number().positive().max(8760).nullable().default(null),
    notes: z.string().max(2000).default(''),
  })
  .strict();
export type ServiceLevel = z.output<typeof serviceLevelSchema>;

export const vendorContractSchema = z.object({
  id: z.number().int(),
  vendorId: z.number().int(),
  vendorName: z.string(),
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  number: z.string(),
  title: z.string(),
  kind: contractKindSchema,
  startDate: z.string(),
  endDate: z.string(),
  amount: z.string().nullable(),
  currency: z.string(),
  serviceLevel: serviceLevelSchema,
  slaDefinitionId: z.number().int().nullable(),
  slaDefinitionName: z.string().nullable(),
  notes: z.string(),
  /** Days from today (Asia/Shanghai) to the end date; negative once ended. */
  daysLeft: z.number().int(),
  /** Ends within 30 days and has not ended yet. */
  expiringSoon: z.boolean(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type VendorContract = z.infer<typeof vendorContractSchema>;

const contractFields = {
  vendorId: id,
  orgId: id.nullable(),
  number: z.string().trim().min(1).max(60),
  title: z.string().trim().min(1).max(200),
  kind: contractKindSchema,
  startDate: isoDateSchema,
  endDate: isoDateSchema,
  amount: vendorMoneySchema.nullable(),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. CNY'),
  serviceLevel: serviceLevelSchema,
  /** An SLA definition of kind 'uc' (underpinning contract). */
  slaDefinitionId: id.nullable(),
  notes: z.string().max(4000),
};
export const createVendorContractRequestSchema = z
  .object({
    ...contractFields,
    orgId: contractFields.orgId.default(null),
    amount: contractFields.amount.default(null),
    currency: contractFields.currency.default('CNY'),
    serviceLevel: serviceLevelSchema.default({ coverage: '5x8', responseHours: null, onsiteHours: null, resolutionHours: null, sparePartsHours: null, notes: '' }),
    slaDefinitionId: contractFields.slaDefinitionId.default(null),
    notes: contractFields.notes.default(''),
  })
  .strict();
const { vendorId: _vendorId, ...updatableContractFields } = contractFields;
export const updateVendorContractRequestSchema = z
  .object({ ...updatableContractFields, version: z.number().int().positive() })
  .partial()
  .required({ version: true })
  .strict();
export const vendorContractListQuerySchema = pageQuerySchema
  .extend({
    vendorId: z.coerce.number().int().positive().optional(),
    /** Only contracts ending within this many days from today (and not ended). */
    expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export const vendorContractPageSchema = pageOf(vendorContractSchema);

/* ------------------------------ evaluations ------------------------------ */

/** Fixed weights (percent) of the yearly evaluation; they sum to 100. */
export const EVALUATION_WEIGHTS = { quality: 30, response: 25, price: 15, service: 20, compliance: 10 } as const;
export type EvaluationCriterion = keyof typeof EVALUATION_WEIGHTS;
export const EVALUATION_CRITERIA = Object.keys(EVALUATION_WEIGHTS) as EvaluationCriterion[];
export type Grade = 'A' | 'B' | 'C' | 'D';

const score = z.number().int().min(0).max(100);
export const evaluationScoresSchema = z.object({ quality: score, response: score, price: score, service: score, compliance: score }).strict();
export type EvaluationScores = z.infer<typeof evaluationScoresSchema>;

/** Weighted total with two decimals, computed in integer hundredths so no float rounding creeps in. */
export function evaluationTotal(s: EvaluationScores): string {
  const hundredths = EVALUATION_CRITERIA.reduce((sum, k) => sum + s[k] * EVALUATION_WEIGHTS[k], 0);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** A >= 90, B >= 75, C >= 60, else D. */
export function evaluationGrade(total: string): Grade {
  const n = Number(total);
  if (n >= 90) return 'A';
  if (n >= 75) return 'B';
  if (n >= 60) return 'C';
  return 'D';
}

export const vendorEvaluationSchema = z.object({
  id: z.number().int(),
  vendorId: z.number().int(),
  year: z.number().int(),
  scores: evaluationScoresSchema,
  total: z.string(),
  grade: z.enum(['A', 'B', 'C', 'D']),
  comment: z.string(),
  evaluatedBy: z.number().int(),
  evaluatedByName: z.string(),
  evaluatedAt: isoDateTime,
});
export type VendorEvaluation = z.infer<typeof vendorEvaluationSchema>;
export const createVendorEvaluationRequestSchema = z
  .object({ year: z.number().int().min(2000).max(2100), scores: evaluationScoresSchema, comment: z.string().max(4000).default('') })
  .strict();

/** Repair figures of one vendor: how many, how fast (hours from sent/approved to returned). */
export const vendorRepairStatsSchema = z.object({
  total: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  returned: z.number().int(),
  avgTurnaroundHours: z.number().nullable(),
  maxTurnaroundHours: z.number().nullable(),
});

export const vendorDetailSchema = vendorSchema.extend({
  contracts: z.array(vendorContractSchema),
  evaluations: z.array(vendorEvaluationSchema),
  repairStats: vendorRepairStatsSchema,
});
export type VendorDetail = z.infer<typeof vendorDetailSchema>;
