import crypto from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { NotificationChannel, NotificationDelivery, NotificationItem, NotificationPage, NotificationPreferences } from '@tianshu/contracts';
import { zonedParts } from '@tianshu/contracts/zoned-time';
import { createTestApp, json, useTestWorld } from '../../test/test-app.ts';
import { login, makeOrg, makeUser, TEST_PASSWORD, uniq } from '../../test/factories.ts';
import { users } from '../directory/directory.tables.ts';
import { notificationDeliveries, notifications } from './notifications.tables.ts';
import { deliverDue, notify, quietUntil, retryDelayMs, type NotifyInput } from './notifications.service.ts';
import { renderMessage } from './notifications.templates.ts';

const world = useTestWorld();
const db = () => world.t.database.db;
type ErrorBody = { error: { code: string; message: string } };

/* ------------------------------ fixtures ------------------------------- */

type Hit = { path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: string };
type Reply = { status: number; body: string };

/** A local HTTP endpoint standing in for webhooks and the DingTalk / WeCom / Feishu robot APIs. */
async function startReceiver() {
  const hits: Hit[] = [];
  const plans = new Map<string, Reply[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://receiver');
      hits.push({ path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const plan = plans.get(u.pathname);
      const reply = (plan && plan.length > 1 ? plan.shift() : plan?.[0]) ?? { status: 200, body: '{"errcode":0,"errmsg":"ok","code":0}' };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** Replies for a path in order; the last one repeats. */
    plan: (path: string, replies: Reply[]) => plans.set(path, [...replies]),
    on: (path: string) => hits.filter((h) => h.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real SMTP server (smtp-server) collecting what nodemailer sends, parsed with mailparser. */
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

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  receiver = await startReceiver();
  smtp = await startSmtp();
});
afterAll(async () => {
  await receiver?.close();
  await smtp?.close();
});

const cfg = (extra: { smtpUrl?: string | undefined; publicUrl?: string } = {}) => ({ ...world.t.config, smtpUrl: smtp.url, publicUrl: 'https://itsm.example.cn', ...extra });

/** A fresh active provider user with an e-mail address (and a locale). */
async function person(opts: { email?: boolean; locale?: 'zh-CN' | 'en-US' } = {}) {
  const u = await makeUser(db(), world.w.provider.id, ['engineer']);
  const email = opts.email === false ? null : `${u.username}@example.cn`;
  await db().update(users).set({ email, locale: opts.locale ?? 'zh-CN' }).where(eq(users.id, u.id));
  return { ...u, email };
}

async function send(input: NotifyInput) {
  await db().transaction(async (tx) => notify(tx, input));
}

const deliveriesOf = (where: { userId?: number; channelId?: number }) =>
  db()
    .select()
    .from(notificationDeliveries)
    .where(where.userId ? eq(notificationDeliveries.userId, where.userId) : eq(notificationDeliveries.channelId, where.channelId ?? 0))
    .orderBy(notificationDeliveries.id);

const params = (n: string) => ({ number: n, title: '核心数据库主库宕机', priority: 'P1', actor: '值班经理' });

/* -------------------------------- tests -------------------------------- */

describe('templates and quiet hours', () => {
  it('renders each event in the recipient language, leaving out lines without data', () => {
    const zh = renderMessage('sla.warning', { number: 'INC1', title: '数据库宕机', pct: 75, due: '2026-03-02T01:00:00Z', metric: 'resolution' }, 'zh-CN');
    expect(zh).toEqual({ title: '工单 INC1 的解决 SLA 即将超时（已用 75%）', body: '数据库宕机\n截止时间：2026/03/02 09:00' });
    const en = renderMessage('ticket.assigned', { number: 'INC2', title: 'Disk full' }, 'en-US');
    expect(en).toEqual({ title: 'Ticket INC2 was assigned to you', body: 'Disk full' });
  });

  it('finds the end of quiet hours, across midnight and in the user time zone', () => {
    const q = { enabled: true, start: '22:00', end: '08:00', timeZone: 'Asia/Shanghai' };
    expect(quietUntil(q, new Date('2026-03-01T23:30:00+08:00'))?.toISOString()).toBe(new Date('2026-03-02T08:00:00+08:00').toISOString());
    expect(quietUntil(q, new Date('2026-03-02T07:59:00+08:00'))?.toISOString()).toBe(new Date('2026-03-02T08:00:00+08:00').toISOString());
    expect(quietUntil(q, new Date('2026-03-02T08:00:00+08:00'))).toBeNull();
    expect(quietUntil(q, new Date('2026-03-02T12:00:00+08:00'))).toBeNull();
    expect(quietUntil({ ...q, enabled: false }, new Date('2026-03-01T23:30:00+08:00'))).toBeNull();
    const noon = { enabled: true, start: '12:00', end: '13:30', timeZone: 'Europe/Berlin' };
    expect(quietUntil(noon, new Date('2026-07-01T12:10:00+02:00'))?.toISOString()).toBe(new Date('2026-07-01T13:30:00+02:00').toISOString());
    expect(retryDelayMs(1)).toBe(60_000);
    expect(retryDelayMs(5)).toBe(16 * 60_000);
  });
});

describe('in-app notifications', () => {
  it('lists only the own notifications, counts unread, marks read, pages with a cursor', async () => {
    const me = await person();
    const other = await person();
    const ticketNo = uniq('INC');
    await send({ event: 'ticket.assigned', userIds: [me.id, me.id, other.id], params: params(ticketNo), link: '/incidents/1' });
    await send({ event: 'ticket.resolved', userIds: [me.id], params: { number: `${ticketNo}-2`, title: '已恢复' } });
    await send({ event: 'sla.breached', userIds: [me.id], params: { number: `${ticketNo}-3`, title: '超时', metric: 'response' } });

    const c = await login(world.t.app, me.username, TEST_PASSWORD, me.id);
    const page1 = json<NotificationPage>(await c.get('/api/notifications?limit=2'));
    expect(page1.items.map((n) => n.event)).toEqual(['sla.breached', 'ticket.resolved']);
    expect(page1.items[0]?.title).toBe(`工单 ${ticketNo}-3 的响应 SLA 已超时`);
    expect(page1.nextCursor).toBe(page1.items[1]?.id);
    const page2 = json<NotificationPage>(await c.get(`/api/notifications?limit=2&cursor=${page1.nextCursor}`));
    // The duplicate id was dropped: one assignment notification.
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]).toMatchObject({ event: 'ticket.assigned', title: `工单 ${ticketNo} 已指派给您`, link: '/incidents/1', readAt: null });
    expect(page2.items[0]?.body).toBe('核心数据库主库宕机\n优先级：P1\n指派人：值班经理');
    expect(page2.nextCursor).toBeNull();
    expect(json<{ count: number }>(await c.get('/api/notifications/unread-count')).count).toBe(3);

    const assigned = page2.items[0] as NotificationItem;
    const o = await login(world.t.app, other.username, TEST_PASSWORD, other.id);
    const stranger = await o.post(`/api/notifications/${assigned.id}/read`);
    expect(stranger.statusCode).toBe(404);
    expect(json<ErrorBody>(stranger).error.code).toBe('NOT_FOUND');
    expect(json<NotificationPage>(await o.get('/api/notifications')).items.map((n) => n.title)).toEqual([`工单 ${ticketNo} 已指派给您`]);

    const read = json<NotificationItem>(await c.post(`/api/notifications/${assigned.id}/read`));
    expect(read.readAt).not.toBeNull();
    expect(json<{ count: number }>(await c.get('/api/notifications/unread-count')).count).toBe(2);
    expect(json<NotificationPage>(await c.get('/api/notifications?unread=true')).items.map((n) => n.id)).not.toContain(assigned.id);
    expect(json<{ updated: number }>(await c.post('/api/notifications/read-all')).updated).toBe(2);
    expect(json<{ count: number }>(await c.get('/api/notifications/unread-count')).count).toBe(0);
    expect(json<NotificationPage>(await c.get('/api/notifications?unread=true')).items).toEqual([]);
    // The other user's notification is untouched.
    expect(json<{ count: number }>(await o.get('/api/notifications/unread-count')).count).toBe(1);
    expect((await world.t.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
  });

  it('drops inactive users and writes English for English users', async () => {
    const gone = await person();
    await db().update(users).set({ status: 'disabled' }).where(eq(users.id, gone.id));
    const en = await person({ locale: 'en-US' });
    await send({ event: 'ticket.customer_replied', userIds: [gone.id, en.id], params: { number: 'INC9', title: 'VPN', actor: 'Alice', excerpt: 'still down' } });
    const rows = await db().select().from(notifications).where(inArray(notifications.userId, [gone.id, en.id]));
    expect(rows.map((r) => [r.userId, r.title, r.body])).toEqual([[en.id, 'The customer replied on ticket INC9', 'VPN\nAlice: still down']]);
    expect(await deliveriesOf({ userId: gone.id })).toEqual([]);
  });
});

describe('preferences and quiet hours', () => {
  it('has defaults, saves changes, and applies them to in-app and e-mail', async () => {
    const me = await person();
    const c = await login(world.t.app, me.username, TEST_PASSWORD, me.id);
    const defaults = json<NotificationPreferences>(await c.get('/api/notifications/preferences'));
    expect(defaults.events['ticket.assigned']).toEqual({ inApp: true, email: true });
    expect(defaults.events['ticket.resolved']).toEqual({ inApp: true, email: false });
    expect(defaults.events['sla.warning']).toEqual({ inApp: true, email: false });
    expect(defaults.quietHours).toMatchObject({ enabled: false, timeZone: 'Asia/Shanghai' });

    const saved = await c.put('/api/notifications/preferences', {
      events: { 'sla.warning': { inApp: false, email: false }, 'ticket.resolved': { inApp: true, email: true } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json<NotificationPreferences>(saved).events['ticket.assigned']).toEqual({ inApp: true, email: true });
    const badZone = await c.put('/api/notifications/preferences', { quietHours: { enabled: true, start: '22:00', end: '08:00', timeZone: 'Mars/Base' } });
    expect(json<ErrorBody>(badZone).error.code).toBe('CALENDAR_TIMEZONE_INVALID');
    expect((await c.put('/api/notifications/preferences', { quietHours: { enabled: true, start: '25:00', end: '08:00', timeZone: 'UTC' } })).statusCode).toBe(400);
    expect((await c.put('/api/notifications/preferences', { events: { 'no.such': { inApp: true, email: true } } })).statusCode).toBe(400);

    await send({ event: 'sla.warning', userIds: [me.id], params: { number: 'INC1', pct: 75 } });
    await send({ event: 'ticket.resolved', userIds: [me.id], params: { number: 'INC2' } });
    const inApp = await db().select().from(notifications).where(eq(notifications.userId, me.id));
    expect(inApp.map((n) => n.event)).toEqual(['ticket.resolved']);
    const mail = await deliveriesOf({ userId: me.id });
    expect(mail.map((d) => [d.channel, d.event, d.target])).toEqual([['email', 'ticket.resolved', me.email]]);

    const noMail = await person({ email: false });
    await send({ event: 'ticket.assigned', userIds: [noMail.id], params: { number: 'INC3' } });
    expect(await deliveriesOf({ userId: noMail.id })).toEqual([]);
    const aud = await world.w.as('auditor');
    expect(json<{ total: number }>(await aud.get(`/api/audit?action=notification.preferences&objectId=${me.id}`)).total).toBe(1);
  });

  it('holds e-mail until quiet hours end, unless the event is urgent', async () => {
    const me = await person();
    const c = await login(world.t.app, me.username, TEST_PASSWORD, me.id);
    const now = Date.now();
    const hhmm = (ms: number) => {
      const p = zonedParts(ms, 'Asia/Shanghai');
      return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
    };
    const r = await c.put('/api/notifications/preferences', { quietHours: { enabled: true, start: hhmm(now - 3_600_000), end: hhmm(now + 3_600_000), timeZone: 'Asia/Shanghai' } });
    expect(r.statusCode, r.body).toBe(200);
    await send({ event: 'sla.breached', userIds: [me.id], params: { number: 'INC-Q1' } });
    await send({ event: 'sla.breached', userIds: [me.id], params: { number: 'INC-Q2' }, urgent: true });
    const [held, urgent] = await deliveriesOf({ userId: me.id });
    const heldAt = held?.nextAttemptAt.getTime() ?? 0;
    expect(heldAt).toBeGreaterThan(now + 58 * 60_000);
    expect(heldAt).toBeLessThanOrEqual(now + 60 * 60_000);
    expect(urgent?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    // In-app is written at once either way.
    expect(await db().select().from(notifications).where(eq(notifications.userId, me.id))).toHaveLength(2);

    await deliverDue(db(), cfg());
    const after = await deliveriesOf({ userId: me.id });
    expect(after.map((d) => d.status)).toEqual(['pending', 'sent']);
    expect(smtp.mails.filter((m) => m.rcpt.includes(me.email ?? '')).map((m) => m.mail.subject)).toEqual(['[天枢] 工单 INC-Q2 的 SLA 已超时']);
  });
});

describe('e-mail delivery', () => {
  it('sends through SMTP in the recipient language with a link to the app', async () => {
    const zh = await person();
    const en = await person({ locale: 'en-US' });
    const no = uniq('INC');
    await send({ event: 'ticket.assigned', userIds: [zh.id, en.id], params: params(no), link: '/incidents/42', ticketId: null });
    expect(await deliverDue(db(), cfg())).toBeGreaterThanOrEqual(2);

    const toZh = smtp.mails.find((m) => m.rcpt.includes(zh.email ?? ''))?.mail;
    expect(toZh?.subject).toBe(`[天枢] 工单 ${no} 已指派给您`);
    expect(toZh?.text).toContain('核心数据库主库宕机');
    expect(toZh?.text).toContain('查看详情：https://itsm.example.cn/incidents/42');
    expect(toZh?.html).toContain('<a href="https://itsm.example.cn/incidents/42">');
    expect(toZh?.from?.value[0]).toMatchObject({ address: 'noreply@tianshu.local', name: '天枢 Tianshu' });
    expect(toZh?.headers.get('x-tianshu-event')).toBe('ticket.assigned');
    const toEn = smtp.mails.find((m) => m.rcpt.includes(en.email ?? ''))?.mail;
    expect(toEn?.subject).toBe(`[Tianshu] Ticket ${no} was assigned to you`);
    expect(toEn?.text).toContain('Open: https://itsm.example.cn/incidents/42');

    const rows = [...(await deliveriesOf({ userId: zh.id })), ...(await deliveriesOf({ userId: en.id }))];
    expect(rows.map((d) => [d.status, d.attempts, d.lastError])).toEqual([
      ['sent', 1, null],
      ['sent', 1, null],
    ]);
    expect(rows.every((d) => d.sentAt !== null)).toBe(true);
  });

  it('records e-mail as failed without retrying when SMTP is not configured, and retries when the server is down', async () => {
    const me = await person();
    await send({ event: 'ticket.assigned', userIds: [me.id], params: { number: 'INC-NOSMTP' } });
    await deliverDue(db(), cfg({ smtpUrl: undefined }));
    expect((await deliveriesOf({ userId: me.id })).map((d) => [d.status, d.attempts, d.lastError])).toEqual([['failed', 1, 'SMTP not configured']]);

    const down = await person();
    await send({ event: 'ticket.assigned', userIds: [down.id], params: { number: 'INC-DOWN' } });
    const now = new Date();
    // A port nobody listens on: the connection is refused.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await deliverDue(db(), cfg({ smtpUrl: `smtp://127.0.0.1:${deadPort}` }), now);
    const [row] = await deliveriesOf({ userId: down.id });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toMatch(/ECONNREFUSED/);
    expect(row?.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);
    await deliverDue(db(), cfg(), new Date(now.getTime() + 60_000));
    expect((await deliveriesOf({ userId: down.id }))[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(smtp.mails.some((m) => m.rcpt.includes(down.email ?? '') && m.mail.subject === '[天枢] 工单 INC-DOWN 已指派给您')).toBe(true);
  });
});

describe('outgoing channels', () => {
  async function createChannel(body: Record<string, unknown>) {
    const sys = await world.w.as('sysadmin');
    const r = await sys.post('/api/notification-channels', { orgId: world.w.custA.id, ...body });
    expect(r.statusCode, r.body).toBe(201);
    return json<NotificationChannel>(r);
  }

  it('sends signed webhooks and DingTalk / WeCom / Feishu robot messages in their formats', async () => {
    const p = uniq('/t');
    const secrets = { webhook: uniq('whsec_'), dingtalk: uniq('SEC'), feishu: uniq('fs') };
    const webhook = await createChannel({ name: 'Webhook', kind: 'webhook', url: receiver.url(`${p}/hook`), secret: secrets.webhook });
    const ding = await createChannel({ name: '钉钉值班群', kind: 'dingtalk', url: `${receiver.url(`${p}/ding`)}?access_token=abc123`, secret: secrets.dingtalk });
    const wecom = await createChannel({ name: '企业微信', kind: 'wecom', url: `${receiver.url(`${p}/wecom`)}?key=k-123`, events: ['sla.breached'] });
    const feishu = await createChannel({ name: '飞书', kind: 'feishu', url: receiver.url(`${p}/feishu/abcdefghijklmnopqrstuvwxyz`), secret: secrets.feishu });
    const resolvedOnly = await createChannel({ name: '只收解决', kind: 'webhook', url: receiver.url(`${p}/resolved`), events: ['ticket.resolved'] });
    const otherOrg = await createChannel({ name: '别的客户', kind: 'webhook', url: receiver.url(`${p}/other`), orgId: world.w.custB.id });
    expect(webhook.hasSecret).toBe(true);
    expect(wecom.hasSecret).toBe(false);

    const no = uniq('INC');
    const before = Date.now();
    await send({ event: 'sla.breached', userIds: [], orgId: world.w.custA.id, ticketId: null, link: '/incidents/7', params: { number: no, title: '网银交易失败', metric: 'resolution', due: '2026-03-02T01:00:00Z' }, urgent: true });
    expect(await deliveriesOf({ channelId: resolvedOnly.id })).toEqual([]);
    expect(await deliveriesOf({ channelId: otherOrg.id })).toEqual([]);
    const [dingRow] = await deliveriesOf({ channelId: ding.id });
    expect(dingRow?.target).toBe(receiver.url(`${p}/ding`));
    expect((await deliveriesOf({ channelId: feishu.id }))[0]?.target).toBe(receiver.url(`${p}/feishu/abcd…`));

    await deliverDue(db(), cfg());
    const title = `工单 ${no} 的解决 SLA 已超时`;

    const [wh] = receiver.on(`${p}/hook`);
    const whRow = (await deliveriesOf({ channelId: webhook.id }))[0];
    expect(wh?.headers['x-tianshu-event']).toBe('sla.breached');
    expect(wh?.headers['x-tianshu-delivery']).toBe(String(whRow?.id));
    const ts = String(wh?.headers['x-tianshu-timestamp']);
    expect(Number(ts) * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const expectedSig = `sha256=${crypto.createHmac('sha256', secrets.webhook).update(`${ts}.${wh?.body}`).digest('hex')}`;
    expect(wh?.headers['x-tianshu-signature']).toBe(expectedSig);
    expect(JSON.parse(wh?.body ?? '{}')).toMatchObject({
      event: 'sla.breached',
      deliveryId: whRow?.id,
      params: { number: no, metric: 'resolution' },
      ticketId: null,
      link: 'https://itsm.example.cn/incidents/7',
      title,
    });

    const [dd] = receiver.on(`${p}/ding`);
    expect(dd?.query.get('access_token')).toBe('abc123');
    const dts = dd?.query.get('timestamp') ?? '';
    expect(Math.abs(Number(dts) - Date.now())).toBeLessThan(60_000);
    expect(dd?.query.get('sign')).toBe(crypto.createHmac('sha256', secrets.dingtalk).update(`${dts}\n${secrets.dingtalk}`).digest('base64'));
    const dingBody = JSON.parse(dd?.body ?? '{}') as { msgtype: string; markdown: { title: string; text: string } };
    expect(dingBody.msgtype).toBe('markdown');
    expect(dingBody.markdown.title).toBe(title);
    expect(dingBody.markdown.text).toContain(`### ${title}`);
    expect(dingBody.markdown.text).toContain('截止时间：2026/03/02 09:00');
    expect(dingBody.markdown.text).toContain('[查看详情](https://itsm.example.cn/incidents/7)');

    const [wc] = receiver.on(`${p}/wecom`);
    expect(wc?.query.get('key')).toBe('k-123');
    const wecomBody = JSON.parse(wc?.body ?? '{}') as { msgtype: string; markdown: { content: string } };
    expect(wecomBody.msgtype).toBe('markdown');
    expect(wecomBody.markdown.content).toContain(title);

    const [fs] = receiver.on(`${p}/feishu/abcdefghijklmnopqrstuvwxyz`);
    const fsBody = JSON.parse(fs?.body ?? '{}') as { timestamp: string; sign: string; msg_type: string; content: { text: string } };
    expect(Math.abs(Number(fsBody.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(fsBody.sign).toBe(crypto.createHmac('sha256', `${fsBody.timestamp}\n${secrets.feishu}`).update('').digest('base64'));
    expect(fsBody.msg_type).toBe('text');
    expect(fsBody.content.text).toContain(title);
    expect(fsBody.content.text).toContain('https://itsm.example.cn/incidents/7');

    for (const ch of [webhook, ding, wecom, feishu]) {
      expect((await deliveriesOf({ channelId: ch.id })).map((d) => [d.channel, d.status, d.attempts])).toEqual([[ch.kind, 'sent', 1]]);
    }
    // An event the WeCom channel did not subscribe to.
    await send({ event: 'sla.warning', userIds: [], orgId: world.w.custA.id, params: { number: no, pct: 80 } });
    expect(await deliveriesOf({ channelId: wecom.id })).toHaveLength(1);
    expect(await deliveriesOf({ channelId: webhook.id })).toHaveLength(2);
    const sys = await world.w.as('sysadmin');
    for (const ch of [webhook, ding, wecom, feishu, resolvedOnly, otherOrg]) expect((await sys.del(`/api/notification-channels/${ch.id}`)).statusCode).toBe(200);
  });

  it('retries with backoff and never lets one failing channel block e-mail or the others', async () => {
    const p = uniq('/r');
    receiver.plan(`${p}/flaky`, [
      { status: 500, body: 'boom' },
      { status: 503, body: '' },
      { status: 200, body: '{}' },
    ]);
    receiver.plan(`${p}/ding`, [{ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }]);
    const flaky = await createChannel({ name: 'flaky', kind: 'webhook', url: receiver.url(`${p}/flaky`) });
    const broken = await createChannel({ name: 'broken', kind: 'dingtalk', url: receiver.url(`${p}/ding`), secret: 'SECwrong' });
    const fine = await createChannel({ name: 'fine', kind: 'wecom', url: receiver.url(`${p}/ok`) });
    const me = await person();
    await send({ event: 'ticket.assigned', userIds: [me.id], orgId: world.w.custA.id, params: { number: 'INC-RETRY' } });

    let now = new Date();
    await deliverDue(db(), cfg(), now);
    expect((await deliveriesOf({ userId: me.id }))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await deliveriesOf({ channelId: fine.id }))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    let [f] = await deliveriesOf({ channelId: flaky.id });
    expect(f).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500: boom' });
    expect(f?.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);
    let [b] = await deliveriesOf({ channelId: broken.id });
    expect(b).toMatchObject({ status: 'pending', attempts: 1, lastError: 'errcode 310000: sign not match' });

    // Not due yet: nothing is sent again.
    await deliverDue(db(), cfg(), new Date(now.getTime() + 30_000));
    expect(receiver.on(`${p}/flaky`)).toHaveLength(1);

    now = new Date(now.getTime() + 60_000);
    await deliverDue(db(), cfg(), now);
    [f] = await deliveriesOf({ channelId: flaky.id });
    expect(f).toMatchObject({ status: 'pending', attempts: 2, lastError: 'HTTP 503' });
    expect(f?.nextAttemptAt.getTime()).toBe(now.getTime() + 2 * 60_000);

    now = new Date(now.getTime() + 2 * 60_000);
    await deliverDue(db(), cfg(), now);
    [f] = await deliveriesOf({ channelId: flaky.id });
    expect(f).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(receiver.on(`${p}/flaky`)).toHaveLength(3);
    expect(receiver.on(`${p}/ok`)).toHaveLength(1);

    // The broken robot is given up after six attempts: 1 + 2 + 4 + 8 + 16 minutes later.
    for (let i = 0; i < 6; i++) {
      [b] = await deliveriesOf({ channelId: broken.id });
      if (b?.status !== 'pending') break;
      await deliverDue(db(), cfg(), b.nextAttemptAt);
    }
    [b] = await deliveriesOf({ channelId: broken.id });
    expect(b).toMatchObject({ status: 'failed', attempts: 6, lastError: 'errcode 310000: sign not match' });
    expect(receiver.on(`${p}/ding`)).toHaveLength(6);

    const sys = await world.w.as('sysadmin');
    const log = json<{ items: NotificationDelivery[] }>(await sys.get(`/api/notification-deliveries?status=failed&channelId=${broken.id}`));
    expect(log.items.map((d) => [d.channel, d.channelName, d.attempts, d.lastError])).toEqual([['dingtalk', 'broken', 6, 'errcode 310000: sign not match']]);
    const all = json<{ items: NotificationDelivery[] }>(await sys.get('/api/notification-deliveries?limit=200'));
    expect(all.items.find((d) => d.userId === me.id)).toMatchObject({ channel: 'email', status: 'sent', target: me.email, userName: me.displayName });
    for (const ch of [flaky, broken, fine]) await sys.del(`/api/notification-channels/${ch.id}`);
  });

  it('lets only notification managers administer channels, hides secrets, audits, tests', async () => {
    const sys = await world.w.as('sysadmin');
    const secret = uniq('topsecret-');
    const p = uniq('/a');
    const created = await createChannel({ name: '运维群', kind: 'dingtalk', url: receiver.url(`${p}/ding`), secret, events: ['sla.breached', 'sla.escalated'] });
    expect(created).toMatchObject({ name: '运维群', kind: 'dingtalk', hasSecret: true, events: ['sla.breached', 'sla.escalated'], orgId: world.w.custA.id, orgName: world.w.custA.name, enabled: true, version: 1 });
    const list = await sys.get('/api/notification-channels');
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toContain('"secret"');
    expect(json<NotificationChannel[]>(list).find((c) => c.id === created.id)?.hasSecret).toBe(true);

    const engineer = await world.w.as('engineer');
    expect((await engineer.get('/api/notification-channels')).statusCode).toBe(403);
    expect((await engineer.post('/api/notification-channels', { name: 'x', kind: 'webhook', url: 'https://example.cn/h' })).statusCode).toBe(403);
    expect((await engineer.post(`/api/notification-channels/${created.id}/test`)).statusCode).toBe(403);
    expect((await engineer.get('/api/notification-deliveries')).statusCode).toBe(403);

    expect(json<ErrorBody>(await sys.post('/api/notification-channels', { name: 'x', kind: 'webhook', url: 'ftp://example.cn/h' })).error.code).toBe('VALIDATION_FAILED');
    expect(json<ErrorBody>(await sys.post('/api/notification-channels', { name: 'x', kind: 'slack', url: 'https://example.cn/h' })).error.code).toBe('VALIDATION_FAILED');
    expect(json<ErrorBody>(await sys.post('/api/notification-channels', { name: 'x', kind: 'webhook', url: 'https://example.cn/h', events: ['nope'] })).error.code).toBe('VALIDATION_FAILED');
    expect(json<ErrorBody>(await sys.post('/api/notification-channels', { name: 'x', kind: 'webhook', url: 'https://example.cn/h', orgId: 99999999 })).error.code).toBe('REFERENCE_INVALID');

    const renamed = await sys.patch(`/api/notification-channels/${created.id}`, { version: 1, name: '运维值班群', enabled: false });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(json<NotificationChannel>(renamed)).toMatchObject({ name: '运维值班群', enabled: false, hasSecret: true, version: 2 });
    const stale = await sys.patch(`/api/notification-channels/${created.id}`, { version: 1, name: '旧' });
    expect(stale.statusCode).toBe(409);
    expect(json<ErrorBody>(stale).error.code).toBe('VERSION_CONFLICT');
    const cleared = json<NotificationChannel>(await sys.patch(`/api/notification-channels/${created.id}`, { version: 2, secret: null, enabled: true }));
    expect(cleared).toMatchObject({ hasSecret: false, version: 3 });
    expect((await sys.patch('/api/notification-channels/99999999', { version: 1, name: 'x' })).statusCode).toBe(404);

    // Test message: the receiver answers, then fails.
    const ok = await sys.post(`/api/notification-channels/${created.id}/test`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<{ ok: boolean; status: number }>(ok)).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(receiver.on(`${p}/ding`)[0]?.body ?? '{}')).toMatchObject({ msgtype: 'markdown', markdown: { title: '天枢通知渠道测试' } });
    receiver.plan(`${p}/ding`, [{ status: 502, body: 'bad gateway' }]);
    const failed = await sys.post(`/api/notification-channels/${created.id}/test`);
    expect(failed.statusCode).toBe(502);
    expect(json<ErrorBody>(failed).error).toMatchObject({ code: 'CHANNEL_TEST_FAILED', message: '通知渠道测试失败：HTTP 502: bad gateway' });

    // A pending message of a deleted channel is given up, the log row kept.
    await send({ event: 'sla.breached', userIds: [], orgId: world.w.custA.id, params: { number: 'INC-DEL' } });
    const [pending] = await deliveriesOf({ channelId: created.id });
    expect(pending?.status).toBe('pending');
    expect((await sys.del(`/api/notification-channels/${created.id}`)).statusCode).toBe(200);
    expect((await sys.del(`/api/notification-channels/${created.id}`)).statusCode).toBe(404);
    const [kept] = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.id, pending?.id ?? 0));
    expect(kept).toMatchObject({ status: 'failed', lastError: 'channel deleted', channelId: null });

    const aud = await world.w.as('auditor');
    const trail = json<{ items: { action: string; result: string; details: unknown }[] }>(
      await aud.get(`/api/audit?objectType=notification_channel&objectId=${created.id}&pageSize=50`),
    );
    expect(trail.items.map((a) => `${a.action}:${a.result}`).sort()).toEqual(
      [
        'notification_channel.create:success',
        'notification_channel.update:success',
        'notification_channel.update:success',
        'notification_channel.test:success',
        'notification_channel.test:failed',
        'notification_channel.delete:success',
      ].sort(),
    );
    expect(JSON.stringify(trail.items)).not.toContain(secret);
  });
});

describe('live unread stream (SSE)', () => {
  async function openStream(base: string, cookie: string) {
    const ac = new AbortController();
    const res = await fetch(`${base}/api/notifications/stream`, { headers: { cookie }, signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    const next = async (timeoutMs = 10_000): Promise<{ event: string; data: string }> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let idx: number;
        while ((idx = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data !== undefined) return { event, data };
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no event in time');
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_r, reject) => {
            timer = setTimeout(() => reject(new Error('no event in time')), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) throw new Error('stream ended');
        buf += chunk.value;
      }
    };
    return { res, next, close: () => ac.abort() };
  }

  it('pushes the unread count on connect and after a notification commits', async () => {
    await world.t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(world.t.app.server.address() as AddressInfo).port}`;
    const me = await person();
    const c = await login(world.t.app, me.username, TEST_PASSWORD, me.id);
    await send({ event: 'ticket.resolved', userIds: [me.id], params: { number: 'INC-S0' } });

    const anon = await fetch(`${base}/api/notifications/stream`);
    expect(anon.status).toBe(401);
    await anon.body?.cancel();

    const s = await openStream(base, c.cookie);
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('content-type')).toContain('text/event-stream');
    expect(s.res.headers.get('cache-control')).toBe('no-store');
    expect(await s.next()).toEqual({ event: 'unread', data: '{"count":1}' });
    // A second tab of the same user and another user's stream.
    const s2 = await openStream(base, c.cookie);
    expect(await s2.next()).toEqual({ event: 'unread', data: '{"count":1}' });
    const other = await person();
    const oc = await login(world.t.app, other.username, TEST_PASSWORD, other.id);
    const so = await openStream(base, oc.cookie);
    expect(await so.next()).toEqual({ event: 'unread', data: '{"count":0}' });

    await send({ event: 'ticket.assigned', userIds: [me.id], params: { number: 'INC-S1' } });
    expect(await s.next()).toEqual({ event: 'unread', data: '{"count":2}' });
    expect(await s2.next()).toEqual({ event: 'unread', data: '{"count":2}' });
    s2.close();
    expect(json<{ updated: number }>(await c.post('/api/notifications/read-all')).updated).toBe(2);
    expect(await s.next()).toEqual({ event: 'unread', data: '{"count":0}' });
    // Nothing reached the other user's stream.
    await expect(so.next(500)).rejects.toThrow('no event in time');
    s.close();
    so.close();
  });

  it('ends open streams when the server shuts down', async () => {
    const t = await createTestApp();
    try {
      const org = await makeOrg(t.database.db, 'provider');
      const u = await makeUser(t.database.db, org.id, ['engineer']);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const c = await login(t.app, u.username, TEST_PASSWORD, u.id);
      const s = await openStream(base, c.cookie);
      expect(await s.next()).toEqual({ event: 'unread', data: '{"count":0}' });
      const started = Date.now();
      await t.app.close();
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(s.next(2_000)).rejects.toThrow(/stream ended|terminated|no event/);
    } finally {
      await t.close();
    }
  });
});
