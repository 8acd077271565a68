import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalLinkInfo, ApprovalStep, BatchDecideResult, DecisionResult, MyApprovals, TicketApprovals, WorkflowDefinitionInput } from '@tianshu/contracts';
import { workflowDefinitionSchema } from '@tianshu/contracts';
import { actorFromPrincipal, type Actor } from '../../platform/auth/actor.ts';
import { findPrincipal } from '../../platform/auth/auth.queries.ts';
import { rows } from '../../platform/db/db.ts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { login, makeGroup, makeUser, uniq, type Client } from '../../test/factories.ts';
import { deliverDue } from '../notifications/notifications.service.ts';
import { createTicket } from '../tickets/tickets.service.ts';
import { createWorkflow } from '../workflows/workflows.service.ts';
import { changeTypeOf, evaluateStep, hashToken, resolveStepApprovers, sweepApprovalReminders } from './approvals.service.ts';
import type { WorkflowTicket } from '../workflows/workflow-registry.ts';
import { writeSetting } from './approvals.queries.ts';

const L = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });

describe('approval rules (pure)', () => {
  it('any: the first decision decides; all: one rejection rejects; count: rejects once N is out of reach', () => {
    expect(evaluateStep({ type: 'any' }, ['pending', 'pending'])).toBeNull();
    expect(evaluateStep({ type: 'any' }, ['approved', 'pending'])).toBe('approved');
    expect(evaluateStep({ type: 'any' }, ['rejected', 'pending'])).toBe('rejected');
    expect(evaluateStep({ type: 'all' }, ['approved', 'pending'])).toBeNull();
    expect(evaluateStep({ type: 'all' }, ['approved', 'approved', 'delegated'])).toBe('approved');
    expect(evaluateStep({ type: 'all' }, ['approved', 'rejected', 'pending'])).toBe('rejected');
    expect(evaluateStep({ type: 'count', count: 2 }, ['approved', 'rejected', 'pending'])).toBeNull();
    expect(evaluateStep({ type: 'count', count: 2 }, ['approved', 'rejected', 'approved'])).toBe('approved');
    expect(evaluateStep({ type: 'count', count: 2 }, ['rejected', 'rejected', 'pending'])).toBe('rejected');
    // More than the step has: all of them.
    expect(evaluateStep({ type: 'count', count: 5 }, ['approved', 'approved'])).toBe('approved');
    expect(changeTypeOf('change.emergency')).toBe('emergency');
    expect(changeTypeOf('change.standard')).toBe('standard');
    expect(changeTypeOf('change.custom_x')).toBe('normal');
    expect(changeTypeOf(null)).toBe('normal');
  });
});

describe('approvals API', () => {
  const world = useTestWorld();
  let db: ReturnType<typeof dbOf>;
  const dbOf = () => world.t.database.db;
  let agent: Actor;
  let agentClient: Client;
  const approvers: { id: number; username: string; client: Client }[] = [];
  let requester: { id: number; username: string };

  async function actorOf(userId: number): Promise<Actor> {
    const p = await findPrincipal(db, userId);
    if (!p) throw new Error('no principal');
    return actorFromPrincipal(p, { via: 'session' });
  }

  /** A custom incident workflow: new -> approval (onCreate) -> go; rejection back to new; resubmit; cancel. */
  async function makeFlow(steps: ApprovalStep[]): Promise<string> {
    const key = `test_appr_${uniq('').toLowerCase()}`;
    const def: WorkflowDefinitionInput = {
      initial: 'new',
      onCreate: 'start',
      states: [
        { key: 'new', label: L('新建', 'New'), category: 'open' },
        { key: 'approval', label: L('审批中', 'In approval'), category: 'open' },
        { key: 'go', label: L('已批准', 'Approved'), category: 'open' },
        { key: 'done', label: L('完成', 'Done'), category: 'closed' },
        { key: 'cancelled', label: L('已取消', 'Cancelled'), category: 'cancelled' },
      ],
      approvals: [{ key: 'appr', label: L('测试审批', 'Test approval'), steps, onApproved: 'approved', onRejected: 'rejected' }],
      transitions: [
        { key: 'start', label: L('提交', 'Submit'), from: ['new'], to: 'approval', system: true, effects: [{ type: 'start_approval', approval: 'appr' }] },
        { key: 'resubmit', label: L('重新提交', 'Resubmit'), from: ['new'], to: 'approval', allow: [{ permission: 'ticket.work' }], effects: [{ type: 'start_approval', approval: 'appr' }] },
        { key: 'approved', label: L('通过', 'Approved'), from: ['approval'], to: 'go', system: true },
        { key: 'rejected', label: L('驳回', 'Rejected'), from: ['approval'], to: 'new', system: true },
        { key: 'finish', label: L('完成', 'Finish'), from: ['go'], to: 'done', allow: [{ permission: 'ticket.work' }], guards: [{ type: 'approval_granted', approval: 'appr' }] },
        { key: 'cancel', label: L('取消', 'Cancel'), from: ['new', 'approval', 'go'], to: 'cancelled', allow: [{ permission: 'ticket.work' }], effects: [{ type: 'cancel_approvals' }] },
      ],
    };
    await createWorkflow(db, await actorOf(world.w.users.sysadmin.id), {
      key,
      ticketType: 'incident',
      name: L(`测试${key}`, `Test ${key}`),
      definition: workflowDefinitionSchema.parse(def),
    });
    return key;
  }

  async function makeTicket(flow: string, requesterId: number | null = requester.id, title = `审批测试 ${uniq('')}`): Promise<number> {
    const { row } = await createTicket(
      db,
      agent,
      { type: 'incident', title, description: '', orgId: world.w.custA.id, impact: 3, urgency: 3, requesterId, major: false, customFields: {} },
      undefined,
      { workflowKey: flow },
    );
    return row.t.id;
  }

  const step = (key: string, approverIdx: number[], rule: ApprovalStep['rule'], remindAfterHours = 0): ApprovalStep => ({
    key,
    label: L(`步骤${key}`, `Step ${key}`),
    approvers: approverIdx.map((i) => ({ type: 'user' as const, userId: approvers[i]!.id })),
    rule,
    remindAfterHours,
  });

  async function runs(ticketId: number, client: Client = agentClient): Promise<TicketApprovals['items']> {
    const res = await client.get(`/api/tickets/${ticketId}/approvals`);
    expect(res.statusCode).toBe(200);
    return json<TicketApprovals>(res).items;
  }

  async function pendingTaskOf(ticketId: number, approverIdx: number): Promise<number> {
    const [run] = await runs(ticketId);
    const task = run?.steps.flatMap((s) => s.tasks).find((t) => t.approverId === approvers[approverIdx]!.id && t.state === 'pending');
    if (!task) throw new Error(`no pending task for approver ${approverIdx}`);
    return task.id;
  }

  async function ticketState(ticketId: number): Promise<string> {
    const [r] = await rows<{ state: string }>(db, sql`SELECT state FROM tickets WHERE id = ${ticketId}`);
    return r!.state;
  }

  const decideAs = (i: number, taskId: number, decision: 'approve' | 'reject', comment = '') =>
    approvers[i]!.client.post(`/api/approvals/tasks/${taskId}/decision`, { decision, comment });

  async function transitionAs(client: Client, ticketId: number, action: string) {
    const t = await client.get(`/api/tickets/${ticketId}`);
    return client.post(`/api/tickets/${ticketId}/transitions`, { action, version: json<{ version: number }>(t).version });
  }

  beforeAll(async () => {
    db = dbOf();
    agent = await actorOf(world.w.users.agent.id);
    agentClient = await world.w.as('agent');
    for (let i = 0; i < 4; i++) {
      const u = await makeUser(db, world.w.provider.id, ['engineer']);
      await db.execute(sql`UPDATE users SET email = ${`${u.username}@example.com`} WHERE id = ${u.id}`);
      approvers.push({ id: u.id, username: u.username, client: await login(world.t.app, u.username, undefined, u.id) });
    }
    const r = world.w.users.customerA;
    requester = { id: r.id, username: r.username };
  });

  it('any (或签): the first approval approves, the ticket moves on, others are skipped, a second decision is refused', async () => {
    const flow = await makeFlow([step('s1', [0, 1], { type: 'any' })]);
    const ticketId = await makeTicket(flow);
    expect(await ticketState(ticketId)).toBe('approval');
    const [run] = await runs(ticketId);
    expect(run).toMatchObject({ approvalKey: 'appr', round: 1, state: 'pending', currentStep: 0 });
    expect(run!.steps[0]!.tasks.map((t) => t.approverId).sort()).toEqual([approvers[0]!.id, approvers[1]!.id].sort());

    const taskId = await pendingTaskOf(ticketId, 0);
    const other = await pendingTaskOf(ticketId, 1);
    const ok = await decideAs(0, taskId, 'approve', '同意');
    expect(ok.statusCode).toBe(200);
    expect(json<DecisionResult>(ok)).toMatchObject({ taskState: 'approved', runState: 'approved' });
    expect(await ticketState(ticketId)).toBe('go');
    const [after] = await runs(ticketId);
    expect(after!.state).toBe('approved');
    expect(after!.steps[0]!.tasks.find((t) => t.id === other)!.state).toBe('skipped');

    const twice = await decideAs(0, taskId, 'approve');
    expect(twice.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(twice).error.code).toBe('APPROVAL_ALREADY_DECIDED');
    const late = await decideAs(1, other, 'reject');
    expect(late.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(late).error.code).toBe('APPROVAL_NOT_PENDING');

    // The guard approval_granted lets the ticket finish.
    expect((await transitionAs(agentClient, ticketId, 'finish')).statusCode).toBe(200);

    // Timeline rows: requested, decided, step_completed, completed.
    const events = await rows<{ data: { action: string } }>(db, sql`SELECT data FROM ticket_events WHERE ticket_id = ${ticketId} AND kind = 'approval' ORDER BY id`);
    expect(events.map((e) => e.data.action)).toEqual(['requested', 'decided', 'step_completed', 'completed']);
    const audit = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'approval.decide' AND object_id = ${String(taskId)} AND result = 'denied'`);
    expect(audit[0]!.n).toBe(1);
  });

  it('a rejection moves the ticket per the workflow; resubmitting opens round 2', async () => {
    const flow = await makeFlow([step('s1', [0, 1], { type: 'any' })]);
    const ticketId = await makeTicket(flow);
    const res = await decideAs(1, await pendingTaskOf(ticketId, 1), 'reject', '预算不足');
    expect(json<DecisionResult>(res).runState).toBe('rejected');
    expect(await ticketState(ticketId)).toBe('new');
    // Not approved: the finish guard would refuse; resubmit starts round 2.
    expect((await transitionAs(agentClient, ticketId, 'resubmit')).statusCode).toBe(200);
    const list = await runs(ticketId);
    expect(list.map((r) => [r.round, r.state])).toEqual([
      [2, 'pending'],
      [1, 'rejected'],
    ]);
    expect(json<DecisionResult>(await decideAs(0, await pendingTaskOf(ticketId, 0), 'approve')).runState).toBe('approved');
    expect(await ticketState(ticketId)).toBe('go');
  });

  it('all (会签): every approver must approve; one rejection rejects; concurrent approvals end the run once', async () => {
    const flow = await makeFlow([step('s1', [0, 1, 2], { type: 'all' })]);
    const t1 = await makeTicket(flow);
    expect(json<DecisionResult>(await decideAs(0, await pendingTaskOf(t1, 0), 'approve')).runState).toBe('pending');
    expect(json<DecisionResult>(await decideAs(1, await pendingTaskOf(t1, 1), 'reject')).runState).toBe('rejected');
    expect(await ticketState(t1)).toBe('new');

    const t2 = await makeTicket(flow);
    const ids = [await pendingTaskOf(t2, 0), await pendingTaskOf(t2, 1), await pendingTaskOf(t2, 2)];
    const results = await Promise.all(ids.map((id, i) => decideAs(i, id, 'approve')));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.filter((r) => json<DecisionResult>(r).runState === 'approved')).toHaveLength(1);
    expect(await ticketState(t2)).toBe('go');
    const completed = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ${t2} AND kind = 'approval' AND data->>'action' = 'completed'`);
    expect(completed[0]!.n).toBe(1);
  });

  it('count: N approvals approve; the step is rejected once N is out of reach', async () => {
    const flow = await makeFlow([step('s1', [0, 1, 2], { type: 'count', count: 2 })]);
    const t1 = await makeTicket(flow);
    expect(json<DecisionResult>(await decideAs(0, await pendingTaskOf(t1, 0), 'approve')).runState).toBe('pending');
    expect(json<DecisionResult>(await decideAs(1, await pendingTaskOf(t1, 1), 'reject')).runState).toBe('pending');
    expect(json<DecisionResult>(await decideAs(2, await pendingTaskOf(t1, 2), 'approve')).runState).toBe('approved');

    const t2 = await makeTicket(flow);
    await decideAs(0, await pendingTaskOf(t2, 0), 'reject');
    expect(json<DecisionResult>(await decideAs(1, await pendingTaskOf(t2, 1), 'reject')).runState).toBe('rejected');
    const [run] = await runs(t2);
    expect(run!.steps[0]!.tasks.find((t) => t.approverId === approvers[2]!.id)!.state).toBe('skipped');
  });

  it('multi-step: the next step opens when one is approved', async () => {
    const flow = await makeFlow([step('lead', [0], { type: 'any' }), step('board', [1, 2], { type: 'all' })]);
    const ticketId = await makeTicket(flow);
    let [run] = await runs(ticketId);
    expect(run!.steps.map((s) => s.state)).toEqual(['pending', 'waiting']);
    expect(run!.steps[1]!.tasks).toHaveLength(0);
    const r1 = json<DecisionResult>(await decideAs(0, await pendingTaskOf(ticketId, 0), 'approve'));
    expect(r1).toMatchObject({ runState: 'pending', currentStep: 1 });
    [run] = await runs(ticketId);
    expect(run!.steps.map((s) => s.state)).toEqual(['approved', 'pending']);
    expect(run!.steps[1]!.tasks.map((t) => t.state)).toEqual(['pending', 'pending']);
    // Step 2's approvers were notified.
    const notes = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${approvers[2]!.id} AND event = 'approval.requested' AND ticket_id = ${ticketId}`);
    expect(notes[0]!.n).toBe(1);
    await decideAs(1, await pendingTaskOf(ticketId, 1), 'approve');
    expect(await ticketState(ticketId)).toBe('approval');
    expect(json<DecisionResult>(await decideAs(2, await pendingTaskOf(ticketId, 2), 'approve')).runState).toBe('approved');
    expect(await ticketState(ticketId)).toBe('go');
  });

  it('refuses someone who is not an approver (403, audited) and hides other tenants', async () => {
    const flow = await makeFlow([step('s1', [0], { type: 'any' })]);
    const ticketId = await makeTicket(flow);
    const taskId = await pendingTaskOf(ticketId, 0);
    const res = await decideAs(1, taskId, 'approve');
    expect(res.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(res).error.code).toBe('APPROVAL_NOT_APPROVER');
    const audit = await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'approval.decide' AND result = 'denied' AND object_id = ${String(taskId)} AND actor_id = ${approvers[1]!.id}`,
    );
    expect(audit[0]!.n).toBe(1);
    const stranger = await world.w.as('customerB');
    expect((await stranger.get(`/api/tickets/${ticketId}/approvals`)).statusCode).toBe(404);
    expect((await stranger.post(`/api/approvals/tasks/${taskId}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    expect(await ticketState(ticketId)).toBe('approval');
  });

  it('delegates a pending task; the original can no longer decide', async () => {
    const flow = await makeFlow([step('s1', [0, 1], { type: 'all' })]);
    const ticketId = await makeTicket(flow);
    const taskId = await pendingTaskOf(ticketId, 0);
    const self = await approvers[0]!.client.post(`/api/approvals/tasks/${taskId}/delegate`, { userId: approvers[0]!.id });
    expect(json<{ error: { code: string } }>(self).error.code).toBe('APPROVAL_DELEGATE_INVALID');
    const already = await approvers[0]!.client.post(`/api/approvals/tasks/${taskId}/delegate`, { userId: approvers[1]!.id });
    expect(already.statusCode).toBe(422);
    const toRequester = await approvers[0]!.client.post(`/api/approvals/tasks/${taskId}/delegate`, { userId: requester.id });
    expect(toRequester.statusCode).toBe(422);
    const notMine = await approvers[1]!.client.post(`/api/approvals/tasks/${taskId}/delegate`, { userId: approvers[3]!.id });
    expect(notMine.statusCode).toBe(403);

    const res = await approvers[0]!.client.post(`/api/approvals/tasks/${taskId}/delegate`, { userId: approvers[3]!.id, comment: '出差，请代批' });
    expect(res.statusCode).toBe(200);
    const { newTaskId } = json<{ newTaskId: number }>(res);
    const [run] = await runs(ticketId);
    const tasks = run!.steps[0]!.tasks;
    expect(tasks.find((t) => t.id === taskId)!.state).toBe('delegated');
    expect(tasks.find((t) => t.id === newTaskId)).toMatchObject({ approverId: approvers[3]!.id, state: 'pending', delegatedFromTaskId: taskId });
    expect(json<{ error: { code: string } }>(await decideAs(0, taskId, 'approve')).error.code).toBe('APPROVAL_ALREADY_DECIDED');
    await decideAs(1, await pendingTaskOf(ticketId, 1), 'approve');
    expect(json<DecisionResult>(await decideAs(3, newTaskId, 'approve')).runState).toBe('approved');
  });

  it('signed links: GET shows without deciding, POST decides once, the sibling dies, unknown and expired are refused', async () => {
    const flow = await makeFlow([step('s1', [0, 1], { type: 'all' })]);
    const ticketId = await makeTicket(flow);
    const links = async (userIdx: number) => {
      const r = await rows<{ payload: { params: Record<string, string> } }>(
        db,
        sql`SELECT payload FROM notification_deliveries WHERE user_id = ${approvers[userIdx]!.id} AND event = 'approval.requested' AND channel = 'email'
            AND payload->>'ticketId' = ${String(ticketId)} ORDER BY id DESC LIMIT 1`,
      );
      const p = r[0]!.payload.params;
      return { approve: p.approveLink!.replace('/approve/', ''), reject: p.rejectLink!.replace('/approve/', '') };
    };
    const l0 = await links(0);
    const anon = world.t.app;
    const info = await anon.inject({ method: 'GET', url: `/api/approval-links/${l0.approve}` });
    expect(info.statusCode).toBe(200);
    expect(json<ApprovalLinkInfo>(info)).toMatchObject({ decision: 'approve', round: 1, approvalLabel: L('测试审批', 'Test approval') });
    expect(json<ApprovalLinkInfo>(info).ticket.title).toContain('审批测试');
    // GET twice (mail scanners) decides nothing.
    expect((await anon.inject({ method: 'GET', url: `/api/approval-links/${l0.approve}` })).statusCode).toBe(200);
    expect((await runs(ticketId))[0]!.steps[0]!.tasks.every((t) => t.state === 'pending')).toBe(true);

    const used = await anon.inject({ method: 'POST', url: `/api/approval-links/${l0.approve}`, payload: { comment: '邮件同意' } });
    expect(used.statusCode).toBe(200);
    expect(json<{ decision: string; runState: string }>(used)).toMatchObject({ decision: 'approve', runState: 'pending' });
    const again = await anon.inject({ method: 'POST', url: `/api/approval-links/${l0.approve}`, payload: {} });
    expect(again.statusCode).toBe(410);
    expect(json<{ error: { code: string } }>(again).error.code).toBe('APPROVAL_LINK_USED');
    const sibling = await anon.inject({ method: 'GET', url: `/api/approval-links/${l0.reject}` });
    expect(sibling.statusCode).toBe(410);
    const [run] = await runs(ticketId);
    const decided = run!.steps[0]!.tasks.find((t) => t.approverId === approvers[0]!.id)!;
    expect(decided).toMatchObject({ state: 'approved', comment: '邮件同意' });
    const audit = await rows<{ details: { via: string } }>(db, sql`SELECT details FROM audit_log WHERE action = 'approval.decide' AND object_id = ${String(decided.id)} AND result = 'success'`);
    expect(audit[0]!.details.via).toBe('link');

    const unknown = await anon.inject({ method: 'GET', url: `/api/approval-links/${'x'.repeat(43)}` });
    expect(unknown.statusCode).toBe(404);
    expect(json<{ error: { code: string } }>(unknown).error.code).toBe('APPROVAL_LINK_INVALID');

    const l1 = await links(1);
    await db.execute(sql`UPDATE approval_links SET expires_at = now() - interval '1 minute' WHERE task_id = (SELECT task_id FROM approval_links WHERE token_hash = ${hashToken(l1.reject)})`);
    const expired = await anon.inject({ method: 'POST', url: `/api/approval-links/${l1.reject}`, payload: {} });
    expect(expired.statusCode).toBe(410);
    expect(json<{ error: { code: string } }>(expired).error.code).toBe('APPROVAL_LINK_EXPIRED');
    expect(await ticketState(ticketId)).toBe('approval');
    const denied = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'approval.decide' AND result = 'denied' AND details->>'code' = 'APPROVAL_LINK_EXPIRED'`);
    expect(denied[0]!.n).toBeGreaterThan(0);
  });

  it('batch decisions report per task; my approvals lists pending and decided', async () => {
    const flow = await makeFlow([step('s1', [2], { type: 'any' })]);
    const t1 = await makeTicket(flow);
    const t2 = await makeTicket(flow);
    const foreignFlow = await makeFlow([step('s1', [3], { type: 'any' })]);
    const t3 = await makeTicket(foreignFlow);
    const me = approvers[2]!.client;
    const mine = json<MyApprovals>(await me.get('/api/approvals/mine'));
    const ids = mine.items.filter((i) => [t1, t2].includes(i.ticket.id)).map((i) => i.taskId);
    expect(ids).toHaveLength(2);
    expect(mine.pendingCount).toBeGreaterThanOrEqual(2);
    expect(mine.items.find((i) => i.ticket.id === t1)).toMatchObject({ state: 'pending', stepLabel: L('步骤s1', 'Step s1'), ticket: { type: 'incident', requesterId: requester.id } });
    const foreign = await pendingTaskOf(t3, 3);
    const res = await me.post('/api/approvals/decisions', { taskIds: [...ids, foreign, 99999999], decision: 'approve', comment: '批量同意' });
    expect(res.statusCode).toBe(200);
    const out = json<BatchDecideResult>(res).results;
    expect(out.map((r) => [r.ok, r.code])).toEqual([
      [true, null],
      [true, null],
      [false, 'APPROVAL_NOT_APPROVER'],
      [false, 'NOT_FOUND'],
    ]);
    expect(await ticketState(t1)).toBe('go');
    expect(await ticketState(t2)).toBe('go');
    expect(await ticketState(t3)).toBe('approval');
    const decided = json<MyApprovals>(await me.get('/api/approvals/mine?state=decided'));
    expect(decided.items.filter((i) => [t1, t2].includes(i.ticket.id)).map((i) => i.state)).toEqual(['approved', 'approved']);
  });

  it('cancelling the ticket cancels the run; a later decision is refused', async () => {
    const flow = await makeFlow([step('s1', [0], { type: 'any' })]);
    const ticketId = await makeTicket(flow);
    const taskId = await pendingTaskOf(ticketId, 0);
    expect((await transitionAs(agentClient, ticketId, 'cancel')).statusCode).toBe(200);
    const [run] = await runs(ticketId);
    expect(run!.state).toBe('cancelled');
    expect(run!.steps[0]!.tasks[0]!.state).toBe('cancelled');
    const res = await decideAs(0, taskId, 'approve');
    expect(res.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(res).error.code).toBe('APPROVAL_NOT_PENDING');
  });

  it('reminds pending approvers once per period', async () => {
    const flow = await makeFlow([step('s1', [0, 1], { type: 'all' }, 2)]);
    const ticketId = await makeTicket(flow);
    await decideAs(0, await pendingTaskOf(ticketId, 0), 'approve');
    const now = new Date();
    // Not yet due.
    expect(await sweepApprovalReminders(db, now)).toBeGreaterThanOrEqual(0);
    const reminded = async () =>
      (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM notifications WHERE event = 'approval.reminder' AND ticket_id = ${ticketId}`))[0]!.n;
    expect(await reminded()).toBe(0);
    await db.execute(sql`UPDATE approval_tasks SET created_at = now() - interval '3 hours' WHERE ticket_id = ${ticketId}`);
    await sweepApprovalReminders(db, now);
    expect(await reminded()).toBe(1);
    const [n] = await rows<{ user_id: number }>(db, sql`SELECT user_id FROM notifications WHERE event = 'approval.reminder' AND ticket_id = ${ticketId}`);
    expect(Number(n!.user_id)).toBe(approvers[1]!.id);
    await sweepApprovalReminders(db, now);
    expect(await reminded()).toBe(1);
    // The next period.
    await sweepApprovalReminders(db, new Date(now.getTime() + 2 * 3_600_000 + 60_000));
    expect(await reminded()).toBe(2);
  });

  it('e-mails the approver (real SMTP) with signed links that decide from outside the app', async () => {
    const mails: { rcpt: string[]; mail: ParsedMail }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            mails.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail });
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.server.address() as AddressInfo).port;
      const flow = await makeFlow([step('s1', [1], { type: 'any' })]);
      const ticketId = await makeTicket(flow);
      await deliverDue(db, { ...world.t.config, smtpUrl: `smtp://127.0.0.1:${port}`, publicUrl: 'https://itsm.example.cn' });
      const [number] = await rows<{ number: string }>(db, sql`SELECT number FROM tickets WHERE id = ${ticketId}`);
      const mail = mails.find((m) => m.rcpt.includes(`${approvers[1]!.username}@example.com`) && m.mail.subject?.includes(number!.number))?.mail;
      expect(mail?.subject).toBe(`[天枢] 工单 ${number!.number} 待您审批：测试审批`);
      const text = mail?.text ?? '';
      const approve = /同意：https:\/\/itsm\.example\.cn\/approve\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
      const reject = /拒绝：https:\/\/itsm\.example\.cn\/approve\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
      expect(approve).toBeTruthy();
      expect(reject).toBeTruthy();
      // The in-app notification never carries the tokens.
      const inApp = await rows<{ body: string; data: Record<string, unknown> }>(db, sql`SELECT body, data FROM notifications WHERE user_id = ${approvers[1]!.id} AND ticket_id = ${ticketId}`);
      expect(JSON.stringify(inApp)).not.toContain(approve!);
      const res = await world.t.app.inject({ method: 'POST', url: `/api/approval-links/${reject!}`, payload: { comment: '不同意' } });
      expect(res.statusCode).toBe(200);
      expect(json<{ runState: string }>(res).runState).toBe('rejected');
      expect(await ticketState(ticketId)).toBe('new');
      expect((await world.t.app.inject({ method: 'GET', url: `/api/approval-links/${approve!}` })).statusCode).toBe(410);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('requester is skipped unless the only approver; requester_manager and cab resolve; no approver rolls back', async () => {
    const ticket = { id: 0, requesterId: approvers[0]!.id } as WorkflowTicket;
    const s = (approverList: ApprovalStep['approvers']): ApprovalStep => ({ key: 's', label: L('s', 's'), approvers: approverList, rule: { type: 'any' }, remindAfterHours: 0 });
    expect(await resolveStepApprovers(db, ticket, null, s([{ type: 'user', userId: approvers[0]!.id }, { type: 'user', userId: approvers[1]!.id }]))).toEqual([approvers[1]!.id]);
    expect(await resolveStepApprovers(db, ticket, null, s([{ type: 'user', userId: approvers[0]!.id }]))).toEqual([approvers[0]!.id]);

    // requester_manager through the user admin API.
    const mgr = await makeUser(db, world.w.custA.id, ['customer']);
    const req = await makeUser(db, world.w.custA.id, ['customer']);
    const admin = await world.w.as('sysadmin');
    const set = await admin.patch(`/api/users/${req.id}`, { managerId: mgr.id });
    expect(set.statusCode).toBe(200);
    expect(json<{ managerId: number | null }>(set).managerId).toBe(mgr.id);
    expect(await resolveStepApprovers(db, { ...ticket, requesterId: req.id }, null, s([{ type: 'requester_manager' }]))).toEqual([mgr.id]);

    // CAB per change type, falling back to normal. The setting is global (other suites may use it on a shared
    // database): the route round trip restores the previous value, and resolution is checked in a rolled-back transaction.
    const cabNormal = await makeGroup(db, [approvers[2]!.id], []);
    const cabEmergency = await makeGroup(db, [approvers[3]!.id], []);
    const sys = await world.w.as('sysadmin');
    const previous = json<Record<string, number | null>>(await sys.get('/api/approvals/cab-groups'));
    const put = await sys.put('/api/approvals/cab-groups', { normal: cabNormal.id, emergency: cabEmergency.id });
    expect(put.statusCode).toBe(200);
    expect(json<{ normal: number; standard: number | null }>(put)).toMatchObject({ normal: cabNormal.id, standard: null });
    expect((await sys.put('/api/approvals/cab-groups', previous)).statusCode).toBe(200);
    expect((await sys.put('/api/approvals/cab-groups', { normal: 99999999 })).statusCode).toBe(422);
    expect((await approvers[0]!.client.get('/api/approvals/cab-groups')).statusCode).toBe(403);
    const resolved = await db
      .transaction(async (tx) => {
        await writeSetting(tx, 'change.cab_groups', { normal: cabNormal.id, emergency: cabEmergency.id });
        const r = [
          await resolveStepApprovers(tx, ticket, 'change.emergency', s([{ type: 'cab' }])),
          await resolveStepApprovers(tx, ticket, 'change.standard', s([{ type: 'cab' }])),
        ];
        throw Object.assign(new Error('rollback'), { r });
      })
      .catch((e: { r?: number[][] }) => e.r);
    expect(resolved).toEqual([[approvers[3]!.id], [approvers[2]!.id]]);

    // A step with nobody: the ticket is not created at all.
    const flow = await makeFlow([{ key: 'm', label: L('主管', 'Manager'), approvers: [{ type: 'requester_manager' }], rule: { type: 'any' }, remindAfterHours: 0 }]);
    const title = `无人审批 ${uniq('')}`;
    await expect(makeTicket(flow, requester.id, title)).rejects.toMatchObject({ code: 'APPROVAL_NO_APPROVERS' });
    const after = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets WHERE title = ${title}`);
    expect(after[0]!.n).toBe(0);
  });
});
