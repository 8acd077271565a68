import { sql } from 'drizzle-orm';
import { clockMinutes } from '@tianshu/contracts/zoned-time';
import type { Calendar, CalendarSummary, WorkPeriodInput } from '@tianshu/contracts';
import type { createCalendarRequestSchema, setCalendarDaysRequestSchema, updateCalendarRequestSchema } from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors/error-registry.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { addBusinessMinutes, businessMinutesBetween, nextWorkingInstant, type BusinessCalendar } from './business-time.ts';
import { CN_STATUTORY_DAYS } from './cn-statutory-days.data.ts';
import { parseIcs, renderIcs } from './ics.ts';
import * as qs from './calendars.queries.ts';

type Weekly = WorkPeriodInput[][];

const weekOf = (periods: WorkPeriodInput[]): Weekly => [[], periods, periods, periods, periods, periods, []];
export const WEEKLY_7X24: Weekly = Array.from({ length: 7 }, () => [{ start: '00:00', end: '24:00' }]);
export const WEEKLY_5X8: Weekly = weekOf([
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
]);

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function weeklyMinutes(weekly: Weekly): number {
  return weekly.flat().reduce((sum, p) => sum + clockMinutes(p.end) - clockMinutes(p.start), 0);
}

export function toBusinessCalendar(row: qs.CalendarRow, days: qs.CalendarDayRow[]): BusinessCalendar {
  const weekly = row.weekly as Weekly;
  return {
    timeZone: row.timeZone,
    weekly: weekly.map((ps) => ps.map((p) => ({ start: clockMinutes(p.start), end: clockMinutes(p.end) }))),
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date)),
    makeUpWeekday: row.makeUpWeekday,
  };
}

/** The business calendar used by the clock arithmetic (SLA targets load it through here). */
export async function loadBusinessCalendar(q: Queryable, id: number): Promise<BusinessCalendar> {
  const row = await qs.findCalendar(q, id);
  if (!row) throw new AppError('NOT_FOUND', { object: 'calendar' });
  return toBusinessCalendar(row, await qs.listDays(q, id));
}

export function summaryDto(row: qs.CalendarRow): CalendarSummary {
  const weekly = row.weekly as Weekly;
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    preset: row.preset,
    weekly,
    weeklyMinutes: weeklyMinutes(weekly),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function calendarDto(row: qs.CalendarRow, days: qs.CalendarDayRow[], now = new Date()): Calendar {
  const year = now.getUTCFullYear();
  const covered = new Set(days.filter((d) => d.kind === 'holiday').map((d) => Number(d.date.slice(0, 4))));
  // A round-the-clock calendar does not need holiday data.
  const needsHolidays = row.preset !== '7x24' && weeklyMinutes(row.weekly as Weekly) < 7 * 24 * 60;
  return {
    ...summaryDto(row),
    days: days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, source: d.source })),
    yearsWithoutHolidays: needsHolidays ? [year - 1, year, year + 1].filter((y) => !covered.has(y)) : [],
  };
}

async function full(q: Queryable, id: number): Promise<Calendar> {
  const row = await qs.findCalendar(q, id);
  if (!row) throw new AppError('NOT_FOUND', { object: 'calendar' });
  return calendarDto(row, await qs.listDays(q, id));
}

export async function getCalendar(db: Db, id: number) {
  return full(db, id);
}

const statutoryRows = (calendarId: number) =>
  CN_STATUTORY_DAYS.map((d) => ({ calendarId, date: d.date, kind: d.kind, name: d.zh, source: 'statutory' as const }));

/** On an empty install: the 7x24 preset and the Chinese 5x8 preset with the statutory days. */
export async function ensurePresetCalendars(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    // Several instances may boot at once on an empty database.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(72910002)`);
    if (!(await qs.findPreset(tx, '7x24'))) {
      await qs.insertCalendar(tx, { name: '7x24 全天候', timeZone: 'Asia/Shanghai', preset: '7x24', weekly: WEEKLY_7X24 });
    }
    if (!(await qs.findPreset(tx, 'cn-5x8'))) {
      const cal = await qs.insertCalendar(tx, { name: '中国法定工作日 5x8', timeZone: 'Asia/Shanghai', preset: 'cn-5x8', weekly: WEEKLY_5X8 });
      await qs.upsertDays(tx, statutoryRows(cal.id));
    }
  });
}

/** Years a calendar's days may fall in: enough for any contract, and rules out typos like 2206. */
export const CALENDAR_YEARS = { from: 2000, to: 2100 } as const;

/** A calendar with no working period at all would make every target unreachable. */
function checkWeekly(weekly: Weekly | undefined): void {
  if (weekly && weekly.every((day) => day.length === 0)) throw new AppError('CALENDAR_NO_WORKING_TIME');
}

/** Holidays and make-up days must be real dates inside the supported years. */
function checkDays(dates: readonly string[]): void {
  for (const date of dates) {
    const [y = 0, m = 0, d = 0] = date.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d));
    const real = t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    if (!real || y < CALENDAR_YEARS.from || y > CALENDAR_YEARS.to) {
      throw new AppError('CALENDAR_DAY_OUT_OF_RANGE', { date, from: CALENDAR_YEARS.from, to: CALENDAR_YEARS.to });
    }
  }
}

export async function createCalendar(db: Db, actor: Actor, input: z.output<typeof createCalendarRequestSchema>) {
  if (!isValidTimeZone(input.timeZone)) throw new AppError('CALENDAR_TIMEZONE_INVALID', { timeZone: input.timeZone });
  checkWeekly(input.weekly);
  return db.transaction(async (tx) => {
    const cal = await qs.insertCalendar(tx, { name: input.name, timeZone: input.timeZone, weekly: input.weekly });
    if (input.withStatutoryDays) await qs.upsertDays(tx, statutoryRows(cal.id));
    await recordAudit(tx, { actor, action: 'calendar.create', objectType: 'calendar', objectId: cal.id, result: 'success', details: { name: input.name, timeZone: input.timeZone } });
    return full(tx, cal.id);
  });
}

export async function updateCalendar(db: Db, actor: Actor, id: number, input: z.output<typeof updateCalendarRequestSchema>) {
  if (input.timeZone && !isValidTimeZone(input.timeZone)) throw new AppError('CALENDAR_TIMEZONE_INVALID', { timeZone: input.timeZone });
  checkWeekly(input.weekly);
  return db.transaction(async (tx) => {
    const before = await qs.findCalendar(tx, id);
    if (!before) throw new AppError('NOT_FOUND', { object: 'calendar' });
    const { version, ...patch } = input;
    if (!(await qs.updateCalendarVersioned(tx, id, version, patch))) {
      throw new AppError('VERSION_CONFLICT', { current: before.version }, { currentVersion: before.version });
    }
    await recordAudit(tx, {
      actor,
      action: 'calendar.update',
      objectType: 'calendar',
      objectId: id,
      result: 'success',
      details: { from: { name: before.name, timeZone: before.timeZone, weekly: before.weekly }, to: patch },
    });
    return full(tx, id);
  });
}

export async function setCalendarDays(db: Db, actor: Actor, id: number, input: z.output<typeof setCalendarDaysRequestSchema>) {
  checkDays(input.upsert.map((d) => d.date));
  return db.transaction(async (tx) => {
    if (!(await qs.findCalendar(tx, id))) throw new AppError('NOT_FOUND', { object: 'calendar' });
    await qs.deleteDays(tx, id, input.remove);
    await qs.upsertDays(tx, input.upsert.map((d) => ({ calendarId: id, date: d.date, kind: d.kind, name: d.name, source: 'custom' as const })));
    await qs.bumpCalendar(tx, id);
    await recordAudit(tx, { actor, action: 'calendar.days', objectType: 'calendar', objectId: id, result: 'success', details: { upsert: input.upsert, remove: input.remove } });
    return full(tx, id);
  });
}

export async function importIcs(db: Db, actor: Actor, id: number, text: string) {
  let days;
  try {
    days = parseIcs(text);
  } catch (err) {
    throw new AppError('ICS_INVALID', { reason: err instanceof Error ? err.message : String(err) });
  }
  checkDays(days.map((d) => d.date));
  return db.transaction(async (tx) => {
    if (!(await qs.findCalendar(tx, id))) throw new AppError('NOT_FOUND', { object: 'calendar' });
    await qs.upsertDays(tx, days.map((d) => ({ calendarId: id, date: d.date, kind: d.kind, name: d.name, source: 'import' as const })));
    await qs.bumpCalendar(tx, id);
    const holidays = days.filter((d) => d.kind === 'holiday').length;
    await recordAudit(tx, { actor, action: 'calendar.import', objectType: 'calendar', objectId: id, result: 'success', details: { days: days.length, holidays } });
    return { imported: days.length, holidays, workdays: days.length - holidays };
  });
}

export async function exportIcs(db: Db, id: number) {
  const row = await qs.findCalendar(db, id);
  if (!row) throw new AppError('NOT_FOUND', { object: 'calendar' });
  const days = await qs.listDays(db, id);
  return { name: row.name, body: renderIcs(row.name, days) };
}

export async function compute(db: Db, id: number, q: { from: string; minutes?: number | undefined; to?: string | undefined }) {
  const cal = await loadBusinessCalendar(db, id);
  const from = new Date(q.from);
  try {
    return {
      from: from.toISOString(),
      nextWorkingInstant: nextWorkingInstant(cal, from).toISOString(),
      due: q.minutes === undefined ? null : addBusinessMinutes(cal, from, q.minutes).toISOString(),
      businessMinutes: q.to ? businessMinutesBetween(cal, from, new Date(q.to)) : null,
    };
  } catch (err) {
    if (err instanceof RangeError) throw new AppError('VALIDATION_FAILED', { summary: err.message });
    throw err;
  }
}
