import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, index, integer, pgSequence, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from '../directory/directory.tables.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { ciItems } from '../cmdb/cmdb.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** KB000001, KB000002, ... */
export const knowledgeArticleSeq = pgSequence('knowledge_article_seq', { startWith: 1, increment: 1 });

/**
 * A knowledge article (知识文章) or a published known error (已知错误). A minimal table for now, ready for
 * the knowledge issue: markdown body, a lifecycle state, the CIs it is about and a Chinese full-text
 * vector built by the app's tokenizer (like tickets). `org_id` null = every organisation may read it;
 * set = only people whose tenant scope includes that organisation (a known error of one customer).
 */
export const knowledgeArticles = pgTable(
  'knowledge_articles',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    number: text('number').notNull().unique(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    kind: text('kind', { enum: ['article', 'known_error'] }).notNull().default('article'),
    state: text('state', { enum: ['draft', 'published', 'retired'] }).notNull().default('draft'),
    orgId: bigint('org_id', { mode: 'number' }).references(() => organizations.id),
    /** The problem a known error was published from (internal). */
    sourceProblemId: bigint('source_problem_id', { mode: 'number' }).references(() => tickets.id),
    publishedAt: ts('published_at'),
    version: integer('version').notNull().default(1),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    searchVector: tsvector('search_vector').notNull().default(sql`''::tsvector`),
  },
  (t) => [
    index('knowledge_articles_search_idx').using('gin', t.searchVector),
    index('knowledge_articles_state_kind_idx').on(t.state, t.kind, t.updatedAt.desc()),
    index('knowledge_articles_source_idx').on(t.sourceProblemId),
  ],
);

/** CIs an article (a known error) is about: the "same CI" suggestion looks here. */
export const knowledgeArticleCis = pgTable(
  'knowledge_article_cis',
  {
    articleId: bigint('article_id', { mode: 'number' })
      .notNull()
      .references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
    ciId: bigint('ci_id', { mode: 'number' })
      .notNull()
      .references(() => ciItems.id),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.ciId] }), index('knowledge_article_cis_ci_idx').on(t.ciId)],
);
