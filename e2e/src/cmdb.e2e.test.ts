import { describe, expect, it } from 'vitest';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeOrg, makeUser, TEST_PASSWORD, uniq } from '../../server/src/test/factories.ts';
import { apiLogin, newPage, pickOption, signIn, tid, useE2e } from './harness.ts';

const e2e = useE2e();


describe('CMDB in the browser', () => {
  it('an admin defines a class with an enum attribute; an agent creates and edits a CI of it and compares versions', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const admin = await makeUser(db, provider.id, ['system_admin']);
    const agent = await makeUser(db, provider.id, ['agent']);
    const orgName = uniq('华东客户-');
    await makeOrg(db, 'customer', orgName);
    const errors: string[] = [];

    // The admin creates the class in settings.
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, e2e.server.url, admin.username);
    await page.click(tid('nav-ci-classes'));
    await page.waitForURL((u) => u.pathname === '/settings/ci-classes');
    await page.waitForSelector(tid('cmdb-class-node-server'));
    const key = uniq('e2e_app_');
    await page.click(tid('cmdb-class-new'));
    await page.fill(tid('cmdb-class-key'), key);
    await page.fill(tid('cmdb-class-name'), '测试应用节点');
    await page.click(tid('cmdb-class-attr-add'));
    await page.fill(tid('cmdb-class-attr-key-0'), 'env');
    await page.fill(tid('cmdb-class-attr-label-0'), '环境');
    await pickOption(page, 'cmdb-class-attr-type-0', '枚举');
    const enumInput = page.locator(`${tid('cmdb-class-attr-enum-0')} input`).first();
    await enumInput.click();
    for (const v of ['生产', '测试']) {
      await enumInput.pressSequentially(v);
      await enumInput.press('Enter');
    }
    await page.click(tid('cmdb-class-save'));
    await page.waitForSelector(tid('cmdb-class-attr-row-env'));
    expect(await page.textContent(tid('cmdb-class-detail-name'))).toBe('测试应用节点');
    expect(await page.textContent(tid('cmdb-class-attr-row-env'))).toContain('生产 / 测试');
    await page.context().close();

    // The agent creates a CI of that class with an enum value.
    const second = await newPage(e2e.browser);
    const p = second.page;
    e2e.pages.push(p);
    p.on('pageerror', (e) => errors.push(e.message));
    await signIn(p, e2e.server.url, agent.username);
    await p.click(tid('nav-cmdb'));
    await p.waitForURL((u) => u.pathname === '/cmdb');
    await p.click(tid(`cmdb-class-node-${key}`));
    await p.click(tid('cmdb-ci-new'));
    await p.waitForSelector(tid('cmdb-attr-env'));
    const ciName = uniq('订单服务-');
    await p.fill(tid('cmdb-name'), ciName);
    await pickOption(p, 'cmdb-org', orgName);
    await pickOption(p, 'cmdb-attr-env', '生产');
    await p.fill(tid('cmdb-hostname'), 'order-01');
    await p.click(tid('cmdb-save'));
    await p.waitForURL((u) => /^\/cmdb\/cis\/\d+$/.test(u.pathname));
    await p.waitForSelector(tid('cmdb-attr-value-env'));
    expect(await p.textContent(tid('cmdb-ci-title'))).toBe(ciName);
    expect(await p.textContent(tid('cmdb-attr-value-env'))).toBe('生产');

    // Edit: the enum value changes.
    await p.click(tid('cmdb-ci-edit'));
    await p.waitForSelector(tid('cmdb-attr-env'));
    await pickOption(p, 'cmdb-attr-env', '测试');
    await p.click(tid('cmdb-save'));
    await p.waitForFunction((sel) => document.querySelector(sel)?.textContent === '测试', tid('cmdb-attr-value-env'));

    // History: two versions; the diff shows the changed field.
    await p.waitForSelector(tid('cmdb-version-row-2'));
    expect(await p.locator('[data-testid^="cmdb-version-row-"]').count()).toBe(2);
    await p.waitForSelector(tid('cmdb-diff-row-attr.env'));
    const row = await p.textContent(tid('cmdb-diff-row-attr.env'));
    expect(row).toContain('环境');
    expect(row).toContain('生产');
    expect(row).toContain('测试');
    expect(await p.locator(`${tid('cmdb-diff')} tbody tr[data-testid^="cmdb-diff-row-"]`).count()).toBe(1);

    // The list shows the CI under its class.
    await p.goto(`${e2e.server.url}/cmdb`);
    await p.fill(`${tid('cmdb-search')} input, input${tid('cmdb-search')}`, ciName);
    await p.locator('[data-testid^="cmdb-ci-row-"]', { hasText: ciName }).waitFor();
    expect(errors).toEqual([]);
  });
  it('relations drive the impact graph of a VM and the affected business services of an incident', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const agent = await makeUser(db, provider.id, ['agent']);
    const customer = await makeOrg(db, 'customer', uniq('影响客户-'));
    const errors: string[] = [];
    const api = await apiLogin(e2e.server.url, agent.username, TEST_PASSWORD);

    // Three CIs of the built-in classes: a business service depends on an application, which runs on a VM.
    const classes = await api.get<{ id: number; key: string }[]>('/api/ci-classes');
    const classId = (key: string) => {
      const found = classes.find((c) => c.key === key);
      if (!found) throw new Error(`no class ${key}`);
      return found.id;
    };
    const mk = (key: string, name: string, importance: string) =>
      api.post<{ id: number; name: string }>('/api/cis', { classId: classId(key), name, orgId: customer.id, importance, status: 'in_use' });
    const service = await mk('business_service', uniq('网上银行-'), 'core');
    const app = await mk('application', uniq('核心账务-'), 'important');
    const vm = await mk('server.vm', uniq('vm-acct-'), 'normal');
    const types = await api.get<{ id: number; key: string }[]>('/api/ci-relation-types');
    const typeId = (key: string) => {
      const found = types.find((x) => x.key === key);
      if (!found) throw new Error(`no relation type ${key}`);
      return found.id;
    };
    await api.post('/api/ci-relations', { typeId: typeId('runs_on'), fromCiId: app.id, toCiId: vm.id });
    await api.post('/api/ci-relations', { typeId: typeId('depends_on'), fromCiId: service.id, toCiId: app.id });

    // The VM's page: its relation to the application, and the downstream graph and list.
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, e2e.server.url, agent.username);
    await page.goto(`${e2e.server.url}/cmdb/cis/${vm.id}`);
    await page.waitForSelector(`${tid('cmdb-relations-table')} ${tid(`cmdb-relation-other-${app.id}`)}`);
    expect(await page.textContent(tid('cmdb-relations-table'))).toContain('承载');
    await page.waitForSelector(`${tid('cmdb-impact-graph')} canvas`);
    expect(await page.textContent(tid('cmdb-impact-count'))).toMatch(/3/);
    await page.locator(`${tid('cmdb-impact-view')} .ant-segmented-item`, { hasText: '列表' }).click();
    await page.waitForSelector(tid('cmdb-impact-list'));
    expect(await page.textContent(tid('cmdb-impact-level-2'))).toContain(service.name);
    expect(await page.textContent(tid('cmdb-impact-level-1'))).toContain(app.name);

    // An incident of the same customer with the VM attached: the business service is affected.
    const incident = await api.post<{ id: number }>('/api/tickets', { title: `虚拟机宕机 ${uniq('')}`, orgId: customer.id, impact: 2, urgency: 2 });
    const attached = await api.put<{ services: { id: number }[] }>(`/api/tickets/${incident.id}/cis`, { ciIds: [vm.id] });
    expect(attached.services.map((s) => s.id)).toEqual([service.id]);
    await page.goto(`${e2e.server.url}/incidents/${incident.id}`);
    await page.waitForSelector(tid(`incident-affected-service-${service.id}`));
    expect(await page.textContent(tid('incident-cis-card'))).toContain(vm.name);
    expect(await page.textContent(tid('incident-affected-services'))).toContain(service.name);
    expect(errors).toEqual([]);
  });
});
