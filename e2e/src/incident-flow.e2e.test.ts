import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { enUS } from '../../web/src/app/i18n/en-us/index.ts';
import { zhCN } from '../../web/src/app/i18n/zh-cn/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../../server/src/cli/seed-demo.ts';
import { apiLogin, clickUntil, confirmModal, newPage, pickOption, tid, useE2e } from './harness.ts';

const e2e = useE2e();
beforeAll(() => seedDemo(e2e.server.database.db, { incidents: 12 }));

async function open(opts: { mobile?: boolean } = {}) {
  const { page } = await newPage(e2e.browser, opts);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  e2e.pages.push(page);
  return { page, errors };
}

async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${e2e.server.url}/login`);
  await page.fill(tid('login-username'), username);
  await page.fill(tid('login-password'), password);
  await page.click(tid('login-submit'));
}

async function waitState(page: Page, state: string) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="incident-state"]')?.getAttribute('data-state') === s, state);
}

/** English UI strings that must never show on a zh-CN page (values that differ from their Chinese counterpart). */
function englishStrings(): string[] {
  const out: string[] = [];
  const walk = (en: unknown, zh: unknown) => {
    if (typeof en === 'string') {
      if (typeof zh === 'string' && en !== zh && /^[A-Za-z][A-Za-z ,.'’-]{4,}$/.test(en) && !en.includes('{{')) out.push(en);
      return;
    }
    if (en && typeof en === 'object') for (const [k, v] of Object.entries(en)) walk(v, (zh as Record<string, unknown> | undefined)?.[k]);
  };
  walk(enUS, zhCN);
  return [...new Set(out)];
}

async function expectChineseOnly(page: Page) {
  const text = await page.evaluate(() => document.body.innerText);
  const leaked = englishStrings().filter((s) => new RegExp(`(^|[^A-Za-z])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z]|$)`).test(text));
  expect(leaked, `English UI text on a zh-CN page: ${leaked.join(' | ')}`).toEqual([]);
  expect(text).not.toMatch(/\b(incident|common|admin|audit)\.[a-z]+\.[a-zA-Z]+\b/);
}

describe('incident end to end in the browser', () => {

  it('agent logs a phone call, engineer resolves, customer confirms, another customer is kept out', async () => {
    // The login page is Chinese and does not load admin, audit or incident code.
    const { page: agent, errors } = await open();
    const requested: string[] = [];
    agent.on('request', (r) => requested.push(r.url()));
    await agent.goto(`${e2e.server.url}/login`);
    await agent.waitForSelector(tid('login-submit'));
    expect((await agent.textContent(tid('login-submit')))?.replace(/\s/g, '')).toBe('登录');
    expect(requested.filter((u) => /users\.page|audit-log|groups\.page|incident-/.test(u))).toEqual([]);
    await expectChineseOnly(agent);

    await login(agent, 'agent');
    await agent.waitForSelector(tid('incident-new'));
    await expectChineseOnly(agent);
    await agent.click(tid('incident-new'));
    await agent.click(tid('incident-mode-phone'));
    await agent.fill(tid('incident-caller-name'), '张三');
    await agent.fill(tid('incident-caller-phone'), '010-12345678');
    await pickOption(agent, 'incident-org', '示例银行');
    const title = `网银登录失败 ${Date.now()}`;
    await agent.fill(tid('incident-title'), title);
    await agent.fill(tid('incident-description'), '客户来电：**网银**无法登录\n\n<script>window.__xss = 1</script><img src=x onerror="window.__xss=2">');
    await expectChineseOnly(agent);
    await agent.click(tid('incident-save'));
    await agent.waitForSelector(tid('incident-state'));
    await waitState(agent, 'new');
    const number = (await agent.textContent(tid('incident-number')))?.trim() ?? '';
    expect(number).toMatch(/^INC\d{6}$/);
    const detailUrl = agent.url();
    expect(await agent.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await agent.click(tid('comment-internal'));
    await agent.fill(tid('comment-input'), '内部：疑似证书过期');
    await agent.click(tid('comment-submit'));
    await agent.waitForSelector(tid('event-work_note'));
    await expectChineseOnly(agent);

    // The API agrees: a phone-channel incident with the caller recorded.
    const api = await apiLogin(e2e.server.url, 'agent', DEMO_PASSWORD);
    const id = Number(detailUrl.split('/').pop());
    const created = await api.get<{ channel: string; callerName: string; title: string }>(`/api/tickets/${id}`);
    expect(created).toMatchObject({ channel: 'phone', callerName: '张三', title });

    // The engineer finds it by number, takes it and resolves it with a resolution code.
    const { page: eng } = await open();
    await login(eng, 'engineer');
    await eng.waitForSelector(tid('incident-search'));
    await eng.fill(`input${tid('incident-search')}, ${tid('incident-search')} input`, number);
    await eng.keyboard.press('Enter');
    await eng.click(tid(`incident-row-${number}`));
    await eng.click(tid('action-take'));
    await confirmModal(eng);
    await waitState(eng, 'in_progress');
    await eng.click(tid('action-resolve'));
    // Required fields are asked for before anything is sent.
    await clickUntil(eng, tid('modal-ok'), () => eng.waitForSelector('.ant-form-item-explain-error', { timeout: 5000 }));
    await pickOption(eng, 'action-resolution-code', '已修复');
    await eng.fill(tid('action-resolution-notes'), '更新证书后恢复');
    await confirmModal(eng);
    await waitState(eng, 'resolved');
    expect(await eng.textContent(tid('incident-state'))).toContain('已解决');
    await expectChineseOnly(eng);

    // The customer sees it resolved, without the internal note, and confirms closure.
    const { page: cust } = await open();
    await login(cust, 'bank.user');
    await cust.waitForSelector(tid('incident-filters'));
    await cust.goto(detailUrl);
    await waitState(cust, 'resolved');
    expect(await cust.locator(tid('event-work_note')).count()).toBe(0);
    expect(await cust.locator(tid('comment-internal')).count()).toBe(0);
    await cust.click(tid('action-close'));
    await confirmModal(cust);
    await waitState(cust, 'closed');
    expect(await cust.textContent(tid('incident-state'))).toContain('已关闭');
    await expectChineseOnly(cust);

    // A customer of another organisation cannot open it, in the UI or through the API.
    const { page: other } = await open();
    await login(other, 'hospital.user');
    await other.waitForSelector(tid('incident-filters'));
    await other.goto(detailUrl);
    await other.waitForSelector(tid('incident-not-found'));
    const otherApi = await apiLogin(e2e.server.url, 'hospital.user', DEMO_PASSWORD);
    const res = await otherApi.raw(`/api/tickets/${id}`);
    expect(res.status).toBe(404);
    expect(await otherApi.raw(`/api/tickets/${id}/events`).then((r) => r.status)).toBe(404);
    expect(errors).toEqual([]);
  });

  it('works on a phone screen for viewing and commenting', async () => {
    const { page, errors } = await open({ mobile: true });
    await login(page, 'bank.user');
    await page.waitForSelector(tid('incident-filters'));
    const first = page.locator('[data-testid^="incident-row-"]').first();
    await first.click();
    await page.waitForSelector(tid('incident-state'));
    await page.fill(tid('comment-input'), '手机上补充：仍有部分用户无法登录');
    await page.click(tid('comment-submit'));
    await page.waitForSelector(`${tid('event-comment')}:has-text("手机上补充")`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await expectChineseOnly(page);
    expect(errors).toEqual([]);
  });

  it('remembers English per user, and the Chinese check would catch English text', async () => {
    const api = await apiLogin(e2e.server.url, 'manager', DEMO_PASSWORD);
    await api.patch('/api/auth/me', { locale: 'en-US' });
    const { page } = await open();
    await login(page, 'manager');
    await page.waitForSelector(tid('incident-filters'));
    await expect(expectChineseOnly(page)).rejects.toThrow(/English UI text/);
    const nav = await page.evaluate(() => document.querySelector('nav, .ant-menu')?.textContent ?? '');
    expect(nav).not.toMatch(/\p{Script=Han}/u);
    await api.patch('/api/auth/me', { locale: 'zh-CN' });
  });
});
