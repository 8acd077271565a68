import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/db.ts';
import { calendarDays, calendars } from './calendars.tables.ts';

export type CalendarRow = typeof calendars.$inferSelect;
export type CalendarDayRow = typeof calendarDays.$inferSelect;

export async function listCalendars(q: Queryable) {
  return q.select().from(calendars).orderBy(asc(calendars.id));
}

export async function findCalendar(q: Queryable, id: number) {
  const [row] = await q.select().from(calendars).where(eq(calendars.id, id));
  return row;
}

export async function findPreset(q: Queryable, preset: '7x24' | 'cn-5x8') {
  const [row] = await q.select().from(calendars).where(eq(calendars.preset, preset)).limit(1);
  return row;
}

export async function listDays(q: Queryable, calendarId: number) {
  return q.select().from(calendarDays).where(eq(calendarDays.calendarId, calendarId)).orderBy(asc(calendarDays.date));
}

export async function insertCalendar(q: Queryable, v: typeof calendars.$inferInsert) {
  const [row] = await q.insert(calendars).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** Optimistic update: false when the version moved on. */
export async function updateCalendarVersioned(q: Queryable, id: number, version: number, patch: Partial<typeof calendars.$inferInsert>) {
  const r = await q
    .update(calendars)
    .set({ ...patch, version: sql`${calendars.version} + 1`, updatedAt: new Date() })
    .where(and(eq(calendars.id, id), eq(calendars.version, version)))
    .returning({ id: calendars.id });
  return r.length > 0;
}

export async function bumpCalendar(q: Queryable, id: number) {
  await q.update(calendars).set({ version: sql`${calendars.version} + 1`, updatedAt: new Date() }).where(eq(calendars.id, id));
}

export async function upsertDays(q: Queryable, rows: (typeof calendarDays.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await q
      .insert(calendarDays)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [calendarDays.calendarId, calendarDays.date],
        set: { kind: sql`excluded.kind`, name: sql`excluded.name`, source: sql`excluded.source` },
      });
  }
}

export async function deleteDays(q: Queryable, calendarId: number, dates: string[]) {
  if (dates.length === 0) return;
  await q.delete(calendarDays).where(and(eq(calendarDays.calendarId, calendarId), inArray(calendarDays.date, dates)));
}
