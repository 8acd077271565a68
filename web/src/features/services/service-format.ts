/** Pure helpers of the services pages (numbers only; texts come from i18n). */

/** Yearly budgets convert on an 8760-hour year, as on the server: 20 h/year = 99.7717%. */
export const HOURS_PER_YEAR = 8760;

export function targetPctFromHours(hoursPerYear: number): number {
  return 100 * (1 - hoursPerYear / HOURS_PER_YEAR);
}

export function hoursFromTargetPct(targetPct: number): number {
  return (1 - targetPct / 100) * HOURS_PER_YEAR;
}

/** A percentage with up to `digits` decimals, trailing zeros dropped: 99.771689 -> "99.7717", 100 -> "100". */
export function formatPct(value: number, digits = 4): string {
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return rounded.toFixed(digits).replace(/\.?0+$/, '');
}

/** Whole minutes split into hours and minutes (sign dropped; the caller says "overspent"). */
export function splitMinutes(minutes: number): { hours: number; minutes: number } {
  const total = Math.round(Math.abs(minutes));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/** The share of a budget used, for a progress bar: 0-100. */
export function progressPercent(usedPct: number | null): number {
  if (usedPct === null || !Number.isFinite(usedPct)) return 0;
  return Math.min(100, Math.max(0, Math.round(usedPct * 10) / 10));
}

export type BudgetLevel = 'ok' | 'warning' | 'danger' | 'exhausted';

/** Colour band of a budget: the warning notifications fire at 50, 75 and 100 %. */
export function budgetLevel(usedPct: number | null): BudgetLevel {
  if (usedPct === null) return 'ok';
  if (usedPct >= 100) return 'exhausted';
  if (usedPct >= 75) return 'danger';
  if (usedPct >= 50) return 'warning';
  return 'ok';
}

/** A burn rate like 1.53 -> "1.5", 0.004 -> "0.004" (small rates keep a significant digit). */
export function formatRate(rate: number): string {
  if (rate === 0) return '0';
  if (rate >= 10) return String(Math.round(rate));
  if (rate >= 0.1) return String(Math.round(rate * 10) / 10);
  return String(Number(rate.toPrecision(1)));
}
