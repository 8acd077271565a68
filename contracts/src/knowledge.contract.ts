import { z } from 'zod';
import { idSchema, isoDateTime, pageQuerySchema } from './common.contract.ts';

/**
 * A minimal knowledge base (知识库): articles and published known errors (已知错误), searchable in
 * Chinese. Everyone with knowledge.read reads published articles of their scope; knowledge.manage
 * writes and sees drafts. Internal fields (source problem, authors) are absent for customers.
 */
export const knowledgeKindSchema = z.enum(['article', 'known_error']);
export type KnowledgeKind = z.infer<typeof knowledgeKindSchema>;
export const knowledgeStateSchema = z.enum(['draft', 'published', 'retired']);
export type KnowledgeState = z.infer<typeof knowledgeStateSchema>;

export const knowledgeCiSchema = z.object({ id: z.number().int(), name: z.string() });

export const knowledgeArticleSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  body: z.string(),
  kind: knowledgeKindSchema,
  state: knowledgeStateSchema,
  /** null: every organisation may read it. */
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  cis: z.array(knowledgeCiSchema),
  publishedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
  /** Internal: present for provider staff only. */
  sourceProblemId: z.number().int().nullable().optional(),
  sourceProblemNumber: z.string().nullable().optional(),
  createdByName: z.string().nullable().optional(),
  updatedByName: z.string().nullable().optional(),
});
export type KnowledgeArticle = z.infer<typeof knowledgeArticleSchema>;

export const knowledgeArticleSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  kind: knowledgeKindSchema,
  state: knowledgeStateSchema,
  orgId: z.number().int().nullable(),
  /** The first characters of the body (markdown stripped of nothing; the UI shows it as text). */
  excerpt: z.string(),
  updatedAt: isoDateTime,
  /** With `q`: the search rank (higher is better). */
  rank: z.number().nullable(),
});
export type KnowledgeArticleSummary = z.infer<typeof knowledgeArticleSummarySchema>;

export const knowledgeListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  kind: knowledgeKindSchema.optional(),
  /** Drafts and retired articles only for knowledge.manage; others always see published. */
  state: knowledgeStateSchema.optional(),
});
export type KnowledgeListQuery = z.input<typeof knowledgeListQuerySchema>;

export const createKnowledgeArticleRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().max(50000).default(''),
    state: z.enum(['draft', 'published']).default('draft'),
    orgId: z.number().int().positive().nullable().default(null),
    ciIds: z.array(z.number().int().positive()).max(50).default([]),
  })
  .strict();
export type CreateKnowledgeArticleRequest = z.input<typeof createKnowledgeArticleRequestSchema>;

export const updateKnowledgeArticleRequestSchema = z
  .object({
    version: z.number().int().min(1),
    title: z.string().trim().min(1).max(200).optional(),
    body: z.string().max(50000).optional(),
    state: knowledgeStateSchema.optional(),
    orgId: z.number().int().positive().nullable().optional(),
    ciIds: z.array(z.number().int().positive()).max(50).optional(),
  })
  .strict();
export type UpdateKnowledgeArticleRequest = z.input<typeof updateKnowledgeArticleRequestSchema>;

const csvIds = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v),
  z.array(idSchema).max(50),
);

/**
 * Known errors for a new or open incident: by similar text, by the same CIs, or both. With
 * `ticketId` the server takes the text and the CIs from that ticket.
 */
export const knowledgeSuggestQuerySchema = z.object({
  text: z.string().max(20000).optional(),
  ciIds: csvIds.optional(),
  orgId: idSchema.optional(),
  ticketId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type KnowledgeSuggestQuery = z.input<typeof knowledgeSuggestQuerySchema>;

export const suggestReasonSchema = z.enum(['text', 'ci']);
export type SuggestReason = z.infer<typeof suggestReasonSchema>;

export const knowledgeSuggestionSchema = z.object({
  articleId: z.number().int(),
  number: z.string(),
  title: z.string(),
  kind: knowledgeKindSchema,
  /** Why it was suggested: similar text, the same CI, or both. */
  reasons: z.array(suggestReasonSchema),
  /** The CIs shared with the incident (reason 'ci'). */
  matchedCis: z.array(knowledgeCiSchema),
  /** Query terms found in the article (reason 'text'). */
  matchedTerms: z.array(z.string()),
  score: z.number(),
  symptom: z.string().nullable(),
  workaround: z.string().nullable(),
  /** Internal: the problem behind a known error (provider staff only). */
  problemId: z.number().int().nullable().optional(),
  problemNumber: z.string().nullable().optional(),
});
export type KnowledgeSuggestion = z.infer<typeof knowledgeSuggestionSchema>;

export const knowledgeSuggestResponseSchema = z.object({ items: z.array(knowledgeSuggestionSchema) });
export type KnowledgeSuggestResponse = z.infer<typeof knowledgeSuggestResponseSchema>;
