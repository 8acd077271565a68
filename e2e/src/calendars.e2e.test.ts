import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, launchBrowser, newPage, screenshotOnFailure, startE2eServer } from './harness.ts';

const tid = (id: string) => `[data-testid="${id}"]`;
let server: Awaited<ReturnType<typeof startE2eServer>>;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('business calendars in the browser', () => {
  beforeEach(() => screenshotOnFailure(() => pages));

  it('shows the presets, the statutory days and the missing-year warning', async () => {
    const { page } = await newPage(browser);
    pages.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/login`);
    await page.fill(tid('login-username'), 'admin');
    await page.fill(tid('login-password'), ADMIN_PASSWORD);
    await page.click(tid('login-submit'));
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.goto(`${server.url}/settings/calendars`);
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
