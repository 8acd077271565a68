import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { workflowDefinitionSchema, type WorkflowDefinitionInput } from '@tianshu/contracts';
import { actorFromPrincipal } from '../../server/src/platform/auth/actor.ts';
import { findPrincipal } from '../../server/src/platform/auth/auth.queries.ts';
import { rows } from '../../server/src/platform/db/db.ts';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { createTicket } from '../../server/src/modules/tickets/tickets.service.ts';
import { createWorkflow } from '../../server/src/modules/workflows/workflows.service.ts';
import { makeOrg, makeUser, uniq } from '../../server/src/test/factories.ts';
import { newPage, signIn, tid, useE2e } from './harness.ts';

const e2e = useE2e();
const L = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });

describe('approvals in the browser', () => {
  it('an approver batch-approves from My approvals, a second approver decides from the e-mailed link without signing in, another rejects with a comment', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const org = await makeOrg(db, 'customer', uniq('审批客户-'));
    const agentUser = await makeUser(db, provider.id, ['agent']);
    const a = await makeUser(db, provider.id, ['engineer']);
    const b = await makeUser(db, provider.id, ['engineer']);
    for (const u of [a, b]) await db.execute(sql`UPDATE users SET email = ${`${u.username}@example.com`} WHERE id = ${u.id}`);
    const actorOf = async (id: number) => actorFromPrincipal((await findPrincipal(db, id))!, { via: 'session' });

    // A workflow whose tickets need both approvers (会签) before they move on.
    const key = `e2e_appr_${uniq('').toLowerCase()}`;
    const def: WorkflowDefinitionInput = {
      initial: 'new',
      onCreate: 'start',
      states: [
        { key: 'new', label: L('新建', 'New'), category: 'open' },
        { key: 'approval', label: L('审批中', 'In approval'), category: 'open' },
        { key: 'go', label: L('已批准', 'Approved'), category: 'open' },
        { key: 'done', label: L('完成', 'Done'), category: 'closed' },
      ],
      approvals: [
        {
          key: 'cab',
          label: L('变更评审', 'Change review'),
          steps: [{ key: 'board', label: L('评审委员会', 'Board'), approvers: [{ type: 'user', userId: a.id }, { type: 'user', userId: b.id }], rule: { type: 'all' }, remindAfterHours: 0 }],
          onApproved: 'approved',
          onRejected: 'rejected',
        },
      ],
      transitions: [
        { key: 'start', label: L('提交', 'Submit'), from: ['new'], to: 'approval', system: true, effects: [{ type: 'start_approval', approval: 'cab' }] },
        { key: 'approved', label: L('通过', 'Approved'), from: ['approval'], to: 'go', system: true },
        { key: 'rejected', label: L('驳回', 'Rejected'), from: ['approval'], to: 'new', system: true },
        { key: 'finish', label: L('完成', 'Finish'), from: ['go'], to: 'done', allow: [{ permission: 'ticket.work' }] },
        { key: 'resubmit', label: L('重新提交', 'Resubmit'), from: ['new'], to: 'approval', allow: [{ permission: 'ticket.work' }], effects: [{ type: 'start_approval', approval: 'cab' }] },
      ],
    };
    const admin = await makeUser(db, provider.id, ['system_admin']);
    await createWorkflow(db, await actorOf(admin.id), { key, ticketType: 'incident', name: L('审批演示', 'Approval demo'), definition: workflowDefinitionSchema.parse(def) });
    const agent = await actorOf(agentUser.id);
    const make = async (title: string) =>
      (await createTicket(db, agent, { type: 'incident', title, description: '', orgId: org.id, impact: 3, urgency: 3, major: false, customFields: {} }, undefined, { workflowKey: key })).row.t;
    const t1 = await make(uniq('扩容数据库-'));
    const t2 = await make(uniq('调整防火墙-'));
    const t3 = await make(uniq('升级内核-'));
    const taskOf = async (ticketId: number, approverId: number) =>
      Number((await rows<{ id: number }>(db, sql`SELECT id FROM approval_tasks WHERE ticket_id = ${ticketId} AND approver_id = ${approverId} AND state = 'pending'`))[0]?.id);
    const errors: string[] = [];

    // Approver A: My approvals lists the three tickets; batch-approve two of them.
    const { page: pa } = await newPage(e2e.browser);
    e2e.pages.push(pa);
    pa.on('pageerror', (e) => errors.push(e.message));
    await signIn(pa, e2e.server.url, a.username);
    // The menu shows how many approvals wait.
    await pa.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('3'), tid('nav-approvals-count'));
    await pa.click(tid('nav-approvals'));
    await pa.waitForURL((u) => u.pathname === '/approvals');
    const a1 = await taskOf(t1.id, a.id);
    const a2 = await taskOf(t2.id, a.id);
    const a3 = await taskOf(t3.id, a.id);
    await pa.waitForSelector(tid(`approval-row-${a1}`));
    expect(await pa.textContent(tid(`approval-row-${a1}`))).toContain(t1.number);
    await pa.click(`${tid(`approval-row-${a1}`)} .ant-checkbox-input`);
    await pa.click(`${tid(`approval-row-${a2}`)} .ant-checkbox-input`);
    await pa.click(tid('approval-batch-approve'));
    await pa.fill(tid('approval-comment'), '同意，注意窗口期');
    await pa.click(tid('approval-decide-ok'));
    await pa.waitForSelector(tid(`approval-row-${a1}`), { state: 'detached' });
    await pa.waitForSelector(tid(`approval-row-${a2}`), { state: 'detached' });
    // Rejecting needs a comment.
    await pa.click(tid(`approval-reject-${a3}`));
    await pa.click(tid('approval-decide-ok'));
    await pa.waitForSelector('.ant-form-item-explain-error');
    await pa.fill(tid('approval-comment'), '回退方案不完整');
    await pa.click(tid('approval-decide-ok'));
    await pa.waitForSelector(tid(`approval-row-${a3}`), { state: 'detached' });
    const stateOf = async (id: number) => (await rows<{ state: string }>(db, sql`SELECT state FROM tickets WHERE id = ${id}`))[0]?.state;
    expect(await stateOf(t1.id)).toBe('approval'); // 会签: B still has to approve
    expect(await stateOf(t3.id)).toBe('new'); // one rejection rejects

    // Approver B opens the e-mailed approve link in a fresh browser (not signed in).
    const [delivery] = await rows<{ payload: { params: { approveLink: string } } }>(
      db,
      sql`SELECT payload FROM notification_deliveries WHERE user_id = ${b.id} AND channel = 'email' AND event = 'approval.requested' AND payload->>'ticketId' = ${String(t1.id)}`,
    );
    const { page: pb } = await newPage(e2e.browser);
    e2e.pages.push(pb);
    pb.on('pageerror', (e) => errors.push(e.message));
    await pb.goto(`${e2e.server.url}${delivery!.payload.params.approveLink}`);
    await pb.waitForSelector(tid('approval-link-ticket'));
    expect(await pb.textContent(tid('approval-link-ticket'))).toContain(t1.number);
    // Showing the page decided nothing.
    expect(await stateOf(t1.id)).toBe('approval');
    await pb.fill(tid('approval-link-comment'), '邮件审批同意');
    await pb.click(tid('approval-link-confirm'));
    await pb.waitForSelector(tid('approval-link-done'));
    expect(await stateOf(t1.id)).toBe('go');
    // The link is single-use.
    await pb.reload();
    await pb.waitForSelector(tid('approval-link-invalid'));

    // Both decisions are on the ticket's timeline (seen by the service desk: the approvers are outside the tenant scope).
    await signIn(pb, e2e.server.url, agentUser.username);
    await pb.goto(`${e2e.server.url}/incidents/${t1.id}`);
    await pb.waitForSelector(tid('event-approval'));
    const timeline = await pb.textContent(tid('incident-timeline'));
    expect(timeline).toContain('变更评审');
    expect(timeline).toContain('（通过邮件链接）');
    expect(errors).toEqual([]);
  });
});
