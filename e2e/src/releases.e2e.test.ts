import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Ci } from '@tianshu/contracts';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { systemActor } from '../../server/src/platform/auth/actor.ts';
import { createTicket } from '../../server/src/modules/tickets/tickets.service.ts';
import { changeCis } from '../../server/src/modules/changes/changes.tables.ts';
import { TEST_PASSWORD, makeOrg, makeUser, uniq } from '../../server/src/test/factories.ts';
import { apiLogin, clickUntil, confirmModal, newPage, pickOption, signIn, textContains, tid, useE2e } from './harness.ts';

const e2e = useE2e();


const stateIs = (page: Page, state: string) =>
  page.waitForFunction((s) => document.querySelector('[data-testid="release-state"]')?.getAttribute('data-state') === s, state);

async function fillPicker(page: Page, selector: string, value: string) {
  const input = page.locator(`${selector} input, input${selector}`).first();
  await input.click();
  await input.fill(value);
  await page.keyboard.press('Enter');
}

describe('releases in the browser', () => {
  it('a release manager bundles a change, deploys to prod, is stopped until the CMDB is confirmed, then completes', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const manager = await makeUser(db, provider.id, ['manager']);
    const admin = await makeUser(db, provider.id, ['system_admin']);
    const org = await makeOrg(db, 'customer', uniq('发布客户-'));
    const adminApi = await apiLogin(e2e.server.url, admin.username, TEST_PASSWORD);
    const api = await apiLogin(e2e.server.url, manager.username, TEST_PASSWORD);
    const cls = await adminApi.post<{ id: number }>('/api/ci-classes', { key: uniq('e2e_rls'), name: uniq('发布测试应用-'), attributes: [] });
    const ci = await api.post<Ci>('/api/cis', { classId: cls.id, orgId: org.id, name: uniq('网银前端-') });
    // A change ticket touching the CI (the change module's own pages are not what this test is about).
    const change = await createTicket(
      db,
      systemActor(),
      { type: 'change', title: uniq('网银前端升级到 v3.2 '), description: '', orgId: org.id, impact: 3, urgency: 3, major: false, customFields: {} },
      undefined,
      { workflowKey: 'change.normal' },
    );
    await db.insert(changeCis).values({ ticketId: change.row.t.id, ciId: ci.id });
    const changeNumber = change.row.t.number;

    const errors: string[] = [];
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, e2e.server.url, manager.username);

    // New release: the rollback plan is required.
    await page.click(tid('nav-releases'));
    await page.waitForURL((u) => u.pathname === '/releases');
    await page.click(tid('release-new'));
    await page.waitForURL((u) => u.pathname === '/releases/new');
    await pickOption(page, 'release-org', org.name);
    const title = uniq('网银 3.2 版本发布 ');
    await page.fill(tid('release-title'), title);
    await page.fill(tid('release-version'), 'v3.2.0');
    await pickOption(page, 'release-changes', changeNumber, true);
    await page.fill(tid('release-plan'), '1. 灰度 10%\n2. 全量');
    await page.click(tid('release-submit'));
    await textContains(page, '.ant-form-item-explain-error', '回退方案');
    await page.fill(tid('release-rollback-plan'), '切回 v3.1.4 镜像，恢复 CDN 配置');
    await page.click(tid('release-submit'));
    await page.waitForURL((u) => /^\/releases\/\d+$/.test(u.pathname));
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await stateIs(page, 'planning');
    await page.waitForSelector(tid(`release-change-${change.row.t.id}`));
    await textContains(page, tid('release-cmdb-unbumped-count'), '1');

    // planning -> building -> testing -> deploying through the shared workflow actions.
    for (const [action, state] of [
      ['build', 'building'],
      ['test', 'testing'],
      ['deploy', 'deploying'],
    ] as const) {
      await page.click(tid(`action-${action}`));
      await confirmModal(page);
      await stateIs(page, state);
    }

    // A build record and a production deployment (a result needs a start time).
    await page.click(tid('release-record-add'));
    await page.fill(tid('release-record-name'), 'Jenkins #311');
    await confirmModal(page, 'release-record-save');
    await page.waitForSelector('[data-testid^="release-record-"]:has-text("Jenkins #311")');
    await page.click(tid('release-deployment-add'));
    await pickOption(page, 'release-deployment-result', '成功');
    await clickUntil(page, tid('release-deployment-save'), () => textContains(page, '.ant-form-item-explain-error', '开始时间', 5000));
    await fillPicker(page, tid('release-deployment-started'), '2026-12-01 20:00');
    await confirmModal(page, 'release-deployment-save');
    await page.waitForSelector('[data-testid^="release-deployment-"]:has-text("prod")');

    // Completing is refused until the CMDB is confirmed.
    await page.click(tid('action-complete'));
    await clickUntil(page, tid('modal-ok'), () => textContains(page, tid('action-error'), 'CMDB', 5000));
    await page.click(tid('modal-cancel'));

    // The CI has no version naming the change yet: confirming needs an override note...
    await page.waitForSelector(tid(`release-cmdb-cis-row-${ci.id}-unbumped`));
    await page.click(tid('release-cmdb-confirm'));
    await page.waitForSelector(tid(`release-cmdb-confirm-unbumped-row-${ci.id}-unbumped`));
    await clickUntil(page, tid('release-cmdb-confirm-save'), () => textContains(page, '.ant-form-item-explain-error', '说明', 5000));
    await page.click('.ant-modal-footer button:not([data-testid])');
    // ...or the CMDB is updated through the change, after which it confirms cleanly.
    const cur = await api.get<Ci>(`/api/cis/${ci.id}`);
    await api.patch(`/api/cis/${ci.id}`, { version: cur.version, location: '上海二号机房', changeTicketId: change.row.t.id });
    await page.reload();
    await page.waitForSelector(tid(`release-cmdb-cis-row-${ci.id}`));
    await page.click(tid('release-cmdb-confirm'));
    await page.fill(tid('release-cmdb-note'), '已核对网银前端配置项');
    await confirmModal(page, 'release-cmdb-confirm-save');
    await page.waitForSelector(`${tid('release-cmdb-status')}[data-confirmed="true"]`);

    await page.click(tid('action-complete'));
    await confirmModal(page);
    await stateIs(page, 'completed');

    // The list shows it confirmed; the reports count it.
    await page.click(tid('nav-releases'));
    await page.fill(`${tid('release-search')} input, input${tid('release-search')}`, title);
    await page.waitForSelector(tid(`release-row-${id}`));
    expect(await page.textContent(tid(`release-row-${id}`))).toContain('v3.2.0');
    await page.click(tid('release-tab-reports'));
    // The one finished release of this server completed: a 100% success rate.
    await page.waitForSelector(tid('release-report-success'), { state: 'attached' });
    expect(await page.getAttribute(tid('release-report-success'), 'data-value')).toBe('1');
    expect(errors).toEqual([]);
  });
});
