import { CN_STATUTORY_DAYS, CN_STATUTORY_YEARS } from './cn-statutory-days.data.ts';
import { PRESET_5X8_PERIODS, weekdayCalendar, type BusinessCalendar, type WorkPeriod } from './business-time.ts';

/** A weekday calendar with the Chinese statutory holidays and make-up workdays we ship. */
export function cnStatutoryCalendar(periods: WorkPeriod[] = PRESET_5X8_PERIODS, timeZone = 'Asia/Shanghai'): BusinessCalendar {
  return weekdayCalendar(
    timeZone,
    periods,
    CN_STATUTORY_DAYS.filter((d) => d.kind === 'holiday').map((d) => d.date),
    CN_STATUTORY_DAYS.filter((d) => d.kind === 'workday').map((d) => d.date),
  );
}

/** Years a calendar relies on without holiday data: they fall back to weekday rules (warn the admin). */
export function yearsWithoutStatutoryData(years: readonly number[]): number[] {
  return years.filter((y) => !(CN_STATUTORY_YEARS as readonly number[]).includes(y));
}
