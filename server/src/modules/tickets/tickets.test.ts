import { describe, expect, it } from 'vitest';
import { json, useTestWorld } from '../../test/test-app.ts';
import { listTickets } from './tickets.queries.ts';

type T = { id: number; number: string; state: string; version: number; priority: number; allowedActions: string[]; assigneeId: number | null };

const world = useTestWorld();

async function newIncident(extra: Record<string, unknown> = {}) {
  const agent = await world.w.as('agent');
  const res = await agent.post('/api/tickets', { title: '深圳分公司VPN证书过期无法登录', orgId: world.w.custA.id, impact: 1, urgency: 2, channel: 'phone', callerName: '张三', callerPhone: '13800138000', ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return json<T>(res);
}

describe('incident lifecycle', () => {
  it('runs new -> in progress -> pending -> resolved -> closed with events', async () => {
    const inc = await newIncident();
    expect(inc.number).toMatch(/^INC\d{6}$/);
    expect(inc.priority).toBe(2);
    expect(inc.state).toBe('new');
    const eng = await world.w.as('engineer');
    let r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'take', version: inc.version });
    expect(r.statusCode, r.body).toBe(200);
    let cur = json<T>(r);
    expect(cur.state).toBe('in_progress');
    expect(cur.assigneeId).toBe(world.w.users.engineer.id);
    r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'pend', version: cur.version });
    expect(r.statusCode).toBe(422);
    expect(json<{ error: { code: string; message: string } }>(r).error.code).toBe('FIELD_REQUIRED');
    r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'pend', version: cur.version, pendingReason: 'customer' });
    cur = json<T>(r);
    expect(cur.state).toBe('pending');
    r = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'resolve', version: cur.version, resolutionCode: 'fixed', resolutionNotes: '已更新证书' });
    expect(r.statusCode, r.body).toBe(200);
    cur = json<T>(r);
    expect(cur.state).toBe('resolved');
    const cust = await world.w.as('customerA');
    const view = json<T>(await cust.get(`/api/tickets/${inc.id}`));
    expect(view.allowedActions).toContain('close');
    r = await cust.post(`/api/tickets/${inc.id}/transitions`, { action: 'close', version: cur.version });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<T>(r).state).toBe('closed');
    const events = json<{ kind: string; data: { changes?: { field: string; toName?: string }[] } }[]>(await eng.get(`/api/tickets/${inc.id}/events`));
    expect(events.map((e) => e.kind)).toEqual(['created', 'transition', 'assignment', 'transition', 'transition', 'transition']);
    const assigned = events.find((e) => e.kind === 'assignment')?.data.changes?.find((c) => c.field === 'assigneeId');
    expect(assigned?.toName).toBe(world.w.users.engineer.displayName);
  });

  it('keeps other customers out with 404 and audits it', async () => {
    const inc = await newIncident();
    const other = await world.w.as('customerB');
    const r = await other.get(`/api/tickets/${inc.id}`);
    expect(r.statusCode).toBe(404);
    const outsider = await world.w.as('outsider');
    expect((await outsider.get(`/api/tickets/${inc.id}`)).statusCode).toBe(404);
    const list = json<{ items: { id: number }[] }>(await other.get('/api/tickets?pageSize=200'));
    expect(list.items.some((i) => i.id === inc.id)).toBe(false);
  });

  it('rejects stale versions with 409', async () => {
    const inc = await newIncident();
    const agent = await world.w.as('agent');
    const ok = await agent.patch(`/api/tickets/${inc.id}`, { version: inc.version, title: '新标题' });
    expect(ok.statusCode, ok.body).toBe(200);
    const stale = await agent.patch(`/api/tickets/${inc.id}`, { version: inc.version, title: '另一个标题' });
    expect(stale.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(stale).error.code).toBe('VERSION_CONFLICT');
  });

  it('returns the same ticket for a retried Idempotency-Key, even concurrently', async () => {
    const agent = await world.w.as('agent');
    const body = { title: '核心交换机端口闪断', orgId: world.w.custA.id };
    const key = `k-${Date.now()}`;
    const results = await Promise.all([1, 2, 3, 4].map(() => agent.post('/api/tickets', body, { 'idempotency-key': key })));
    const ids = new Set(results.map((r) => json<T>(r).id));
    expect(ids.size).toBe(1);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 201]);
  });

  it('finds Chinese substrings across word boundaries', async () => {
    const agent = await world.w.as('agent');
    const a = await agent.post('/api/tickets', { title: '服务器磁盘空间不足导致数据库宕机', orgId: world.w.custA.id });
    expect(a.statusCode).toBe(201);
    const id = json<T>(a).id;
    for (const q of ['据库宕', '登录', '数据库', '磁盘 宕机']) {
      const r = json<{ items: { id: number }[] }>(await agent.get(`/api/tickets?q=${encodeURIComponent(q)}&pageSize=200`));
      if (q === '登录') expect(r.items.some((i) => i.id === id)).toBe(false);
      else expect(r.items.some((i) => i.id === id), q).toBe(true);
    }
  });

  it('hides internal work notes from customers and refuses them internal notes, audited', async () => {
    const inc = await newIncident();
    const eng = await world.w.as('engineer');
    expect((await eng.post(`/api/tickets/${inc.id}/comments`, { body: '内部：怀疑是证书链问题', internal: true })).statusCode).toBe(201);
    expect((await eng.post(`/api/tickets/${inc.id}/comments`, { body: '您好，我们正在处理', internal: false })).statusCode).toBe(201);
    const cust = await world.w.as('customerA');
    const seen = json<{ kind: string; body: string | null }[]>(await cust.get(`/api/tickets/${inc.id}/events`));
    expect(seen.some((e) => e.kind === 'work_note')).toBe(false);
    expect(seen.some((e) => e.body === '您好，我们正在处理')).toBe(true);
    const r = await cust.post(`/api/tickets/${inc.id}/comments`, { body: '偷偷写内部备注', internal: true });
    expect(r.statusCode).toBe(403);
    const aud = await world.w.as('auditor');
    const log = json<{ total: number }>(await aud.get(`/api/audit?action=access.denied&actor=${world.w.users.customerA.username}`));
    expect(log.total).toBeGreaterThan(0);
  });

  it('recomputes priority from the configurable matrix and records field changes', async () => {
    const sys = await world.w.as('sysadmin');
    const before = json<number[][]>(await sys.get('/api/settings/priority-matrix'));
    expect(before[0]?.[0]).toBe(1);
    const inc = await newIncident({ impact: 3, urgency: 3 });
    expect(inc.priority).toBe(4);
    const agent = await world.w.as('agent');
    const r = await agent.patch(`/api/tickets/${inc.id}`, { version: inc.version, impact: 1, urgency: 1 });
    expect(json<T>(r).priority).toBe(1);
    const events = json<{ kind: string; data: { changes?: { field: string; from: unknown; to: unknown }[] } }[]>(await agent.get(`/api/tickets/${inc.id}/events`));
    const change = events.find((e) => e.kind === 'field_change');
    expect(change?.data.changes).toEqual(expect.arrayContaining([{ field: 'priority', from: 4, to: 1 }]));
    expect((await agent.put('/api/settings/priority-matrix', before)).statusCode).toBe(403);
  });

  it('lists with filters, saved views, sorting and a total', async () => {
    const eng = await world.w.as('engineer');
    const agent = await world.w.as('agent');
    const inc = await newIncident({ impact: 1, urgency: 1 });
    await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'take', version: inc.version });
    const mine = json<{ items: { id: number }[]; total: number }>(await eng.get('/api/tickets?view=mine'));
    expect(mine.items.some((i) => i.id === inc.id)).toBe(true);
    const p1 = json<{ items: { priority: number; state: string }[] }>(await agent.get('/api/tickets?view=p1p2&pageSize=100'));
    expect(p1.items.every((i) => i.priority <= 2 && ['new', 'assigned', 'in_progress', 'pending'].includes(i.state))).toBe(true);
    const filtered = json<{ items: { state: string; orgId: number }[]; total: number; page: number }>(
      await agent.get(`/api/tickets?state=in_progress,pending&orgId=${world.w.custA.id}&sort=-priority&page=1&pageSize=5`),
    );
    expect(filtered.items.every((i) => ['in_progress', 'pending'].includes(i.state) && i.orgId === world.w.custA.id)).toBe(true);
    expect(filtered.total).toBeGreaterThanOrEqual(filtered.items.length);
    const all = json<{ items: { createdAt: string; id: number; orgName: string }[] }>(await agent.get('/api/tickets?pageSize=50'));
    const times = all.items.map((i) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.items.every((i) => i.orgName.length > 0)).toBe(true);
    const page2 = json<{ items: { id: number }[] }>(await agent.get('/api/tickets?pageSize=3&page=2'));
    expect(page2.items.map((i) => i.id)).toEqual(all.items.slice(3, 6).map((i) => i.id));
    const bad = await agent.get('/api/tickets?state=Not-A-State');
    expect(bad.statusCode).toBe(400);
  });

  it('never duplicates numbers under concurrent creates', async () => {
    const agent = await world.w.as('agent');
    const res = await Promise.all(Array.from({ length: 30 }, (_, i) => agent.post('/api/tickets', { title: `并发建单 ${i}`, orgId: world.w.custA.id })));
    const numbers = res.map((r) => json<T>(r).number);
    expect(new Set(numbers).size).toBe(30);
  });

  it('refuses illegal transitions with a stable code and a localised message', async () => {
    const inc = await newIncident();
    const cust = await world.w.as('customerA');
    const r = await cust.post(`/api/tickets/${inc.id}/transitions`, { action: 'close', version: inc.version });
    expect(r.statusCode).toBe(409);
    const e = json<{ error: { code: string; message: string } }>(r).error;
    expect(e.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(e.message).toBe('当前状态“新建”下不能执行“确认关闭”');
    const eng = await world.w.as('engineer');
    const take = await eng.post(`/api/tickets/${inc.id}/transitions`, { action: 'resume', version: inc.version });
    expect(json<{ error: { code: string } }>(take).error.code).toBe('TRANSITION_NOT_ALLOWED');
    const forbidden = await cust.post(`/api/tickets/${inc.id}/transitions`, { action: 'take', version: inc.version });
    expect(forbidden.statusCode).toBe(403);
  });

  it('caps the count and says so', async () => {
    for (let i = 0; i < 3; i++) await newIncident();
    const base = { page: 1, pageSize: 2, sort: '-createdAt' as const, scope: null, me: 0, myGroups: [] };
    const capped = await listTickets(world.t.database.db, { ...base, countCap: 2 });
    expect(capped).toMatchObject({ total: 2, totalCapped: true });
    expect(capped.items).toHaveLength(2);
    const exact = await listTickets(world.t.database.db, base);
    expect(exact.totalCapped).toBe(false);
    expect(exact.total).toBeGreaterThanOrEqual(3);
  });
});
