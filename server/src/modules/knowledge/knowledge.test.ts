import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { KnowledgeArticle } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { suggestTerms, textThreshold } from './knowledge.service.ts';

const world = useTestWorld();
const db = () => world.t.database.db;

describe('suggestion terms', () => {
  it('takes Han bigrams, words and Latin words but no single characters', () => {
    const terms = suggestTerms('VPN证书过期 10.0.0.1');
    expect(terms).toEqual(expect.arrayContaining(['证书', '书过', '过期', 'vpn', '10.0.0.1']));
    expect(terms.some((t) => [...t].length === 1)).toBe(false);
    expect(suggestTerms('-- // ... ！！')).toEqual([]);
    expect(textThreshold(3)).toBe(2);
    expect(textThreshold(40)).toBe(4);
  });
});

describe('knowledge articles', () => {
  it('creates drafts only managers see, publishes with a version, and searches them', async () => {
    const agent = await world.w.as('agent');
    const title = `如何重置 VPN 密码 ${uniq('')}`;
    let r = await agent.post('/api/knowledge', { title, body: '登录自助门户，选择“重置密码”，按短信验证码完成。' });
    expect(r.statusCode, r.body).toBe(201);
    const a = json<KnowledgeArticle>(r);
    expect(a.state).toBe('draft');
    expect(a.kind).toBe('article');
    const cust = await world.w.as('customerA');
    expect((await cust.get(`/api/knowledge/${a.id}`)).statusCode).toBe(404);
    expect((await cust.post('/api/knowledge', { title: 'x' })).statusCode).toBe(403);
    r = await agent.patch(`/api/knowledge/${a.id}`, { version: a.version, state: 'published' });
    expect(r.statusCode, r.body).toBe(200);
    const pub = json<KnowledgeArticle>(r);
    expect(pub.publishedAt).not.toBeNull();
    r = await agent.patch(`/api/knowledge/${a.id}`, { version: a.version, title: '旧版本' });
    expect(r.statusCode).toBe(409);
    const list = json<{ items: { id: number }[] }>(await cust.get(`/api/knowledge?q=${encodeURIComponent('短信验证')}`));
    expect(list.items.map((i) => i.id)).toContain(a.id);
    const byNumber = json<{ items: { id: number }[] }>(await cust.get(`/api/knowledge?q=${pub.number.toLowerCase()}`));
    expect(byNumber.items.map((i) => i.id)).toContain(a.id);
    r = await agent.patch(`/api/knowledge/${a.id}`, { version: pub.version, state: 'retired' });
    expect(r.statusCode).toBe(200);
    expect((await cust.get(`/api/knowledge/${a.id}`)).statusCode).toBe(404);
    // Odd input never breaks the suggestion query.
    const odd = await agent.get(`/api/knowledge/suggest?text=${encodeURIComponent("-- 'a' \\ \"b\" {c} ,d, a:b 10.0.0.1 证书")}`);
    expect(odd.statusCode, odd.body).toBe(200);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.objectType, 'knowledge_article'), eq(auditLog.objectId, String(a.id))));
    expect(audits.map((x) => x.action)).toEqual(['knowledge.create', 'knowledge.update', 'knowledge.update']);
  });
});
