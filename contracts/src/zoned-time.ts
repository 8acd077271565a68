/**
 * Wall clocks in IANA time zones through Intl only, shared by the server's business-time
 * arithmetic and the web's calendar page. No zod here: the web imports this subpath without
 * bundling the schemas.
 */
export type ZonedParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function intlParts(epochMs: number, timeZone: string): ZonedParts {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year ?? 1970, month: p.month ?? 1, day: p.day ?? 1, hour: p.hour ?? 0, minute: p.minute ?? 0, second: p.second ?? 0 };
}

/*
 * Intl.formatToParts costs ~3 µs and business-time arithmetic calls it several times per step, so
 * the zone's UTC offset is cached per 15-minute slot of UTC time (offset changes happen on
 * quarter-hour boundaries in every zone) and the wall clock is then plain arithmetic.
 */
const SLOT_MS = 15 * 60_000;
const MAX_SLOTS = 200_000;
const offsets = new Map<string, Map<number, number>>();
let cachedSlots = 0;

function offsetMs(epochMs: number, timeZone: string): number {
  const slot = Math.floor(epochMs / SLOT_MS);
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  let off = zone.get(slot);
  if (off === undefined) {
    const start = slot * SLOT_MS;
    const p = intlParts(start, timeZone);
    off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
    if (++cachedSlots > MAX_SLOTS) {
      offsets.clear();
      cachedSlots = 1;
      offsets.set(timeZone, (zone = new Map()));
    }
    zone.set(slot, off);
  }
  return off;
}

/** What a clock in `timeZone` shows at the instant. */
export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const d = new Date(epochMs + offsetMs(epochMs, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Minutes east of UTC that `timeZone` shows at the instant. */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** The instant at which `timeZone` shows `msOfDay` after midnight of the date (a DST gap resolves nearby). */
export function wallTimeToEpoch(year: number, month: number, day: number, msOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + msOfDay;
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = zonedParts(guess, timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (((guess % 1000) + 1000) % 1000);
    const diff = wall - shown;
    if (diff === 0) break;
    guess += diff;
  }
  return guess;
}

/** 'HH:MM' (or '24:00') as minutes after midnight. */
export function clockMinutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}
