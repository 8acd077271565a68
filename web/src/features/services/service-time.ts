import dayjs, { type Dayjs } from 'dayjs';
import { toZonedIso, wallClockToEpoch } from '../calendars/calendar-time';

/** Date pickers show a wall clock; on the services pages it is read in the service calendar's zone, not the browser's. */
export function pickerToIso(value: Dayjs, timeZone: string): string {
  const epoch = wallClockToEpoch({ year: value.year(), month: value.month() + 1, day: value.date(), hour: value.hour(), minute: value.minute() }, timeZone);
  return toZonedIso(epoch, timeZone);
}

/** The wall clock the zone shows at an instant, as a picker value. */
export function isoToPicker(iso: string, timeZone: string): Dayjs {
  return dayjs(toZonedIso(Date.parse(iso), timeZone).slice(0, 16));
}

export function nowInZone(timeZone: string): Dayjs {
  return dayjs(toZonedIso(Date.now(), timeZone).slice(0, 16));
}

export const PICKER_FORMAT = 'YYYY-MM-DD HH:mm';
