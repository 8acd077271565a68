import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, newPage, tid, useE2e } from './harness.ts';

const e2e = useE2e();

describe('business calendars in the browser', () => {
  it('shows the presets, the statutory days and the missing-year warning', async () => {
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.server.url}/login`);
    await page.fill(tid('login-username'), 'admin');
    await page.fill(tid('login-password'), ADMIN_PASSWORD);
    await page.click(tid('login-submit'));
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.goto(`${e2e.server.url}/settings/calendars`);
    const row = page.locator('[data-testid^="calendar-row-"]', { hasText: '中国法定工作日' });
    await row.waitFor();
    expect(await page.locator('[data-testid^="calendar-row-"]').count()).toBe(2);
    await row.locator('a').first().click();
    await page.waitForSelector(tid('calendar-save'));
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain('春节');
    if (new Date().getUTCFullYear() + 1 > 2026) {
      expect(await page.textContent(tid('calendar-warning'))).toContain(String(new Date().getUTCFullYear() + 1));
    }
    expect(errors).toEqual([]);
  });
});
