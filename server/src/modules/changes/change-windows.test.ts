import { describe, expect, it } from 'vitest';
import { fitsInSome, isoWeekday, occurrences } from './change-windows.ts';

const H = 3_600_000;
// Saturday 2026-10-10 00:00 Asia/Shanghai = Friday 2026-10-09 16:00 UTC.
const SAT = Date.UTC(2026, 9, 9, 16);
const weekly = (start: string, end: string, weekdays = [6]) => ({ startsAt: Date.UTC(2026, 0, 1), endsAt: null, recurrence: { weekdays, start, end, timeZone: 'Asia/Shanghai' } });

describe('change windows', () => {
  it('numbers weekdays Monday = 1 .. Sunday = 7', () => {
    expect(isoWeekday(2026, 10, 10)).toBe(6);
    expect(isoWeekday(2026, 10, 11)).toBe(7);
    expect(isoWeekday(2026, 10, 12)).toBe(1);
  });

  it('expands a weekly window in its own time zone', () => {
    const occ = occurrences(weekly('00:00', '06:00'), SAT - 8 * 24 * H, SAT + 24 * H);
    expect(occ).toEqual([
      { start: SAT - 7 * 24 * H, end: SAT - 7 * 24 * H + 6 * H },
      { start: SAT, end: SAT + 6 * H },
    ]);
  });

  it('runs a window past midnight when the end is not after the start', () => {
    const occ = occurrences(weekly('22:00', '02:00', [5]), SAT - 3 * H, SAT + 3 * H);
    expect(occ).toEqual([{ start: SAT - 2 * H, end: SAT + 2 * H }]);
  });

  it('says whether a change fits entirely in one occurrence', () => {
    const w = [weekly('00:00', '06:00')];
    expect(fitsInSome(w, SAT + H, SAT + 3 * H)).toBe(true);
    expect(fitsInSome(w, SAT + 5 * H, SAT + 7 * H)).toBe(false);
    expect(fitsInSome(w, SAT + 25 * H, SAT + 26 * H)).toBe(false);
    // One-off windows and validity bounds.
    expect(fitsInSome([{ startsAt: SAT, endsAt: SAT + 10 * H, recurrence: null }], SAT + H, SAT + 9 * H)).toBe(true);
    expect(fitsInSome([{ ...weekly('00:00', '06:00'), startsAt: SAT + 24 * H }], SAT + H, SAT + 2 * H)).toBe(false);
  });
});
