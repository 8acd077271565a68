import { z } from 'zod';
import { isoDateTime } from './common.contract.ts';

/** 'HH:MM' local time; '24:00' ends a period at midnight. */
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
export const workPeriodSchema = z
  .object({ start: clock, end: clock })
  .strict()
  .refine((p) => p.start < p.end, { message: 'start must be before end' });
export type WorkPeriodInput = z.infer<typeof workPeriodSchema>;

/** Seven lists of periods, Sunday first; periods of a day must not overlap. */
export const weeklySchema = z
  .array(z.array(workPeriodSchema).max(6))
  .length(7)
  .refine(
    (days) =>
      days.every((ps) => {
        const sorted = [...ps].sort((a, b) => a.start.localeCompare(b.start));
        return sorted.every((p, i) => i === 0 || (sorted[i - 1]?.end ?? '') <= p.start);
      }),
    { message: 'periods of one day overlap' },
  );

export const calendarDayKindSchema = z.enum(['holiday', 'workday']);
export const isoDateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);

export const calendarDaySchema = z.object({
  date: isoDateSchema,
  kind: calendarDayKindSchema,
  name: z.string(),
  source: z.enum(['statutory', 'custom', 'import']),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  timeZone: z.string(),
  preset: z.enum(['7x24', 'cn-5x8']).nullable(),
  weekly: z.array(z.array(z.object({ start: z.string(), end: z.string() }))),
  /** Minutes of working time in an ordinary week, for display. */
  weeklyMinutes: z.number().int(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type CalendarSummary = z.infer<typeof calendarSummarySchema>;

export const calendarSchema = calendarSummarySchema.extend({
  days: z.array(calendarDaySchema),
  /** Years (from last year to next year) with no holiday data: those fall back to weekday rules. */
  yearsWithoutHolidays: z.array(z.number().int()),
});
export type Calendar = z.infer<typeof calendarSchema>;

export const createCalendarRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
    weekly: weeklySchema,
    /** Copy the shipped Chinese statutory holidays and make-up workdays into the new calendar. */
    withStatutoryDays: z.boolean().default(true),
  })
  .strict();

export const updateCalendarRequestSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    weekly: weeklySchema.optional(),
  })
  .strict();

export const setCalendarDaysRequestSchema = z
  .object({
    upsert: z
      .array(z.object({ date: isoDateSchema, kind: calendarDayKindSchema, name: z.string().trim().max(100).default('') }).strict())
      .max(1000)
      .default([]),
    remove: z.array(isoDateSchema).max(1000).default([]),
  })
  .strict();

export const calendarComputeQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }),
  minutes: z.coerce.number().int().min(0).max(10_000_000).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const calendarComputeResultSchema = z.object({
  from: isoDateTime,
  nextWorkingInstant: isoDateTime,
  /** from + minutes of business time, when minutes was given */
  due: isoDateTime.nullable(),
  /** business minutes from `from` to `to`, when `to` was given */
  businessMinutes: z.number().nullable(),
});

export const calendarImportResultSchema = z.object({
  imported: z.number().int(),
  holidays: z.number().int(),
  workdays: z.number().int(),
});
