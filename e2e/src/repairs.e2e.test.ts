import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { assets } from '../../server/src/modules/assets/assets.tables.ts';
import { makeOrg, makeUser, uniq } from '../../server/src/test/factories.ts';
import { newPage, pickOption, signIn, tid, useE2e } from './harness.ts';

const e2e = useE2e();


const statusIs = (page: Page, text: string) =>
  page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [`${tid('page-title')} ~ ${tid('repair-status')}`, text] as const);

async function act(page: Page, action: string, fill?: () => Promise<void>) {
  await page.click(tid(`repair-action-${action}`));
  await page.waitForSelector(tid(`repair-action-form-${action}`));
  if (fill) await fill();
  await page.click(tid('repair-action-confirm'));
  await page.waitForSelector(tid(`repair-action-form-${action}`), { state: 'detached' });
}

describe('vendors and repair orders in the browser', () => {
  it('a manager registers a vendor and its contract; an out-of-warranty repair is estimated, approved by the manager and closed', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const manager = await makeUser(db, provider.id, ['manager']);
    const agent = await makeUser(db, provider.id, ['agent']);
    const org = await makeOrg(db, 'customer', uniq('维修客户-'));
    const errors: string[] = [];

    // The manager registers the vendor and a maintenance contract.
    const { page: mgr } = await newPage(e2e.browser);
    e2e.pages.push(mgr);
    mgr.on('pageerror', (e) => errors.push(e.message));
    await signIn(mgr, e2e.server.url, manager.username);
    await mgr.click(tid('nav-vendors'));
    await mgr.waitForURL((u) => u.pathname === '/vendors');
    await mgr.click(tid('vendor-new'));
    await mgr.waitForSelector(tid('vendor-form'));
    const vendorName = uniq('浪潮信息-');
    await mgr.fill(tid('vendor-name'), vendorName);
    await mgr.fill(tid('vendor-credit-code'), '91350100M000100Y44');
    await mgr.click(tid('vendor-save'));
    await mgr.waitForSelector(tid('vendor-form-error'));
    expect(await mgr.textContent(tid('vendor-form-error'))).toContain('统一社会信用代码');
    await mgr.fill(tid('vendor-credit-code'), '91350100M000100Y43');
    await mgr.click(tid('vendor-add-contact'));
    await mgr.fill(`${tid('vendor-contact-0')} input >> nth=0`, '陈工');
    await mgr.click(tid('vendor-save'));
    await mgr.waitForURL((u) => /^\/vendors\/\d+$/.test(u.pathname));
    await mgr.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [tid('page-title'), vendorName] as const);
    const vendorId = Number(new URL(mgr.url()).pathname.split('/').pop());

    await mgr.click(tid('contract-new'));
    await mgr.waitForSelector(tid('contract-form'));
    const contractNo = uniq('HT-E2E-');
    await mgr.fill(tid('contract-number'), contractNo);
    await mgr.fill(tid('contract-title'), '服务器维保（过保后按次）');
    await pickOption(mgr, 'contract-kind', '服务');
    const range = mgr.locator(`${tid('contract-form')} .ant-picker-range input`);
    await range.nth(0).click();
    await range.nth(0).fill('2026-01-01');
    await mgr.keyboard.press('Enter');
    await range.nth(1).fill('2027-12-31');
    await mgr.keyboard.press('Enter');
    await mgr.fill(tid('contract-amount'), '12.345');
    await mgr.click(tid('contract-save'));
    await mgr.waitForSelector('.ant-form-item-explain-error');
    await mgr.fill(tid('contract-amount'), '36000.5');
    await mgr.fill(`:is(${tid('contract-resolutionHours')} input, input${tid('contract-resolutionHours')})`, '48');
    await mgr.click(tid('contract-save'));
    await mgr.waitForSelector(tid('contract-form'), { state: 'detached' });
    await mgr.waitForSelector(`[data-testid^="contract-row-"]`);
    expect(await mgr.textContent(`[data-testid^="contract-row-"]`)).toContain('36000.50');

    // A yearly evaluation: the form previews the weighted total and grade the server then stores.
    const num = (id: string) => `:is(${tid(id)} input, input${tid(id)})`;
    await mgr.click(tid('evaluation-new'));
    await mgr.waitForSelector(tid('evaluation-form'));
    await mgr.fill(num('evaluation-year'), '2025');
    for (const [k, v] of [['quality', '91'], ['response', '88'], ['price', '73'], ['service', '95'], ['compliance', '67']] as const) await mgr.fill(num(`evaluation-${k}`), v);
    await mgr.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').includes('85.95'), tid('evaluation-preview'));
    expect(await mgr.textContent(tid('evaluation-preview'))).toContain('B');
    await mgr.click(tid('evaluation-save'));
    await mgr.waitForSelector(tid('evaluation-row-2025'));
    expect(await mgr.textContent(tid('evaluation-row-2025'))).toContain('85.95');

    // An asset of the customer, out of warranty, from this vendor.
    const tag = uniq('ZC-E2E-');
    await db.insert(assets).values({ assetTag: tag, name: '存储阵列控制器', orgId: org.id, status: 'in_use', warrantyEnd: '2024-06-30', vendorId });

    // The agent opens the repair order and submits the estimate.
    const { page: ag } = await newPage(e2e.browser);
    e2e.pages.push(ag);
    ag.on('pageerror', (e) => errors.push(e.message));
    await signIn(ag, e2e.server.url, agent.username);
    await ag.click(tid('nav-repairs'));
    await ag.waitForURL((u) => u.pathname === '/repairs');
    await ag.click(tid('repair-new'));
    await ag.waitForSelector(tid('repair-form'));
    await pickOption(ag, 'repair-asset', tag);
    await ag.fill(tid('repair-fault'), '控制器 B 指示灯告警，阵列降级');
    await ag.click(tid('repair-save'));
    await ag.waitForURL((u) => /^\/repairs\/\d+$/.test(u.pathname));
    await ag.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').startsWith('WX-'), tid('page-title'));
    const number = (await ag.textContent(tid('page-title'))) ?? '';
    expect(number).toMatch(/^WX-\d{4}-\d{6}$/);
    await statusIs(ag, '待处理');
    expect(await ag.locator(tid('repair-action-start')).count()).toBe(0);
    await act(ag, 'estimate', () => ag.fill(tid('repair-estimate'), '4200'));
    await statusIs(ag, '费用待审批');
    expect(await ag.locator(tid('repair-action-approve')).count()).toBe(0);

    // The manager finds it under "awaiting my approval" and approves.
    await mgr.click(tid('nav-repairs'));
    await mgr.waitForURL((u) => u.pathname === '/repairs');
    await mgr.click(tid('repair-pending-mine'));
    await mgr.waitForSelector(`text=${number}`);
    await mgr.click(`text=${number}`);
    await mgr.waitForURL((u) => /^\/repairs\/\d+$/.test(u.pathname));
    // The cost approval is a generic approval run: the card shows the manager's pending task.
    await mgr.waitForSelector(`${tid('ticket-approvals-card')} [data-testid^="approval-run-"][data-state="pending"]`);
    await mgr.waitForSelector(`${tid('ticket-approvals-card')} ${tid('approval-approve')}`);
    await act(mgr, 'approve', () => mgr.fill(tid('repair-comment'), '同意，按报价执行'));
    await statusIs(mgr, '费用已批准');
    await mgr.waitForSelector(`${tid('ticket-approvals-card')} [data-testid^="approval-run-"][data-state="approved"]`);

    // The agent runs the repair to the end.
    await ag.reload();
    await statusIs(ag, '费用已批准');
    await act(ag, 'start');
    await statusIs(ag, '维修中');
    await act(ag, 'return');
    await statusIs(ag, '已返还');
    await act(ag, 'close', async () => {
      await pickOption(ag, 'repair-outcome', '已修复');
      await ag.fill(tid('repair-actual-cost'), '3980');
    });
    await statusIs(ag, '已关闭');
    for (const kind of ['created', 'estimate', 'approval', 'approve', 'start', 'return', 'close']) await ag.waitForSelector(tid(`repair-event-${kind}`));
    expect(await ag.locator('[data-testid^="repair-action-"]').count()).toBe(0);

    // The vendor's repair report is uploaded as a file and listed for download.
    await ag.setInputFiles(tid('repair-document-upload-input'), { name: '维修报告.txt', mimeType: 'text/plain', buffer: Buffer.from('主板更换，测试通过。\n') });
    await ag.locator('[data-testid^="repair-document-download-"]', { hasText: '维修报告.txt' }).waitFor();
    expect(errors).toEqual([]);
  });
});
