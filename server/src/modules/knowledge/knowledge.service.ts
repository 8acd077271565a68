import type {
  KnowledgeArticle,
  KnowledgeArticleSummary,
  KnowledgeSuggestion,
  createKnowledgeArticleRequestSchema,
  knowledgeListQuerySchema,
  knowledgeSuggestQuerySchema,
  updateKnowledgeArticleRequestSchema,
} from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { bigramLayer, charLayer, searchDocument, wordLayer } from '../../platform/search/zh-tokenizer.ts';
import { inScope, ticketOrgScope } from '../directory/tenant-scope.ts';
import { organizations } from '../directory/directory.tables.ts';
import { ticketCis } from '../cmdb/cmdb-relations.tables.ts';
import { eq } from 'drizzle-orm';
import { loadVisible } from '../tickets/tickets.service.ts';
import * as qs from './knowledge.queries.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Provider staff see internal fields (source problem, authors); customers do not. */
const seesInternal = (actor: Actor) => actor.orgKind === 'provider' && actor.permissions.has('ticket.internal');

export function articleSearchDoc(title: string, body: string): string {
  return searchDocument(title, body);
}

function articleDto(row: qs.ArticleRow, cis: { id: number; name: string }[], actor: Actor): KnowledgeArticle {
  const a = row.a;
  const base: KnowledgeArticle = {
    id: a.id,
    number: a.number,
    title: a.title,
    body: a.body,
    kind: a.kind,
    state: a.state,
    orgId: a.orgId,
    orgName: row.orgName,
    cis,
    publishedAt: iso(a.publishedAt),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    version: a.version,
  };
  if (!seesInternal(actor)) return base;
  return {
    ...base,
    sourceProblemId: a.sourceProblemId,
    sourceProblemNumber: row.sourceProblemNumber,
    createdByName: row.createdByName,
    updatedByName: row.updatedByName,
  };
}

/** Loads an article the actor may read: published (unless knowledge.manage) and in scope; else 404. */
async function loadReadable(db: Queryable, actor: Actor, id: number): Promise<qs.ArticleRow> {
  const row = await qs.findArticle(db, id);
  const scope = await ticketOrgScope(db, actor);
  const manage = actor.permissions.has('knowledge.manage');
  if (!row || (!manage && row.a.state !== 'published') || (row.a.orgId !== null && !inScope(scope, row.a.orgId))) {
    throw new AppError('NOT_FOUND', { object: 'article' });
  }
  return row;
}

export async function getArticle(db: Db, actor: Actor, id: number): Promise<KnowledgeArticle> {
  const row = await loadReadable(db, actor, id);
  const cis = await visibleCis(db, actor, [id]);
  return articleDto(row, cis.get(id) ?? [], actor);
}

async function visibleCis(q: Queryable, actor: Actor, ids: number[]) {
  const scope = await ticketOrgScope(q, actor);
  const out = new Map<number, { id: number; name: string }[]>();
  for (const c of await qs.articleCis(q, ids)) {
    if (!inScope(scope, c.orgId)) continue;
    const list = out.get(c.articleId) ?? [];
    list.push({ id: c.id, name: c.name });
    out.set(c.articleId, list);
  }
  return out;
}

export async function listArticles(db: Db, actor: Actor, query: z.output<typeof knowledgeListQuerySchema>) {
  const scope = await ticketOrgScope(db, actor);
  const manage = actor.permissions.has('knowledge.manage');
  const r = await qs.listArticles(db, {
    scope,
    drafts: manage,
    q: query.q,
    kind: query.kind,
    state: manage ? query.state : undefined,
    page: query.page,
    pageSize: query.pageSize,
  });
  const items: KnowledgeArticleSummary[] = r.items.map((i) => ({
    id: i.id,
    number: i.number,
    title: i.title,
    kind: i.kind,
    state: i.state,
    orgId: i.orgId,
    excerpt: i.excerpt,
    updatedAt: i.updatedAt.toISOString(),
    rank: i.rank === null ? null : Number(i.rank),
  }));
  return { items, total: r.total, page: query.page, pageSize: query.pageSize };
}

/** CIs must exist and, for an org-bound article, belong to that organisation. */
async function checkCis(q: Queryable, actor: Actor, orgId: number | null, ciIds: number[]): Promise<number[]> {
  const wanted = [...new Set(ciIds)];
  const found = await qs.findCis(q, wanted);
  const scope = await ticketOrgScope(q, actor);
  for (const id of wanted) {
    const c = found.find((f) => f.id === id);
    if (!c || !inScope(scope, c.orgId)) throw new AppError('REFERENCE_INVALID', { object: `CI ${id}` });
    if (orgId !== null && c.orgId !== orgId) throw new AppError('PROBLEM_LINK_CROSS_ORG', { ref: c.name });
  }
  return wanted;
}

async function checkOrg(q: Queryable, actor: Actor, orgId: number | null) {
  if (orgId === null) return;
  const scope = await ticketOrgScope(q, actor);
  const [org] = await q.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
  if (!org || !inScope(scope, orgId)) throw new AppError('REFERENCE_INVALID', { object: 'organization' });
}

export async function createArticle(db: Db, actor: Actor, input: z.output<typeof createKnowledgeArticleRequestSchema>): Promise<KnowledgeArticle> {
  const id = await db.transaction(async (tx) => {
    await checkOrg(tx, actor, input.orgId);
    const ciIds = await checkCis(tx, actor, input.orgId, input.ciIds);
    const a = await qs.insertArticle(tx, {
      title: input.title,
      body: input.body,
      kind: 'article',
      state: input.state,
      orgId: input.orgId,
      sourceProblemId: null,
      actorId: actor.userId > 0 ? actor.userId : null,
      searchDoc: articleSearchDoc(input.title, input.body),
    });
    await qs.setArticleCis(tx, a.id, ciIds);
    await recordAudit(tx, { actor, action: 'knowledge.create', objectType: 'knowledge_article', objectId: a.id, result: 'success', details: { number: a.number, state: input.state, ciIds } });
    return a.id;
  });
  return getArticle(db, actor, id);
}

export async function updateArticle(db: Db, actor: Actor, id: number, input: z.output<typeof updateKnowledgeArticleRequestSchema>): Promise<KnowledgeArticle> {
  await loadReadable(db, actor, id);
  await db.transaction(async (tx) => {
    const cur = await qs.lockArticle(tx, id);
    if (!cur) throw new AppError('NOT_FOUND', { object: 'article' });
    if (cur.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: cur.version }, { currentVersion: cur.version });
    const orgId = input.orgId !== undefined ? input.orgId : cur.orgId;
    if (input.orgId !== undefined) await checkOrg(tx, actor, input.orgId);
    const title = input.title ?? cur.title;
    const body = input.body ?? cur.body;
    const patch: Parameters<typeof qs.updateArticleVersioned>[3] = { updatedBy: actor.userId > 0 ? actor.userId : null };
    if (input.title !== undefined) patch.title = input.title;
    if (input.body !== undefined) patch.body = input.body;
    if (input.orgId !== undefined) patch.orgId = input.orgId;
    if (input.state !== undefined) {
      patch.state = input.state;
      if (input.state === 'published' && !cur.publishedAt) patch.publishedAt = new Date();
    }
    const textChanged = input.title !== undefined || input.body !== undefined;
    const ok = await qs.updateArticleVersioned(tx, id, input.version, patch, textChanged ? articleSearchDoc(title, body) : undefined);
    if (!ok) throw new AppError('VERSION_CONFLICT', { current: cur.version + 1 });
    let ciIds: number[] | undefined;
    if (input.ciIds !== undefined) {
      ciIds = await checkCis(tx, actor, orgId, input.ciIds);
      await qs.setArticleCis(tx, id, ciIds);
    }
    const changed = Object.keys(input).filter((k) => k !== 'version');
    await recordAudit(tx, { actor, action: 'knowledge.update', objectType: 'knowledge_article', objectId: id, result: 'success', details: { fields: changed, state: input.state ?? cur.state, ...(ciIds ? { ciIds } : {}) } });
  });
  return getArticle(db, actor, id);
}

/**
 * Creates or updates the known-error article of a problem inside the caller's transaction: kind
 * 'known_error', published, the given CIs. Returns its id and number.
 */
export async function upsertKnownErrorArticle(
  tx: Tx,
  actor: Actor,
  args: { articleId: number | null; title: string; body: string; orgId: number | null; ciIds: number[]; problemId: number },
): Promise<{ id: number; number: string }> {
  const actorId = actor.userId > 0 ? actor.userId : null;
  const doc = articleSearchDoc(args.title, args.body);
  let result: { id: number; number: string };
  if (args.articleId === null) {
    result = await qs.insertArticle(tx, { title: args.title, body: args.body, kind: 'known_error', state: 'published', orgId: args.orgId, sourceProblemId: args.problemId, actorId, searchDoc: doc });
  } else {
    const cur = await qs.lockArticle(tx, args.articleId);
    if (!cur) throw new Error('known error article vanished');
    await qs.updateArticleVersioned(
      tx,
      cur.id,
      cur.version,
      { title: args.title, body: args.body, orgId: args.orgId, state: 'published', updatedBy: actorId, ...(cur.publishedAt ? {} : { publishedAt: new Date() }) },
      doc,
    );
    result = { id: cur.id, number: cur.number };
  }
  await qs.setArticleCis(tx, result.id, args.ciIds);
  await recordAudit(tx, { actor, action: args.articleId === null ? 'knowledge.create' : 'knowledge.update', objectType: 'knowledge_article', objectId: result.id, result: 'success', details: { number: result.number, kind: 'known_error', problemId: args.problemId, ciIds: args.ciIds } });
  return result;
}

/** Terms of a free text for "similar" matching: Han bigrams, Latin words and segmenter words (no single characters). */
export function suggestTerms(text: string, max = 64): string[] {
  const chars = charLayer(text);
  const out = new Set<string>();
  for (const w of wordLayer(text).split(' ')) if (w) out.add(w);
  for (const b of bigramLayer(chars).split(' ')) if (b) out.add(b);
  for (const tok of chars.split(' ')) {
    if ([...tok].length >= 2 && !/\p{Script=Han}/u.test(tok) && /[\p{L}\p{N}]/u.test(tok)) out.add(tok);
  }
  return [...out].slice(0, max);
}

/** Text matches need enough shared terms: at least 2, and a quarter of the query's terms (capped). */
export function textThreshold(termCount: number): number {
  return Math.max(2, Math.ceil(0.25 * Math.min(termCount, 16)));
}

export async function suggest(db: Db, actor: Actor, query: z.output<typeof knowledgeSuggestQuerySchema>): Promise<{ items: KnowledgeSuggestion[] }> {
  let text = query.text ?? '';
  let ciIds = query.ciIds ?? [];
  let orgId = query.orgId ?? null;
  if (query.ticketId) {
    const t = await loadVisible(db, actor, query.ticketId);
    text = `${t.t.title}\n${t.t.description}\n${text}`;
    orgId = t.t.orgId;
    const cis = await db.select({ ciId: ticketCis.ciId }).from(ticketCis).where(eq(ticketCis.ticketId, query.ticketId));
    ciIds = [...new Set([...ciIds, ...cis.map((c) => c.ciId)])];
  }
  if (actor.orgKind === 'customer') orgId = actor.orgId;
  const terms = suggestTerms(text);
  if (!terms.length && !ciIds.length) return { items: [] };
  const scope = await ticketOrgScope(db, actor);
  const rowsFound = await qs.suggestCandidates(db, { terms, ciIds, scope, orgId, limit: query.limit });
  const threshold = textThreshold(terms.length);
  const names = await qs.ciNames(db, [...new Set(rowsFound.flatMap((r) => (r.matched_ci_ids ?? []).map(Number)))]);
  const internal = seesInternal(actor);
  const items: KnowledgeSuggestion[] = [];
  for (const r of rowsFound) {
    const matchedTerms = r.matched_terms ?? [];
    const matchedCiIds = (r.matched_ci_ids ?? []).map(Number);
    const reasons: KnowledgeSuggestion['reasons'] = [];
    if (matchedTerms.length >= threshold) reasons.push('text');
    if (matchedCiIds.length) reasons.push('ci');
    if (!reasons.length) continue;
    const textScore = terms.length ? matchedTerms.length / Math.min(terms.length, 16) : 0;
    const score = Math.round((Math.min(1, textScore) + (matchedCiIds.length ? 1 : 0)) * 1000) / 1000;
    items.push({
      articleId: Number(r.id),
      number: r.number,
      title: r.title,
      kind: r.kind,
      reasons,
      matchedCis: matchedCiIds.map((id) => ({ id, name: names.get(id) ?? String(id) })),
      matchedTerms: reasons.includes('text') ? matchedTerms : [],
      score,
      symptom: r.symptom,
      workaround: r.workaround,
      ...(internal ? { problemId: r.problem_id === null ? null : Number(r.problem_id), problemNumber: r.problem_number } : {}),
    });
  }
  items.sort((a, b) => b.score - a.score || b.articleId - a.articleId);
  return { items: items.slice(0, query.limit) };
}
