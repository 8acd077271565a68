import { beforeAll, describe, expect, it } from 'vitest';
import type { Calendar, CalendarSummary } from '@tianshu/contracts';
import { json, useTestWorld } from '../../test/test-app.ts';
import { ensurePresetCalendars } from './calendars.service.ts';
import { parseIcs, renderIcs } from './ics.ts';

const world = useTestWorld();
beforeAll(async () => {
  await Promise.all([ensurePresetCalendars(world.t.database.db), ensurePresetCalendars(world.t.database.db)]);
});

const weekly = [[], ...Array.from({ length: 5 }, () => [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }]), []];

function multipart(filename: string, content: string) {
  const boundary = `----cal${Date.now()}`;
  const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/calendar\r\n\r\n${content}\r\n--${boundary}--\r\n`);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('business calendars API', () => {
  it('ships the 7x24 and Chinese 5x8 presets once, with the statutory days', async () => {
    const sys = await world.w.as('sysadmin');
    const list = json<CalendarSummary[]>(await sys.get('/api/calendars'));
    expect(list.filter((c) => c.preset === '7x24')).toHaveLength(1);
    const cn = list.find((c) => c.preset === 'cn-5x8');
    expect(cn?.weeklyMinutes).toBe(5 * 8 * 60);
    const full = json<Calendar>(await sys.get(`/api/calendars/${cn?.id}`));
    expect(full.days.find((d) => d.date === '2026-02-14')).toMatchObject({ kind: 'workday', source: 'statutory' });
    expect(full.days.find((d) => d.date === '2026-10-01')).toMatchObject({ kind: 'holiday', name: '国庆节' });
    // Data runs to 2026: a calendar viewed in 2026 warns about 2027.
    const y = new Date().getUTCFullYear();
    expect(full.yearsWithoutHolidays).toEqual([y - 1, y, y + 1].filter((year) => year < 2025 || year > 2026));
    const allDay = list.find((c) => c.preset === '7x24');
    expect(json<Calendar>(await sys.get(`/api/calendars/${allDay?.id}`)).yearsWithoutHolidays).toEqual([]);
  });

  it('creates a calendar, computes business time, and audits changes', async () => {
    const sys = await world.w.as('sysadmin');
    const r = await sys.post('/api/calendars', { name: '客户甲 工作时间', weekly });
    expect(r.statusCode, r.body).toBe(201);
    const cal = json<Calendar>(r);
    const c = json<{ due: string; nextWorkingInstant: string; businessMinutes: number }>(
      await sys.get(`/api/calendars/${cal.id}/compute?from=${encodeURIComponent('2026-02-13T17:00:00+08:00')}&minutes=240&to=${encodeURIComponent('2026-02-24T14:00:00+08:00')}`),
    );
    expect(c.due).toBe(new Date('2026-02-14T12:00:00+08:00').toISOString());
    expect(c.businessMinutes).toBe(720);
    const aud = await world.w.as('auditor');
    expect(json<{ total: number }>(await aud.get(`/api/audit?action=calendar.create&objectId=${cal.id}`)).total).toBe(1);
  });

  it('adds company days and refuses stale versions, bad zones and overlapping periods', async () => {
    const sys = await world.w.as('sysadmin');
    const cal = json<Calendar>(await sys.post('/api/calendars', { name: '公司日历', weekly, withStatutoryDays: false }));
    const after = json<Calendar>(await sys.post(`/api/calendars/${cal.id}/days`, { upsert: [{ date: '2026-03-03', kind: 'holiday', name: '司庆' }] }));
    expect(after.days).toEqual([{ date: '2026-03-03', kind: 'holiday', name: '司庆', source: 'custom' }]);
    const due = json<{ due: string }>(await sys.get(`/api/calendars/${cal.id}/compute?from=${encodeURIComponent('2026-03-02T17:00:00+08:00')}&minutes=120`));
    expect(due.due).toBe(new Date('2026-03-04T10:00:00+08:00').toISOString());
    const stale = await sys.patch(`/api/calendars/${cal.id}`, { version: cal.version, name: '旧版本' });
    expect(stale.statusCode).toBe(409);
    const tz = await sys.patch(`/api/calendars/${cal.id}`, { version: after.version, timeZone: 'Mars/Olympus' });
    expect(json<{ error: { code: string; message: string } }>(tz).error).toMatchObject({ code: 'CALENDAR_TIMEZONE_INVALID', message: '未知的时区：Mars/Olympus' });
    const overlap = await sys.post('/api/calendars', { name: '重叠', weekly: [[], [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }], [], [], [], [], []] });
    expect(overlap.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(overlap).error.message).toContain('同一天的工作时段不能重叠');
    const agent = await world.w.as('agent');
    expect((await agent.post(`/api/calendars/${cal.id}/days`, { remove: ['2026-03-03'] })).statusCode).toBe(403);
    expect((await agent.get(`/api/calendars/${cal.id}`)).statusCode).toBe(200);
  });

  it('refuses a week without working time and days outside the calendar range, writing nothing', async () => {
    const sys = await world.w.as('sysadmin');
    type Err = { error: { code: string; message: string } };
    const before = json<CalendarSummary[]>(await sys.get('/api/calendars')).length;
    const empty = await sys.post('/api/calendars', { name: '空', weekly: [[], [], [], [], [], [], []] });
    expect(empty.statusCode).toBe(422);
    expect(json<Err>(empty).error).toMatchObject({ code: 'CALENDAR_NO_WORKING_TIME', message: '工作日历至少需要一个工作时段' });
    expect(json<CalendarSummary[]>(await sys.get('/api/calendars'))).toHaveLength(before);
    const cal = json<Calendar>(await sys.post('/api/calendars', { name: '范围', weekly, withStatutoryDays: false }));
    const emptied = await sys.patch(`/api/calendars/${cal.id}`, { version: cal.version, weekly: [[], [], [], [], [], [], []] });
    expect(json<Err>(emptied).error.code).toBe('CALENDAR_NO_WORKING_TIME');
    for (const date of ['1999-12-31', '2206-01-01', '2026-02-30']) {
      const res = await sys.post(`/api/calendars/${cal.id}/days`, { upsert: [{ date: '2026-05-06', kind: 'holiday' }, { date, kind: 'holiday' }] });
      expect(res.statusCode, res.body).toBe(422);
      expect(json<Err>(res).error.code).toBe('CALENDAR_DAY_OUT_OF_RANGE');
    }
    // The valid day of the refused batch was not saved either.
    const after = json<Calendar>(await sys.get(`/api/calendars/${cal.id}`));
    expect(after.days).toEqual([]);
    expect(after.version).toBe(cal.version);
  });

  it('exports and imports iCalendar, including chinese-days style feeds', async () => {
    const sys = await world.w.as('sysadmin');
    const list = json<CalendarSummary[]>(await sys.get('/api/calendars'));
    const cn = list.find((c) => c.preset === 'cn-5x8');
    const ics = await sys.get(`/api/calendars/${cn?.id}/export.ics`);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('DTSTART;VALUE=DATE:20260214');
    const target = json<Calendar>(await sys.post('/api/calendars', { name: '导入目标', weekly, withStatutoryDays: false }));
    const m = multipart('holidays.ics', ics.body);
    const r = await sys.req({ method: 'POST', url: `/api/calendars/${target.id}/import`, payload: m.payload, headers: m.headers });
    expect(r.statusCode, r.body).toBe(200);
    const result = json<{ imported: number; workdays: number }>(r);
    expect(result.imported).toBe(json<Calendar>(await sys.get(`/api/calendars/${cn?.id}`)).days.length);
    const imported = json<Calendar>(await sys.get(`/api/calendars/${target.id}`));
    expect(imported.days.find((d) => d.date === '2026-10-10')).toMatchObject({ kind: 'workday', source: 'import' });
    const bad = multipart('x.ics', 'hello');
    const e = await sys.req({ method: 'POST', url: `/api/calendars/${target.id}/import`, payload: bad.payload, headers: bad.headers });
    expect(json<{ error: { code: string } }>(e).error.code).toBe('ICS_INVALID');
  });
});

describe('iCalendar parsing', () => {
  it('reads ranges, folded lines and the 班/休 marks of Chinese feeds', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20261001',
      'DTEND;VALUE=DATE:20261004',
      'SUMMARY:国庆节(休)',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20261010',
      'SUMMARY:国庆节',
      ' (班)',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(parseIcs(text)).toEqual([
      { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2026-10-02', kind: 'holiday', name: '国庆节' },
      { date: '2026-10-03', kind: 'holiday', name: '国庆节' },
      { date: '2026-10-10', kind: 'workday', name: '国庆节' },
    ]);
    const days = [{ date: '2026-01-01', kind: 'holiday' as const, name: '元旦; 新年, 快乐' }];
    expect(parseIcs(renderIcs('测试', days))).toEqual(days);
    expect(() => parseIcs('BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:2026\nEND:VEVENT')).toThrow(/DTSTART/);
  });
});
