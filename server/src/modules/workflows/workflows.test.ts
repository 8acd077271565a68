import { describe, expect, it } from 'vitest';
import { workflowDefinitionSchema, type Role, type WorkflowDefinition } from '@tianshu/contracts';
import { systemActor, type Actor } from '../../platform/auth/actor.ts';
import { permissionsOf } from '../../platform/auth/rbac.ts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { createTicket } from '../tickets/tickets.service.ts';
import { BUILT_IN_WORKFLOWS } from './default-workflows.ts';

type T = { id: number; state: string; version: number; allowedActions: string[]; workflow: { workflowKey: string; version: number; state: { category: string } } };
type ErrorBody = { error: { code: string; message: string; details?: { issues?: { code: string; ref: string }[] } } };

const world = useTestWorld();

const incidentDef = (): WorkflowDefinition => workflowDefinitionSchema.parse(BUILT_IN_WORKFLOWS.find((w) => w.key === 'incident')?.definition);

/** The incident workflow without its pending state (and every transition into or out of it). */
function withoutPending(): WorkflowDefinition {
  const d = incidentDef();
  return {
    ...d,
    states: d.states.filter((s) => s.key !== 'pending'),
    transitions: d.transitions
      .filter((t) => t.to !== 'pending' && !(t.from.length === 1 && t.from[0] === 'pending'))
      .map((t) => ({ ...t, from: t.from.filter((f) => f !== 'pending') })),
  };
}

function actorOf(u: { id: number }, orgId: number, roles: Role[]): Actor {
  return { ...systemActor(), via: 'session', userId: u.id, username: `u${u.id}`, orgId, orgKind: 'provider', roles, permissions: new Set(permissionsOf(roles)) };
}

describe('workflows as data', () => {
  it('lists the built-in workflows and validates definitions', async () => {
    const admin = await world.w.as('sysadmin');
    const list = json<{ items: { key: string; builtIn: boolean }[] }>(await admin.get('/api/workflows'));
    expect(list.items.map((w) => w.key)).toEqual(expect.arrayContaining(BUILT_IN_WORKFLOWS.map((b) => b.key)));
    const broken = incidentDef();
    broken.states.push({ key: 'limbo', label: { 'zh-CN': '悬空', 'en-US': 'Limbo' }, category: 'open' });
    const v = json<{ ok: boolean; issues: { code: string; ref: string }[] }>(await admin.post('/api/workflows/validate', { definition: broken }));
    expect(v).toEqual({ ok: false, issues: [{ code: 'UNREACHABLE_STATE', path: 'states.7', ref: 'limbo' }] });
    const ext = json<{ checks: string[] }>(await admin.get('/api/workflows/extensions'));
    expect(Array.isArray(ext.checks)).toBe(true);
  });

  it('refuses invalid definitions, versions saves, and keeps tickets in flight on their version', async () => {
    const admin = await world.w.as('sysadmin');
    const key = `incident.${uniq('t').toLowerCase()}`;
    const name = { 'zh-CN': '测试事件流程', 'en-US': 'Test incident flow' };
    const broken = incidentDef();
    broken.transitions.push({ key: 'go', label: name, from: ['new'], to: 'nowhere', allow: [], inputs: [], guards: [], effects: [], system: false });
    let r = await admin.post('/api/workflows', { key, ticketType: 'incident', name, definition: broken });
    expect(r.statusCode).toBe(422);
    const err = json<ErrorBody>(r).error;
    expect(err.code).toBe('WORKFLOW_INVALID');
    expect(err.details?.issues).toEqual([{ code: 'UNKNOWN_STATE', path: `transitions.${broken.transitions.length - 1}.to`, ref: 'nowhere' }]);

    r = await admin.post('/api/workflows', { key, ticketType: 'incident', name, definition: incidentDef() });
    expect(r.statusCode, r.body).toBe(201);
    expect(json<{ version: number }>(r).version).toBe(1);

    const agent = actorOf(world.w.users.agent, world.w.provider.id, ['agent']);
    const make = async (title: string) =>
      (await createTicket(world.t.database.db, agent, { type: 'incident', title, description: '', orgId: world.w.custA.id, impact: 3, urgency: 3, major: false, customFields: {} }, undefined, { workflowKey: key })).row.t;
    const first = await make('工作流版本 1 上的事件');

    // Version 2 drops the pending state; saving from a stale base version is refused.
    r = await admin.put(`/api/workflows/${key}`, { baseVersion: 1, definition: withoutPending(), note: '去掉挂起' });
    expect(r.statusCode, r.body).toBe(200);
    expect(json<{ version: number; versions: { version: number }[] }>(r).versions.map((x) => x.version)).toEqual([2, 1]);
    r = await admin.put(`/api/workflows/${key}`, { baseVersion: 1, definition: withoutPending() });
    expect(r.statusCode).toBe(409);
    expect(json<ErrorBody>(r).error.code).toBe('VERSION_CONFLICT');
    const eng = await world.w.as('engineer');
    r = await eng.put(`/api/workflows/${key}`, { baseVersion: 2, definition: withoutPending() });
    expect(r.statusCode).toBe(403);

    const second = await make('工作流版本 2 上的事件');
    let a = json<T>(await eng.post(`/api/tickets/${first.id}/transitions`, { action: 'take', version: first.version }));
    let b = json<T>(await eng.post(`/api/tickets/${second.id}/transitions`, { action: 'take', version: second.version }));
    expect([a.workflow.version, b.workflow.version]).toEqual([1, 2]);
    expect(a.allowedActions).toContain('pend');
    expect(b.allowedActions).not.toContain('pend');
    r = await eng.post(`/api/tickets/${first.id}/transitions`, { action: 'pend', version: a.version, pendingReason: 'vendor' });
    expect(r.statusCode, r.body).toBe(200);
    a = json<T>(r);
    expect(a.state).toBe('pending');
    expect(a.workflow.state.category).toBe('pending');
    r = await eng.post(`/api/tickets/${second.id}/transitions`, { action: 'pend', version: b.version, pendingReason: 'vendor' });
    expect(r.statusCode).toBe(409);
    expect(json<ErrorBody>(r).error.code).toBe('TRANSITION_NOT_ALLOWED');
    b = json<T>(await eng.get(`/api/tickets/${second.id}`));
    expect(b.state).toBe('in_progress');

    const list = json<{ items: { key: string; currentVersion: number; ticketsOnOlderVersions: number }[] }>(await admin.get('/api/workflows'));
    expect(list.items.find((w) => w.key === key)).toMatchObject({ currentVersion: 2, ticketsOnOlderVersions: 1 });
    const old = json<{ version: number; definition: WorkflowDefinition }>(await admin.get(`/api/workflows/${key}?version=1`));
    expect(old.definition.states.map((s) => s.key)).toContain('pending');
  });

  it('creates other ticket types only through their own endpoints', async () => {
    const agent = await world.w.as('agent');
    const r = await agent.post('/api/tickets', { type: 'change', title: '未填写回退方案的变更', orgId: world.w.custA.id });
    expect(r.statusCode).toBe(422);
    expect(json<ErrorBody>(r).error.code).toBe('TICKET_TYPE_ENDPOINT');
  });
});
