import { wallTimeToEpoch, zonedParts } from '@tianshu/contracts/zoned-time';

/**
 * Business-time arithmetic over a calendar: pure functions, no database. Days are walked in the
 * calendar's IANA time zone, so 09:00 means 09:00 local time on every date, DST included.
 */

/** A working period within a local day, in minutes from midnight: [start, end). */
export type WorkPeriod = { start: number; end: number };

export type BusinessCalendar = {
  timeZone: string;
  /** Periods per weekday, index 0 = Sunday .. 6 = Saturday. */
  weekly: readonly (readonly WorkPeriod[])[];
  /** Local dates (YYYY-MM-DD) that are days off whatever the weekday (holidays). */
  holidays: ReadonlySet<string>;
  /** Local dates that are working days whatever the weekday (调休上班 make-up days). */
  workdays: ReadonlySet<string>;
  /** Whose periods a make-up working day follows (default Monday). */
  makeUpWeekday?: number;
};

const MIN = 60_000;
const DAY_MS = 86_400_000;
/** Walking more than this many days without finding working time means the calendar has none. */
const MAX_DAYS = 3 * 366;

const hm = (h: number, m = 0) => h * 60 + m;
const weekdays = (periods: WorkPeriod[]) => [[], periods, periods, periods, periods, periods, []];

/** Presets: round the clock, and a Chinese office week 09:00-12:00 / 13:00-18:00 Monday to Friday. */
export const PRESET_7X24: Omit<BusinessCalendar, 'timeZone'> = {
  weekly: Array.from({ length: 7 }, () => [{ start: 0, end: hm(24) }]),
  holidays: new Set(),
  workdays: new Set(),
};
export const PRESET_5X8_PERIODS: WorkPeriod[] = [
  { start: hm(9), end: hm(12) },
  { start: hm(13), end: hm(18) },
];
export function weekdayCalendar(timeZone: string, periods: WorkPeriod[], holidays: Iterable<string> = [], workdays: Iterable<string> = []): BusinessCalendar {
  return { timeZone, weekly: weekdays(periods), holidays: new Set(holidays), workdays: new Set(workdays) };
}

type LocalDay = { y: number; m: number; d: number };

/** The local date and ms after local midnight of an instant. */
function localParts(t: number, timeZone: string) {
  const p = zonedParts(t, timeZone);
  const ms = (p.hour * 3600 + p.minute * 60 + p.second) * 1000 + (((t % 1000) + 1000) % 1000);
  return { day: { y: p.year, m: p.month, d: p.day }, ms };
}

const toInstant = (day: LocalDay, ms: number, timeZone: string) => wallTimeToEpoch(day.y, day.m, day.d, ms, timeZone);

const iso = (d: LocalDay) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
function nextDay(d: LocalDay): LocalDay {
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d) + DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
const weekdayOf = (d: LocalDay) => new Date(Date.UTC(d.y, d.m - 1, d.d)).getUTCDay();

// The same few period lists are converted on every day walked: convert each list once.
const inMs = new WeakMap<readonly WorkPeriod[], readonly WorkPeriod[]>();
const NONE: readonly WorkPeriod[] = [];
function msPeriods(periods: readonly WorkPeriod[] | undefined): readonly WorkPeriod[] {
  if (!periods || !periods.length) return NONE;
  let out = inMs.get(periods);
  if (!out) inMs.set(periods, (out = periods.map((p) => ({ start: p.start * MIN, end: p.end * MIN }))));
  return out;
}

/** The working periods of one local date, in ms from midnight. */
export function periodsOn(cal: BusinessCalendar, date: string, weekday: number): readonly { start: number; end: number }[] {
  if (cal.holidays.has(date)) return NONE;
  if (cal.workdays.has(date)) return msPeriods(cal.weekly[cal.makeUpWeekday ?? 1]);
  return msPeriods(cal.weekly[weekday]);
}

/** The instant `minutes` business minutes after `from` (0 gives the next working instant). */
export function addBusinessMinutes(cal: BusinessCalendar, from: Date, minutes: number): Date {
  if (minutes < 0) throw new RangeError('minutes must be >= 0');
  let remaining = Math.round(minutes * MIN);
  let { day, ms } = localParts(from.getTime(), cal.timeZone);
  for (let i = 0; i < MAX_DAYS + Math.ceil(minutes / 60 / 24) * 7; i++) {
    for (const p of periodsOn(cal, iso(day), weekdayOf(day))) {
      if (p.end <= ms) continue;
      const start = Math.max(p.start, ms);
      const available = p.end - start;
      if (remaining <= available) return new Date(toInstant(day, start + remaining, cal.timeZone));
      remaining -= available;
    }
    day = nextDay(day);
    ms = 0;
  }
  throw new RangeError('the calendar has no working time');
}

/** The next instant at or after `from` that is working time. */
export function nextWorkingInstant(cal: BusinessCalendar, from: Date): Date {
  return addBusinessMinutes(cal, from, 0);
}

/** Business minutes from `a` to `b`; negative when `b` is before `a`. */
export function businessMinutesBetween(cal: BusinessCalendar, a: Date, b: Date): number {
  if (b.getTime() < a.getTime()) return -businessMinutesBetween(cal, b, a);
  const end = localParts(b.getTime(), cal.timeZone);
  const endKey = iso(end.day);
  let { day, ms } = localParts(a.getTime(), cal.timeZone);
  let total = 0;
  for (let i = 0; ; i++) {
    const key = iso(day);
    const last = key === endKey;
    for (const p of periodsOn(cal, key, weekdayOf(day))) {
      const s = Math.max(p.start, ms);
      const e = last ? Math.min(p.end, end.ms) : p.end;
      if (e > s) total += e - s;
    }
    if (last || i > 40 * 366) break;
    day = nextDay(day);
    ms = 0;
  }
  return total / MIN;
}

/** True when the instant falls inside a working period. */
export function isWorkingTime(cal: BusinessCalendar, at: Date): boolean {
  const { day, ms } = localParts(at.getTime(), cal.timeZone);
  return periodsOn(cal, iso(day), weekdayOf(day)).some((p) => ms >= p.start && ms < p.end);
}
