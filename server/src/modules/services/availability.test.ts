import { describe, expect, it } from 'vitest';
import { PRESET_5X8_PERIODS, PRESET_7X24, weekdayCalendar, type BusinessCalendar } from '../calendars/business-time.ts';
import {
  HOURS_PER_YEAR,
  agreedServiceMinutes,
  availabilityReport,
  budgetHoursFromTargetPct,
  computeAvailability,
  downtimeMinutes,
  mergeRanges,
  outageProfile,
  periodOf,
  reachedThresholds,
  subtractRanges,
  targetPctFromBudgetHours,
  type OutageSpan,
  type TimeRange,
} from './availability.ts';

const TZ = 'Asia/Shanghai';
const d = (local: string) => new Date(`${local}+08:00`);
const r = (a: string, b: string): TimeRange => ({ start: d(a), end: d(b) });
const o = (a: string, b: string | null, weight = 1): OutageSpan => ({ start: d(a), end: b === null ? null : d(b), weight });
const allDay: BusinessCalendar = { ...PRESET_7X24, timeZone: TZ };
const office = weekdayCalendar(TZ, PRESET_5X8_PERIODS);

// November 2026: 30 days, 43,200 minutes round the clock.
const NOV = { from: d('2026-11-01T00:00:00'), to: d('2026-12-01T00:00:00') };
const NOV_MIN = 30 * 24 * 60;

describe('target <-> yearly downtime budget', () => {
  it('reads "<= 20 h per year" as 99.7717% on an 8760-hour year', () => {
    expect(HOURS_PER_YEAR).toBe(8760);
    expect(targetPctFromBudgetHours(20).toFixed(4)).toBe('99.7717');
    expect(budgetHoursFromTargetPct(99.9)).toBeCloseTo(8.76, 10);
    expect(budgetHoursFromTargetPct(99.99) * 60).toBeCloseTo(52.56, 8);
    expect(budgetHoursFromTargetPct(targetPctFromBudgetHours(20))).toBeCloseTo(20, 10);
  });

  it('applies the same percentage to a leap year, so a 7x24 leap year allows 20.05 h', () => {
    const year = periodOf('year', d('2028-06-01T00:00:00'), TZ);
    const a = computeAvailability({ calendar: allDay, ...year, now: year.from, targetPct: targetPctFromBudgetHours(20), maintenance: [], outages: [] });
    expect(a.astMinutes).toBe(8784 * 60);
    expect(a.budgetMinutes / 60).toBeCloseTo((20 / 8760) * 8784, 9);
  });
});

describe('range helpers', () => {
  it('merges overlapping and touching ranges and subtracts them', () => {
    expect(mergeRanges([r('2026-11-02T10:00:00', '2026-11-02T11:00:00'), r('2026-11-02T09:00:00', '2026-11-02T10:00:00'), r('2026-11-02T10:30:00', '2026-11-02T12:00:00')])).toEqual([
      r('2026-11-02T09:00:00', '2026-11-02T12:00:00'),
    ]);
    expect(subtractRanges(r('2026-11-02T00:00:00', '2026-11-03T00:00:00'), [r('2026-11-02T02:00:00', '2026-11-02T04:00:00'), r('2026-11-02T23:00:00', '2026-11-03T02:00:00')])).toEqual([
      r('2026-11-02T00:00:00', '2026-11-02T02:00:00'),
      r('2026-11-02T04:00:00', '2026-11-02T23:00:00'),
    ]);
  });

  it('keeps the highest weight where outages overlap', () => {
    const now = d('2026-11-30T00:00:00');
    const profile = outageProfile([o('2026-11-02T10:00:00', '2026-11-02T11:00:00', 0.5), o('2026-11-02T10:30:00', '2026-11-02T12:00:00', 1)], NOV.from, NOV.to, now);
    expect(profile).toEqual([
      { ...r('2026-11-02T10:00:00', '2026-11-02T10:30:00'), weight: 0.5 },
      { ...r('2026-11-02T10:30:00', '2026-11-02T12:00:00'), weight: 1 },
    ]);
  });
});

describe('availability sums', () => {
  const end = NOV.to;

  it('sums full and weighted partial outages over agreed service time', () => {
    const a = computeAvailability({
      calendar: allDay,
      ...NOV,
      now: end,
      targetPct: 99.9,
      maintenance: [],
      outages: [o('2026-11-03T10:00:00', '2026-11-03T11:00:00'), o('2026-11-10T08:00:00', '2026-11-10T10:00:00', 0.5)],
    });
    expect(a.astMinutes).toBe(NOV_MIN);
    expect(a.astElapsedMinutes).toBe(NOV_MIN);
    expect(a.downtimeMinutes).toBe(60 + 0.5 * 120);
    expect(a.availabilityPct).toBeCloseTo((100 * (NOV_MIN - 120)) / NOV_MIN, 10);
    expect(a.availabilityPct?.toFixed(4)).toBe('99.7222');
  });

  it('does not count overlapping outages twice', () => {
    const twoFull = [o('2026-11-03T10:00:00', '2026-11-03T11:00:00'), o('2026-11-03T10:30:00', '2026-11-03T11:30:00')];
    expect(downtimeMinutes(allDay, NOV.from, NOV.to, end, [], twoFull)).toBe(90);
    const mixed = [o('2026-11-03T10:00:00', '2026-11-03T11:00:00'), o('2026-11-03T10:30:00', '2026-11-03T12:00:00', 0.5)];
    expect(downtimeMinutes(allDay, NOV.from, NOV.to, end, [], mixed)).toBe(60 + 0.5 * 60);
    const inside = [o('2026-11-03T10:00:00', '2026-11-03T12:00:00', 0.25), o('2026-11-03T10:30:00', '2026-11-03T11:00:00', 0.75)];
    expect(downtimeMinutes(allDay, NOV.from, NOV.to, end, [], inside)).toBe(0.25 * 90 + 0.75 * 30);
  });

  it('takes maintenance windows out of AST and counts an overrun as downtime', () => {
    const maintenance = [r('2026-11-07T02:00:00', '2026-11-07T04:00:00')];
    const a = computeAvailability({ calendar: allDay, ...NOV, now: end, targetPct: 99.9, maintenance, outages: [o('2026-11-07T01:00:00', '2026-11-07T05:00:00')] });
    expect(a.astMinutes).toBe(NOV_MIN - 120);
    expect(a.maintenanceMinutes).toBe(120);
    // 01:00-02:00 before the window and the 04:00-05:00 overrun.
    expect(a.downtimeMinutes).toBe(120);
    expect(a.availabilityPct).toBeCloseTo((100 * (NOV_MIN - 240)) / (NOV_MIN - 120), 10);
    // Overlapping windows are excluded once.
    expect(agreedServiceMinutes(allDay, NOV.from, NOV.to, [...maintenance, r('2026-11-07T03:00:00', '2026-11-07T05:00:00')])).toBe(NOV_MIN - 180);
  });

  it('counts only time inside the measurement calendar', () => {
    // Tuesday 17:00 to Wednesday 10:00: 17-18 and 09-10 are office hours.
    const dt = downtimeMinutes(office, NOV.from, NOV.to, end, [], [o('2026-11-03T17:00:00', '2026-11-04T10:00:00'), o('2026-11-07T09:00:00', '2026-11-07T18:00:00')]);
    expect(dt).toBe(120);
    // November 2026 has 21 weekdays of 8 hours.
    expect(agreedServiceMinutes(office, NOV.from, NOV.to, [])).toBe(21 * 8 * 60);
  });

  it('splits downtime crossing a period boundary', () => {
    const outage = [o('2026-10-31T23:00:00', '2026-11-01T01:00:00')];
    const oct = { from: d('2026-10-01T00:00:00'), to: NOV.from };
    expect(downtimeMinutes(allDay, oct.from, oct.to, end, [], outage)).toBe(60);
    expect(downtimeMinutes(allDay, NOV.from, NOV.to, end, [], outage)).toBe(60);
  });

  it('counts an ongoing outage up to now, and nothing after now', () => {
    const now = d('2026-11-10T12:00:00');
    const a = computeAvailability({ calendar: allDay, ...NOV, now, targetPct: 99.9, maintenance: [], outages: [o('2026-11-10T11:30:00', null), o('2026-11-10T11:50:00', '2026-11-10T14:00:00'), o('2026-11-11T00:00:00', '2026-11-11T01:00:00')] });
    expect(a.downtimeMinutes).toBe(30);
    expect(a.astElapsedMinutes).toBe(9.5 * 24 * 60);
  });

  it('has no availability before any agreed service time has passed', () => {
    // 2026-08-01 is a Saturday.
    const aug = { from: d('2026-08-01T00:00:00'), to: d('2026-09-01T00:00:00') };
    const a = computeAvailability({ calendar: office, ...aug, now: d('2026-08-01T12:00:00'), targetPct: 99, maintenance: [], outages: [] });
    expect(a.availabilityPct).toBeNull();
    expect(a.burnRate).toBeNull();
    expect(a.budgetMinutes).toBeCloseTo(0.01 * 21 * 8 * 60, 9);
  });
});

describe('downtime budget', () => {
  const base = { calendar: allDay, ...NOV, targetPct: 99.9, maintenance: [] as TimeRange[] };
  const mid = d('2026-11-16T00:00:00'); // 15 days = 21,600 minutes elapsed
  const outage = (minutes: number) => [{ start: d('2026-11-05T00:00:00'), end: new Date(d('2026-11-05T00:00:00').getTime() + minutes * 60_000), weight: 1 }];

  it('allows (1 - target) x AST of the whole period and reports used and left', () => {
    const a = computeAvailability({ ...base, now: mid, outages: outage(21.6) });
    expect(a.budgetMinutes).toBeCloseTo(43.2, 9);
    expect(a.usedMinutes).toBeCloseTo(21.6, 9);
    expect(a.leftMinutes).toBeCloseTo(21.6, 9);
    expect(a.usedPct).toBeCloseTo(50, 9);
    // Half way through the month with half the budget used: exactly the sustainable rate.
    expect(a.burnRate).toBeCloseTo(1, 9);
  });

  it('projects when the budget runs out at the current rate', () => {
    // 32.4 min in 21,600: 1.5x the allowed rate; 10.8 min left lasts 7,200 more minutes.
    const a = computeAvailability({ ...base, now: mid, outages: outage(32.4) });
    expect(a.burnRate).toBeCloseTo(1.5, 9);
    expect(a.exhausted).toBe(false);
    expect(Math.abs((a.projectedExhaustionAt?.getTime() ?? 0) - d('2026-11-21T00:00:00').getTime())).toBeLessThanOrEqual(1);
  });

  it('projects around maintenance windows, which do not burn the budget', () => {
    const maintenance = [r('2026-11-18T00:00:00', '2026-11-19T00:00:00')];
    const a = computeAvailability({ ...base, maintenance, now: mid, outages: outage(32.4) });
    const rate = a.downtimeMinutes / a.astElapsedMinutes;
    const needed = a.leftMinutes / rate;
    expect(needed).toBeCloseTo(((43.2 * (NOV_MIN - 1440)) / NOV_MIN - 32.4) / 0.0015, 6);
    // The excluded day pushes the run-out one day later.
    expect(Math.abs((a.projectedExhaustionAt?.getTime() ?? 0) - (mid.getTime() + needed * 60_000 + 86_400_000))).toBeLessThanOrEqual(2);
  });

  it('does not project a run-out beyond the period, and marks an overspent budget', () => {
    const slow = computeAvailability({ ...base, now: mid, outages: outage(10.8) });
    expect(slow.burnRate).toBeCloseTo(0.5, 9);
    expect(slow.projectedExhaustionAt).toBeNull();
    const none = computeAvailability({ ...base, now: mid, outages: [] });
    expect(none.burnRate).toBe(0);
    expect(none.projectedExhaustionAt).toBeNull();
    const over = computeAvailability({ ...base, now: mid, outages: outage(60) });
    expect(over.exhausted).toBe(true);
    expect(over.leftMinutes).toBeCloseTo(-16.8, 9);
    expect(over.projectedExhaustionAt).toBeNull();
    expect(reachedThresholds(over.usedPct)).toEqual([50, 75, 100]);
  });

  it('names the thresholds reached', () => {
    expect(reachedThresholds(null)).toEqual([]);
    expect(reachedThresholds(49.99)).toEqual([]);
    expect(reachedThresholds(74.99)).toEqual([50]);
    expect(reachedThresholds(75)).toEqual([50, 75]);
    expect(reachedThresholds(99.99999999999)).toEqual([50, 75, 100]);
  });
});

describe('periods in the calendar time zone', () => {
  it('finds month, quarter and year in local time', () => {
    // 2026-03-31T20:00Z is already 1 April in Shanghai.
    const at = new Date('2026-03-31T20:00:00Z');
    expect(periodOf('month', at, TZ)).toEqual({ kind: 'month', key: 'month:2026-04', from: d('2026-04-01T00:00:00'), to: d('2026-05-01T00:00:00') });
    expect(periodOf('quarter', at, TZ)).toEqual({ kind: 'quarter', key: 'quarter:2026-Q2', from: d('2026-04-01T00:00:00'), to: d('2026-07-01T00:00:00') });
    expect(periodOf('year', at, TZ)).toEqual({ kind: 'year', key: 'year:2026', from: d('2026-01-01T00:00:00'), to: d('2027-01-01T00:00:00') });
    expect(periodOf('quarter', d('2026-12-31T23:59:59'), TZ)).toMatchObject({ key: 'quarter:2026-Q4', to: d('2027-01-01T00:00:00') });
    expect(periodOf('month', at, 'UTC').key).toBe('month:2026-03');
  });

  it('reports month, quarter and year to date from one set of outages', () => {
    const now = d('2026-11-16T00:00:00');
    const rep = availabilityReport({
      calendar: allDay,
      now,
      targetPct: targetPctFromBudgetHours(20),
      maintenance: [],
      outages: [o('2026-09-30T23:00:00', '2026-10-01T01:00:00'), o('2026-11-02T10:00:00', '2026-11-02T11:00:00'), o('2026-03-01T00:00:00', '2026-03-01T03:00:00')],
    });
    expect(rep.month.key).toBe('month:2026-11');
    expect(rep.month.usedMinutes).toBe(60);
    // Q4 gets the October half of the outage crossing 1 October.
    expect(rep.quarter.usedMinutes).toBe(60 + 60);
    expect(rep.year.usedMinutes).toBe(180 + 120 + 60);
    expect(rep.year.budgetMinutes).toBeCloseTo(20 * 60, 9);
    expect(rep.year.usedPct).toBeCloseTo(30, 9);
    expect(rep.month.astElapsedMinutes).toBe(15 * 1440);
  });
});
