import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { zonedParts } from '../../contracts/src/zoned-time.ts';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar, type WorkPeriod } from '../../server/src/modules/calendars/business-time.ts';
import { findProviderOrg } from '../../server/src/modules/directory/directory.queries.ts';
import { makeGroup, makeOrg, makeUser, TEST_PASSWORD, uniq } from '../../server/src/test/factories.ts';
import { ADMIN_PASSWORD, apiLogin, confirmModal, pickOption, tid, useE2e } from './harness.ts';

const e2e = useE2e();
const ZONE = 'Asia/Shanghai';
const TARGET_MINUTES = 4 * 60;

/** A page in Shanghai time, as the ops team using it. */
async function open() {
  const context = await e2e.browser.newContext({ locale: 'zh-CN', timezoneId: ZONE, viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  e2e.pages.push(page);
  return { page, errors };
}

async function login(page: Page, username: string, password: string) {
  await page.goto(`${e2e.server.url}/login`);
  await page.fill(tid('login-username'), username);
  await page.fill(tid('login-password'), password);
  await page.click(tid('login-submit'));
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

/** Types a date into an antd date picker and confirms it. */
async function typeDate(page: Page, pickerId: string, text: string) {
  const input = page.locator(tid(pickerId)).locator('xpath=descendant-or-self::input').first();
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(text);
  await input.press('Enter');
  await page.waitForFunction(([sel, want]) => (document.querySelector(sel) as HTMLInputElement | null)?.value === want, [`${tid(pickerId)} input, input${tid(pickerId)}`, text] as const);
}

async function waitState(page: Page, state: string) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="incident-state"]')?.getAttribute('data-state') === s, state);
}

const two = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD HH:mm' as Shanghai shows the instant. */
function wallClock(epochMs: number): string {
  const p = zonedParts(epochMs, ZONE);
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/**
 * The next Monday-to-Friday date after today in Shanghai: a 4-hour target started in the afternoon,
 * on a Friday evening or at the weekend runs into it, while a pause during today's office hours
 * still uses business time.
 */
function holidayDate(): string {
  const p = zonedParts(Date.now(), ZONE);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return `${day.getUTCFullYear()}-${two(day.getUTCMonth() + 1)}-${two(day.getUTCDate())}`;
}

type ApiCalendar = { id: number; timeZone: string; weekly: { start: string; end: string }[][]; days: { date: string; kind: 'holiday' | 'workday' }[] };
type ApiClock = { definitionId: number; metric: string; state: string; dueAt: string | null };
type ApiEvent = { kind: string; at: string; data: Record<string, unknown> };

const clockMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The calendar as the server stores it, in the shape of the pure business-time functions. */
function businessCalendar(cal: ApiCalendar): BusinessCalendar {
  return {
    timeZone: cal.timeZone,
    weekly: cal.weekly.map((periods): WorkPeriod[] => periods.map((p) => ({ start: clockMinutes(p.start), end: clockMinutes(p.end) }))),
    holidays: new Set(cal.days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(cal.days.filter((d) => d.kind === 'workday').map((d) => d.date)),
  };
}

describe('SLA in the browser', () => {
  it('an admin builds a 5x8 calendar and a P2 SLA in the UI; the incident shows the due time, pauses on the customer and resumes later', async () => {
    const db = e2e.server.database.db;
    const provider = await findProviderOrg(db);
    if (!provider) throw new Error('no provider organisation');
    // Users and the customer come from the factories; the calendar and the SLA are made in the UI.
    const customer = await makeOrg(db, 'customer', uniq('SLA客户-'));
    const agent = await makeUser(db, provider.id, ['agent']);
    const engineer = await makeUser(db, provider.id, ['engineer']);
    const group = await makeGroup(db, [engineer.id], [customer.id]);

    const { page: admin, errors } = await open();
    await login(admin, 'admin', ADMIN_PASSWORD);

    // 1. A 5x8 calendar (09:00-12:00, 13:00-18:00, Monday to Friday) through settings → 工作日历.
    await admin.click(tid('nav-calendars'));
    await admin.waitForURL((u) => u.pathname === '/settings/calendars');
    await admin.click(tid('calendar-new'));
    const calendarName = uniq('5x8-');
    await admin.fill(tid('calendar-name'), calendarName);
    for (const day of [1, 2, 3, 4, 5]) {
      await admin.fill(tid(`calendar-period-${day}-0-end`), '12:00');
      await admin.click(tid(`calendar-period-${day}-add`));
      await admin.fill(tid(`calendar-period-${day}-1-start`), '13:00');
      await admin.fill(tid(`calendar-period-${day}-1-end`), '18:00');
    }
    expect(await admin.textContent(tid('calendar-weekly-total'))).toContain('40');
    await admin.uncheck(tid('calendar-statutory'));
    await admin.click(tid('calendar-create-ok'));
    await admin.waitForURL((u) => /^\/settings\/calendars\/\d+$/.test(u.pathname));
    const calendarId = Number(new URL(admin.url()).pathname.split('/').pop());

    // A holiday on the next working day (Shanghai).
    const holiday = holidayDate();
    await typeDate(admin, 'calendar-day-date', holiday);
    await admin.fill(tid('calendar-day-name'), 'SLA测试假日');
    await admin.click(tid('calendar-day-add'));
    await admin.waitForSelector(tid(`calendar-day-remove-${holiday}`));

    // 2. The SLA: P2 resolution within 4 business hours, for this customer only.
    await admin.click(tid('nav-sla'));
    await admin.waitForURL((u) => u.pathname === '/settings/sla');
    await admin.click(tid('sla-new'));
    await admin.waitForURL((u) => u.pathname === '/settings/sla/new');
    const slaName = uniq('标准服务-');
    // Saving an empty form is refused in the form, before anything is sent.
    await admin.click(tid('sla-save'));
    await admin.waitForSelector(tid('sla-targets-problem'));
    await admin.fill(tid('sla-name'), slaName);
    await pickOption(admin, 'sla-calendar', calendarName);
    await pickOption(admin, 'sla-match-priorities', 'P2', true);
    await pickOption(admin, 'sla-match-orgs', customer.name, true);
    await admin.fill(tid('sla-target-2-resolution-hours'), '4');
    await admin.click(tid('sla-save'));
    await admin.waitForURL((u) => /^\/settings\/sla\/\d+$/.test(u.pathname));
    const slaId = Number(new URL(admin.url()).pathname.split('/').pop());
    expect(await admin.textContent(tid('sla-detail-title'))).toBe(slaName);
    await admin.waitForSelector(tid('sla-version-1'));
    expect(await admin.inputValue(tid('sla-target-2-resolution-hours'))).toBe('4');

    // The list shows it with its targets.
    await admin.click(tid('nav-sla'));
    await admin.waitForSelector(tid(`sla-row-${slaId}`));
    expect(await admin.textContent(tid(`sla-row-${slaId}`))).toContain('P2 解决 4小时');

    // The server's message shows in the form: a second definition with the same name.
    await admin.click(tid('sla-new'));
    await admin.fill(tid('sla-name'), slaName);
    await pickOption(admin, 'sla-calendar', calendarName);
    await admin.fill(tid('sla-target-4-response-hours'), '8');
    await admin.click(tid('sla-save'));
    expect(await admin.locator(tid('sla-save-error')).textContent()).toContain('SLA 名称已被使用');

    // The calendar as stored, for the expected due times.
    const adminApi = await apiLogin(e2e.server.url, 'admin', ADMIN_PASSWORD);
    const storedCalendar = await adminApi.get<ApiCalendar>(`/api/calendars/${calendarId}`);
    expect(storedCalendar.days).toContainEqual(expect.objectContaining({ date: holiday, kind: 'holiday' }));
    expect(storedCalendar.weekly[1]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ]);
    const cal = businessCalendar(storedCalendar);

    // 3. A P2 incident of that customer (made through the API by the service desk).
    const agentApi = await apiLogin(e2e.server.url, agent.username, TEST_PASSWORD);
    const incident = await agentApi.post<{ id: number; number: string; priority: number; createdAt: string }>('/api/tickets', {
      title: `核心交换机端口异常 ${uniq('')}`,
      orgId: customer.id,
      impact: 1,
      urgency: 2,
      assignmentGroupId: group.id,
    });
    expect(incident.priority).toBe(2);
    const created = new Date(incident.createdAt);
    const expectedDue = addBusinessMinutes(cal, created, TARGET_MINUTES);
    // Whatever the hour: the due time is inside office hours and never on the holiday.
    const dueParts = zonedParts(expectedDue.getTime(), ZONE);
    const H = 3_600_000;
    const dueInDay = (dueParts.hour * 3600 + dueParts.minute * 60 + dueParts.second) * 1000 + (expectedDue.getTime() % 1000);
    expect(`${dueParts.year}-${two(dueParts.month)}-${two(dueParts.day)}`).not.toBe(holiday);
    expect([0, 6]).not.toContain(new Date(Date.UTC(dueParts.year, dueParts.month - 1, dueParts.day)).getUTCDay());
    expect((dueInDay > 9 * H && dueInDay <= 12 * H) || (dueInDay > 13 * H && dueInDay <= 18 * H)).toBe(true);

    // 4. The engineer sees the clock on the incident: the due time of the 5x8 calendar with the holiday.
    const { page: eng, errors: engErrors } = await open();
    await login(eng, engineer.username, TEST_PASSWORD);
    await eng.goto(`${e2e.server.url}/incidents/${incident.id}`);
    const row = eng.locator(`${tid('sla-clock-resolution')}[data-definition-id="${slaId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('running');
    expect(await row.locator(tid('sla-clock-due')).getAttribute('data-due-at')).toBe(expectedDue.toISOString());
    expect(await row.locator(tid('sla-clock-due')).textContent()).toBe(wallClock(expectedDue.getTime()));
    expect(await row.locator(tid('sla-clock-state')).textContent()).toMatch(/^剩余 /);
    expect(await row.textContent()).toContain(slaName);
    expect(await row.textContent()).toContain('4小时');
    expect(await eng.locator('[data-testid^="sla-clock-"][data-definition-id]').count()).toBe(1);

    // The list shows the badge, and the "at risk" filter leaves a fresh clock out.
    await eng.goto(`${e2e.server.url}/incidents`);
    const badge = eng.locator(tid(`sla-badge-${incident.number}`));
    await badge.waitFor();
    expect(await badge.getAttribute('data-state')).toBe('running');
    expect(await badge.textContent()).toMatch(/^剩余 /);
    await pickOption(eng, 'incident-filter-sla', '即将超时');
    await eng.waitForURL((u) => u.searchParams.get('sla') === 'at_risk');
    await eng.waitForSelector(tid(`incident-row-${incident.number}`), { state: 'detached' });

    // 5. The engineer takes it and pends it on the customer: the clock pauses, with the reason.
    await eng.goto(`${e2e.server.url}/incidents/${incident.id}`);
    await row.waitFor();
    await eng.click(tid('action-take'));
    await confirmModal(eng);
    await waitState(eng, 'in_progress');
    const dueBefore = await row.locator(tid('sla-clock-due')).getAttribute('data-due-at');
    expect(dueBefore).toBe(expectedDue.toISOString());
    await eng.click(tid('action-pend'));
    await pickOption(eng, 'action-pending-reason', '等待客户');
    await confirmModal(eng);
    await waitState(eng, 'pending');
    await eng.waitForSelector(`${tid('sla-clock-resolution')}[data-definition-id="${slaId}"][data-state="paused"]`);
    expect(await row.locator(tid('sla-clock-state')).textContent()).toBe('已暂停（等待客户）');
    expect(await row.locator(tid('sla-clock-due')).textContent()).toContain('暂停中');
    const pauseEvent = eng.locator(`${tid('event-sla')}[data-sla-event="pause"]`);
    await pauseEvent.waitFor();
    expect(await pauseEvent.textContent()).toContain(`SLA「${slaName}」解决时限 已暂停：等待客户`);

    // 6. Resumed a moment later: running again, due no earlier than before (later when the pause was in office hours).
    await eng.waitForTimeout(1500);
    await eng.click(tid('action-resume'));
    await confirmModal(eng);
    await waitState(eng, 'in_progress');
    await eng.waitForSelector(`${tid('sla-clock-resolution')}[data-definition-id="${slaId}"][data-state="running"]`);
    const dueAfter = (await row.locator(tid('sla-clock-due')).getAttribute('data-due-at')) ?? '';
    expect(new Date(dueAfter).getTime()).toBeGreaterThanOrEqual(new Date(dueBefore ?? '').getTime());
    await eng.waitForSelector(`${tid('event-sla')}[data-sla-event="resume"]`);

    // The new due time is the old one moved by the paused business time, on the same calendar.
    const engApi = await apiLogin(e2e.server.url, engineer.username, TEST_PASSWORD);
    const events = (await engApi.get<ApiEvent[]>(`/api/tickets/${incident.id}/events`)).filter((e) => e.kind === 'sla' && e.data['definitionId'] === slaId);
    const at = (name: string) => new Date(events.find((e) => e.data['event'] === name)?.at ?? NaN);
    const usedBeforePause = businessMinutesBetween(cal, created, at('pause'));
    const expectedAfter = addBusinessMinutes(cal, at('resume'), TARGET_MINUTES - usedBeforePause);
    expect(Math.abs(new Date(dueAfter).getTime() - expectedAfter.getTime())).toBeLessThanOrEqual(1000);
    // Paused in office hours: later by the paused time; outside them no business time passed, so it stays.
    if (businessMinutesBetween(cal, at('pause'), at('resume')) > 0) expect(new Date(dueAfter).getTime()).toBeGreaterThan(new Date(dueBefore ?? '').getTime());
    else expect(dueAfter).toBe(dueBefore);
    const clocks = await engApi.get<ApiClock[]>(`/api/tickets/${incident.id}/clocks`);
    expect(clocks.find((c) => c.definitionId === slaId)?.dueAt).toBe(dueAfter);
    expect(await row.locator(tid('sla-clock-due')).textContent()).toBe(wallClock(new Date(dueAfter).getTime()));

    expect(errors).toEqual([]);
    expect(engErrors).toEqual([]);
  });
});
