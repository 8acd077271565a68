import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { json, useTestWorld } from '../../test/test-app.ts';
import { rows } from '../db/db.ts';
import { purgeAudit, recordAudit, sealAudit, verifyAudit } from './audit.service.ts';

const world = useTestWorld();

describe('audit log', () => {
  it('is written in the same transaction as the change: a rolled-back change leaves no row', async () => {
    const marker = `rollback-${Date.now()}`;
    await expect(
      world.t.database.db.transaction(async (tx) => {
        await recordAudit(tx, { actor: null, action: marker, result: 'success' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const r = await rows<{ n: number }>(world.t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${marker}`);
    expect(Number(r[0]?.n)).toBe(0);
  });

  it('seals concurrent writers into one chain that verifies', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => world.t.database.db.transaction((tx) => recordAudit(tx, { actor: null, action: 'test.concurrent', objectId: i, result: 'success' }))),
    );
    await sealAudit(world.t.database.db, { settleMs: 0 });
    const v = await verifyAudit(world.t.database.db);
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThanOrEqual(40);
    expect(v.unsealed).toBe(0);
  });

  it('refuses updates and deletes through SQL', async () => {
    await sealAudit(world.t.database.db, { settleMs: 0 });
    await expect(world.t.database.db.execute(sql`UPDATE audit_log SET action = 'x' WHERE id = (SELECT min(id) FROM audit_log)`)).rejects.toThrow();
    await expect(world.t.database.db.execute(sql`DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)`)).rejects.toThrow();
  });

  it('reports the first broken link when a sealed row is tampered with', async () => {
    await recordAudit(world.t.database.db, { actor: null, action: 'test.tamper', result: 'success', details: { amount: 1 } });
    await sealAudit(world.t.database.db, { settleMs: 0 });
    const [target] = await rows<{ id: number; seal_seq: number }>(world.t.database.db, sql`SELECT id, seal_seq FROM audit_log WHERE action = 'test.tamper'`);
    // An attacker with database superuser rights bypasses the trigger; the chain still tells.
    await world.t.database.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`);
      await tx.execute(sql`UPDATE audit_log SET details = '{"amount": 1000}'::jsonb WHERE id = ${target?.id ?? 0}`);
      await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard`);
    });
    const v = await verifyAudit(world.t.database.db);
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.id).toBe(Number(target?.id));
    expect(v.firstBroken?.sealSeq).toBe(Number(target?.seal_seq));
    // Put it back so later tests in this file see a valid chain.
    await world.t.database.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`);
      await tx.execute(sql`UPDATE audit_log SET details = '{"amount": 1}'::jsonb WHERE id = ${target?.id ?? 0}`);
      await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard`);
    });
    expect((await verifyAudit(world.t.database.db)).ok).toBe(true);
  });

  it('never purges younger than 180 days and keeps the chain verifiable after a purge', async () => {
    await sealAudit(world.t.database.db, { settleMs: 0 });
    expect(await purgeAudit(world.t.database.db, 30)).toBe(0);
    // Pretend two centuries pass: everything sealed is past retention.
    const future = new Date(Date.now() + 200 * 365 * 86_400_000);
    const purged = await purgeAudit(world.t.database.db, 180, future);
    expect(purged).toBeGreaterThan(0);
    await recordAudit(world.t.database.db, { actor: null, action: 'test.after_purge', result: 'success' });
    await sealAudit(world.t.database.db, { settleMs: 0 });
    const v = await verifyAudit(world.t.database.db);
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });

  it('lets the audit admin search, export CSV and verify over HTTP', async () => {
    const agent = await world.w.as('agent');
    await agent.post('/api/tickets', { title: '审计检索=测试', orgId: world.w.custA.id });
    const aud = await world.w.as('auditor');
    const r = await aud.get(`/api/audit?action=ticket.create&actor=${world.w.users.agent.username}`);
    expect(r.statusCode).toBe(200);
    const page = json<{ total: number; items: { action: string; actorName: string }[] }>(r);
    expect(page.total).toBeGreaterThan(0);
    expect(page.items.every((i) => i.action === 'ticket.create')).toBe(true);
    const csv = await aud.get(`/api/audit/export?actor=${world.w.users.agent.username}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    expect(csv.body.startsWith('\uFEFFid,time,actor')).toBe(true);
    expect(csv.body).toContain('ticket.create');
    // A formula in user text must not execute when the CSV is opened in a spreadsheet.
    expect(csv.body).not.toMatch(/,"=/);
    const v = await aud.get('/api/audit/verify');
    expect(json<{ ok: boolean }>(v).ok).toBe(true);
  });
});
