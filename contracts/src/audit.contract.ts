import { z } from 'zod';
import { isoDateTime, pageQuerySchema } from './common.contract.ts';

export const auditResultSchema = z.enum(['success', 'denied', 'failed']);

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: isoDateTime,
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  actorIp: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  result: auditResultSchema,
  details: z.unknown(),
  sealed: z.boolean(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = pageQuerySchema.extend({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  objectType: z.string().trim().max(64).optional(),
  objectId: z.string().trim().max(64).optional(),
  result: auditResultSchema.optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  unsealed: z.number().int(),
  firstBroken: z
    .object({ sealSeq: z.number().int(), id: z.number().int().nullable(), reason: z.string() })
    .nullable(),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;
