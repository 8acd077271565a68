import { describe, expect, it } from 'vitest';
import type { Ci, CiClass } from '@tianshu/contracts';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeOrg, makeUser, TEST_PASSWORD, uniq } from '../../server/src/test/factories.ts';
import { apiLogin, newPage, pickOption, signIn, tid, useE2e } from './harness.ts';

const e2e = useE2e();


describe('CMDB baselines and audits in the browser', () => {
  it('an agent baselines two CIs and sees the drift after an edit; an admin runs an audit and schedules it', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const agent = await makeUser(db, provider.id, ['agent']);
    const admin = await makeUser(db, provider.id, ['system_admin']);
    const orgName = uniq('计费客户-');
    const org = await makeOrg(db, 'customer', orgName);
    const api = await apiLogin(e2e.server.url, agent.username, TEST_PASSWORD);
    const classes = await api.get<CiClass[]>('/api/ci-classes');
    const appClass = classes.find((c) => c.key === 'application');
    const billing = await api.post<Ci>('/api/cis', { classId: appClass?.id, orgId: org.id, name: uniq('计费应用-'), attributes: { version: '3.2.1' } });
    const portal = await api.post<Ci>('/api/cis', { classId: appClass?.id, orgId: org.id, name: uniq('门户应用-'), attributes: { version: '1.0' } });
    const errors: string[] = [];

    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, e2e.server.url, agent.username);
    await page.click(tid('nav-cmdb-baselines'));
    await page.waitForURL((u) => u.pathname === '/cmdb/baselines');
    await page.click(tid('baseline-new'));
    await page.fill(tid('baseline-name'), '计费系统基线');
    await pickOption(page, 'baseline-org', orgName);
    await pickOption(page, 'baseline-cis', billing.name, true);
    await pickOption(page, 'baseline-cis', portal.name, true);
    await page.click(tid('baseline-save'));
    await page.waitForURL((u) => /^\/cmdb\/baselines\/\d+$/.test(u.pathname));
    await page.waitForSelector(tid('drift-summary'));
    expect(await page.textContent(tid('baseline-title'))).toBe('计费系统基线');
    expect(await page.textContent(tid('drift-summary-items'))).toContain('2');
    expect(await page.textContent(tid('drift-table'))).toContain('与基线一致');

    // An upgrade moves the CI away from its baseline.
    await api.patch(`/api/cis/${billing.id}`, { version: billing.version, attributes: { version: '3.3.0' } });
    await page.reload();
    await page.waitForSelector(tid(`drift-row-${billing.id}-attr.version`));
    const row = await page.textContent(tid(`drift-row-${billing.id}-attr.version`));
    expect(row).toContain('3.2.1');
    expect(row).toContain('3.3.0');
    expect(await page.textContent(tid('drift-summary-changed'))).toContain('1');
    // The snapshot stays as it was frozen.
    await page.waitForSelector(tid(`baseline-item-link-${billing.id}`));
    expect(await page.textContent(tid('baseline-items'))).toContain('version=3.2.1');
    await page.click(tid(`drift-ci-link-${billing.id}`));
    await page.waitForURL((u) => u.pathname === `/cmdb/cis/${billing.id}`);
    await page.context().close();

    // The admin runs an audit, reads the accuracy and the violations, and schedules a daily run.
    const second = await newPage(e2e.browser);
    const p = second.page;
    e2e.pages.push(p);
    p.on('pageerror', (e) => errors.push(e.message));
    await signIn(p, e2e.server.url, admin.username);
    await p.click(tid('nav-cmdb-audits'));
    await p.waitForURL((u) => u.pathname === '/cmdb/audits');
    await p.waitForSelector(tid('audit-rule-row-no_owner'));
    await p.click(tid('audit-run-now'));
    await p.waitForSelector(tid('audit-accuracy'));
    await p.waitForSelector(tid(`violation-ci-link-${billing.id}`));
    expect(await p.textContent(tid('audit-accuracy'))).toMatch(/%/);
    expect(Number((await p.textContent(tid('audit-checked')))?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(2);
    await pickOption(p, 'audit-schedule-mode', '每天');
    await p.click(tid('audit-schedule-save'));
    await p.waitForFunction((sel) => /\d/.test(document.querySelector(sel)?.textContent ?? ''), tid('audit-schedule-next'));
    // Turning a rule off is saved.
    await p.click(tid('audit-rule-enabled-stale_180_days'));
    await p.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-checked') === 'false', tid('audit-rule-enabled-stale_180_days'));
    const adminApi = await apiLogin(e2e.server.url, admin.username, TEST_PASSWORD);
    const rules = await adminApi.get<{ key: string; enabled: boolean }[]>('/api/cmdb/audit-rules');
    expect(rules.find((r) => r.key === 'stale_180_days')?.enabled).toBe(false);
    const schedule = await adminApi.get<{ mode: string; nextRunAt: string | null }>('/api/cmdb/audit-schedule');
    expect(schedule.mode).toBe('daily');
    expect(errors).toEqual([]);
  });
});
