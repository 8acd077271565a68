import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A business calendar: time zone, weekly working periods ('HH:MM' strings, Sunday first). */
export const calendars = pgTable('calendars', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  preset: text('preset', { enum: ['7x24', 'cn-5x8'] }),
  weekly: jsonb('weekly').notNull(),
  makeUpWeekday: smallint('make_up_weekday').notNull().default(1),
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Holidays and make-up working days (调休上班), copied from the statutory data or added by admins. */
export const calendarDays = pgTable(
  'calendar_days',
  {
    calendarId: bigint('calendar_id', { mode: 'number' })
      .notNull()
      .references(() => calendars.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
    name: text('name').notNull().default(''),
    source: text('source', { enum: ['statutory', 'custom', 'import'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] }), index('calendar_days_date_idx').on(t.date)],
);
