import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/platform/config/config.ts';
import { startServer, type RunningServer } from '../../server/src/main.ts';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { users } from '../../server/src/modules/directory/directory.tables.ts';
import { deliverDue } from '../../server/src/modules/notifications/notifications.service.ts';
import { requestTypes } from '../../server/src/modules/requests/requests.tables.ts';
import { makeGroup, makeOrg, makeUser, uniq } from '../../server/src/test/factories.ts';
import { ADMIN_PASSWORD, apiLogin, launchBrowser, newPage, pickOption, screenshotOnFailure, signIn, tid } from './harness.ts';

/** A real SMTP server collecting what the app sends (the approver's mail with the signed links). */
async function startSmtp() {
  const mails: { rcpt: string[]; mail: ParsedMail }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

// The harness server has no SMTP; this file starts its own with mail and a public URL for the links.
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: RunningServer;
let dataDir = '';
let config: ReturnType<typeof loadConfig>;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  const port = await freePort();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianshu-e2e-req-'));
  config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TIANSHU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SMTP_URL: smtp.url,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  if (!fs.existsSync(path.join(config.webDistDir, 'index.html'))) throw new Error('web/dist is missing: run npm run build');
  server = await startServer(config, { logger: false });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => screenshotOnFailure(() => pages));

const dateInput = (key: string) => `:is(${tid(`request-field-${key}`)} input, input${tid(`request-field-${key}`)})`;

async function fillDate(page: Page, key: string, value: string) {
  await page.click(dateInput(key));
  await page.fill(dateInput(key), value);
  await page.keyboard.press('Enter');
}

describe('service requests in the browser', () => {
  it('a requester submits a VPN request through its form, the manager approves from the e-mailed link, the fulfilment task is closed', async () => {
    const db = server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    const org = await makeOrg(db, 'customer', uniq('远程办公客户-'));
    const requester = await makeUser(db, org.id, ['customer']);
    const manager = await makeUser(db, org.id, ['customer']);
    const engineer = await makeUser(db, provider.id, ['engineer']);
    const network = await makeGroup(db, [engineer.id], [org.id]);
    await db.update(users).set({ email: `${manager.username}@example.com` }).where(eq(users.id, manager.id));
    await db.update(users).set({ managerId: manager.id, email: `${requester.username}@example.com` }).where(eq(users.id, requester.id));
    // The admin routes the VPN fulfilment task to the network group.
    await db
      .update(requestTypes)
      .set({ taskTemplates: [{ title: '开通 VPN 账号并下发配置', groupId: network.id, order: 0 }] })
      .where(eq(requestTypes.key, 'vpn'));
    const errors: string[] = [];

    // The requester finds VPN in the catalogue and fills in its form.
    const { page: req } = await newPage(browser);
    pages.push(req);
    req.on('pageerror', (e) => errors.push(e.message));
    await signIn(req, server.url, requester.username);
    await req.click(tid('nav-request-catalogue'));
    await req.waitForURL((u) => u.pathname === '/requests/catalogue');
    await req.click(tid('catalogue-item-vpn'));
    await req.waitForURL((u) => u.pathname === '/requests/new/vpn');
    await req.waitForSelector(tid('request-field-reason'));
    await req.fill(tid('request-field-reason'), '出差期间远程处理生产问题');
    await fillDate(req, 'start_date', '2026-12-08');
    await fillDate(req, 'end_date', '2026-12-31');
    // Show-if, live: the production systems field appears only for the production network.
    expect(await req.locator(tid('request-field-prod_systems')).count()).toBe(0);
    await pickOption(req, 'request-field-access_scope', '生产网');
    await req.waitForSelector(tid('request-field-prod_systems'));
    // The server refuses the missing field and the page shows it under the field.
    await req.click(tid('request-submit'));
    await req.waitForSelector(tid('request-field-prod_systems-error'));
    expect(await req.textContent(tid('request-field-prod_systems-error'))).toContain('必填');
    await req.fill(tid('request-field-prod_systems'), '核心账务系统');
    await req.click(tid('request-submit'));
    await req.waitForURL((u) => /^\/requests\/\d+$/.test(u.pathname));
    const requestId = Number(new URL(req.url()).pathname.split('/').pop());
    await req.waitForSelector(`${tid('request-state')}[data-state="approval"]`);
    expect(await req.textContent(tid('request-value-access_scope'))).toBe('生产网');
    expect(await req.textContent(tid('request-value-prod_systems'))).toBe('核心账务系统');
    const number = (await req.textContent(tid('request-number'))) ?? '';
    expect(number).toMatch(/^REQ\d{6}$/);

    // The manager's mail arrives (the job queue delivers; deliverDue as a backstop) with signed links.
    const mailFor = () => smtp.mails.find((m) => m.rcpt.includes(`${manager.username}@example.com`) && (m.mail.subject ?? '').includes(number))?.mail;
    for (let i = 0; i < 40 && !mailFor(); i++) {
      if (i % 10 === 9) await deliverDue(db, config);
      await new Promise((r) => setTimeout(r, 500));
    }
    const mail = mailFor();
    expect(mail?.subject).toContain(number);
    const approveUrl = new RegExp(`同意：(${server.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/approve/[A-Za-z0-9_-]{43})`).exec(mail?.text ?? '')?.[1];
    expect(approveUrl).toBeTruthy();

    // The manager opens the link (no sign-in needed: the link is the credential) and approves.
    const { page: mgr } = await newPage(browser);
    pages.push(mgr);
    mgr.on('pageerror', (e) => errors.push(e.message));
    await mgr.goto(approveUrl!);
    await mgr.waitForSelector(tid('approval-link-confirm'));
    expect(await mgr.textContent('body')).toContain(number);
    await mgr.click(tid('approval-link-confirm'));
    await mgr.waitForSelector(tid('approval-link-done'));

    // Approved: fulfilment starts and the task is created for the network group.
    await req.reload();
    await req.waitForSelector(`${tid('request-state')}[data-state="fulfilling"]`);
    await req.waitForSelector(`${tid('task-state-1')}[data-state="open"]`);
    // The requester sees the task but cannot work it.
    expect(await req.locator(tid('task-complete-1')).count()).toBe(0);

    // The engineer closes the task, then fulfils the request.
    const { page: eng } = await newPage(browser);
    pages.push(eng);
    eng.on('pageerror', (e) => errors.push(e.message));
    await signIn(eng, server.url, engineer.username);
    await eng.goto(`${server.url}/requests/${requestId}`);
    await eng.waitForSelector(tid('task-complete-1'));
    await eng.click(tid('task-complete-1'));
    await eng.fill(tid('task-note'), '账号已开通，配置已发送');
    await eng.click('.ant-modal-footer .ant-btn-primary');
    await eng.waitForSelector(`${tid('task-state-1')}[data-state="done"]`);
    await eng.click(tid('action-fulfil'));
    await eng.locator('.ant-modal textarea').first().fill('VPN 已开通');
    await eng.click('.ant-modal-footer .ant-btn-primary');
    await eng.waitForSelector(`${tid('request-state')}[data-state="fulfilled"]`);

    // The requester's list shows it done.
    await req.goto(`${server.url}/requests`);
    await req.waitForSelector(tid(`request-row-${number}`));
    expect(await req.textContent(tid('request-table'))).toContain('1/1');
    expect(errors).toEqual([]);
  });

  it('an admin designs a request form with a show-if rule, previews it and saves a new version', async () => {
    const errors: string[] = [];
    const { page } = await newPage(browser);
    pages.push(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.click(tid('nav-request-types'));
    await page.waitForURL((u) => u.pathname === '/settings/request-types');
    await page.waitForSelector(tid('request-type-vpn'));
    await page.click(tid('request-type-new'));
    await page.waitForURL((u) => u.pathname === '/settings/request-types/new');
    const key = `printer_${Date.now() % 100000}`;
    await page.fill(tid('type-key'), key);
    await page.fill(tid('type-name-zh'), '打印机开通');
    await page.fill(tid('type-name-en'), 'Printer access');
    await page.fill(tid('type-category-zh'), '设备与硬件');
    await page.fill(tid('type-category-en'), 'Devices');
    await pickOption(page, 'type-workflow', 'request.simple');

    await page.click('.ant-tabs-tab:has-text("履行任务")');
    await page.click(tid('template-add'));
    await page.fill(tid('template-title-0'), '安装打印机驱动');

    // Field 1: a choice with two options.
    await page.click('.ant-tabs-tab:has-text("表单设计")');
    await page.fill(tid('designer-key'), 'floor');
    await page.fill(tid('designer-label-zh'), '楼层');
    await page.fill(tid('designer-label-en'), 'Floor');
    await pickOption(page, 'designer-type', '单选');
    await page.click(tid('designer-option-add'));
    await page.fill(tid('designer-option-value-0'), 'f3');
    await page.fill(tid('designer-option-zh-0'), '三楼');
    await page.click(tid('designer-option-add'));
    await page.fill(tid('designer-option-value-1'), 'f5');
    await page.fill(tid('designer-option-zh-1'), '五楼');
    // Field 2: shown only for the fifth floor, and required.
    await page.click(tid('designer-add-field'));
    await page.fill(tid('designer-key'), 'room');
    await page.fill(tid('designer-label-zh'), '房间号');
    await page.click(tid('designer-required'));
    await page.click(tid('designer-showif-add'));
    await pickOption(page, 'designer-showif-op-0', '等于');
    await pickOption(page, 'designer-showif-value-0', '五楼');

    // The preview applies the rule live.
    await page.click('.ant-tabs-tab:has-text("预览")');
    await page.waitForSelector(tid('preview-field-floor'));
    expect(await page.locator(tid('preview-field-room')).count()).toBe(0);
    await pickOption(page, 'preview-field-floor', '五楼');
    await page.waitForSelector(tid('preview-field-room'));

    await page.click(tid('type-create'));
    await page.waitForURL((u) => /^\/settings\/request-types\/\d+$/.test(u.pathname));
    const typeId = Number(new URL(page.url()).pathname.split('/').pop());
    const admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
    const created = await admin.get<{ formVersion: number; workflowKey: string; taskTemplates: { title: string }[] }>(`/api/request-types/${typeId}`);
    expect(created).toMatchObject({ formVersion: 1, workflowKey: 'request.simple', taskTemplates: [{ title: '安装打印机驱动' }] });
    const v1 = await admin.get<{ schema: { fields: { key: string; required: boolean; showIf: unknown[] }[] } }>(`/api/request-types/${typeId}/forms/1`);
    expect(v1.schema.fields.map((f) => f.key)).toEqual(['floor', 'room']);
    expect(v1.schema.fields[1]).toMatchObject({ required: true, showIf: [{ field: 'floor', op: 'eq', value: 'f5' }] });

    // Another field, saved as version 2.
    await page.click('.ant-tabs-tab:has-text("表单设计")');
    await page.waitForSelector(tid('designer-field-room'));
    await page.click(tid('designer-add-field'));
    await page.fill(tid('designer-key'), 'reason');
    await page.fill(tid('designer-label-zh'), '用途');
    await page.click(tid('form-save'));
    await page.waitForFunction(([sel]) => (document.querySelector(sel)?.textContent ?? '').includes('v3'), [tid('form-save')] as const);
    const v2 = await admin.get<{ schema: { fields: { key: string }[] } }>(`/api/request-types/${typeId}/forms/2`);
    expect(v2.schema.fields.map((f) => f.key)).toEqual(['floor', 'room', 'reason']);
    expect(errors).toEqual([]);
  });
});

