import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeGroup, makeOrg, makeUser, TEST_PASSWORD, uniq } from '../../server/src/test/factories.ts';
import type { WorkflowDefinition } from '../../contracts/src/workflows.contract.ts';
import { diagramFit, layoutStates } from '../../web/src/features/workflows/workflow-graph.ts';
import { ADMIN_PASSWORD, apiLogin, clickUntil, confirmModal, newPage, pickOption, signIn, tid, useE2e } from './harness.ts';

const e2e = useE2e();

type ApiTicket = { id: number; version: number; state: string; allowedActions: string[]; workflow: { workflowKey: string; version: number } };
type ApiWorkflow = { version: number; currentVersion: number; definition: WorkflowDefinition };

async function open(errors: string[]) {
  const { page } = await newPage(e2e.browser);
  page.on('pageerror', (e) => errors.push(e.message));
  e2e.pages.push(page);
  return page;
}

/** The ticket page's state tag (the incident page's own id, or the shared StateTag's default). */
async function waitTicketState(page: Page, state: string) {
  await page.waitForFunction(
    (s) => (document.querySelector('[data-testid="incident-state"]') ?? document.querySelector('[data-testid="ticket-state"]'))?.getAttribute('data-state') === s,
    state,
  );
}

const diagramAttr = (page: Page, attr: string) => page.getAttribute(tid('workflow-diagram'), attr).then((v) => (v ?? '').split(' ').filter(Boolean));

async function addState(page: Page, key: string, zh: string, en: string) {
  await page.click(tid('tab-states'));
  await page.click(tid('state-add'));
  await page.fill(tid('state-key'), key);
  await page.fill(tid('state-label-zh'), zh);
  await page.fill(tid('state-label-en'), en);
  await page.click(tid('state-form-ok'));
  await page.waitForSelector(tid('state-form-modal'), { state: 'detached' });
  await page.waitForSelector(tid(`state-row-${key}`));
}

async function dropdownsClosed(page: Page) {
  await page.waitForFunction(() => document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').length === 0);
}

async function addTransition(page: Page, t: { key: string; zh: string; en: string; from: string; to: string; input?: string }) {
  await page.click(tid('tab-transitions'));
  await page.click(tid('transition-add'));
  await page.fill(tid('transition-key'), t.key);
  await page.fill(tid('transition-label-zh'), t.zh);
  await page.fill(tid('transition-label-en'), t.en);
  // Both selects list the states: the next pick waits until the last dropdown has fully closed.
  await pickOption(page, 'transition-to', t.to);
  await dropdownsClosed(page);
  await pickOption(page, 'transition-from', t.from, true);
  await dropdownsClosed(page);
  if (t.input) {
    await pickOption(page, 'transition-inputs', t.input, true);
    await dropdownsClosed(page);
  }
  await page.click(tid('transition-form-ok'));
  await page.waitForSelector(tid('transition-form-modal'), { state: 'detached' });
  await page.waitForSelector(`[data-key="${t.key}"]`);
}

async function validate(page: Page) {
  const reply = page.waitForResponse((r) => r.url().endsWith('/api/workflows/validate') && r.request().method() === 'POST');
  await page.click(tid('workflow-validate'));
  return (await reply).json() as Promise<{ ok: boolean; issues: { code: string; ref: string }[] }>;
}

/** Where a state's box is on the page: the diagram's layout, fitted into the canvas as ECharts does it (aspect preserved, centred). */
async function statePoint(page: Page, def: WorkflowDefinition, key: string) {
  const box = await page.locator(tid('workflow-diagram')).boundingBox();
  if (!box) throw new Error('no diagram');
  const pos = layoutStates(def);
  const points = [...pos.values()];
  const fit = diagramFit(points, box.width, box.height);
  const [minX, maxX] = [Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))];
  const [minY, maxY] = [Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y))];
  const [w, h] = [box.width - 2 * fit.horizontal, box.height - 2 * fit.vertical];
  const s = Math.min(w / (maxX - minX), h / (maxY - minY));
  const p = pos.get(key);
  if (!p) throw new Error(`no state ${key}`);
  return {
    x: box.x + fit.horizontal + (w - (maxX - minX) * s) / 2 + (p.x - minX) * s,
    y: box.y + fit.vertical + (h - (maxY - minY) * s) / 2 + (p.y - minY) * s,
  };
}

async function issueCodes(page: Page, ref: string): Promise<string[]> {
  return page.$$eval(`${tid('workflow-issue')}[data-ref="${ref}"]`, (items) => items.map((i) => i.getAttribute('data-code') ?? ''));
}

describe('workflows in the browser', () => {
  it('an admin adds a state to the incident workflow, validation catches it, saves version 2; an incident created before keeps working', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const customer = await makeOrg(db, 'customer', uniq('流程客户-'));
    const agent = await makeUser(db, provider.id, ['agent']);
    await makeGroup(db, [agent.id], [customer.id]);
    const agentApi = await apiLogin(e2e.server.url, agent.username, TEST_PASSWORD);
    const adminApi = await apiLogin(e2e.server.url, 'admin', ADMIN_PASSWORD);

    // An incident created on version 1, before the edit.
    const before = await agentApi.post<ApiTicket>('/api/tickets', { title: `流程版本 ${uniq('')}`, orgId: customer.id, impact: 2, urgency: 2 });
    expect(before.workflow).toMatchObject({ workflowKey: 'incident', version: 1 });
    expect(before.state).toBe('new');

    const errors: string[] = [];
    const admin = await open(errors);
    await signIn(admin, e2e.server.url, 'admin', ADMIN_PASSWORD);

    // Settings → 工作流: the built-in incident workflow at version 1.
    await admin.click(tid('nav-workflows'));
    await admin.waitForURL((u) => u.pathname === '/settings/workflows');
    expect(await admin.textContent(tid('workflow-version-incident'))).toBe('v1');
    await admin.click(tid('workflow-link-incident'));
    await admin.waitForURL((u) => u.pathname === '/settings/workflows/incident');
    await admin.waitForSelector(`${tid('workflow-diagram')} canvas`);
    expect(await diagramAttr(admin, 'data-states')).toEqual(['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled']);
    expect(await admin.getAttribute(tid('workflow-version'), 'data-version')).toBe('1');

    // A state nothing leads to: validation reports it unreachable and the diagram marks it.
    await addState(admin, 'triage', '分诊', 'Triage');
    await admin.waitForSelector(tid('workflow-dirty'));
    expect(await diagramAttr(admin, 'data-states')).toContain('triage');
    const first = await validate(admin);
    expect(first.ok).toBe(false);
    await admin.waitForSelector(`${tid('workflow-issue')}[data-ref="triage"]`);
    expect(await issueCodes(admin, 'triage')).toContain('UNREACHABLE_STATE');
    expect(await diagramAttr(admin, 'data-issue-states')).toContain('triage');

    // Saving it as it is is refused by the server with the same issue.
    await admin.click(tid('workflow-save'));
    await admin.click(tid('workflow-save-ok'));
    await admin.waitForSelector(tid('workflow-save-error'));
    expect(await issueCodes(admin, 'triage')).toContain('UNREACHABLE_STATE');

    // A way in: now it is reachable but a dead end.
    await addTransition(admin, { key: 'to_triage', zh: '转分诊', en: 'To triage', from: '新建 (new)', to: '分诊 (triage)', input: '备注' });
    await validate(admin);
    await admin.waitForFunction(() => document.querySelector('[data-testid="workflow-issue"][data-ref="triage"]')?.getAttribute('data-code') === 'DEAD_END_STATE');
    expect(await diagramAttr(admin, 'data-issue-states')).toEqual(['triage']);

    // A way out: valid.
    await addTransition(admin, { key: 'triage_done', zh: '分诊完成', en: 'Triage done', from: '分诊 (triage)', to: '处理中 (in_progress)' });
    const valid = await validate(admin);
    expect(valid).toEqual({ ok: true, issues: [] });
    await admin.waitForSelector(tid('workflow-issues'), { state: 'detached' });

    // Save version 2 with a note.
    await admin.click(tid('workflow-save'));
    await admin.fill(tid('workflow-save-note'), '增加分诊状态');
    const saved = admin.waitForResponse((r) => r.url().endsWith('/api/workflows/incident') && r.request().method() === 'PUT');
    await admin.click(tid('workflow-save-ok'));
    expect((await saved).status()).toBe(200);
    await admin.waitForFunction(() => document.querySelector('[data-testid="workflow-version"]')?.getAttribute('data-version') === '2');
    await admin.waitForSelector(tid('workflow-dirty'), { state: 'detached' });
    const current = await adminApi.get<ApiWorkflow>('/api/workflows/incident');
    expect(current.currentVersion).toBe(2);
    expect(current.definition.states.map((s) => s.key)).toContain('triage');

    // The history shows both versions; version 1 opens read-only, without the new state.
    await admin.click(tid('tab-history'));
    await admin.waitForSelector(tid('history-row-2'));
    await admin.click(tid('history-view-1'));
    await admin.waitForSelector(tid('workflow-old-version'));
    await admin.waitForSelector(tid('workflow-read-only'));
    expect(await diagramAttr(admin, 'data-states')).not.toContain('triage');
    expect(await admin.$(tid('workflow-save'))).toBeNull();
    await admin.click(tid('workflow-back-to-current'));
    await admin.waitForFunction(() => document.querySelector('[data-testid="workflow-version"]')?.getAttribute('data-version') === '2');

    // The list: version 2, and the incident still on version 1 counted.
    await admin.click(tid('workflow-back'));
    await admin.waitForURL((u) => u.pathname === '/settings/workflows');
    await admin.waitForFunction(() => document.querySelector('[data-testid="workflow-version-incident"]')?.textContent === 'v2');
    expect(Number(await admin.textContent(tid('workflow-older-incident')))).toBeGreaterThanOrEqual(1);

    // The old incident stays on version 1: no triage action; it is taken and worked as before.
    const old = await agentApi.get<ApiTicket>(`/api/tickets/${before.id}`);
    expect(old.workflow.version).toBe(1);
    expect(old.allowedActions).not.toContain('to_triage');
    const agentPage = await open(errors);
    await signIn(agentPage, e2e.server.url, agent.username);
    await agentPage.goto(`${e2e.server.url}/incidents/${before.id}`);
    await waitTicketState(agentPage, 'new');
    await agentPage.click(tid('action-take'));
    // The modal root itself has no box; its OK button shows it is open.
    await confirmModal(agentPage);
    await waitTicketState(agentPage, 'in_progress');
    const taken = await agentApi.get<ApiTicket>(`/api/tickets/${before.id}`);
    expect(taken).toMatchObject({ state: 'in_progress', workflow: { version: 1 } });

    // A new incident runs on version 2 and offers the new action.
    const after = await agentApi.post<ApiTicket>('/api/tickets', { title: `新版本 ${uniq('')}`, orgId: customer.id, impact: 3, urgency: 3 });
    expect(after.workflow.version).toBe(2);
    expect(after.allowedActions).toContain('to_triage');
    // The incident page offers the added actions through the generic workflow buttons; the comment the transition asks for is required.
    await agentPage.goto(`${e2e.server.url}/incidents/${after.id}`);
    await waitTicketState(agentPage, 'new');
    expect(await agentPage.textContent(tid('action-to_triage'))).toBe('转分诊');
    await agentPage.click(tid('action-to_triage'));
    await clickUntil(agentPage, tid('modal-ok'), () => agentPage.waitForSelector('.ant-form-item-explain-error', { timeout: 5000 }));
    await agentPage.fill(tid('action-comment'), '先分诊');
    await confirmModal(agentPage);
    await waitTicketState(agentPage, 'triage');
    expect(await agentPage.textContent('[data-testid="incident-state"], [data-testid="ticket-state"]')).toContain('分诊');
    await agentPage.click(tid('action-triage_done'));
    await confirmModal(agentPage);
    await waitTicketState(agentPage, 'in_progress');
    const events = await agentApi.get<{ kind: string; body: string | null }[]>(`/api/tickets/${after.id}/events`);
    expect(events.some((e) => e.kind === 'transition' && e.body === '先分诊')).toBe(true);

    expect(errors).toEqual([]);
  });

  it('saving over a version someone else saved meanwhile is refused and the editor says so', async () => {
    const adminApi = await apiLogin(e2e.server.url, 'admin', ADMIN_PASSWORD);
    const errors: string[] = [];
    const admin = await open(errors);
    await signIn(admin, e2e.server.url, 'admin', ADMIN_PASSWORD);
    await admin.goto(`${e2e.server.url}/settings/workflows/problem`);
    await admin.waitForSelector(`${tid('workflow-diagram')} canvas`);
    const loaded = Number(await admin.getAttribute(tid('workflow-version'), 'data-version'));

    // Someone else saves a new version through the API.
    const problem = await adminApi.get<ApiWorkflow>('/api/workflows/problem');
    await adminApi.put('/api/workflows/problem', { baseVersion: problem.currentVersion, definition: problem.definition, note: 'concurrent' });

    // This editor's save, based on the older version, is refused.
    await admin.click(tid('tab-settings'));
    await admin.fill(tid('workflow-name-en'), 'Problem (edited)');
    await admin.click(tid('workflow-save'));
    await admin.click(tid('workflow-save-ok'));
    await admin.waitForSelector(tid('workflow-conflict'));
    const after = await adminApi.get<ApiWorkflow & { name: { 'en-US': string } }>('/api/workflows/problem');
    expect(after.currentVersion).toBe(loaded + 1);
    expect(after.name['en-US']).not.toBe('Problem (edited)');

    // Loading the latest version resolves it.
    await admin.click(tid('workflow-conflict-reload'));
    await admin.waitForFunction((v) => document.querySelector('[data-testid="workflow-version"]')?.getAttribute('data-version') === String(v), loaded + 1);
    await admin.waitForSelector(tid('workflow-conflict'), { state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('dragging a state on the diagram saves its position with the workflow', async () => {
    const adminApi = await apiLogin(e2e.server.url, 'admin', ADMIN_PASSWORD);
    const before = await adminApi.get<ApiWorkflow>('/api/workflows/release');
    expect(before.definition.states.find((s) => s.key === 'closed')?.x).toBeUndefined();
    const errors: string[] = [];
    const admin = await open(errors);
    await signIn(admin, e2e.server.url, 'admin', ADMIN_PASSWORD);
    await admin.goto(`${e2e.server.url}/settings/workflows/release`);
    await admin.waitForSelector(`${tid('workflow-diagram')} canvas`);
    await admin.waitForTimeout(500); // the canvas settles to its final height

    const from = await statePoint(admin, before.definition, 'closed');
    await admin.mouse.move(from.x, from.y);
    await admin.mouse.down();
    await admin.mouse.move(from.x - 20, from.y + 30, { steps: 4 });
    await admin.mouse.move(from.x - 40, from.y + 60, { steps: 4 });
    await admin.mouse.up();
    await admin.waitForSelector(tid('workflow-dirty'));

    await admin.click(tid('workflow-save'));
    await admin.click(tid('workflow-save-ok'));
    await admin.waitForFunction((v) => document.querySelector('[data-testid="workflow-version"]')?.getAttribute('data-version') === String(v), before.currentVersion + 1);
    const after = await adminApi.get<ApiWorkflow>('/api/workflows/release');
    const closed = after.definition.states.find((s) => s.key === 'closed');
    const laidOut = layoutStates(before.definition).get('closed');
    expect(closed?.x).toEqual(expect.any(Number));
    expect(closed?.y).toEqual(expect.any(Number));
    // Moved down and to the left of where the automatic layout had it; other states keep no position.
    expect(closed!.y!).toBeGreaterThan(laidOut!.y);
    expect(closed!.x!).toBeLessThan(laidOut!.x);
    expect(after.definition.states.filter((s) => s.x !== undefined).map((s) => s.key)).toEqual(['closed']);
    expect(errors).toEqual([]);
  });

  it('a new workflow is created as a copy of an existing one', async () => {
    const adminApi = await apiLogin(e2e.server.url, 'admin', ADMIN_PASSWORD);
    const errors: string[] = [];
    const admin = await open(errors);
    await signIn(admin, e2e.server.url, 'admin', ADMIN_PASSWORD);
    await admin.goto(`${e2e.server.url}/settings/workflows`);
    await admin.click(tid('workflow-new'));
    await pickOption(admin, 'workflow-copy-from', 'request.simple');
    await dropdownsClosed(admin);
    await admin.fill(tid('workflow-key'), 'request.vpn');
    await admin.fill(tid('workflow-name-zh'), 'VPN 申请');
    await admin.fill(tid('workflow-name-en'), 'VPN request');
    await confirmModal(admin);
    await admin.waitForURL((u) => u.pathname === '/settings/workflows/request.vpn');
    await admin.waitForSelector(`${tid('workflow-diagram')} canvas`);
    expect(await admin.textContent(tid('page-title'))).toBe('VPN 申请');
    const created = await adminApi.get<ApiWorkflow & { ticketType: string; builtIn: boolean }>('/api/workflows/request.vpn');
    const source = await adminApi.get<ApiWorkflow>('/api/workflows/request.simple');
    expect(created).toMatchObject({ ticketType: 'request', builtIn: false, currentVersion: 1 });
    expect(created.definition).toEqual(source.definition);
    expect(errors).toEqual([]);
  });
});
