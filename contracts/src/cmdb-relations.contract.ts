import { z } from 'zod';
import { isoDateTime } from './common.contract.ts';
import { ciImportanceSchema, ciStatusSchema } from './cmdb.contract.ts';

const id = z.number().int().positive();
const classKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'lower-case letters, digits, _ and dots')
  .max(60);

/** One allowed (from class, to class) pair; a class key admits its subclasses. */
export const ciRelationPairSchema = z.object({ from: classKey, to: classKey }).strict();
export type CiRelationPair = z.infer<typeof ciRelationPairSchema>;

/**
 * Which end of "from <type> to" depends on the other, i.e. is impacted when the other fails:
 * - 'from': A runs_on / depends_on / connects_to / is installed_on B — A depends on B; B failing impacts A.
 * - 'to':   A contains B (rack contains server), A backs_up B — A failing impacts B.
 * Impact analysis: "downstream of X" = every CI that (transitively) depends on X, i.e. is impacted when X
 * fails; "upstream of X" = every CI X (transitively) depends on.
 */
export const ciDependentEndSchema = z.enum(['from', 'to']);
export type CiDependentEnd = z.infer<typeof ciDependentEndSchema>;

export const ciRelationTypeSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  /** Read from -> to, e.g. 运行于 ("app runs on server"). */
  name: z.string(),
  /** Read to -> from, e.g. 承载 ("server hosts app"). */
  reverseName: z.string(),
  description: z.string(),
  dependentEnd: ciDependentEndSchema,
  /** Empty: any pair of classes. */
  allowedPairs: z.array(ciRelationPairSchema),
  builtin: z.boolean(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type CiRelationType = z.infer<typeof ciRelationTypeSchema>;

const pairs = z.array(ciRelationPairSchema).max(500);

export const createCiRelationTypeRequestSchema = z
  .object({
    key: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _')
      .max(40),
    name: z.string().trim().min(1).max(40),
    reverseName: z.string().trim().min(1).max(40),
    description: z.string().max(2000).default(''),
    dependentEnd: ciDependentEndSchema.default('from'),
    allowedPairs: pairs.default([]),
  })
  .strict();
export type CreateCiRelationTypeRequest = z.input<typeof createCiRelationTypeRequestSchema>;

/** The key is fixed. Changing `allowedPairs` applies to new relations; existing ones stay. */
export const updateCiRelationTypeRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(40).optional(),
    reverseName: z.string().trim().min(1).max(40).optional(),
    description: z.string().max(2000).optional(),
    dependentEnd: ciDependentEndSchema.optional(),
    allowedPairs: pairs.optional(),
  })
  .strict();
export type UpdateCiRelationTypeRequest = z.input<typeof updateCiRelationTypeRequestSchema>;

export const createCiRelationRequestSchema = z.object({ typeId: id, fromCiId: id, toCiId: id }).strict();
export type CreateCiRelationRequest = z.input<typeof createCiRelationRequestSchema>;

/** A CI as shown in relation lists, impact lists and graphs. */
export const ciNodeSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  classId: z.number().int(),
  classKey: z.string(),
  className: z.string(),
  orgId: z.number().int(),
  importance: ciImportanceSchema,
  status: ciStatusSchema,
});
export type CiNode = z.infer<typeof ciNodeSchema>;

export const ciRelationSchema = z.object({
  id: z.number().int(),
  typeId: z.number().int(),
  typeKey: z.string(),
  typeName: z.string(),
  reverseName: z.string(),
  fromCiId: z.number().int(),
  toCiId: z.number().int(),
  createdBy: z.number().int().nullable(),
  createdAt: isoDateTime,
});
export type CiRelation = z.infer<typeof ciRelationSchema>;

/**
 * A relation seen from one CI: `outgoing` (this CI is `from`, label = type name) or `incoming`
 * (this CI is `to`, label = reverse name), with the CI at the other end.
 */
export const ciRelationViewSchema = ciRelationSchema.extend({
  direction: z.enum(['outgoing', 'incoming']),
  label: z.string(),
  /** Whether the other end depends on this CI (it is downstream: impacted when this CI fails). */
  otherDependsOnThis: z.boolean(),
  other: ciNodeSchema,
});
export type CiRelationView = z.infer<typeof ciRelationViewSchema>;

export const impactDirectionSchema = z.enum(['downstream', 'upstream']);
export type ImpactDirection = z.infer<typeof impactDirectionSchema>;

export const impactQuerySchema = z
  .object({
    direction: impactDirectionSchema.default('downstream'),
    depth: z.coerce.number().int().min(1).max(10).default(5),
  })
  .strict();

/** A CI in an impact result: `depth` = fewest relations from the start CI (which is depth 0). */
export const impactNodeSchema = ciNodeSchema.extend({ depth: z.number().int() });
export type ImpactNode = z.infer<typeof impactNodeSchema>;

export const impactEdgeSchema = z.object({
  id: z.number().int(),
  typeId: z.number().int(),
  typeKey: z.string(),
  typeName: z.string(),
  fromCiId: z.number().int(),
  toCiId: z.number().int(),
});
export type ImpactEdge = z.infer<typeof impactEdgeSchema>;

/** Each CI appears once (cycles are cut); at most 2,000 nodes, then `truncated`. */
export const impactResultSchema = z.object({
  rootId: z.number().int(),
  direction: impactDirectionSchema,
  depth: z.number().int(),
  nodes: z.array(impactNodeSchema),
  edges: z.array(impactEdgeSchema),
  truncated: z.boolean(),
});
export type ImpactResult = z.infer<typeof impactResultSchema>;

export const setTicketCisRequestSchema = z.object({ ciIds: z.array(id).max(100) }).strict();
export type SetTicketCisRequest = z.input<typeof setTicketCisRequestSchema>;

/** The CIs attached to a ticket and the business services they impact (downstream, depth 10). */
export const ticketCisSchema = z.object({ cis: z.array(ciNodeSchema), services: z.array(impactNodeSchema) });
export type TicketCis = z.infer<typeof ticketCisSchema>;
