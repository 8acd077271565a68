import type { z } from 'zod';
import type {
  CalendarDay,
  calendarComputeResultSchema,
  calendarImportResultSchema,
  createCalendarRequestSchema,
  setCalendarDaysRequestSchema,
  updateCalendarRequestSchema,
} from '@tianshu/contracts';

/** Request and reply types the contracts define as schemas only; type-only, so no zod is bundled. */
export type CreateCalendarRequest = z.input<typeof createCalendarRequestSchema>;
export type UpdateCalendarRequest = z.input<typeof updateCalendarRequestSchema>;
export type SetCalendarDaysRequest = z.input<typeof setCalendarDaysRequestSchema>;
export type CalendarComputeResult = z.infer<typeof calendarComputeResultSchema>;
export type CalendarImportResult = z.infer<typeof calendarImportResultSchema>;
export type CalendarDayKind = CalendarDay['kind'];

export interface CalendarComputeQuery {
  from: string;
  minutes?: number;
  to?: string;
}
