import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeOrg, makeUser, TEST_PASSWORD, uniq } from '../../server/src/test/factories.ts';
import { apiLogin, confirmModal, newPage, pickOption, signIn, textContains, tid, useE2e } from './harness.ts';

const e2e = useE2e();


/** 50 CIs of `classKey` in the import format; Excel rows 12 and 31 are bad (unknown enum value, repeated host name). */
async function workbook(classKey: string, orgName: string, prefix: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(classKey);
  ws.addRow(['名称 (name)', '组织 (org)', '主机名 (hostname)', '环境 (env)']);
  for (let i = 1; i <= 50; i++) {
    const excelRow = i + 1;
    const env = excelRow === 12 ? '预发' : i % 2 ? '生产' : '测试';
    const host = excelRow === 31 ? `${prefix}-host-29` : `${prefix}-host-${i}`;
    ws.addRow([`${prefix}-${String(i).padStart(2, '0')}`, orgName, host, env]);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tianshu-import-')), 'cis.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

describe('CMDB import, relations and impact in the browser', () => {
  it('a class with an enum attribute, 50 CIs imported from xlsx with two bad rows, relations, the impact graph of a business service and the service on an incident', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const admin = await makeUser(db, provider.id, ['system_admin']);
    const agent = await makeUser(db, provider.id, ['agent']);
    const orgName = uniq('导入客户-');
    const customer = await makeOrg(db, 'customer', orgName);
    const errors: string[] = [];

    // 1. The admin defines a class with an enum attribute.
    const first = await newPage(e2e.browser);
    e2e.pages.push(first.page);
    const a = first.page;
    a.on('pageerror', (e) => errors.push(e.message));
    await signIn(a, e2e.server.url, admin.username);
    await a.goto(`${e2e.server.url}/settings/ci-classes`);
    await a.waitForSelector(tid('cmdb-class-node-server'));
    const key = uniq('e2e_pay_');
    await a.click(tid('cmdb-class-new'));
    await a.fill(tid('cmdb-class-key'), key);
    await a.fill(tid('cmdb-class-name'), '支付节点');
    await a.click(tid('cmdb-class-attr-add'));
    await a.fill(tid('cmdb-class-attr-key-0'), 'env');
    await a.fill(tid('cmdb-class-attr-label-0'), '环境');
    await pickOption(a, 'cmdb-class-attr-type-0', '枚举');
    const enumInput = a.locator(`${tid('cmdb-class-attr-enum-0')} input`).first();
    await enumInput.click();
    for (const v of ['生产', '测试']) {
      await enumInput.pressSequentially(v);
      await enumInput.press('Enter');
    }
    await a.click(tid('cmdb-class-save'));
    await a.waitForSelector(tid('cmdb-class-attr-row-env'));
    await first.context.close();

    // 2. The agent imports 50 CIs: the dry run lists exactly the two bad rows, then the valid rows go in.
    const prefix = uniq('pay');
    const file = await workbook(key, orgName, prefix);
    const second = await newPage(e2e.browser);
    e2e.pages.push(second.page);
    const p = second.page;
    p.on('pageerror', (e) => errors.push(e.message));
    await signIn(p, e2e.server.url, agent.username);
    await p.goto(`${e2e.server.url}/cmdb`);
    await p.click(tid('cmdb-import-open'));
    await p.setInputFiles(tid('cmdb-import-file'), file);
    await p.click(tid('cmdb-import-dry-run'));
    await p.waitForSelector(tid('cmdb-import-report'));
    const report = (await p.textContent(tid('cmdb-import-report'))) ?? '';
    expect(report).toContain('12');
    expect(report).toContain('31');
    expect(report).toContain('环境');
    expect(report).toContain('主机名');
    expect(await p.locator(`${tid('cmdb-import-report')} tbody tr.ant-table-row`).count()).toBe(2);
    const api = await apiLogin(e2e.server.url, agent.username, TEST_PASSWORD);
    const classes = await api.get<{ id: number; key: string }[]>('/api/ci-classes');
    const cls = classes.find((c) => c.key === key);
    if (!cls) throw new Error('class not created');
    const listed = async () => (await api.get<{ total: number }>(`/api/cis?classId=${cls.id}&pageSize=1`)).total;
    expect(await listed()).toBe(0); // the dry run wrote nothing
    await pickOption(p, 'cmdb-import-mode', '仅导入正确的行');
    await p.click(tid('cmdb-import-commit'));
    await p.waitForFunction((sel) => document.querySelector(sel)?.textContent === '48', tid('cmdb-import-count-created'));
    expect(await listed()).toBe(48);
    await p.keyboard.press('Escape');

    // 3. Relations, built on the business service's page: it depends on two of the imported CIs.
    const bsClass = classes.find((c) => c.key === 'business_service');
    if (!bsClass) throw new Error('no business service class');
    const service = await api.post<{ id: number; name: string }>('/api/cis', { classId: bsClass.id, name: uniq('移动支付-'), orgId: customer.id, importance: 'core', status: 'in_use' });
    await p.goto(`${e2e.server.url}/cmdb/cis/${service.id}`);
    for (const n of ['01', '02']) {
      await p.click(tid('cmdb-relation-add'));
      await pickOption(p, 'cmdb-relation-type', '依赖');
      await p.click(tid('cmdb-relation-role-from'));
      await p.click(tid('cmdb-relation-ci'));
      await p.keyboard.type(`${prefix}-${n}`);
      const option = p.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${prefix}-${n}` }).first();
      await option.waitFor();
      await option.click();
      await p.click(tid('cmdb-relation-save'));
      await p.locator(`${tid('cmdb-relations-table')} a`, { hasText: `${prefix}-${n}` }).waitFor();
    }

    // 4. The impact graph of the business service: upstream, it reaches the two CIs it depends on.
    await p.locator(`${tid('cmdb-impact-direction')} .ant-segmented-item`, { hasText: '上游依赖' }).click();
    await p.waitForFunction((sel) => /3/.test(document.querySelector(sel)?.textContent ?? ''), tid('cmdb-impact-count'));
    await p.waitForSelector(`${tid('cmdb-impact-graph')} canvas`);

    // 5. The service attached to an incident shows on the incident as affected.
    const incident = await api.post<{ id: number }>('/api/tickets', { title: `支付失败 ${uniq('')}`, orgId: customer.id, impact: 2, urgency: 2 });
    await p.goto(`${e2e.server.url}/incidents/${incident.id}`);
    await p.click(tid('incident-cis-edit'));
    await p.click(tid('incident-cis-picker'));
    await p.keyboard.type(service.name);
    const pick = p.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: service.name }).first();
    await pick.waitFor();
    await pick.click();
    // The pick shows as a tag; then close the dropdown by clicking the modal's title (Escape would close the
    // modal itself once the dropdown is gone) and save until the modal closes.
    await textContains(p, `${tid('incident-cis-picker')} .ant-select-selection-item`, service.name, 10_000);
    await p.click('.ant-modal-title');
    await confirmModal(p, 'incident-cis-save');
    await p.waitForSelector(tid(`incident-affected-service-${service.id}`));
    expect(await p.textContent(tid('incident-affected-services'))).toContain(service.name);
    expect(errors).toEqual([]);
  });
});
