import { describe, expect, it } from 'vitest';
import { formatInZone, isValidPeriod, minutesAsHours, nextPeriod, toZonedIso, wallClockToEpoch, weeklyMinutes, workdaysWeekly } from './calendar-time';

describe('calendar time helpers', () => {
  it('validates periods like the contract', () => {
    expect(isValidPeriod({ start: '09:00', end: '24:00' })).toBe(true);
    expect(isValidPeriod({ start: '18:00', end: '09:00' })).toBe(false);
    expect(isValidPeriod({ start: '9:00', end: '18:00' })).toBe(false);
    expect(isValidPeriod({ start: '24:00', end: '24:00' })).toBe(false);
  });

  it('sums weekly minutes', () => {
    expect(weeklyMinutes(workdaysWeekly())).toBe(45 * 60);
    expect(minutesAsHours(2430)).toBe('40.5');
    expect(nextPeriod([{ start: '09:00', end: '12:00' }])).toEqual({ start: '12:00', end: '24:00' });
  });

  it('converts wall clocks in a zone to instants and back', () => {
    const epoch = wallClockToEpoch({ year: 2026, month: 5, day: 1, hour: 9, minute: 30 }, 'Asia/Shanghai');
    expect(new Date(epoch).toISOString()).toBe('2026-05-01T01:30:00.000Z');
    expect(toZonedIso(epoch, 'Asia/Shanghai')).toBe('2026-05-01T09:30:00+08:00');
    expect(toZonedIso(epoch, 'America/New_York')).toBe('2026-04-30T21:30:00-04:00');
    expect(formatInZone('2026-01-15T00:00:00Z', 'America/New_York')).toBe('2026-01-14 19:00 -05:00');
    // Spring-forward gap in New York: 02:30 does not exist and moves an hour on.
    const gap = wallClockToEpoch({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York');
    expect(toZonedIso(gap, 'America/New_York')).toMatch(/^2026-03-08T0[13]:30:00-0[45]:00$/);
  });
});
