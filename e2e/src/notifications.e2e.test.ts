import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/platform/config/config.ts';
import { deliverDue, notify } from '../../server/src/modules/notifications/notifications.service.ts';
import { ADMIN_PASSWORD, apiLogin, newPage, tid, useE2e } from './harness.ts';

const e2e = useE2e();

/** A local webhook receiver recording what the server posts. */
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let receiver: http.Server;
let hookUrl = '';
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

describe('notifications in the browser', () => {
  it('admin sets up a signed webhook; the bell shows a live notification that opens and is marked read', async () => {
    const { page } = await newPage(e2e.browser);
    e2e.pages.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.server.url}/login`);
    await page.fill(tid('login-username'), 'admin');
    await page.fill(tid('login-password'), ADMIN_PASSWORD);
    await page.click(tid('login-submit'));
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));

    // A webhook channel through the admin page, then a test message.
    await page.goto(`${e2e.server.url}/settings/notification-channels`);
    await page.click(tid('channel-new'));
    await page.fill(tid('channel-name'), '值班 Webhook');
    await page.fill(tid('channel-url'), hookUrl);
    await page.fill(tid('channel-secret'), 'e2e-secret');
    await page.click(tid('channel-save'));
    const row = page.locator('[data-testid^="channel-row-"]', { hasText: '值班 Webhook' });
    await row.waitFor();
    expect(await row.textContent()).toContain('已设置');
    await row.locator('[data-testid^="channel-test-"]').first().click();
    const result = row.locator('[data-testid^="channel-test-result-"]');
    await result.waitFor();
    expect(await result.textContent()).toContain('测试消息已发送（HTTP 200');
    const test = received.at(-1);
    expect(test?.headers['x-tianshu-event']).toBe('channel.test');
    const ts = String(test?.headers['x-tianshu-timestamp']);
    expect(test?.headers['x-tianshu-signature']).toBe(`sha256=${crypto.createHmac('sha256', 'e2e-secret').update(`${ts}.${test?.body}`).digest('hex')}`);

    // No unread notification yet; one arrives through the server-side notify() and the stream.
    await page.waitForSelector(`${tid('notification-badge')}[data-count="0"]`);
    const admin = await apiLogin(e2e.server.url, 'admin', ADMIN_PASSWORD);
    const me = await admin.get<{ id: number }>('/api/auth/me');
    const db = e2e.server.database.db;
    await db.transaction(async (tx) =>
      notify(tx, {
        event: 'sla.breached',
        userIds: [me.id],
        params: { number: 'INC-E2E-1', title: '核心交换机故障', metric: 'resolution' },
        link: '/settings/notifications',
        urgent: true,
      }),
    );
    await page.waitForSelector(`${tid('notification-badge')}[data-count="1"]`, { timeout: 15_000 });

    await page.click(tid('notification-bell'));
    const item = page.locator('[data-testid^="notification-item-"]', { hasText: '工单 INC-E2E-1 的解决 SLA 已超时' });
    await item.waitFor();
    expect(await item.getAttribute('data-unread')).toBe('true');
    await item.click();
    await page.waitForURL((u) => u.pathname === '/settings/notifications');
    await page.locator(tid('page-title'), { hasText: '通知设置' }).waitFor();
    await page.waitForSelector(`${tid('notification-badge')}[data-count="0"]`);
    const list = await admin.get<{ items: { title: string; readAt: string | null }[] }>('/api/notifications');
    expect(list.items[0]).toMatchObject({ title: '工单 INC-E2E-1 的解决 SLA 已超时' });
    expect(list.items[0]?.readAt).not.toBeNull();

    // The channel got the event in its outbox; once sent, the delivery log shows it.
    const before = received.length;
    // deliverDue reads only the SMTP settings and PUBLIC_URL of the configuration.
    await deliverDue(db, loadConfig({ NODE_ENV: 'test', DATA_DIR: e2e.server.dataDir }));
    expect(received.length).toBe(before + 1);
    expect(JSON.parse(received.at(-1)?.body ?? '{}')).toMatchObject({ event: 'sla.breached', params: { number: 'INC-E2E-1' } });
    await page.goto(`${e2e.server.url}/settings/notification-channels`);
    await page.click(tid('tab-deliveries'));
    const delivery = page.locator('[data-testid^="delivery-row-"]', { hasText: 'SLA 已超时' });
    await delivery.waitFor();
    expect(await delivery.textContent()).toContain('已发送');
    expect(errors).toEqual([]);
  });
});
