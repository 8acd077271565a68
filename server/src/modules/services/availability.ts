import { wallTimeToEpoch, zonedParts } from '@tianshu/contracts/zoned-time';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from '../calendars/business-time.ts';

/**
 * Service availability and downtime budgets: pure functions, no database.
 *
 *   AST  (agreed service time)  = business minutes of the measurement calendar in the period,
 *                                 minus the parts of planned maintenance windows inside it
 *   DT   (downtime)             = outage time inside AST (so maintenance is excluded but an
 *                                 overrun past the window's end counts), weighted; overlapping
 *                                 outages take the highest weight at each instant
 *   availability                = (AST - DT) / AST
 *   budget allowed              = (1 - target) x AST of the whole period
 *
 * Everything is clipped to the period, so downtime crossing a period boundary is split.
 */

export type TimeRange = { start: Date; end: Date };
/** An outage: `end` null = still ongoing (counted up to `now`); weight 1 = full, 0 < w < 1 = partial. */
export type OutageSpan = { start: Date; end: Date | null; weight: number };
export type WeightedRange = TimeRange & { weight: number };

export type PeriodKind = 'month' | 'quarter' | 'year';
export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'year'];
export type Period = { kind: PeriodKind; key: string; from: Date; to: Date };

/** Budget warnings fire when this share of a period's budget is used. */
export const BUDGET_THRESHOLDS = [50, 75, 100] as const;

/**
 * Yearly budgets convert on a 365-day year (8760 h) in every year, leap years included, as the
 * usual "<= 20 h/year = 1 - 20/8760 = 99.7717%" reading does. The percentage is what is applied to a
 * period, so a leap year's round-the-clock AST (8784 h) allows 20.05 h.
 */
export const HOURS_PER_YEAR = 8760;

export function targetPctFromBudgetHours(hoursPerYear: number): number {
  return 100 * (1 - hoursPerYear / HOURS_PER_YEAR);
}

export function budgetHoursFromTargetPct(targetPct: number): number {
  return (1 - targetPct / 100) * HOURS_PER_YEAR;
}

const MIN = 60_000;
const t = (d: Date) => d.getTime();
const maxDate = (a: Date, b: Date) => (t(a) >= t(b) ? a : b);
const minDate = (a: Date, b: Date) => (t(a) <= t(b) ? a : b);

/** Sorted, disjoint union of ranges (empty ones dropped; touching ones joined). */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((r) => t(r.end) > t(r.start)).sort((a, b) => t(a.start) - t(b.start));
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && t(r.start) <= t(last.end)) {
      if (t(r.end) > t(last.end)) last.end = r.end;
    } else {
      out.push({ start: r.start, end: r.end });
    }
  }
  return out;
}

/** The parts of [start, end) not covered by `cuts`. */
export function subtractRanges(range: TimeRange, cuts: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  let cursor = range.start;
  for (const c of mergeRanges(cuts)) {
    if (t(c.end) <= t(cursor)) continue;
    if (t(c.start) >= t(range.end)) break;
    if (t(c.start) > t(cursor)) out.push({ start: cursor, end: minDate(c.start, range.end) });
    cursor = maxDate(cursor, c.end);
    if (t(cursor) >= t(range.end)) break;
  }
  if (t(cursor) < t(range.end)) out.push({ start: cursor, end: range.end });
  return out;
}

/**
 * Outages clipped to [from, to) (an ongoing one ends at `now`) as disjoint ranges carrying the
 * highest weight of the outages covering them, so overlapping outages never count twice.
 */
export function outageProfile(outages: readonly OutageSpan[], from: Date, to: Date, now: Date): WeightedRange[] {
  const clipped = outages
    .map((o) => ({ s: Math.max(t(o.start), t(from)), e: Math.min(t(o.end ?? now), t(now), t(to)), w: o.weight }))
    .filter((o) => o.e > o.s && o.w > 0);
  const points = [...new Set(clipped.flatMap((o) => [o.s, o.e]))].sort((a, b) => a - b);
  const out: WeightedRange[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as number;
    const b = points[i + 1] as number;
    let w = 0;
    for (const o of clipped) if (o.s <= a && o.e >= b && o.w > w) w = o.w;
    if (w === 0) continue;
    const last = out[out.length - 1];
    if (last && t(last.end) === a && last.weight === w) last.end = new Date(b);
    else out.push({ start: new Date(a), end: new Date(b), weight: Math.min(w, 1) });
  }
  return out;
}

/** Business minutes of a set of disjoint ranges. */
function businessMinutesOf(cal: BusinessCalendar, ranges: readonly TimeRange[]): number {
  let total = 0;
  for (const r of ranges) total += businessMinutesBetween(cal, r.start, r.end);
  return total;
}

/** Agreed service time in [from, to): calendar time outside maintenance windows, as ranges. */
export function serviceTimeRanges(from: Date, to: Date, maintenance: readonly TimeRange[]): TimeRange[] {
  if (t(to) <= t(from)) return [];
  return subtractRanges({ start: from, end: to }, maintenance);
}

/** AST minutes in [from, to). */
export function agreedServiceMinutes(cal: BusinessCalendar, from: Date, to: Date, maintenance: readonly TimeRange[]): number {
  return businessMinutesOf(cal, serviceTimeRanges(from, to, maintenance));
}

/** Weighted DT minutes in [from, min(now, to)): outage time inside AST. */
export function downtimeMinutes(
  cal: BusinessCalendar,
  from: Date,
  to: Date,
  now: Date,
  maintenance: readonly TimeRange[],
  outages: readonly OutageSpan[],
): number {
  let total = 0;
  for (const seg of outageProfile(outages, from, to, now)) {
    total += seg.weight * businessMinutesOf(cal, subtractRanges(seg, maintenance));
  }
  return total;
}

/** The instant after which `minutes` more of AST have passed from `from`, or null when [from, to) has fewer. */
export function addServiceMinutes(cal: BusinessCalendar, from: Date, to: Date, minutes: number, maintenance: readonly TimeRange[]): Date | null {
  let remaining = minutes;
  for (const r of serviceTimeRanges(from, to, maintenance)) {
    const available = businessMinutesBetween(cal, r.start, r.end);
    if (remaining <= available) {
      const at = addBusinessMinutes(cal, r.start, remaining);
      return t(at) <= t(r.end) ? at : r.end;
    }
    remaining -= available;
  }
  return null;
}

export type PeriodAvailability = {
  /** AST of the whole period. */
  astMinutes: number;
  /** AST from the period start up to now. */
  astElapsedMinutes: number;
  /** Business minutes of the period inside maintenance windows (excluded from AST). */
  maintenanceMinutes: number;
  /** Weighted downtime so far. */
  downtimeMinutes: number;
  /** (AST so far - DT) / AST so far, in percent; null before any AST has elapsed. */
  availabilityPct: number | null;
  /** Allowed downtime for the whole period: (1 - target) x AST. */
  budgetMinutes: number;
  usedMinutes: number;
  /** Budget minus used; negative once overspent. */
  leftMinutes: number;
  /** Used share of the budget in percent; null when the period has no budget (no AST). */
  usedPct: number | null;
  /**
   * How many times faster than sustainable the budget burns: (DT / AST so far) / (1 - target).
   * 1 = on course to use exactly the budget; null before any AST has elapsed.
   */
  burnRate: number | null;
  /** When the rest of the budget runs out at the current rate; null if not within the period (or already out). */
  projectedExhaustionAt: Date | null;
  exhausted: boolean;
};

export type AvailabilityInput = {
  calendar: BusinessCalendar;
  from: Date;
  to: Date;
  now: Date;
  /** 0 < target < 100. */
  targetPct: number;
  maintenance: readonly TimeRange[];
  outages: readonly OutageSpan[];
};

/** Availability and budget of one period [from, to) as seen at `now`. */
export function computeAvailability(input: AvailabilityInput): PeriodAvailability {
  const { calendar: cal, from, to, targetPct, maintenance, outages } = input;
  const now = minDate(maxDate(input.now, from), to);
  const allowedRate = 1 - targetPct / 100;
  const maint = mergeRanges(maintenance);
  const calendarMinutes = t(to) > t(from) ? businessMinutesBetween(cal, from, to) : 0;
  const astMinutes = agreedServiceMinutes(cal, from, to, maint);
  const astElapsedMinutes = agreedServiceMinutes(cal, from, now, maint);
  const dt = downtimeMinutes(cal, from, to, now, maint, outages);
  const budgetMinutes = allowedRate * astMinutes;
  const leftMinutes = budgetMinutes - dt;
  const rate = astElapsedMinutes > 0 ? dt / astElapsedMinutes : null;
  const exhausted = budgetMinutes > 0 ? leftMinutes <= 1e-9 : dt > 0;
  let projectedExhaustionAt: Date | null = null;
  if (!exhausted && rate !== null && rate > 0 && leftMinutes > 0) {
    projectedExhaustionAt = addServiceMinutes(cal, now, to, leftMinutes / rate, maint);
  }
  return {
    astMinutes,
    astElapsedMinutes,
    maintenanceMinutes: calendarMinutes - astMinutes,
    downtimeMinutes: dt,
    availabilityPct: astElapsedMinutes > 0 ? (100 * (astElapsedMinutes - dt)) / astElapsedMinutes : null,
    budgetMinutes,
    usedMinutes: dt,
    leftMinutes,
    usedPct: budgetMinutes > 0 ? (100 * dt) / budgetMinutes : null,
    burnRate: rate === null || allowedRate <= 0 ? null : rate / allowedRate,
    projectedExhaustionAt,
    exhausted,
  };
}

/** The calendar month, quarter or year containing `at`, in the time zone. */
export function periodOf(kind: PeriodKind, at: Date, timeZone: string): Period {
  const p = zonedParts(t(at), timeZone);
  const y = p.year;
  let startMonth: number;
  let months: number;
  let key: string;
  if (kind === 'month') {
    startMonth = p.month;
    months = 1;
    key = `month:${y}-${String(p.month).padStart(2, '0')}`;
  } else if (kind === 'quarter') {
    const q = Math.floor((p.month - 1) / 3);
    startMonth = q * 3 + 1;
    months = 3;
    key = `quarter:${y}-Q${q + 1}`;
  } else {
    startMonth = 1;
    months = 12;
    key = `year:${y}`;
  }
  const endIndex = startMonth - 1 + months; // 0-based month index, may be 12
  const from = new Date(wallTimeToEpoch(y, startMonth, 1, 0, timeZone));
  const to = new Date(wallTimeToEpoch(y + Math.floor(endIndex / 12), (endIndex % 12) + 1, 1, 0, timeZone));
  return { kind, key, from, to };
}

export type AvailabilityReport = Record<PeriodKind, Period & PeriodAvailability>;

/** Month, quarter and year to date at `now`, in the calendar's time zone. */
export function availabilityReport(input: {
  calendar: BusinessCalendar;
  now: Date;
  targetPct: number;
  maintenance: readonly TimeRange[];
  outages: readonly OutageSpan[];
}): AvailabilityReport {
  const entry = (kind: PeriodKind) => {
    const period = periodOf(kind, input.now, input.calendar.timeZone);
    return { ...period, ...computeAvailability({ ...input, from: period.from, to: period.to }) };
  };
  return { month: entry('month'), quarter: entry('quarter'), year: entry('year') };
}

/** The budget thresholds (50/75/100) a used share has reached. */
export function reachedThresholds(usedPct: number | null): number[] {
  if (usedPct === null) return [];
  // Rounding noise must not hide an exactly used budget.
  return BUDGET_THRESHOLDS.filter((th) => usedPct + 1e-9 >= th);
}

/** Minutes as a Date offset, for tests and callers building ranges. */
export const minutesAfter = (d: Date, minutes: number) => new Date(t(d) + minutes * MIN);
