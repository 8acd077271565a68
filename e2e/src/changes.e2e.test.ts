import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeGroup, makeOrg, makeUser, TEST_PASSWORD, uniq } from '../../server/src/test/factories.ts';
import { ADMIN_PASSWORD, apiLogin, confirmModal, newPage, pickOption, signIn, tid, useE2e } from './harness.ts';

const e2e = useE2e();

type Ci = { id: number; name: string };
type Detail = { ticket: { id: number; number: string; version: number; state: string }; change: { version: number } };

/** Types a wall clock into an antd date-time picker and confirms it. */
async function typeDateTime(page: Page, pickerId: string, text: string) {
  const input = page.locator(tid(pickerId)).locator('xpath=descendant-or-self::input').first();
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(text);
  await input.press('Enter');
  await page.waitForFunction(([sel, want]) => (document.querySelector(sel) as HTMLInputElement | null)?.value === want, [`${tid(pickerId)} input, input${tid(pickerId)}`, text] as const);
}

async function waitState(page: Page, state: string) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="change-state"]')?.getAttribute('data-state') === s, state, { timeout: 15_000 });
}

/** Takes a workflow action from the change page (the modal asks for a comment when the transition wants one). */
async function act(page: Page, action: string, comment?: string) {
  await page.click(tid(`action-${action}`));
  // The modal root itself has no box; its OK button shows it is open.
  await page.waitForSelector(tid('modal-ok'));
  if (comment !== undefined) await page.fill(tid('action-comment'), comment);
  await confirmModal(page);
}

/** The signed-in CAB member decides their pending task on the change page. */
async function decide(page: Page, url: string, decision: 'approve' | 'reject', comment: string) {
  await page.goto(url);
  await page.waitForSelector(tid('ticket-approvals-card'));
  await page.click(tid(`approval-${decision}`));
  await page.waitForSelector(tid('approval-decide-ok'));
  await page.fill(tid('approval-comment'), comment);
  for (let attempt = 1; ; attempt++) {
    await page.click(tid('approval-decide-ok'));
    const closed = await page
      .waitForSelector(tid('approval-decide-ok'), { state: 'hidden', timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (closed) break;
    if (attempt >= 3) throw new Error(`the ${decision} modal did not close`);
  }
  await page.waitForSelector(tid(`approval-${decision}`), { state: 'detached' });
}

describe('changes in the browser', () => {
  it('a normal change: two CAB approvers (会签), one rejects, revised and approved, then implemented, verified and reviewed; on the calendar with a conflict against a second change on the same CI', async () => {
    const db = e2e.server.database.db;
    const url = e2e.server.url;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const customer = await makeOrg(db, 'customer', uniq('变更客户-'));
    const manager = await makeUser(db, provider.id, ['manager']);
    const cab1 = await makeUser(db, provider.id, ['manager']);
    const cab2 = await makeUser(db, provider.id, ['engineer']);
    const cabGroup = await makeGroup(db, [cab1.id, cab2.id], [customer.id]);
    const admin = await apiLogin(url, 'admin', ADMIN_PASSWORD);
    await admin.put('/api/approvals/cab-groups', { standard: null, normal: cabGroup.id, emergency: null });
    const api = await apiLogin(url, manager.username, TEST_PASSWORD);

    // CMDB: the application the change touches impacts a business service.
    const classes = await api.get<{ id: number; key: string }[]>('/api/ci-classes');
    const classId = (key: string) => classes.find((c) => c.key === key)?.id;
    const bs = await api.post<Ci>('/api/cis', { classId: classId('business_service'), orgId: customer.id, name: uniq('网上银行-'), attributes: {} });
    const app = await api.post<Ci>('/api/cis', { classId: classId('application'), orgId: customer.id, name: uniq('核心账务-'), attributes: {} });
    const types = await api.get<{ id: number; key: string }[]>('/api/ci-relation-types');
    await api.post('/api/ci-relations', { typeId: types.find((t) => t.key === 'depends_on')?.id, fromCiId: bs.id, toCiId: app.id });

    // A second, standard change on the same CI, scheduled over the whole day.
    const template = await admin.post<{ id: number }>('/api/changes/templates', { name: uniq('补丁模板-'), defaults: { rollbackPlan: '卸载补丁', cutoverSteps: [{ title: '安装补丁' }] } });
    const other = await api.post<Detail>('/api/changes', {
      changeType: 'standard',
      templateId: template.id,
      title: uniq('操作系统补丁-'),
      orgId: customer.id,
      ciIds: [app.id],
      plannedStart: '2027-03-14T12:00:00Z',
      plannedEnd: '2027-03-16T12:00:00Z',
    });
    await api.post(`/api/tickets/${other.ticket.id}/transitions`, { action: 'schedule', version: other.ticket.version });

    const errors: string[] = [];
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, url, manager.username);

    // 1. The manager fills in the new change form.
    await page.goto(`${url}/changes/new`);
    await page.waitForSelector(tid('change-form'));
    // Dates first: Enter in a date picker submits the form, which is still incomplete here (nothing is created).
    await typeDateTime(page, 'change-planned-start', '2027-03-15 02:00');
    await typeDateTime(page, 'change-planned-end', '2027-03-15 04:00');
    await pickOption(page, 'change-org', customer.name);
    const title = uniq('核心账务数据库升级-');
    await page.fill(tid('change-title'), title);
    await page.fill(tid('change-reason'), '数据库版本到期');
    await page.click(tid('change-cis'));
    await page.keyboard.type(app.name);
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: app.name }).first();
    await option.waitFor();
    await option.click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(([sel, name]) => (document.querySelector(sel)?.textContent ?? '').includes(name), [tid('change-impacted-services'), bs.name] as const);
    for (const q of ['business_impact', 'users_affected', 'tested', 'rollback', 'window', 'past_failures']) {
      await page.locator(tid(`risk-${q}`)).locator('label').nth(1).click();
    }
    // 2 + 1 + 1 + 2 + 1 + 2 = 9: medium.
    await page.waitForFunction(() => document.querySelector('[data-testid="risk-level"]')?.getAttribute('data-risk') === 'medium');
    await page.fill(tid('change-implementation-plan'), '1. 停止应用\n2. 升级数据库\n3. 启动并验证');
    await page.fill(tid('change-test-plan'), '冒烟测试');
    await page.fill(tid('change-rollback-plan'), '恢复升级前快照');
    await page.click(tid('change-submit'));
    await page.waitForURL(/\/changes\/\d+$/);
    const changeUrl = page.url();
    const changeId = Number(changeUrl.split('/').pop());
    await waitState(page, 'draft');
    expect(await page.getAttribute(tid('change-risk'), 'data-risk')).toBe('medium');
    expect(await page.textContent(tid('change-services'))).toContain(bs.name);
    // The conflict with the other change on the same CI shows as a warning.
    await page.waitForSelector(tid('conflict-ci_overlap'));
    expect(await page.textContent(tid('change-conflicts'))).toContain(other.ticket.number);

    // 2. Assessment, then CAB approval (all of two approvers).
    await act(page, 'submit');
    await waitState(page, 'assessment');
    await act(page, 'request_approval');
    await waitState(page, 'cab_approval');

    const { page: p1 } = await newPage(e2e.browser);
    const { page: p2 } = await newPage(e2e.browser);
    e2e.pages.push(p1, p2);
    p1.on('pageerror', (e) => errors.push(e.message));
    p2.on('pageerror', (e) => errors.push(e.message));
    await signIn(p1, url, cab1.username);
    await signIn(p2, url, cab2.username);
    await decide(p1, changeUrl, 'approve', '同意');
    await decide(p2, changeUrl, 'reject', '回退方案不够具体，请补充回退步骤与时长');

    // 3. One rejection sends the change back to draft; the manager revises it and asks again.
    await page.reload();
    await waitState(page, 'draft');
    await page.click(tid('change-edit'));
    await page.fill(tid('edit-rollback-plan'), '1. 停止应用\n2. 从 02:00 快照恢复数据库（约 20 分钟）\n3. 启动旧版本并验证');
    await page.click(tid('change-edit-ok'));
    await page.waitForSelector(tid('change-edit-ok'), { state: 'hidden' });
    await page.waitForFunction(() => (document.querySelector('[data-testid="change-rollback-plan"]')?.textContent ?? '').includes('快照恢复'));
    await act(page, 'submit');
    await waitState(page, 'assessment');
    await act(page, 'request_approval');
    await waitState(page, 'cab_approval');
    await decide(p1, changeUrl, 'approve', '同意');
    await decide(p2, changeUrl, 'approve', '同意，按新回退方案执行');
    await page.reload();
    await waitState(page, 'scheduled');

    // 4. On the calendar (week of the change) with the conflict highlighted.
    await page.goto(`${url}/changes/calendar?view=week&date=2027-03-15`);
    const chip = page.locator(tid(`calendar-change-${changeId}`)).first();
    await chip.waitFor();
    expect(await chip.getAttribute('data-conflict')).toBe('true');
    const otherChip = page.locator(tid(`calendar-change-${other.ticket.id}`)).first();
    expect(await otherChip.getAttribute('data-conflict')).toBe('true');
    await chip.hover();
    await page.waitForSelector(`.ant-tooltip:visible:has-text("${other.ticket.number}")`);

    // 5. Implemented, verified, reviewed and closed.
    await chip.click();
    await page.waitForURL(changeUrl);
    await act(page, 'implement');
    await waitState(page, 'implementing');
    await act(page, 'verify');
    await waitState(page, 'verifying');
    await act(page, 'complete_successful');
    await waitState(page, 'completed_successful');
    await act(page, 'start_review');
    await waitState(page, 'review');
    await act(page, 'close', '实施顺利，评审通过');
    await waitState(page, 'closed');

    const final = await api.get<Detail & { change: { actualStart: string | null; actualEnd: string | null; outcome: string | null } }>(`/api/changes/${changeId}`);
    expect(final.change.actualStart).not.toBeNull();
    expect(final.change.actualEnd).not.toBeNull();
    expect(final.change.outcome).toBe('completed_successful');
    const runs = await api.get<{ state: string }[] | { items: { state: string }[] }>(`/api/tickets/${changeId}/approvals`).catch(() => null);
    if (runs) {
      const list = Array.isArray(runs) ? runs : runs.items;
      expect(list.map((r) => r.state).sort()).toEqual(['approved', 'rejected']);
    }
    expect(errors).toEqual([]);
  }, 300_000);
});
