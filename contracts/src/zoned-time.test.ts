import { describe, expect, it } from 'vitest';
import { wallTimeToEpoch, zonedParts } from './zoned-time.ts';

/** Intl directly, without the offset cache. */
function reference(epochMs: number, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(epochMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

describe('zoned wall clock with the cached offsets', () => {
  it('matches Intl in zones with DST, half-hour DST and odd offsets, around every transition', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(2024, 0, 1);
    const span = Date.UTC(2027, 0, 1) - from;
    for (const tz of zones) {
      for (let i = 0; i < 3000; i++) {
        const t = from + Math.floor(rand() * span);
        expect(zonedParts(t, tz), `${tz} ${new Date(t).toISOString()}`).toEqual(reference(t, tz));
      }
      // Minute by minute across the 2026 spring-forward night of New York and London.
      for (let t = Date.UTC(2026, 2, 8, 5); t < Date.UTC(2026, 2, 8, 9); t += 60_000) expect(zonedParts(t, tz)).toEqual(reference(t, tz));
      for (let t = Date.UTC(2026, 2, 29, 0); t < Date.UTC(2026, 2, 29, 3); t += 60_000) expect(zonedParts(t, tz)).toEqual(reference(t, tz));
    }
  });

  it('turns wall times back into instants', () => {
    expect(new Date(wallTimeToEpoch(2026, 2, 14, 9 * 3600_000, 'Asia/Shanghai')).toISOString()).toBe('2026-02-14T01:00:00.000Z');
    expect(new Date(wallTimeToEpoch(2026, 7, 1, 9 * 3600_000, 'America/New_York')).toISOString()).toBe('2026-07-01T13:00:00.000Z');
  });
});
