/**
 * Minimal iCalendar (RFC 5545) for whole-day holiday calendars: export one all-day VEVENT per day,
 * import all-day VEVENTs (DTSTART/DTEND;VALUE=DATE, ranges expanded). A day is a make-up working
 * day when X-TIANSHU-KIND says so, or when the summary/description marks it 班 (the convention of
 * Chinese holiday feeds such as chinese-days: "春节(班)"); otherwise it is a day off.
 */
export type IcsDay = { date: string; kind: 'holiday' | 'workday'; name: string };

const MAX_DAYS = 5000;

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}
function unescapeText(s: string): string {
  return s.replace(/\\n/gi, '\n').replace(/\\([\\;,])/g, '$1');
}
const compact = (date: string) => date.replaceAll('-', '');
function nextDate(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

export function renderIcs(calendarName: string, days: readonly IcsDay[], stamp = new Date()): string {
  const dtstamp = stamp.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Tianshu//Business Calendar//ZH', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${escapeText(calendarName)}`];
  for (const d of days) {
    const mark = d.kind === 'workday' ? '班' : '休';
    lines.push(
      'BEGIN:VEVENT',
      `UID:${compact(d.date)}-${d.kind}@tianshu`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${compact(d.date)}`,
      `DTEND;VALUE=DATE:${compact(nextDate(d.date))}`,
      `SUMMARY:${escapeText(`${d.name || (d.kind === 'workday' ? '调休上班' : '休息日')}(${mark})`)}`,
      `X-TIANSHU-KIND:${d.kind}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

function toIsoDate(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const t = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date ? null : date;
}

/** Parses all-day events; throws Error with a reason when the text is not an iCalendar. */
export function parseIcs(text: string): IcsDay[] {
  // Unfold continuation lines (a line starting with a space or tab continues the previous one).
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  if (!lines.some((l) => l.trim().toUpperCase() === 'BEGIN:VCALENDAR')) throw new Error('not an iCalendar file (no BEGIN:VCALENDAR)');
  const out = new Map<string, IcsDay>();
  let ev: Record<string, string> | null = null;
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper === 'BEGIN:VEVENT') ev = {};
    else if (upper === 'END:VEVENT' && ev) {
      const start = toIsoDate(ev.DTSTART ?? '');
      if (!start) throw new Error('an event has no valid DTSTART date');
      const end = ev.DTEND ? toIsoDate(ev.DTEND) : nextDate(start);
      if (!end || end <= start) throw new Error(`event on ${start} has an invalid DTEND`);
      const summary = unescapeText(ev.SUMMARY ?? '');
      const explicit = (ev['X-TIANSHU-KIND'] ?? '').toLowerCase();
      const workday = explicit ? explicit === 'workday' : /[（(]班[）)]|^班$/.test(summary) || (ev.DESCRIPTION ?? '').trim() === '班';
      const name = summary.replace(/[（(][班休][）)]\s*$/, '').trim();
      for (let d = start; d < end; d = nextDate(d)) {
        out.set(d, { date: d, kind: workday ? 'workday' : 'holiday', name });
        if (out.size > MAX_DAYS) throw new Error(`more than ${MAX_DAYS} days`);
      }
      ev = null;
    } else if (ev) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        const key = (line.slice(0, colon).split(';')[0] ?? '').toUpperCase();
        ev[key] = line.slice(colon + 1);
      }
    }
  }
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date));
}
