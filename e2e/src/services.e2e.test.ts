import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { wallTimeToEpoch, zonedParts } from '../../contracts/src/zoned-time.ts';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeUser, TEST_PASSWORD, uniq } from '../../server/src/test/factories.ts';
import { newPage, pickOption, tid, useE2e } from './harness.ts';

const e2e = useE2e();
const ZONE = 'Asia/Shanghai';

/** Types a wall clock into an antd date-time picker and confirms it. */
async function typeDateTime(page: Page, pickerId: string, text: string) {
  const input = page.locator(tid(pickerId)).locator('xpath=descendant-or-self::input').first();
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(text);
  await input.press('Enter');
  await page.waitForFunction(([sel, want]) => (document.querySelector(sel) as HTMLInputElement | null)?.value === want, [`${tid(pickerId)} input, input${tid(pickerId)}`, text] as const);
}

/** 'YYYY-MM-DD HH:mm' as Shanghai shows the instant. */
function wallClock(epochMs: number): string {
  const p = zonedParts(epochMs, ZONE);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

const pctOf = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));

describe('services and availability in the browser', () => {
  it('a manager creates a service with a 20 h per year budget, records an outage and sees the budget used', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const manager = await makeUser(db, provider.id, ['manager']);
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${e2e.server.url}/login`);
    await page.fill(tid('login-username'), manager.username);
    await page.fill(tid('login-password'), TEST_PASSWORD);
    await page.click(tid('login-submit'));
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));

    // The nav leads to the services list.
    await page.click(tid('nav-services'));
    await page.waitForURL((u) => u.pathname === '/services');
    await page.click(tid('service-new'));
    const name = uniq('网上银行-');
    await page.fill(tid('service-name'), name);
    await pickOption(page, 'service-calendar', '7x24');
    await page.fill(tid('service-budget-hours'), '20');
    await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').includes('99.7717%'), tid('service-target-conversion'));
    await page.click(tid('service-form-ok'));
    await page.waitForURL((u) => /^\/services\/\d+$/.test(u.pathname));
    await page.waitForSelector(tid('availability-month'));
    expect(await page.textContent(tid('service-detail-title'))).toBe(name);
    expect(await page.textContent(tid('service-target'))).toContain('99.7717%');
    expect(await page.textContent(tid('availability-month-pct'))).toContain('100%');

    // An ongoing outage from two hours ago (not before the month began).
    const now = Date.now();
    const p = zonedParts(now, ZONE);
    const monthStart = wallTimeToEpoch(p.year, p.month, 1, 0, ZONE);
    const start = wallClock(Math.max(monthStart, now - 2 * 3600_000));
    await page.click(tid('outage-new'));
    await page.waitForSelector(tid('outage-start'));
    await typeDateTime(page, 'outage-start', start);
    await page.fill(tid('outage-note'), '核心数据库主备切换失败');
    await page.click(tid('outage-form-ok'));
    await page.locator('[data-testid^="outage-row-"]').first().waitFor();
    expect(await page.textContent(tid('outages-card'))).toContain('核心数据库主备切换失败');

    // The availability cards refresh: below 100 %, budget used.
    await page.waitForFunction((sel) => !(document.querySelector(sel)?.textContent ?? '100%').startsWith('100'), tid('availability-month-pct'));
    const monthPct = pctOf(await page.textContent(tid('availability-month-pct')));
    expect(monthPct).toBeGreaterThan(0);
    expect(monthPct).toBeLessThan(100);
    expect(await page.textContent(tid('availability-month-used'))).not.toBe('0 分钟');
    expect(pctOf(await page.textContent(tid('availability-year-pct')))).toBeLessThan(100);
    const burn = await page.textContent(tid('availability-year-burn'));
    expect(burn).toContain('倍');

    // The list shows this month's figures too.
    await page.goto(`${e2e.server.url}/services`);
    const row = page.locator('[data-testid^="service-row-"]', { hasText: name });
    await row.waitFor();
    expect(pctOf(await row.locator('[data-testid^="service-month-pct-"]').textContent())).toBeLessThan(100);
    expect(errors).toEqual([]);
  });
});
