import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeOrg, makeUser, uniq } from '../../server/src/test/factories.ts';
import { newPage, pickOption, signIn, tid, useE2e } from './harness.ts';

const e2e = useE2e();


const statusIs = (page: Page, text: string) => page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [tid('asset-status'), text] as const);

async function move(page: Page, to: string) {
  await page.click(tid(`asset-move-${to}`));
  await page.waitForSelector(tid('asset-transition-form'));
}

describe('assets and spare parts in the browser', () => {
  it('an agent takes an asset through its lifecycle to disposal with a wipe confirmation and prints its label', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const agent = await makeUser(db, provider.id, ['agent']);
    const orgName = uniq('资产客户-');
    await makeOrg(db, 'customer', orgName);
    const errors: string[] = [];
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, e2e.server.url, agent.username);

    // Create.
    await page.click(tid('nav-assets'));
    await page.waitForURL((u) => u.pathname === '/assets');
    await page.click(tid('asset-new'));
    await page.waitForSelector(tid('asset-form'));
    const name = uniq('财务部笔记本-');
    await page.fill(tid('asset-name'), name);
    await pickOption(page, 'asset-org', orgName);
    await page.fill(tid('asset-price'), '8999.5');
    await page.click(tid('asset-save'));
    await page.waitForURL((u) => /^\/assets\/\d+$/.test(u.pathname));
    expect(await page.textContent(tid('asset-title'))).toBe(name);
    const tag = (await page.textContent(tid('asset-tag-value'))) ?? '';
    expect(tag).toMatch(/^ZC-\d{4}-\d{6,}$/);
    expect(await page.textContent(tid('asset-price-value'))).toBe('¥8,999.50');
    await statusIs(page, '在库');

    // In use, with a department.
    await move(page, 'in_use');
    await page.fill(tid('asset-transition-department'), '财务部');
    await page.click(tid('asset-transition-ok'));
    await statusIs(page, '在用');

    // Retire, then dispose: refused in the form without the wipe confirmation.
    await move(page, 'retired');
    await page.click(tid('asset-transition-ok'));
    await statusIs(page, '已退役');
    await move(page, 'disposed');
    await page.click(tid('asset-transition-ok'));
    await page.waitForSelector('.ant-form-item-explain-error');
    expect(await page.textContent(tid('asset-status'))).toBe('已退役');
    await page.click(tid('asset-wipe-confirm'));
    await pickOption(page, 'asset-wipe-method', '物理销毁');
    await page.fill(tid('asset-wipe-certificate'), 'XH-E2E-01');
    await page.click(tid('asset-transition-ok'));
    await statusIs(page, '已处置');
    await page.waitForSelector(tid('asset-disposal'));
    expect(await page.textContent(tid('asset-wipe-method-value'))).toBe('物理销毁');
    expect(await page.locator(`${tid('asset-history')} tbody tr[data-testid^="asset-event-"]`).count()).toBe(4);
    expect(await page.locator('[data-testid^="asset-move-"]').count()).toBe(0);

    // The label sheet: a QR code in an SVG pointing at the tag route, outside the app shell.
    await page.click(tid('asset-print-label'));
    await page.waitForURL((u) => u.pathname === '/assets/labels');
    const label = page.locator('[data-testid^="asset-label-qr-"]').first();
    await label.waitFor();
    expect(await label.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    expect(await page.locator('[data-testid^="asset-label-qr-"] path').first().getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    const url = await page.locator('[data-testid^="asset-label-"][data-url]').first().getAttribute('data-url');
    expect(url).toBe(`${e2e.server.url}/assets/by-tag/${tag}`);
    expect(await page.textContent(tid('asset-labels-page'))).toContain(tag);
    expect(await page.locator(tid('nav-assets')).count()).toBe(0);

    // Scanning the label opens the asset page.
    await page.goto(url ?? '');
    await page.waitForURL((u) => /^\/assets\/\d+$/.test(u.pathname));
    expect(await page.textContent(tid('asset-title'))).toBe(name);
    expect(errors).toEqual([]);
  });

  it('stocks a spare part in and out below its minimum and shows the warning', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const agent = await makeUser(db, provider.id, ['agent']);
    const errors: string[] = [];
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, e2e.server.url, agent.username);

    await page.click(tid('nav-spare-parts'));
    await page.waitForURL((u) => u.pathname === '/spare-parts');
    await page.click(tid('spare-new'));
    await page.waitForSelector(tid('spare-form'));
    const partNumber = uniq('HDD-');
    await page.fill(tid('spare-part-number'), partNumber);
    await page.fill(tid('spare-name'), '2.4TB SAS 硬盘');
    await page.fill(`${tid('spare-min-stock')} input, input${tid('spare-min-stock')}`, '3');
    await page.click(tid('spare-save'));
    await page.waitForURL((u) => /^\/spare-parts\/\d+$/.test(u.pathname));
    await page.waitForSelector(tid('spare-low-stock'));

    // Stock in 5: above the minimum, no warning.
    await page.click(tid('spare-movement-new'));
    await page.waitForSelector(tid('spare-movement-form'));
    await page.fill(`${tid('spare-movement-quantity')} input, input${tid('spare-movement-quantity')}`, '5');
    await page.fill(tid('spare-movement-reason'), '采购入库');
    await page.fill(tid('spare-movement-to-input'), '北京备件库');
    await page.click(tid('spare-movement-save'));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '5 个', tid('spare-total'));
    await page.waitForSelector(tid('spare-low-stock'), { state: 'detached' });

    // Stock out 3: 2 left, below the minimum of 3.
    await page.click(tid('spare-movement-new'));
    await page.waitForSelector(tid('spare-movement-form'));
    await page.click(`label:has(${tid('spare-movement-kind-out')})`);
    await page.fill(`${tid('spare-movement-quantity')} input, input${tid('spare-movement-quantity')}`, '3');
    // The reason first: the location's suggestion list opens below its input.
    await page.fill(tid('spare-movement-reason'), '故障更换');
    await page.fill(tid('spare-movement-from-input'), '北京备件库');
    await page.click(tid('spare-movement-save'));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '2 个', tid('spare-total'));
    await page.waitForSelector(tid('spare-low-stock'));
    expect(await page.textContent(tid('spare-low-stock'))).toContain('低于最低库存 3');
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 2, `${tid('spare-movements')} tbody tr[data-testid]`);

    // Oversell is refused with a clear message.
    await page.click(tid('spare-movement-new'));
    await page.waitForSelector(tid('spare-movement-form'));
    await page.click(`label:has(${tid('spare-movement-kind-out')})`);
    await page.fill(`${tid('spare-movement-quantity')} input, input${tid('spare-movement-quantity')}`, '9');
    await page.fill(tid('spare-movement-from-input'), '北京备件库');
    await page.click(tid('spare-movement-save'));
    await page.waitForSelector(tid('spare-movement-error'));
    expect(await page.textContent(tid('spare-movement-error'))).toContain('库存不足');

    // The list flags it.
    await page.goto(`${e2e.server.url}/spare-parts`);
    await page.click(tid('spare-below-filter'));
    await page.locator('[data-testid^="spare-row-"]', { hasText: partNumber }).waitFor();
    expect(errors).toEqual([]);
  });
});
