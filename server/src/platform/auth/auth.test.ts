import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { json, useTestWorld } from '../../test/test-app.ts';
import { TEST_PASSWORD, login, makeOrg, makeUser } from '../../test/factories.ts';
import { rows } from '../db/db.ts';

type Err = { error: { code: string; message: string } };
const world = useTestWorld();

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  world.t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });

async function auditCount(action: string, result: string, objectId?: number) {
  const r = await rows<{ n: number }>(
    world.t.database.db,
    objectId === undefined
      ? sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND result = ${result}`
      : sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND result = ${result} AND object_id = ${String(objectId)}`,
  );
  return Number(r[0]?.n);
}

describe('login and sessions', () => {
  it('signs in with an httpOnly SameSite cookie and audits success and failure', async () => {
    const u = await makeUser(world.t.database.db, world.w.provider.id, ['agent']);
    const res = await post('/api/auth/login', { username: u.username, password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'tianshu_sid');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const bad = await post('/api/auth/login', { username: u.username, password: 'wrong' });
    expect(bad.statusCode).toBe(401);
    expect(json<Err>(bad).error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(json<Err>(bad).error.message).toBe('用户名或密码错误');
    const unknown = await post('/api/auth/login', { username: 'nobody-here', password: 'x' }, { 'accept-language': 'en-US' });
    expect(json<Err>(unknown).error.message).toBe('Wrong username or password');
    expect(await auditCount('auth.login', 'success', u.id)).toBe(1);
    expect(await auditCount('auth.login', 'failed', u.id)).toBe(1);
  });

  it('locks the account after 5 failures, even when the 6th password is right', async () => {
    const u = await makeUser(world.t.database.db, world.w.provider.id, ['agent']);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(json<Err>(await post('/api/auth/login', { username: u.username, password: `bad${i}` })).error.code);
    expect(codes.slice(0, 4).every((c) => c === 'AUTH_INVALID_CREDENTIALS')).toBe(true);
    expect(codes[4]).toBe('AUTH_ACCOUNT_LOCKED');
    const right = await post('/api/auth/login', { username: u.username, password: TEST_PASSWORD });
    expect(right.statusCode).toBe(423);
    const sec = await world.w.as('secadmin');
    expect((await sec.post(`/api/users/${u.id}/unlock`)).statusCode).toBe(200);
    expect((await post('/api/auth/login', { username: u.username, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('requires the CSRF header for cookie-authenticated writes', async () => {
    const c = await world.w.as('agent');
    const res = await world.t.app.inject({ method: 'POST', url: '/api/tickets', headers: { cookie: c.cookie }, payload: { title: 'x', orgId: world.w.custA.id } });
    expect(res.statusCode).toBe(403);
    expect(json<Err>(res).error.code).toBe('AUTH_CSRF_FAILED');
  });

  it('expires idle sessions', async () => {
    const c = await world.w.as('agent');
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    await world.t.database.db.execute(sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = ${world.w.users.agent.id}`);
    const res = await c.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(json<Err>(res).error.code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('logs out here or everywhere', async () => {
    const u = await makeUser(world.t.database.db, world.w.provider.id, ['agent']);
    const a = await login(world.t.app, u.username);
    const b = await login(world.t.app, u.username);
    expect((await a.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
    expect((await b.get('/api/auth/me')).statusCode).toBe(200);
    const c = await login(world.t.app, u.username);
    expect((await c.post('/api/auth/logout-all')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('passwords', () => {
  it('forces a change at first login and enforces the policy', async () => {
    const u = await makeUser(world.t.database.db, world.w.provider.id, ['agent'], { mustChangePassword: true });
    const c = await login(world.t.app, u.username);
    const me = json<{ mustChangePassword: boolean }>(await c.get('/api/auth/me'));
    expect(me.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/tickets');
    expect(blocked.statusCode).toBe(403);
    expect(json<Err>(blocked).error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    const weak = await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'abcdefgh' });
    expect(weak.statusCode).toBe(422);
    expect(json<Err>(weak).error.code).toBe('AUTH_PASSWORD_POLICY');
    const ok = await c.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: '新密码Abc123' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await c.get('/api/tickets')).statusCode).toBe(200);
    expect((await post('/api/auth/login', { username: u.username, password: '新密码Abc123' })).statusCode).toBe(200);
  });

  it('an admin reset issues a one-time password that must be changed', async () => {
    const u = await makeUser(world.t.database.db, world.w.provider.id, ['engineer']);
    const sys = await world.w.as('sysadmin');
    const r = await sys.post(`/api/users/${u.id}/reset-password`);
    expect(r.statusCode).toBe(200);
    const { password, user } = json<{ password: string; user: { mustChangePassword: boolean } }>(r);
    expect(user.mustChangePassword).toBe(true);
    const c = await login(world.t.app, u.username, password);
    expect(json<Err>(await c.get('/api/tickets')).error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    const stored = await rows<{ password_hash: string }>(world.t.database.db, sql`SELECT password_hash FROM users WHERE id = ${u.id}`);
    expect(stored[0]?.password_hash.startsWith('$argon2id$')).toBe(true);
  });
});

describe('API tokens', () => {
  it('are shown once, hashed, scoped to the user and revocable', async () => {
    const c = await world.w.as('customerA');
    const created = await c.post('/api/auth/tokens', { name: '监控对接' });
    expect(created.statusCode).toBe(201);
    const { token, id } = json<{ token: string; id: number }>(created);
    const stored = await rows<{ token_hash: string }>(world.t.database.db, sql`SELECT token_hash FROM api_tokens WHERE id = ${id}`);
    expect(stored[0]?.token_hash).not.toBe(token);
    const listed = await c.get('/api/auth/tokens');
    expect(listed.body).not.toContain(token);
    const auth = { authorization: `Bearer ${token}` };
    const mine = await world.t.app.inject({ method: 'POST', url: '/api/tickets', headers: auth, payload: { title: '通过 API 报障' } });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(json<{ channel: string; orgId: number }>(mine)).toMatchObject({ channel: 'api', orgId: world.w.custA.id });
    const forbidden = await world.t.app.inject({ method: 'GET', url: '/api/users', headers: auth });
    expect(forbidden.statusCode).toBe(403);
    expect((await c.del(`/api/auth/tokens/${id}`)).statusCode).toBe(200);
    const revoked = await world.t.app.inject({ method: 'GET', url: '/api/tickets', headers: auth });
    expect(revoked.statusCode).toBe(401);
    expect(json<Err>(revoked).error.code).toBe('AUTH_TOKEN_INVALID');
  });
});

describe('separation of duties (三权分立)', () => {
  it('keeps the system admin out of the audit log and audits the denial', async () => {
    const sys = await world.w.as('sysadmin');
    const r = await sys.get('/api/audit');
    expect(r.statusCode).toBe(403);
    const denied = await rows<{ n: number }>(
      world.t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied' AND actor_id = ${world.w.users.sysadmin.id}`,
    );
    expect(Number(denied[0]?.n)).toBeGreaterThan(0);
  });

  it('keeps the audit admin from changing users', async () => {
    const aud = await world.w.as('auditor');
    expect((await aud.post('/api/users', { username: 'x1', displayName: 'x', orgId: world.w.provider.id, roles: ['agent'] })).statusCode).toBe(403);
    expect((await aud.patch(`/api/users/${world.w.users.agent.id}`, { status: 'disabled' })).statusCode).toBe(403);
    expect((await aud.get('/api/audit')).statusCode).toBe(200);
  });

  it('refuses one account holding two admin roles', async () => {
    const sys = await world.w.as('sysadmin');
    const r = await sys.post('/api/users', { username: 'dual-admin', displayName: '双重', orgId: world.w.provider.id, roles: ['security_admin', 'audit_admin'] });
    expect(r.statusCode).toBe(422);
    expect(json<Err>(r).error.code).toBe('ROLE_SEPARATION');
  });

  it('creates users with a one-time password', async () => {
    const sys = await world.w.as('sysadmin');
    const org = await makeOrg(world.t.database.db, 'customer');
    const r = await sys.post('/api/users', { username: `cust-${org.id}`, displayName: '客户甲', orgId: org.id, roles: ['customer'] });
    expect(r.statusCode, r.body).toBe(201);
    const body = json<{ password: string; user: { mustChangePassword: boolean } }>(r);
    expect(body.password.length).toBeGreaterThanOrEqual(12);
    expect(body.user.mustChangePassword).toBe(true);
    const dup = await sys.post('/api/users', { username: `CUST-${org.id}`, displayName: '客户乙', orgId: org.id, roles: ['customer'] });
    expect(json<Err>(dup).error.code).toBe('USERNAME_TAKEN');
  });
});
