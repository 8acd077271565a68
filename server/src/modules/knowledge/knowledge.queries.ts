import { and, asc, desc, eq, getTableColumns, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rows, type Queryable } from '../../platform/db/db.ts';
import { searchTerms } from '../../platform/search/zh-tokenizer.ts';
import { organizations, users } from '../directory/directory.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { knowledgeArticleCis, knowledgeArticles } from './knowledge.tables.ts';

const creator = alias(users, 'kb_creator');
const updater = alias(users, 'kb_updater');

export type ArticleRow = {
  a: Omit<typeof knowledgeArticles.$inferSelect, 'searchVector'>;
  orgName: string | null;
  sourceProblemNumber: string | null;
  createdByName: string | null;
  updatedByName: string | null;
};

const { searchVector: _sv, ...articleColumns } = getTableColumns(knowledgeArticles);

export async function findArticle(q: Queryable, id: number): Promise<ArticleRow | undefined> {
  const [row] = await q
    .select({
      a: articleColumns,
      orgName: organizations.name,
      sourceProblemNumber: tickets.number,
      createdByName: creator.displayName,
      updatedByName: updater.displayName,
    })
    .from(knowledgeArticles)
    .leftJoin(organizations, eq(organizations.id, knowledgeArticles.orgId))
    .leftJoin(tickets, eq(tickets.id, knowledgeArticles.sourceProblemId))
    .leftJoin(creator, eq(creator.id, knowledgeArticles.createdBy))
    .leftJoin(updater, eq(updater.id, knowledgeArticles.updatedBy))
    .where(eq(knowledgeArticles.id, id));
  return row;
}

export async function lockArticle(q: Queryable, id: number) {
  const [row] = await q.select({ id: knowledgeArticles.id, version: knowledgeArticles.version, state: knowledgeArticles.state, kind: knowledgeArticles.kind, orgId: knowledgeArticles.orgId, title: knowledgeArticles.title, body: knowledgeArticles.body, number: knowledgeArticles.number, publishedAt: knowledgeArticles.publishedAt }).from(knowledgeArticles).where(eq(knowledgeArticles.id, id)).for('update');
  return row;
}

export async function articleCis(q: Queryable, articleIds: number[]) {
  if (!articleIds.length) return [];
  return q
    .select({ articleId: knowledgeArticleCis.articleId, id: ciItems.id, name: ciItems.name, orgId: ciItems.orgId })
    .from(knowledgeArticleCis)
    .innerJoin(ciItems, eq(ciItems.id, knowledgeArticleCis.ciId))
    .where(inArray(knowledgeArticleCis.articleId, articleIds))
    .orderBy(asc(ciItems.id));
}

export async function findCis(q: Queryable, ids: number[]) {
  if (!ids.length) return [];
  return q.select({ id: ciItems.id, name: ciItems.name, orgId: ciItems.orgId }).from(ciItems).where(inArray(ciItems.id, ids));
}

export async function setArticleCis(q: Queryable, articleId: number, ciIds: number[]) {
  await q.delete(knowledgeArticleCis).where(eq(knowledgeArticleCis.articleId, articleId));
  if (ciIds.length) await q.insert(knowledgeArticleCis).values(ciIds.map((ciId) => ({ articleId, ciId }))).onConflictDoNothing();
}

export type NewArticle = {
  title: string;
  body: string;
  kind: 'article' | 'known_error';
  state: 'draft' | 'published' | 'retired';
  orgId: number | null;
  sourceProblemId: number | null;
  actorId: number | null;
  searchDoc: string;
};

/** Number from the sequence; the number is part of the searchable text (like tickets). */
export async function insertArticle(q: Queryable, v: NewArticle): Promise<{ id: number; number: string }> {
  const [r] = await rows<{ id: string | number; number: string }>(
    q,
    sql`WITH num AS (SELECT 'KB' || lpad(nextval('knowledge_article_seq')::text, 6, '0') AS n)
        INSERT INTO knowledge_articles (number, title, body, kind, state, org_id, source_problem_id, published_at, created_by, updated_by, search_vector)
        SELECT num.n, ${v.title}, ${v.body}, ${v.kind}, ${v.state}, ${v.orgId}::bigint, ${v.sourceProblemId}::bigint,
          CASE WHEN ${v.state} = 'published' THEN now() END, ${v.actorId}::bigint, ${v.actorId}::bigint,
          to_tsvector('simple', lower(num.n) || ' ' || ${v.searchDoc})
        FROM num
        RETURNING id, number`,
  );
  if (!r) throw new Error('insert returned nothing');
  return { id: Number(r.id), number: r.number };
}

export async function updateArticleVersioned(
  q: Queryable,
  id: number,
  version: number,
  patch: Partial<Pick<typeof knowledgeArticles.$inferInsert, 'title' | 'body' | 'state' | 'orgId' | 'publishedAt' | 'updatedBy'>>,
  searchDoc: string | undefined,
): Promise<boolean> {
  const r = await q
    .update(knowledgeArticles)
    .set({
      ...patch,
      ...(searchDoc === undefined ? {} : { searchVector: sql`to_tsvector('simple', lower(${knowledgeArticles.number}) || ' ' || ${searchDoc})` }),
      version: sql`${knowledgeArticles.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(knowledgeArticles.id, id), eq(knowledgeArticles.version, version)))
    .returning({ id: knowledgeArticles.id });
  return r.length > 0;
}

/** Who may read what: published only unless `drafts`; org-bound articles only inside the scope. */
export function visibility(scope: number[] | null, drafts: boolean): SQL | undefined {
  const c: SQL[] = [];
  if (!drafts) c.push(eq(knowledgeArticles.state, 'published'));
  if (scope !== null) {
    c.push(scope.length ? (or(isNull(knowledgeArticles.orgId), inArray(knowledgeArticles.orgId, scope)) as SQL) : isNull(knowledgeArticles.orgId));
  }
  return c.length ? and(...c) : undefined;
}

/** The ticket search: each term a phrase (exact) AND its bigrams (index narrowing). */
export function searchQuery(q: string): SQL | null {
  const terms = searchTerms(q);
  if (!terms.length) return null;
  const parts = terms.flatMap((t) => [
    ...(t.phrase ? [sql`phraseto_tsquery('simple', ${t.phrase})`] : []),
    ...(t.bigrams ? [sql`plainto_tsquery('simple', ${t.bigrams})`] : []),
  ]);
  return sql`(${sql.join(parts, sql` && `)})`;
}

export type ListFilter = {
  scope: number[] | null;
  drafts: boolean;
  q?: string;
  kind?: 'article' | 'known_error';
  state?: 'draft' | 'published' | 'retired';
  page: number;
  pageSize: number;
};

export async function listArticles(q: Queryable, f: ListFilter) {
  const c: SQL[] = [];
  const vis = visibility(f.scope, f.drafts);
  if (vis) c.push(vis);
  if (f.kind) c.push(eq(knowledgeArticles.kind, f.kind));
  if (f.state) c.push(eq(knowledgeArticles.state, f.state));
  const tsq = f.q ? searchQuery(f.q) : null;
  if (f.q && !tsq) c.push(sql`false`);
  if (tsq) c.push(sql`${knowledgeArticles.searchVector} @@ ${tsq}`);
  const where = c.length ? and(...c) : undefined;
  const rank = tsq ? sql<number>`ts_rank(${knowledgeArticles.searchVector}, ${tsq})` : sql<number | null>`NULL::real`;
  const items = await q
    .select({
      id: knowledgeArticles.id,
      number: knowledgeArticles.number,
      title: knowledgeArticles.title,
      kind: knowledgeArticles.kind,
      state: knowledgeArticles.state,
      orgId: knowledgeArticles.orgId,
      excerpt: sql<string>`left(${knowledgeArticles.body}, 200)`,
      updatedAt: knowledgeArticles.updatedAt,
      rank,
    })
    .from(knowledgeArticles)
    .where(where)
    .orderBy(...(tsq ? [desc(rank), desc(knowledgeArticles.updatedAt)] : [desc(knowledgeArticles.updatedAt)]), desc(knowledgeArticles.id))
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  const [c2] = await q.select({ n: sql<number>`count(*)::int` }).from(knowledgeArticles).where(where);
  return { items, total: Number(c2?.n ?? 0) };
}

export type SuggestRow = {
  id: number;
  number: string;
  title: string;
  kind: 'article' | 'known_error';
  matched_terms: string[] | null;
  matched_ci_ids: (string | number)[] | null;
  rank: number | null;
  symptom: string | null;
  workaround: string | null;
  problem_id: string | number | null;
  problem_number: string | null;
};

/**
 * Published known errors sharing text terms and/or CIs with an incident. Text: the incident's terms
 * (bigrams and words, OR-ed) narrowed by the GIN index, then each candidate's matched terms counted;
 * CIs: the article-CI index. Scope and organisation filters apply to both.
 */
export async function suggestCandidates(
  q: Queryable,
  args: { terms: string[]; ciIds: number[]; scope: number[] | null; orgId: number | null; limit: number },
): Promise<SuggestRow[]> {
  const orgFilter = args.orgId ? sql`AND (a.org_id IS NULL OR a.org_id = ${args.orgId}::bigint)` : sql``;
  const scopeFilter =
    args.scope === null ? sql`` : args.scope.length ? sql`AND (a.org_id IS NULL OR a.org_id = ANY(${`{${args.scope.join(',')}}`}::bigint[]))` : sql`AND a.org_id IS NULL`;
  const termArray = `{${args.terms.map((t) => `"${t.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
  const ciArray = `{${args.ciIds.join(',')}}`;
  return rows<SuggestRow>(
    q,
    sql`WITH terms AS (SELECT DISTINCT x AS term FROM unnest(${termArray}::text[]) x),
      anyq AS (SELECT to_tsquery('simple', string_agg(quote_literal(term), ' | ')) AS tsq FROM terms),
      by_text AS (
        SELECT a.id FROM knowledge_articles a, anyq
        WHERE anyq.tsq IS NOT NULL AND a.search_vector @@ anyq.tsq AND a.state = 'published' AND a.kind = 'known_error' ${orgFilter} ${scopeFilter}
        LIMIT 500
      ),
      by_ci AS (
        SELECT DISTINCT c.article_id AS id FROM knowledge_article_cis c JOIN knowledge_articles a ON a.id = c.article_id
        WHERE c.ci_id = ANY(${ciArray}::bigint[]) AND a.state = 'published' AND a.kind = 'known_error' ${orgFilter} ${scopeFilter}
      ),
      cand AS (SELECT id FROM by_text UNION SELECT id FROM by_ci)
    SELECT a.id, a.number, a.title, a.kind,
      (SELECT array_agg(t.term ORDER BY t.term) FROM terms t WHERE a.search_vector @@ to_tsquery('simple', quote_literal(t.term))) AS matched_terms,
      (SELECT array_agg(c.ci_id ORDER BY c.ci_id) FROM knowledge_article_cis c WHERE c.article_id = a.id AND c.ci_id = ANY(${ciArray}::bigint[])) AS matched_ci_ids,
      (SELECT ts_rank(a.search_vector, anyq.tsq) FROM anyq WHERE anyq.tsq IS NOT NULL) AS rank,
      k.symptom, k.workaround, k.problem_id, p.number AS problem_number
    FROM cand JOIN knowledge_articles a ON a.id = cand.id
    LEFT JOIN known_errors k ON k.article_id = a.id
    LEFT JOIN tickets p ON p.id = k.problem_id
    LIMIT 200`,
  );
}

export async function ciNames(q: Queryable, ids: number[]) {
  if (!ids.length) return new Map<number, string>();
  const r = await q.select({ id: ciItems.id, name: ciItems.name }).from(ciItems).where(inArray(ciItems.id, ids));
  return new Map(r.map((x) => [x.id, x.name]));
}
