import type { ChangeWindowRecurrence } from '@tianshu/contracts';
import { clockMinutes, wallTimeToEpoch, zonedParts } from '@tianshu/contracts/zoned-time';

/**
 * Pure window arithmetic for the change calendar: occurrences of (weekly recurring) maintenance windows
 * and whether a planned change window fits in one. Times are epoch milliseconds; recurrences are walked
 * day by day in their own time zone, so Saturday 00:00-06:00 Asia/Shanghai stays that wall-clock time.
 */

export type WindowLike = { startsAt: number; endsAt: number | null; recurrence: ChangeWindowRecurrence | null };
export type Interval = { start: number; end: number };

const DAY = 86_400_000;

/** 1 = Monday .. 7 = Sunday for a calendar date. */
export function isoWeekday(year: number, month: number, day: number): number {
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return ((dow + 6) % 7) + 1;
}

/** Minutes an occurrence lasts: an end at or before the start runs past midnight. */
function durationMinutes(r: ChangeWindowRecurrence): number {
  const s = clockMinutes(r.start);
  const e = clockMinutes(r.end);
  return e > s ? e - s : e + 24 * 60 - s;
}

/** Occurrences of a window that overlap [from, to), clipped to the window's validity (starts_at .. ends_at). */
export function occurrences(w: WindowLike, from: number, to: number): Interval[] {
  if (!w.recurrence) {
    const end = w.endsAt ?? Number.POSITIVE_INFINITY;
    return w.startsAt < to && end > from ? [{ start: w.startsAt, end }] : [];
  }
  const r = w.recurrence;
  const dur = durationMinutes(r) * 60_000;
  const startMs = clockMinutes(r.start) * 60_000;
  const out: Interval[] = [];
  // An occurrence that overlaps `from` started at most one day before it.
  const first = zonedParts(Math.max(from, w.startsAt) - DAY, r.timeZone);
  const limit = Math.min(to, w.endsAt ?? Number.POSITIVE_INFINITY);
  for (let i = 0; i < 400; i++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const start = wallTimeToEpoch(y, m, day, startMs, r.timeZone);
    if (start >= limit) break;
    if (!r.weekdays.includes(isoWeekday(y, m, day))) continue;
    const end = start + dur;
    if (end <= from || start < w.startsAt) continue;
    out.push({ start, end: w.endsAt === null ? end : Math.min(end, w.endsAt) });
  }
  return out;
}

/** Whether [start, end) lies entirely inside one occurrence of one of the windows. */
export function fitsInSome(windows: WindowLike[], start: number, end: number): boolean {
  return windows.some((w) => occurrences(w, start, end).some((o) => o.start <= start && end <= o.end));
}
