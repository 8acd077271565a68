import { and, count, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeArticle, KnowledgeSuggestResponse, Problem, ProblemReport, ProblemSummary, Ticket } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { createTicket } from '../tickets/tickets.service.ts';
import { tickets } from '../tickets/tickets.tables.ts';
import { problemDetails, problemIncidents } from './problems.tables.ts';

type Err = { error: { code: string; message: string } };

const world = useTestWorld();
const db = () => world.t.database.db;

let agent: Client;
let engineer: Client;
let classId: number;

async function incident(title: string, orgId = world.w.custA.id, who: Client = agent): Promise<Ticket> {
  const res = await who.post('/api/tickets', { title, description: `${title}，用户反馈无法访问`, orgId });
  expect(res.statusCode, res.body).toBe(201);
  return json<Ticket>(res);
}

async function makeCi(orgId = world.w.custA.id, name = `应用服务器-${uniq('')}`): Promise<number> {
  const res = await agent.post('/api/cis', { classId, orgId, name });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ id: number }>(res).id;
}

async function makeChange(orgId = world.w.custA.id): Promise<number> {
  const { row } = await createTicket(
    db(),
    systemActor(),
    { type: 'change', title: `变更 ${uniq('')}`, description: '', orgId, impact: 3, urgency: 3, major: false, customFields: {} },
    undefined,
    { workflowKey: 'change.normal' },
  );
  return row.t.id;
}

async function createProblem(body: Record<string, unknown>, who: Client = agent): Promise<Problem> {
  const res = await who.post('/api/problems', { title: `问题 ${uniq('')}`, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<Problem>(res);
}

const problemCount = async (orgId: number) =>
  Number((await db().select({ n: count() }).from(tickets).where(and(eq(tickets.type, 'problem'), eq(tickets.orgId, orgId))))[0]?.n ?? 0);

async function transition(who: Client, id: number, body: Record<string, unknown>) {
  const cur = json<Ticket>(await who.get(`/api/tickets/${id}`));
  return who.post(`/api/tickets/${id}/transitions`, { version: cur.version, ...body });
}

beforeAll(async () => {
  agent = await world.w.as('agent');
  engineer = await world.w.as('engineer');
  const admin = await world.w.as('sysadmin');
  const cls = await admin.post('/api/ci-classes', { key: uniq('t_prb'), name: `测试服务器-${uniq('')}`, attributes: [] });
  expect(cls.statusCode, cls.body).toBe(201);
  classId = json<{ id: number }>(cls).id;
});

describe('problems', () => {
  it('creates a problem from three incidents with count and first/last occurrence, audited', async () => {
    const a = await incident('深圳分公司VPN证书过期无法登录');
    const b = await incident('VPN 登录失败提示证书过期');
    const c = await incident('广州分公司 VPN 证书错误');
    const ci = await makeCi();
    const p = await createProblem({ title: 'VPN 证书过期导致批量登录失败', symptom: '多地 VPN 登录失败', incidentIds: [a.id, b.id, c.id, a.id], ciIds: [ci], impact: 1, urgency: 2 });
    expect(p.ticket.type).toBe('problem');
    expect(p.ticket.number).toMatch(/^PRB\d{6}$/);
    expect(p.ticket.orgId).toBe(world.w.custA.id);
    expect(p.ticket.state).toBe('new');
    expect(p.details.symptom).toBe('多地 VPN 登录失败');
    expect(p.incidentCount).toBe(3);
    expect(p.incidents.map((i) => i.id)).toEqual([a.id, b.id, c.id]);
    expect(p.firstOccurrenceAt).toBe(a.createdAt);
    expect(p.lastOccurrenceAt).toBe(c.createdAt);
    expect(p.cis.map((x) => x.id)).toEqual([ci]);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'problem.create'), eq(auditLog.objectId, String(p.ticket.id))));
    expect(audits).toHaveLength(1);

    const list = json<{ items: ProblemSummary[] }>(await agent.get('/api/problems?pageSize=200'));
    const row = list.items.find((x) => x.id === p.ticket.id);
    expect(row?.incidentCount).toBe(3);
    expect(row?.stateCategory).toBe('open');
    const newOnes = json<{ items: ProblemSummary[] }>(await agent.get('/api/problems?pageSize=200&state=new,investigating&sort=-incidentCount'));
    expect(newOnes.items.some((x) => x.id === p.ticket.id)).toBe(true);
    const resolvedOnes = json<{ items: ProblemSummary[] }>(await agent.get('/api/problems?pageSize=200&state=resolved'));
    expect(resolvedOnes.items.some((x) => x.id === p.ticket.id)).toBe(false);
    // The category filter is in the query, so pages are full and the total counts only matches.
    const open = json<{ items: ProblemSummary[]; total: number }>(await agent.get('/api/problems?pageSize=1&stateCategory=open,pending'));
    expect(open.items).toHaveLength(1);
    expect(open.total).toBeGreaterThanOrEqual(1);
    const closed = json<{ items: ProblemSummary[]; total: number }>(await agent.get('/api/problems?pageSize=200&stateCategory=closed,cancelled'));
    expect(closed.items.some((x) => x.id === p.ticket.id)).toBe(false);
    expect(closed.total).toBe(closed.items.length);
    expect(closed.items.every((x) => x.stateCategory === 'closed' || x.stateCategory === 'cancelled')).toBe(true);
    const found = json<{ items: ProblemSummary[] }>(await agent.get(`/api/problems?q=${encodeURIComponent('批量登录')}`));
    expect(found.items.map((x) => x.id)).toContain(p.ticket.id);
    expect((await agent.get('/api/problems?state=a%22b')).statusCode).toBe(400);
    const byIncident = json<{ problem: { id: number } | null }>(await agent.get(`/api/problems/by-incident/${b.id}`));
    expect(byIncident.problem?.id).toBe(p.ticket.id);
  });

  it('refuses bad links with clear codes and writes nothing', async () => {
    const a = await incident('数据库连接池耗尽');
    const b = await incident('订单系统超时');
    const p1 = await createProblem({ incidentIds: [a.id] });
    const before = await problemCount(world.w.custA.id);

    // An incident already linked elsewhere: neither a new problem nor a second link.
    let r = await agent.post('/api/problems', { title: '重复', incidentIds: [b.id, a.id] });
    expect(r.statusCode).toBe(409);
    expect(json<Err>(r).error.code).toBe('PROBLEM_INCIDENT_ALREADY_LINKED');
    expect(json<Err>(r).error.message).toContain(p1.ticket.number);
    expect(await problemCount(world.w.custA.id)).toBe(before);
    expect(await db().select().from(problemIncidents).where(eq(problemIncidents.incidentId, b.id))).toHaveLength(0);

    const p2 = await createProblem({ orgId: world.w.custA.id });
    r = await agent.post(`/api/problems/${p2.ticket.id}/incidents`, { incidentIds: [a.id] });
    expect(r.statusCode).toBe(409);
    expect(json<Err>(r).error.code).toBe('PROBLEM_INCIDENT_ALREADY_LINKED');

    // Linking to the same problem again is harmless.
    r = await agent.post(`/api/problems/${p1.ticket.id}/incidents`, { incidentIds: [a.id] });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<Problem>(r).incidentCount).toBe(1);

    // A change is not an incident; a problem is not an incident either.
    const change = await makeChange();
    r = await agent.post(`/api/problems/${p2.ticket.id}/incidents`, { incidentIds: [change] });
    expect(r.statusCode).toBe(422);
    expect(json<Err>(r).error.code).toBe('PROBLEM_LINK_WRONG_TYPE');
    r = await agent.post(`/api/problems/${p2.ticket.id}/changes`, { changeIds: [b.id] });
    expect(json<Err>(r).error.code).toBe('PROBLEM_LINK_WRONG_TYPE');
    r = await agent.post(`/api/problems/${p2.ticket.id}/changes`, { changeIds: [change] });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<Problem>(r).changes.map((x) => x.id)).toEqual([change]);

    // Another organisation's incident, CI or change.
    const other = await incident('客户B 邮件延迟', world.w.custB.id);
    r = await agent.post(`/api/problems/${p2.ticket.id}/incidents`, { incidentIds: [other.id] });
    expect(r.statusCode).toBe(422);
    expect(json<Err>(r).error.code).toBe('PROBLEM_LINK_CROSS_ORG');
    r = await agent.post('/api/problems', { title: '跨组织', incidentIds: [b.id, other.id] });
    expect(json<Err>(r).error.code).toBe('PROBLEM_LINK_CROSS_ORG');
    expect(await problemCount(world.w.custA.id)).toBe(before + 1);
    const ciB = await makeCi(world.w.custB.id);
    r = await agent.post(`/api/problems/${p2.ticket.id}/cis`, { ciIds: [ciB] });
    expect(json<Err>(r).error.code).toBe('PROBLEM_LINK_CROSS_ORG');
    r = await agent.post(`/api/problems/${p2.ticket.id}/changes`, { changeIds: [await makeChange(world.w.custB.id)] });
    expect(json<Err>(r).error.code).toBe('PROBLEM_LINK_CROSS_ORG');

    // An incident outside the engineer's scope is simply not found.
    const outsider = await world.w.as('outsider');
    r = await outsider.post('/api/problems', { title: '越权', incidentIds: [b.id] });
    expect(r.statusCode).toBe(404);

    // Unlink and link again.
    r = await agent.del(`/api/problems/${p1.ticket.id}/incidents/${a.id}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(json<Problem>(r).incidentCount).toBe(0);
    r = await agent.del(`/api/problems/${p1.ticket.id}/incidents/${a.id}`);
    expect(r.statusCode).toBe(404);
    r = await agent.post(`/api/problems/${p2.ticket.id}/incidents`, { incidentIds: [a.id, b.id] });
    expect(json<Problem>(r).incidentCount).toBe(2);
  });

  it('keeps customers out and needs problem.manage to write', async () => {
    const cust = await world.w.as('customerA');
    expect((await cust.get('/api/problems')).statusCode).toBe(403);
    expect((await cust.post('/api/problems', { title: 'x', orgId: world.w.custA.id })).statusCode).toBe(403);
    const admin = await world.w.as('sysadmin');
    expect((await admin.post('/api/problems', { title: 'x', orgId: world.w.custA.id })).statusCode).toBe(403);
    const p = await createProblem({ orgId: world.w.custA.id });
    expect((await cust.get(`/api/problems/${p.ticket.id}`)).statusCode).toBe(403);
    const inc = await incident('不是问题');
    expect((await agent.get(`/api/problems/${inc.id}`)).statusCode).toBe(404);
  });

  it('refuses resolve and known error without a root cause; records RCA with versions', async () => {
    const p = await createProblem({ orgId: world.w.custA.id });
    const id = p.ticket.id;
    let r = await transition(engineer, id, { action: 'investigate' });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<Ticket>(r).state).toBe('investigating');
    r = await transition(engineer, id, { action: 'resolve', resolutionNotes: '已修复' });
    expect(r.statusCode).toBe(422);
    expect(json<Err>(r).error.code).toBe('PROBLEM_ROOT_CAUSE_REQUIRED');
    r = await transition(engineer, id, { action: 'mark_known_error' });
    expect(json<Err>(r).error.code).toBe('PROBLEM_ROOT_CAUSE_REQUIRED');

    // A root cause without a category is still not enough.
    r = await engineer.patch(`/api/problems/${id}/details`, { version: p.details.version, rootCause: '证书自动续期任务失败', fiveWhys: ['证书过期', '续期任务未运行', '定时任务被误删'] });
    expect(r.statusCode, r.body).toBe(200);
    let cur = json<Problem>(r);
    expect(cur.details.rootCauseAt).not.toBeNull();
    expect(cur.details.fiveWhys).toHaveLength(3);
    const firstRca = cur.details.rootCauseAt;
    r = await transition(engineer, id, { action: 'mark_known_error' });
    expect(json<Err>(r).error.code).toBe('PROBLEM_ROOT_CAUSE_REQUIRED');

    const stale = await engineer.patch(`/api/problems/${id}/details`, { version: p.details.version, causeCategory: 'software' });
    expect(stale.statusCode).toBe(409);
    expect(json<Err>(stale).error.code).toBe('VERSION_CONFLICT');
    r = await engineer.patch(`/api/problems/${id}/details`, { version: cur.details.version, causeCategory: 'software', rootCause: '证书自动续期任务被误删' });
    cur = json<Problem>(r);
    expect(cur.details.causeCategory).toBe('software');
    expect(cur.details.rootCauseAt).toBe(firstRca);
    const tooMany = await engineer.patch(`/api/problems/${id}/details`, { version: cur.details.version, fiveWhys: ['1', '2', '3', '4', '5', '6'] });
    expect(tooMany.statusCode).toBe(400);

    r = await transition(engineer, id, { action: 'mark_known_error' });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<Ticket>(r).state).toBe('known_error');
    r = await transition(engineer, id, { action: 'resolve', resolutionNotes: '恢复续期任务并加监控' });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<Ticket>(r).state).toBe('resolved');
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'problem.rca.update'), eq(auditLog.objectId, String(id))));
    expect(audits).toHaveLength(2);
  });

  it('publishes a known error to the knowledge base, searchable in Chinese, scoped, and suggested by text or CI', async () => {
    const ci = await makeCi();
    const inc = await incident('核心交换机端口频繁闪断');
    const p = await createProblem({ title: '核心交换机光模块老化', incidentIds: [inc.id], ciIds: [ci] });
    const id = p.ticket.id;
    let r = await agent.post(`/api/problems/${id}/known-error`, { symptom: '交换机上联端口闪断，业务间歇性中断', cause: '光模块老化，收光功率过低', workaround: '将上联切换到备用端口并更换光模块' });
    expect(r.statusCode, r.body).toBe(200);
    let cur = json<Problem>(r);
    const ke = cur.knownError;
    expect(ke?.articleNumber).toMatch(/^KB\d{6}$/);
    expect(ke?.articleState).toBe('published');
    expect(ke?.ciIds).toEqual([ci]);
    expect(ke?.shared).toBe(false);

    // Updating needs the version the client saw.
    r = await agent.post(`/api/problems/${id}/known-error`, { symptom: 's', cause: 'c', workaround: 'w' });
    expect(json<Err>(r).error.code).toBe('FIELD_REQUIRED');
    r = await agent.post(`/api/problems/${id}/known-error`, { version: (ke?.version ?? 0) + 5, symptom: 's', cause: 'c', workaround: 'w' });
    expect(json<Err>(r).error.code).toBe('VERSION_CONFLICT');
    r = await agent.post(`/api/problems/${id}/known-error`, {
      version: ke?.version,
      symptom: '交换机上联端口闪断，业务间歇性中断',
      cause: '光模块老化，收光功率过低',
      workaround: '将上联切换到备用端口，更换光模块后恢复',
    });
    expect(r.statusCode, r.body).toBe(200);
    cur = json<Problem>(r);
    expect(cur.knownError?.articleId).toBe(ke?.articleId);
    expect(cur.knownError?.version).toBe((ke?.version ?? 0) + 1);

    // Search: a substring of the body, ranked; the customer of the organisation reads it without internal fields.
    const found = json<{ items: { id: number; rank: number | null }[] }>(await agent.get(`/api/knowledge?q=${encodeURIComponent('收光功率')}`));
    expect(found.items.map((i) => i.id)).toContain(ke?.articleId);
    expect(found.items[0]?.rank).toBeGreaterThan(0);
    const none = json<{ items: unknown[] }>(await agent.get(`/api/knowledge?q=${encodeURIComponent('收光功率') + '%20' + encodeURIComponent('不存在的词组')}`));
    expect(none.items).toHaveLength(0);
    const custA = await world.w.as('customerA');
    const asCust = await custA.get(`/api/knowledge/${ke?.articleId}`);
    expect(asCust.statusCode, asCust.body).toBe(200);
    const article = json<KnowledgeArticle>(asCust);
    expect(article.body).toContain('备用端口');
    expect(article.sourceProblemId).toBeUndefined();
    const asAgent = json<KnowledgeArticle>(await agent.get(`/api/knowledge/${ke?.articleId}`));
    expect(asAgent.sourceProblemNumber).toBe(p.ticket.number);
    const custB = await world.w.as('customerB');
    expect((await custB.get(`/api/knowledge/${ke?.articleId}`)).statusCode).toBe(404);

    // Suggestions: similar text, the same CI, or both; with the reason.
    let s = json<KnowledgeSuggestResponse>(await agent.get(`/api/knowledge/suggest?text=${encodeURIComponent('二楼交换机端口闪断，网络时断时续')}&orgId=${world.w.custA.id}`));
    let hit = s.items.find((i) => i.articleId === ke?.articleId);
    expect(hit?.reasons).toEqual(['text']);
    expect(hit?.matchedTerms).toContain('闪断');
    expect(hit?.workaround).toContain('备用端口');
    s = json<KnowledgeSuggestResponse>(await agent.get(`/api/knowledge/suggest?text=${encodeURIComponent('打印机卡纸')}&ciIds=${ci}`));
    hit = s.items.find((i) => i.articleId === ke?.articleId);
    expect(hit?.reasons).toEqual(['ci']);
    expect(hit?.matchedCis.map((c) => c.id)).toEqual([ci]);
    s = json<KnowledgeSuggestResponse>(await agent.get(`/api/knowledge/suggest?text=${encodeURIComponent('打印机卡纸')}`));
    expect(s.items.some((i) => i.articleId === ke?.articleId)).toBe(false);
    // Another organisation's incident gets nothing from this org-bound known error.
    s = json<KnowledgeSuggestResponse>(await agent.get(`/api/knowledge/suggest?text=${encodeURIComponent('交换机端口闪断')}&orgId=${world.w.custB.id}`));
    expect(s.items.some((i) => i.articleId === ke?.articleId)).toBe(false);

    // A fourth incident on the same CI: suggested from the ticket (text and CI).
    const fourth = await incident('交换机端口闪断导致业务中断');
    const put = await agent.put(`/api/tickets/${fourth.id}/cis`, { ciIds: [ci] });
    expect(put.statusCode, put.body).toBe(200);
    s = json<KnowledgeSuggestResponse>(await agent.get(`/api/knowledge/suggest?ticketId=${fourth.id}`));
    hit = s.items.find((i) => i.articleId === ke?.articleId);
    expect(hit?.reasons).toEqual(['text', 'ci']);
    expect(hit?.problemNumber).toBe(p.ticket.number);
    const custSuggest = json<KnowledgeSuggestResponse>(await custA.get(`/api/knowledge/suggest?text=${encodeURIComponent('交换机端口闪断')}`));
    const custHit = custSuggest.items.find((i) => i.articleId === ke?.articleId);
    expect(custHit?.reasons).toEqual(['text']);
    expect(custHit?.problemNumber).toBeUndefined();

    // Shared: every organisation may read it.
    r = await agent.post(`/api/problems/${id}/known-error`, { version: cur.knownError?.version, symptom: '交换机端口闪断', cause: '光模块老化', workaround: '更换光模块', shared: true });
    expect(json<Problem>(r).knownError?.shared).toBe(true);
    expect((await custB.get(`/api/knowledge/${ke?.articleId}`)).statusCode).toBe(200);
  });

  it('reports resolution rate, time to root cause and repeat incidents', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const org = world.w.custB.id;
    const incs = [await incident('报表事件一', org), await incident('报表事件二', org), await incident('报表事件三', org)];
    const p1 = await createProblem({ incidentIds: incs.map((i) => i.id) });
    const p2 = await createProblem({ orgId: org });
    const p3 = await createProblem({ orgId: org });
    // p1: root cause two hours after creation (set directly), then resolved.
    const rca = await agent.patch(`/api/problems/${p1.ticket.id}/details`, { version: 1, rootCause: '磁盘满', causeCategory: 'capacity' });
    expect(rca.statusCode, rca.body).toBe(200);
    await db()
      .update(problemDetails)
      .set({ rootCauseAt: sql`(SELECT created_at FROM tickets WHERE id = ${p1.ticket.id}) + interval '2 hours'` })
      .where(eq(problemDetails.ticketId, p1.ticket.id));
    expect((await transition(agent, p1.ticket.id, { action: 'investigate' })).statusCode).toBe(200);
    expect((await transition(agent, p1.ticket.id, { action: 'resolve', resolutionNotes: '扩容' })).statusCode).toBe(200);
    expect((await transition(agent, p3.ticket.id, { action: 'cancel', comment: '重复' })).statusCode).toBe(200);
    const to = new Date(Date.now() + 1000).toISOString();
    const r = await agent.get(`/api/problems/reports?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&orgId=${org}`);
    expect(r.statusCode, r.body).toBe(200);
    const rep = json<ProblemReport>(r);
    expect(rep.created).toBe(3);
    expect(rep.resolved).toBe(1);
    expect(rep.cancelled).toBe(1);
    expect(rep.resolutionRate).toBe(0.5);
    expect(rep.withRootCause).toBe(1);
    expect(rep.avgHoursToRootCause).toBe(2);
    expect(rep.repeatIncidents).toEqual([expect.objectContaining({ problemId: p1.ticket.id, incidentCount: 3 })]);
    expect(rep.avgIncidentsPerProblem).toBe(1);
    expect(rep.byCause).toContainEqual({ causeCategory: 'capacity', count: 1 });
    expect(p2.ticket.id).toBeGreaterThan(0);
    const bad = await agent.get(`/api/problems/reports?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
    expect(bad.statusCode).toBe(400);
  });
});
