import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { autoClose } from '../tickets/tickets.service.ts';

const world = useTestWorld();

describe('organisations and groups', () => {
  it('lets the system admin create organisations and groups, audited', async () => {
    const sys = await world.w.as('sysadmin');
    const code = uniq('ORG');
    const org = await sys.post('/api/organizations', { name: '示例集团', code });
    expect(org.statusCode, org.body).toBe(201);
    expect((await sys.post('/api/organizations', { name: '重复', code })).statusCode).toBe(409);
    const orgId = json<{ id: number }>(org).id;
    const g = await sys.post('/api/groups', { name: uniq('网络组'), memberIds: [world.w.users.engineer.id], orgIds: [orgId], leadUserId: world.w.users.engineer.id });
    expect(g.statusCode, g.body).toBe(201);
    const bad = await sys.post('/api/groups', { name: uniq('坏组'), memberIds: [99999999] });
    expect(json<{ error: { code: string } }>(bad).error.code).toBe('REFERENCE_INVALID');
    const aud = await world.w.as('auditor');
    const log = json<{ total: number }>(await aud.get(`/api/audit?action=org.create&objectId=${orgId}`));
    expect(log.total).toBe(1);
  });

  it('scopes organisations and groups for customers and engineers', async () => {
    const cust = await world.w.as('customerA');
    const orgs = json<{ id: number }[]>(await cust.get('/api/organizations'));
    expect(orgs.map((o) => o.id)).toEqual([world.w.custA.id]);
    expect(json<unknown[]>(await cust.get('/api/groups'))).toEqual([]);
    expect((await cust.get('/api/users')).statusCode).toBe(403);
    const eng = await world.w.as('engineer');
    const engOrgs = json<{ id: number }[]>(await eng.get('/api/organizations')).map((o) => o.id);
    expect(engOrgs).toContain(world.w.custA.id);
    expect(engOrgs).not.toContain(world.w.custB.id);
    const people = json<{ orgId: number }[]>(await eng.get('/api/lookup/users?limit=100'));
    expect(people.every((p) => p.orgId !== world.w.custB.id)).toBe(true);
  });

  it('lists users for admins and disables them (ending their sessions)', async () => {
    const sys = await world.w.as('sysadmin');
    const list = json<{ total: number; items: { username: string }[] }>(await sys.get(`/api/users?q=${world.w.users.manager.username}`));
    expect(list.items.map((u) => u.username)).toEqual([world.w.users.manager.username]);
    const mgr = await world.w.as('manager');
    expect((await sys.patch(`/api/users/${world.w.users.manager.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await mgr.get('/api/auth/me')).statusCode).toBe(401);
    expect((await sys.patch(`/api/users/${world.w.users.manager.id}`, { status: 'active' })).statusCode).toBe(200);
  });
});

describe('auto-close', () => {
  it('closes incidents resolved longer than the configured days, once', async () => {
    const agent = await world.w.as('agent');
    const inc = json<{ id: number; version: number }>(await agent.post('/api/tickets', { title: '自动关闭', orgId: world.w.custA.id }));
    const r = await agent.post(`/api/tickets/${inc.id}/transitions`, { action: 'resolve', version: inc.version, resolutionCode: 'fixed', resolutionNotes: '好了' });
    expect(r.statusCode, r.body).toBe(200);
    await world.t.database.db.execute(sql`UPDATE tickets SET resolved_at = now() - interval '8 days' WHERE id = ${inc.id}`);
    const [a, b] = await Promise.all([autoClose(world.t.database.db, systemActor(), 7), autoClose(world.t.database.db, systemActor(), 7)]);
    expect((a ?? 0) + (b ?? 0)).toBeGreaterThanOrEqual(1);
    const after = json<{ state: string }>(await agent.get(`/api/tickets/${inc.id}`));
    expect(after.state).toBe('closed');
    const events = json<{ kind: string; data: { auto?: boolean } }[]>(await agent.get(`/api/tickets/${inc.id}/events`));
    expect(events.filter((e) => e.data.auto === true)).toHaveLength(1);
  });
});
