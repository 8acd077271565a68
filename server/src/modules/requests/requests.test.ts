import { eq, and } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueEntry, RequestDetail, RequestSummary, RequestType, TicketApprovals } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { uniq, type Client } from '../../test/factories.ts';
import { users } from '../directory/directory.tables.ts';
import { auditLog } from '../../platform/audit/audit.tables.ts';
import { ciClasses, ciItems } from '../cmdb/cmdb.tables.ts';
import { BUILTIN_REQUEST_TYPES, ensureBuiltinRequestTypes } from './builtin-request-types.ts';
import { requestTypes } from './requests.tables.ts';

const world = useTestWorld();
const db = () => world.t.database.db;
const L = (zh: string, en = zh) => ({ 'zh-CN': zh, 'en-US': en });
const opt = (value: string) => ({ value, label: L(value) });

type FieldErr = { key: string; code: string };
const fieldErrors = (res: { body: string }) => (JSON.parse(res.body) as { error: { details: { fields: FieldErr[] } } }).error.details.fields;
const errCode = (res: { body: string }) => (JSON.parse(res.body) as { error: { code: string } }).error.code;

let admin: Client;
let agent: Client;
let engineer: Client;
let outsider: Client;
let manager: Client;
let custA: Client;
let custB: Client;

beforeAll(async () => {
  await Promise.all([ensureBuiltinRequestTypes(db()), ensureBuiltinRequestTypes(db())]);
  const w = world.w;
  [admin, agent, engineer, outsider, manager, custA, custB] = await Promise.all([
    w.as('sysadmin'),
    w.as('agent'),
    w.as('engineer'),
    w.as('outsider'),
    w.as('manager'),
    w.as('customerA'),
    w.as('customerB'),
  ]);
  // The customer's line manager approves their requests.
  await db().update(users).set({ managerId: w.users.manager.id }).where(eq(users.id, w.users.customerA.id));
});

/** A fresh request type on the no-approval workflow with two tasks (the first for the world's group). */
async function makeType(overrides: Record<string, unknown> = {}): Promise<RequestType> {
  const key = uniq('t_');
  const res = await admin.post('/api/request-types', {
    key,
    name: L(`测试请求${key}`, `Test ${key}`),
    category: L('测试', 'Test'),
    icon: 'key',
    workflowKey: 'request.simple',
    taskTemplates: [
      { title: '第二步：通知', groupId: null, order: 2 },
      { title: '第一步：开通', groupId: world.w.group.id, order: 1 },
    ],
    form: {
      fields: [
        { key: 'reason', label: L('原因', 'Reason'), type: 'textarea', required: true, min: 2 },
        { key: 'scope', label: L('范围', 'Scope'), type: 'select', required: true, options: [opt('office'), opt('prod')] },
        { key: 'systems', label: L('系统', 'Systems'), type: 'text', required: true, showIf: [{ field: 'scope', op: 'eq', value: 'prod' }] },
        { key: 'owner', label: L('负责人', 'Owner'), type: 'user' },
        { key: 'ci', label: L('配置项', 'CI'), type: 'ci' },
        { key: 'agree', label: L('同意', 'Agree'), type: 'checkbox' },
      ],
    },
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<RequestType>(res);
}

async function fulfil(c: Client, id: number) {
  const t = json<RequestDetail>(await c.get(`/api/requests/${id}`)).ticket;
  return c.post(`/api/tickets/${id}/transitions`, { action: 'fulfil', version: t.version, resolutionNotes: '已开通' });
}

describe('built-in request types', () => {
  it('are seeded once each, with a form and one fulfilment task', async () => {
    await ensureBuiltinRequestTypes(db());
    for (const b of BUILTIN_REQUEST_TYPES) {
      const rows = await db().select().from(requestTypes).where(eq(requestTypes.key, b.key));
      expect(rows, b.key).toHaveLength(1);
      expect(rows[0]!.builtIn).toBe(true);
      expect(rows[0]!.currentFormId).not.toBeNull();
    }
    const vpn = json<CatalogueEntry>(await custA.get('/api/request-catalogue/vpn'));
    expect(vpn.form.version).toBeGreaterThanOrEqual(1);
    expect(vpn.form.schema.fields.map((f) => f.key)).toEqual(expect.arrayContaining(['reason', 'start_date', 'end_date', 'access_scope', 'prod_systems']));
    expect(vpn.form.schema.fields.find((f) => f.key === 'prod_systems')!.showIf).toEqual([{ field: 'access_scope', op: 'eq', value: 'prod' }]);
  });
});

describe('request type admin', () => {
  it('creates, updates and versions forms; every change audited', async () => {
    const t = await makeType();
    expect(t.formVersion).toBe(1);
    expect(t.taskTemplates.map((x) => x.title)).toEqual(['第一步：开通', '第二步：通知']);
    expect(t.taskTemplates[0]!.groupName).toBe(world.w.group.name);

    const upd = await admin.patch(`/api/request-types/${t.id}`, { version: t.version, name: L('改名', 'Renamed'), orgIds: [world.w.custA.id] });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(json<RequestType>(upd).orgIds).toEqual([world.w.custA.id]);
    expect((await admin.patch(`/api/request-types/${t.id}`, { version: t.version, icon: 'laptop' })).statusCode).toBe(409);

    const saved = await admin.put(`/api/request-types/${t.id}/form`, { baseVersion: 1, schema: { fields: [{ key: 'only', label: L('唯一'), type: 'text' }] } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json<RequestType>(saved).formVersion).toBe(2);
    const stale = await admin.put(`/api/request-types/${t.id}/form`, { baseVersion: 1, schema: { fields: [{ key: 'x', label: L('x'), type: 'text' }] } });
    expect(stale.statusCode).toBe(409);
    expect(errCode(stale)).toBe('VERSION_CONFLICT');
    const v1 = json<{ schema: { fields: { key: string }[] } }>(await admin.get(`/api/request-types/${t.id}/forms/1`));
    expect(v1.schema.fields.map((f) => f.key)).toContain('reason');
    const detail = json<{ forms: { version: number }[] }>(await admin.get(`/api/request-types/${t.id}`));
    expect(detail.forms.map((f) => f.version)).toEqual([2, 1]);

    const audits = await db().select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.objectType, 'request_type'), eq(auditLog.objectId, String(t.id))));
    expect(audits.map((a) => a.action).sort()).toEqual(['request.form.save', 'request.type.create', 'request.type.update']);
  });

  it('refuses bad input with stable codes', async () => {
    const t = await makeType();
    const dup = await admin.post('/api/request-types', { key: t.key, name: L('x'), category: L('x'), form: { fields: [{ key: 'a', label: L('a'), type: 'text' }] } });
    expect([dup.statusCode, errCode(dup)]).toEqual([409, 'REQUEST_TYPE_KEY_TAKEN']);
    const wf = await admin.post('/api/request-types', { key: uniq('t_'), name: L('x'), category: L('x'), workflowKey: 'incident', form: { fields: [{ key: 'a', label: L('a'), type: 'text' }] } });
    expect([wf.statusCode, errCode(wf)]).toEqual([422, 'REQUEST_WORKFLOW_INVALID']);
    const bad = await admin.post('/api/request-types', {
      key: uniq('t_'),
      name: L('x'),
      category: L('x'),
      form: { fields: [{ key: 'a', label: L('a'), type: 'select' }, { key: 'b', label: L('b'), type: 'text', showIf: [{ field: 'zzz', op: 'set' }] }] },
    });
    expect([bad.statusCode, errCode(bad)]).toEqual([422, 'REQUEST_FORM_SCHEMA_INVALID']);
    expect((JSON.parse(bad.body) as { error: { details: { issues: unknown[] } } }).error.details.issues).toEqual([
      { code: 'OPTIONS_REQUIRED', key: 'a' },
      { code: 'SHOW_IF_UNKNOWN_FIELD', key: 'b' },
    ]);
    const group = await admin.patch(`/api/request-types/${t.id}`, { version: t.version, taskTemplates: [{ title: 'x', groupId: 99999999 }] });
    expect([group.statusCode, errCode(group)]).toEqual([422, 'REFERENCE_INVALID']);
    // Only request.type.manage may administer types.
    expect((await agent.post('/api/request-types', { key: uniq('t_'), name: L('x'), category: L('x'), form: { fields: [{ key: 'a', label: L('a'), type: 'text' }] } })).statusCode).toBe(403);
    expect((await agent.get('/api/request-types')).statusCode).toBe(403);
  });
});

describe('catalogue', () => {
  it('lists active types offered to the caller organisation', async () => {
    const onlyB = await makeType({ orgIds: [world.w.custB.id] });
    const inactive = await makeType({ active: false });
    const open = await makeType();
    const keysA = json<{ items: { key: string }[] }>(await custA.get('/api/request-catalogue')).items.map((i) => i.key);
    expect(keysA).toEqual(expect.arrayContaining(['vpn', 'account', open.key]));
    expect(keysA).not.toContain(onlyB.key);
    expect(keysA).not.toContain(inactive.key);
    const keysB = json<{ items: { key: string }[] }>(await custB.get('/api/request-catalogue')).items.map((i) => i.key);
    expect(keysB).toContain(onlyB.key);
    const refused = await custA.get(`/api/request-catalogue/${onlyB.key}`);
    expect([refused.statusCode, errCode(refused)]).toEqual([422, 'REQUEST_TYPE_UNAVAILABLE']);
    const sub = await custA.post('/api/requests', { typeKey: onlyB.key, formVersion: 1, values: { reason: 'xx', scope: 'office' } });
    expect(errCode(sub)).toBe('REQUEST_TYPE_UNAVAILABLE');
  });
});

describe('submission validation', () => {
  it('refuses invalid values per field, unknown fields, and honours show-if', async () => {
    const t = await makeType();
    const empty = await custA.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { bogus: 'x', scope: 'home' } });
    expect([empty.statusCode, errCode(empty)]).toEqual([422, 'REQUEST_FORM_INVALID']);
    expect(fieldErrors(empty)).toEqual([
      { key: 'bogus', code: 'unknown_field' },
      { key: 'reason', code: 'required' },
      { key: 'scope', code: 'option' },
    ]);
    // Shown by show-if: now required.
    const prod = await custA.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '需要', scope: 'prod' } });
    expect(fieldErrors(prod)).toEqual([{ key: 'systems', code: 'required' }]);
    // Types are checked.
    const types = await custA.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: 12, scope: 'office', agree: 'yes', owner: 'me' } });
    expect(fieldErrors(types)).toEqual([
      { key: 'reason', code: 'type' },
      { key: 'owner', code: 'type' },
      { key: 'agree', code: 'type' },
    ]);
    // Nothing was written for refused submissions.
    const mine = json<{ items: RequestSummary[] }>(await custA.get(`/api/requests?typeKey=${t.key}`));
    expect(mine.items).toHaveLength(0);
    // ...except the refusals, in the audit log.
    const refusals = await db()
      .select({ result: auditLog.result, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'request.submit'), eq(auditLog.objectId, t.key)));
    expect(refusals).toHaveLength(3);
    expect(refusals.every((x) => x.result === 'failed' && (x.details as { code: string }).code === 'REQUEST_FORM_INVALID')).toBe(true);
  });

  it('checks references exist and are visible to the requester', async () => {
    const t = await makeType();
    const [cls] = await db().select().from(ciClasses).limit(1);
    let classId = cls?.id;
    if (!classId) {
      const [c] = await db().insert(ciClasses).values({ key: uniq('cls_'), name: uniq('类') }).returning();
      classId = c!.id;
    }
    const [ciB] = await db().insert(ciItems).values({ classId, name: uniq('ci-b-'), orgId: world.w.custB.id }).returning();
    const [ciA] = await db().insert(ciItems).values({ classId, name: uniq('ci-a-'), orgId: world.w.custA.id }).returning();
    const bad = await custA.post('/api/requests', {
      typeKey: t.key,
      formVersion: 1,
      values: { reason: '需要', scope: 'office', owner: world.w.users.customerB.id, ci: ciB!.id },
    });
    expect(fieldErrors(bad)).toEqual([
      { key: 'owner', code: 'reference' },
      { key: 'ci', code: 'reference' },
    ]);
    const missing = await custA.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '需要', scope: 'office', owner: 99999999 } });
    expect(fieldErrors(missing)).toEqual([{ key: 'owner', code: 'reference' }]);
    const ok = await custA.post('/api/requests', {
      typeKey: t.key,
      formVersion: 1,
      values: { reason: '需要', scope: 'office', owner: world.w.users.customerA.id, ci: ciA!.id, agree: true },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const d = json<RequestDetail>(ok);
    expect(d.values.find((v) => v.key === 'ci')!.display).toBe(ciA!.name);
    expect(d.values.find((v) => v.key === 'agree')!.display).toBe('是');
  });

  it('refuses a submission against an old or unknown form version', async () => {
    const t = await makeType();
    await admin.put(`/api/request-types/${t.id}/form`, { baseVersion: 1, schema: { fields: [{ key: 'reason', label: L('原因'), type: 'text', required: true }] } });
    const old = await custA.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '需要', scope: 'office' } });
    expect([old.statusCode, errCode(old)]).toEqual([409, 'REQUEST_FORM_VERSION_MISMATCH']);
    expect((JSON.parse(old.body) as { error: { details: { currentVersion: number } } }).error.details.currentVersion).toBe(2);
    expect(errCode(await custA.post('/api/requests', { typeKey: t.key, formVersion: 7, values: { reason: 'x' } }))).toBe('REQUEST_FORM_VERSION_MISMATCH');
    const ok = await custA.post('/api/requests', { typeKey: t.key, formVersion: 2, values: { reason: '需要' } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<RequestDetail>(ok).form.version).toBe(2);
  });
});

describe('fulfilment', () => {
  it('creates tasks on entering fulfilment, gates fulfil on them, and stores only visible values', async () => {
    const t = await makeType();
    const res = await custA.post(
      '/api/requests',
      { typeKey: t.key, formVersion: 1, values: { reason: '远程办公', scope: 'office', systems: 'hidden value' } },
      { 'idempotency-key': `k-${t.key}` },
    );
    expect(res.statusCode, res.body).toBe(201);
    const d = json<RequestDetail>(res);
    expect(d.ticket.type).toBe('request');
    expect(d.ticket.number).toMatch(/^REQ\d{6}$/);
    expect(d.ticket.state).toBe('fulfilling');
    expect(d.ticket.requesterId).toBe(world.w.users.customerA.id);
    expect(d.ticket.title).toContain(`测试请求${t.key}`);
    expect(d.values.map((v) => v.key)).toEqual(['reason', 'scope']);
    expect(d.values.find((v) => v.key === 'scope')!.label).toEqual(L('范围', 'Scope'));
    expect(d.tasks.map((x) => [x.seq, x.title, x.groupId, x.state])).toEqual([
      [1, '第一步：开通', world.w.group.id, 'open'],
      [2, '第二步：通知', null, 'open'],
    ]);
    // The customer sees the tasks but cannot work them.
    expect(d.tasks.every((x) => !x.canWork)).toBe(true);
    // A retry with the same key answers the same request.
    const again = await custA.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '远程办公', scope: 'office', systems: 'hidden value' } }, { 'idempotency-key': `k-${t.key}` });
    expect(again.statusCode).toBe(200);
    expect(json<RequestDetail>(again).ticket.id).toBe(d.ticket.id);

    const blocked = await fulfil(agent, d.ticket.id);
    expect([blocked.statusCode, errCode(blocked)]).toEqual([409, 'REQUEST_TASKS_OPEN']);

    const [t1, t2] = d.tasks;
    // Not in the task's group and the ticket out of scope: not even visible.
    expect((await outsider.post(`/api/requests/${d.ticket.id}/tasks/${t1!.id}/complete`, { version: t1!.version })).statusCode).toBe(404);
    expect((await custA.post(`/api/requests/${d.ticket.id}/tasks/${t1!.id}/complete`, { version: t1!.version })).statusCode).toBe(403);
    const done1 = await engineer.post(`/api/requests/${d.ticket.id}/tasks/${t1!.id}/complete`, { version: t1!.version, note: '账号已建' });
    expect(done1.statusCode, done1.body).toBe(200);
    expect(json<{ state: string; doneByName: string }>(done1).state).toBe('done');
    const twice = await engineer.post(`/api/requests/${d.ticket.id}/tasks/${t1!.id}/complete`, { version: t1!.version + 1 });
    expect([twice.statusCode, errCode(twice)]).toEqual([409, 'REQUEST_TASK_CLOSED']);
    const stale = await agent.post(`/api/requests/${d.ticket.id}/tasks/${t2!.id}/complete`, { version: t2!.version + 5 });
    expect(errCode(stale)).toBe('VERSION_CONFLICT');

    // Reassign the second task to the group, then complete it.
    const re = await agent.patch(`/api/requests/${d.ticket.id}/tasks/${t2!.id}`, { version: t2!.version, groupId: world.w.group.id, assigneeId: world.w.users.engineer.id });
    expect(re.statusCode, re.body).toBe(200);
    expect(json<{ assigneeName: string }>(re).assigneeName).not.toBeNull();
    const badAssignee = await agent.patch(`/api/requests/${d.ticket.id}/tasks/${t2!.id}`, { version: t2!.version + 1, assigneeId: world.w.users.outsider.id });
    expect(errCode(badAssignee)).toBe('REFERENCE_INVALID');
    expect((await engineer.post(`/api/requests/${d.ticket.id}/tasks/${t2!.id}/complete`, { version: t2!.version + 1 })).statusCode).toBe(200);

    const ok = await fulfil(agent, d.ticket.id);
    expect(ok.statusCode, ok.body).toBe(200);
    const after = json<RequestDetail>(await custA.get(`/api/requests/${d.ticket.id}`));
    expect(after.ticket.state).toBe('fulfilled');
    expect(after.tasks.every((x) => x.state === 'done')).toBe(true);

    const audits = await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.objectType, 'request_task'));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['request.task.complete', 'request.task.update']));
  });

  it('runs the manager approval of the default workflow before fulfilment', async () => {
    const vpn = json<CatalogueEntry>(await custA.get('/api/request-catalogue/vpn'));
    const res = await custA.post('/api/requests', {
      typeKey: 'vpn',
      formVersion: vpn.form.version,
      values: { reason: '出差远程办公', start_date: '2026-12-08', end_date: '2026-12-31', access_scope: 'prod', prod_systems: '核心账务系统' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = json<RequestDetail>(res);
    expect(d.ticket.state).toBe('approval');
    expect(d.tasks).toEqual([]);
    const approvals = json<TicketApprovals>(await manager.get(`/api/tickets/${d.ticket.id}/approvals`));
    const task = approvals.items[0]!.steps[0]!.tasks.find((x) => x.approverId === world.w.users.manager.id)!;
    const decided = await manager.post(`/api/approvals/tasks/${task.id}/decision`, { decision: 'approve', comment: '同意' });
    expect(decided.statusCode, decided.body).toBe(200);
    const after = json<RequestDetail>(await custA.get(`/api/requests/${d.ticket.id}`));
    expect(after.ticket.state).toBe('fulfilling');
    expect(after.tasks).toHaveLength(1);
    expect(after.tasks[0]!.title).toBe('开通 VPN 账号并下发配置');
    expect(after.values.find((v) => v.key === 'access_scope')!.display).toBe('生产网');
  });
});

describe('staff requests', () => {
  it('agents submit on behalf of a customer; managers submit for themselves', async () => {
    const t = await makeType();
    const forA = await agent.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '代提', scope: 'office' }, orgId: world.w.custA.id, requesterId: world.w.users.customerA.id });
    expect(forA.statusCode, forA.body).toBe(201);
    const d = json<RequestDetail>(forA);
    expect([d.ticket.orgId, d.ticket.requesterId]).toEqual([world.w.custA.id, world.w.users.customerA.id]);
    expect(d.ticket.title).toBe(`测试请求${t.key} - ${world.w.users.customerA.displayName}`);
    // The customer sees it among their own requests.
    expect(json<{ items: RequestSummary[] }>(await custA.get(`/api/requests?typeKey=${t.key}`)).items.map((x) => x.id)).toEqual([d.ticket.id]);
    const self = await manager.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '自己用', scope: 'office' } });
    expect(self.statusCode, self.body).toBe(201);
    expect(json<RequestDetail>(self).ticket.requesterId).toBe(world.w.users.manager.id);
  });
});

describe('listing and visibility', () => {
  it('shows requesters their own requests and agents everything in scope', async () => {
    const t = await makeType();
    const a = json<RequestDetail>(await custA.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '需要', scope: 'office' } }));
    const b = json<RequestDetail>(await custB.post('/api/requests', { typeKey: t.key, formVersion: 1, values: { reason: '需要', scope: 'office' } }));
    const ids = (r: { body: string }) => json<{ items: RequestSummary[] }>(r as never).items.map((x) => x.id);
    expect(ids(await custA.get(`/api/requests?typeKey=${t.key}`))).toEqual([a.ticket.id]);
    expect(ids(await custB.get(`/api/requests?typeKey=${t.key}`))).toEqual([b.ticket.id]);
    expect(ids(await agent.get(`/api/requests?typeKey=${t.key}`))).toEqual([b.ticket.id, a.ticket.id]);
    expect(ids(await agent.get(`/api/requests?typeKey=${t.key}&mine=true`))).toEqual([]);
    // The engineer's group serves custA only and holds the first task of each.
    expect(ids(await engineer.get(`/api/requests?typeKey=${t.key}&myTasks=true`))).toEqual([b.ticket.id, a.ticket.id]);
    const row = json<{ items: RequestSummary[] }>(await custA.get(`/api/requests?typeKey=${t.key}`)).items[0]!;
    expect(row.stateLabel).toEqual({ 'zh-CN': '处理中', 'en-US': 'Fulfilling' });
    expect(row.stateCategory).toBe('open');
    expect([row.openTasks, row.totalTasks]).toEqual([2, 2]);
    expect(row.typeName['zh-CN']).toBe(`测试请求${t.key}`);
    // Another customer's request is not found.
    expect((await custB.get(`/api/requests/${a.ticket.id}`)).statusCode).toBe(404);
    // A task group member sees the request even when its organisation is outside their scope.
    expect((await engineer.get(`/api/requests/${b.ticket.id}`)).statusCode).toBe(200);
    expect((await outsider.get(`/api/requests/${a.ticket.id}`)).statusCode).toBe(404);
  });
});
