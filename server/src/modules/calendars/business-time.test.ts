import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  PRESET_7X24,
  addBusinessMinutes,
  businessMinutesBetween,
  isWorkingTime,
  nextWorkingInstant,
  weekdayCalendar,
} from './business-time.ts';
import { cnStatutoryCalendar, yearsWithoutStatutoryData } from './cn-calendar.ts';
import { CN_STATUTORY_DAYS } from './cn-statutory-days.data.ts';
import { renderCnStatutoryDays } from './cn-statutory-days.source.ts';

// Shanghai is UTC+8 all year: '2026-02-13T17:00' local is written with its offset.
const sh = (local: string) => new Date(`${local}:00+08:00`);
const hm = (h: number, m = 0) => h * 60 + m;
// The office week of the issue: 09:00-12:00 and 13:30-18:00, with the statutory holidays.
const office = cnStatutoryCalendar([
  { start: hm(9), end: hm(12) },
  { start: hm(13, 30), end: hm(18) },
]);

describe('adding business time', () => {
  it('crosses the Spring Festival through the working Saturday 02-14', () => {
    expect(addBusinessMinutes(office, sh('2026-02-13T17:00'), 4 * 60)).toEqual(sh('2026-02-14T12:00'));
    // 1 h Friday + 7.5 h on Saturday 02-14, then 02-15..02-23 off, then 3.5 h on Tuesday 02-24.
    expect(addBusinessMinutes(office, sh('2026-02-13T17:00'), 12 * 60)).toEqual(sh('2026-02-24T14:00'));
  });

  it('uses the 2026-10-10 working Saturday after National Day', () => {
    expect(addBusinessMinutes(office, sh('2026-10-09T17:00'), 120)).toEqual(sh('2026-10-10T10:00'));
    expect(addBusinessMinutes(office, sh('2026-09-30T17:30'), 60)).toEqual(sh('2026-10-08T09:30'));
  });

  it('skips the lunch break', () => {
    expect(addBusinessMinutes(office, sh('2026-03-03T11:30'), 60)).toEqual(sh('2026-03-03T14:00'));
    expect(addBusinessMinutes(office, sh('2026-03-03T12:15'), 30)).toEqual(sh('2026-03-03T14:00'));
  });

  it('starts instants outside working time at the next working instant', () => {
    expect(nextWorkingInstant(office, sh('2026-03-01T10:00'))).toEqual(sh('2026-03-02T09:00'));
    expect(addBusinessMinutes(office, sh('2026-03-01T10:00'), 60)).toEqual(sh('2026-03-02T10:00'));
    expect(nextWorkingInstant(office, sh('2026-03-06T20:00'))).toEqual(sh('2026-03-09T09:00'));
    expect(nextWorkingInstant(office, sh('2026-03-03T10:00'))).toEqual(sh('2026-03-03T10:00'));
    expect(isWorkingTime(office, sh('2026-02-16T10:00'))).toBe(false);
    expect(isWorkingTime(office, sh('2026-02-14T10:00'))).toBe(true);
  });

  it('runs round the clock on 7x24, holidays included', () => {
    const cal = { ...PRESET_7X24, timeZone: 'Asia/Shanghai' };
    expect(addBusinessMinutes(cal, sh('2026-02-16T23:30'), 90)).toEqual(sh('2026-02-17T01:00'));
  });

  it('keeps local hours across a daylight-saving change', () => {
    const berlin = weekdayCalendar('Europe/Berlin', [{ start: hm(9), end: hm(17) }]);
    // Friday 16:00 CET + 2 h -> Monday 10:00 CEST (08:00 UTC), the clocks moved on Sunday 03-29.
    expect(addBusinessMinutes(berlin, new Date('2026-03-27T15:00:00Z'), 120)).toEqual(new Date('2026-03-30T08:00:00Z'));
  });

  it('refuses negative durations and calendars without working time', () => {
    expect(() => addBusinessMinutes(office, sh('2026-03-03T10:00'), -1)).toThrow(RangeError);
    const never = weekdayCalendar('Asia/Shanghai', []);
    expect(() => addBusinessMinutes(never, sh('2026-03-03T10:00'), 1)).toThrow(RangeError);
  });
});

describe('business time between two instants', () => {
  it('counts only working periods', () => {
    expect(businessMinutesBetween(office, sh('2026-02-13T17:00'), sh('2026-02-24T14:00'))).toBe(12 * 60);
    expect(businessMinutesBetween(office, sh('2026-02-24T14:00'), sh('2026-02-13T17:00'))).toBe(-12 * 60);
    expect(businessMinutesBetween(office, sh('2026-03-03T11:00'), sh('2026-03-03T14:00'))).toBe(90);
    expect(businessMinutesBetween(office, sh('2026-02-16T10:00'), sh('2026-02-16T11:00'))).toBe(0);
  });

  it('is the inverse of adding', () => {
    const starts = ['2026-01-02T08:00', '2026-02-13T17:00', '2026-04-30T11:45', '2026-09-19T10:00', '2026-12-31T17:59'];
    for (const s of starts) {
      for (const minutes of [1, 59, 240, 1000, 5000]) {
        const end = addBusinessMinutes(office, sh(s), minutes);
        const from = nextWorkingInstant(office, sh(s));
        expect(businessMinutesBetween(office, from, end), `${s} + ${minutes}`).toBe(minutes);
      }
    }
  });
});

describe('Chinese statutory data', () => {
  it('is the copy of chinese-days it claims to be', () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('chinese-days')).toBeTruthy();
    const file = fs.readFileSync(new URL('./cn-statutory-days.data.ts', import.meta.url), 'utf8');
    expect(file, 'run npm run gen:cn-days').toBe(renderCnStatutoryDays());
  });

  it('holds the 2026 make-up workdays and the Spring Festival days off', () => {
    const workdays = CN_STATUTORY_DAYS.filter((d) => d.kind === 'workday' && d.date.startsWith('2026')).map((d) => d.date);
    expect(workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    const off = new Set(CN_STATUTORY_DAYS.filter((d) => d.kind === 'holiday').map((d) => d.date));
    for (let d = 15; d <= 23; d++) expect(off.has(`2026-02-${d}`)).toBe(true);
    expect(yearsWithoutStatutoryData([2025, 2026, 2027])).toEqual([2027]);
  });
});
