import type { WorkPeriodInput } from '@tianshu/contracts';
import { clockMinutes, wallTimeToEpoch, zonedParts, zoneOffsetMinutes } from '@tianshu/contracts/zoned-time';

/** Seven lists of periods, Sunday first, as the API stores them. */
export type Weekly = WorkPeriodInput[][];

export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function isClock(value: string): boolean {
  return CLOCK.test(value);
}

/** The same rule as the contract; overlaps are left to the server, which explains them. */
export function isValidPeriod(period: WorkPeriodInput): boolean {
  return isClock(period.start) && isClock(period.end) && period.start < period.end;
}

export function isValidWeekly(weekly: Weekly): boolean {
  return weekly.length === 7 && weekly.every((day) => day.every(isValidPeriod));
}


export function weeklyMinutes(weekly: Weekly): number {
  let total = 0;
  for (const day of weekly) for (const period of day) if (isValidPeriod(period)) total += clockMinutes(period.end) - clockMinutes(period.start);
  return total;
}

/** 2400 → "40", 2430 → "40.5". */
export function minutesAsHours(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

export const emptyWeekly = (): Weekly => WEEKDAYS.map(() => []);
export const workdaysWeekly = (): Weekly =>
  WEEKDAYS.map((day) => (day >= 1 && day <= 5 ? [{ start: '09:00', end: '18:00' }] : []));
export const allDayWeekly = (): Weekly => WEEKDAYS.map(() => [{ start: '00:00', end: '24:00' }]);

/** Copies the server's loose shape into the editable one, always seven days long. */
export function toWeekly(weekly: readonly (readonly { start: string; end: string }[])[]): Weekly {
  return WEEKDAYS.map((day) => (weekly[day] ?? []).map((p) => ({ start: p.start, end: p.end })));
}

/** A new period after the last one of the day, or office hours for an empty day. */
export function nextPeriod(day: readonly WorkPeriodInput[]): WorkPeriodInput {
  const last = day[day.length - 1];
  if (!last) return { start: '09:00', end: '18:00' };
  const start = isClock(last.end) && last.end < '23:00' ? last.end : '23:00';
  return { start, end: '24:00' };
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function timeZones(current?: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(DEFAULT_TIME_ZONE);
  if (current) zones.add(current);
  return [...zones].sort();
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The instant a wall clock in `timeZone` shows. */
export function wallClockToEpoch(clock: WallClock, timeZone: string): number {
  return wallTimeToEpoch(clock.year, clock.month, clock.day, (clock.hour * 60 + clock.minute) * 60_000, timeZone);
}

const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, '0');

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** "2026-05-01T09:00:00+08:00": the instant as the calendar's zone shows it. */
export function toZonedIso(epochMs: number, timeZone: string): string {
  const p = zonedParts(epochMs, timeZone);
  const offset = zoneOffsetMinutes(epochMs, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${offsetText(offset)}`;
}

/** "2026-05-01 09:00 +08:00" for display; the raw text when it is no date. */
export function formatInZone(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const epoch = Date.parse(iso);
  if (Number.isNaN(epoch)) return iso;
  const p = zonedParts(epoch, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)} ${offsetText(zoneOffsetMinutes(epoch, timeZone))}`;
}
