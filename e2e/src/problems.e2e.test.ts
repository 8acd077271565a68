import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '@tianshu/contracts';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { TEST_PASSWORD, makeOrg, makeUser, uniq } from '../../server/src/test/factories.ts';
import { apiLogin, clickUntil, confirmModal, newPage, pickOption, signIn, textContains, tid, useE2e } from './harness.ts';

const e2e = useE2e();

const stateIs = (page: Page, state: string) =>
  page.waitForFunction((s) => document.querySelector('[data-testid="problem-state"]')?.getAttribute('data-state') === s, state);

describe('problems and known errors in the browser', () => {
  it('links three incidents into a problem whose known error is then suggested on a fourth incident', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const agent = await makeUser(db, provider.id, ['agent']);
    const org = await makeOrg(db, 'customer', uniq('问题客户-'));
    const api = await apiLogin(e2e.server.url, agent.username, TEST_PASSWORD);
    const incidents: Ticket[] = [];
    for (const title of ['深圳分公司 VPN 证书过期无法登录', '广州分公司 VPN 登录提示证书过期', '上海办公室 VPN 证书过期，远程办公中断']) {
      incidents.push(await api.post<Ticket>('/api/tickets', { title, description: '用户连接 VPN 时提示证书已过期', orgId: org.id }));
    }
    const errors: string[] = [];
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, e2e.server.url, agent.username);

    // A problem from the three incidents: two selected on the incident list, the third added in the form.
    await page.click(tid('nav-incidents'));
    await page.waitForURL((u) => u.pathname === '/incidents');
    for (const inc of incidents.slice(0, 2)) await page.click(`${tid(`incident-row-${inc.number}`)} .ant-checkbox-input`);
    await textContains(page, tid('incident-bulk-problem'), '(2)');
    expect(new URL(page.url()).pathname).toBe('/incidents');
    await page.click(tid('incident-bulk-problem'));
    await page.waitForSelector(tid('problem-form'));
    for (const inc of incidents.slice(0, 2)) await textContains(page, tid('problem-incidents'), inc.number);
    await page.fill(tid('problem-title'), 'VPN 网关证书过期导致批量登录失败');
    await pickOption(page, 'problem-incidents', incidents[2]?.number ?? '', true);
    await page.fill(tid('problem-symptom'), '多个分公司 VPN 登录失败，提示证书过期');
    await page.click(tid('problem-save'));
    await page.waitForURL((u) => /^\/problems\/\d+$/.test(u.pathname));
    await textContains(page, tid('problem-incident-count'), '3');
    for (const inc of incidents) await page.waitForSelector(tid(`problem-incidents-row-${inc.id}`));
    await stateIs(page, 'new');

    // Investigate; a known error needs a root cause first (the server refuses, the modal says why).
    await page.click(tid('action-investigate'));
    await confirmModal(page);
    await stateIs(page, 'investigating');
    await page.click(tid('action-mark_known_error'));
    await clickUntil(page, tid('modal-ok'), () => page.waitForSelector(tid('action-error'), { timeout: 5000 }));
    expect(await page.textContent(tid('action-error'))).toContain('根本原因');
    await page.click(tid('modal-cancel'));
    await page.waitForSelector(tid('modal-ok'), { state: 'hidden' });

    await page.fill(tid('rca-root-cause'), 'VPN 网关证书自动续期任务被误删，证书到期未更新');
    await pickOption(page, 'rca-cause', '配置');
    await page.fill(tid('rca-why-0'), '证书过期');
    await page.fill(tid('rca-why-1'), '续期任务没有运行');
    await page.fill(tid('rca-workaround'), '手动续期网关证书并重启 VPN 服务');
    await page.click(tid('rca-save'));
    await textContains(page, tid('problem-rca'), '首次记录根因');
    await page.click(tid('action-mark_known_error'));
    await confirmModal(page);
    await stateIs(page, 'known_error');

    // The known error, prefilled from the analysis, is published to the knowledge base.
    await page.click(tid('ke-edit'));
    await page.waitForSelector(tid('ke-form'));
    expect(await page.inputValue(tid('ke-cause'))).toContain('续期任务被误删');
    expect(await page.inputValue(tid('ke-workaround'))).toContain('手动续期');
    await page.click(tid('ke-publish'));
    await page.waitForSelector(tid('ke-article-link'));
    expect(await page.textContent(tid('ke-article-link'))).toMatch(/KB\d{6}/);
    const articleId = Number((await page.getAttribute(tid('ke-article-link'), 'href'))?.split('/').pop());
    expect(articleId).toBeGreaterThan(0);

    // A fourth incident: the known error is suggested while typing, with the reason.
    await page.goto(`${e2e.server.url}/incidents/new`);
    await page.waitForSelector(tid('incident-title'));
    await pickOption(page, 'incident-org', org.name);
    await page.fill(tid('incident-title'), '北京分公司 VPN 无法连接，提示证书过期');
    await page.waitForSelector(tid(`ke-suggestion-${articleId}`));
    await page.waitForSelector(tid(`ke-reason-text-${articleId}`));
    expect(await page.textContent(tid('ke-suggestions'))).toContain('手动续期网关证书');
    await page.click(tid('incident-save'));
    await page.waitForURL((u) => /^\/incidents\/\d+$/.test(u.pathname));
    await page.waitForSelector(`${tid('incident-known-errors')} ${tid(`ke-suggestion-${articleId}`)}`);

    // The knowledge base finds it by a Chinese phrase.
    await page.click(tid('nav-knowledge'));
    await page.waitForURL((u) => u.pathname === '/knowledge');
    await page.fill(`:is(${tid('kb-search')} input, input${tid('kb-search')})`, '续期任务');
    await page.waitForSelector(tid(`kb-row-${articleId}`));

    // The problem list shows the count; the problem is reachable from the nav.
    await page.click(tid('nav-problems'));
    await page.waitForURL((u) => u.pathname === '/problems');
    await page.waitForSelector(`[data-testid^="problem-count-"]`);
    expect(await page.textContent(`[data-testid^="problem-count-"]`)).toBe('3');
    expect(errors).toEqual([]);
  });
});
