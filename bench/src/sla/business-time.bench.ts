import os from 'node:os';
import { slaRulesSchema, type SlaRules } from '@tianshu/contracts';
import { addBusinessMinutes, businessMinutesBetween, PRESET_7X24, type BusinessCalendar } from '../../../server/src/modules/calendars/business-time.ts';
import { cnStatutoryCalendar } from '../../../server/src/modules/calendars/cn-calendar.ts';
import { deriveClock, type TimelineFact } from '../../../server/src/modules/sla/clock.ts';
import { zonedParts } from '@tianshu/contracts/zoned-time';
import { createRng, type Rng } from '../lib/random.ts';
import { round } from '../lib/stats.ts';

/**
 * Business-time arithmetic in one thread, no database: the pure functions every SLA clock
 * derivation and every sweep calls. Inputs are seeded, so the checksum of one pass over them is
 * the same on every run (and shows the results are used, not optimised away).
 */

export type BusinessTimeOp = {
  id: string;
  op: string;
  calendar: string;
  /** Distinct inputs cycled through in every round. */
  inputs: number;
  rounds: number;
  /** Calls per measured round. */
  callsPerRound: number;
  /** Per-round throughput, calls per second. */
  opsPerSec: { median: number; min: number; max: number };
  usPerOp: number;
  /** Sum of the results over one pass of the inputs (deterministic for a given code version). */
  checksum: number;
};

export type BusinessTimeResult = {
  measuredAt: string;
  node: string;
  cpuModel: string;
  /** os.loadavg() (1, 5, 15 min) before and after: the machine is shared. */
  loadAverage: { before: number[]; after: number[] };
  targetOpsPerSec: number;
  calendars: { id: string; description: string }[];
  inputs: { starts: string; targets: string; spans: string; timeline: string };
  ops: BusinessTimeOp[];
  /** Intl-based wall-clock conversion alone (zonedParts, Asia/Shanghai): every call above makes several. */
  zonedPartsOpsPerSec: number;
  /** Accumulated over every timed call; printed so the work cannot be eliminated. */
  sink: number;
  /** Spot checks of the 7x24 results against plain arithmetic. */
  verified: boolean;
};

export const BUSINESS_TIME_TARGET = 200_000;
const MIN = 60_000;
const INPUTS = 4096;
const WARMUP_MS = 1000;
const ROUND_MS = 300;
const ROUNDS = 7;

const hm = (h: number, m = 0) => h * 60 + m;
/** 2025-01-01T00:00 and 2027-01-01T00:00 in Asia/Shanghai (UTC+8). */
const FROM = Date.UTC(2024, 11, 31, 16);
const TO = Date.UTC(2026, 11, 31, 16);

function logUniform(rng: Rng, lo: number, hi: number): number {
  return lo * Math.exp(rng.next() * Math.log(hi / lo));
}

/** The rules a typical definition has (defaults: thresholds 50/75/90, pause on customer and vendor). */
export const BENCH_TARGETS = [
  { priority: 1, responseMinutes: 15, resolutionMinutes: 240 },
  { priority: 2, responseMinutes: 30, resolutionMinutes: 480 },
  { priority: 3, responseMinutes: 120, resolutionMinutes: 1440 },
  { priority: 4, responseMinutes: 480, resolutionMinutes: 2400 },
];

/** created (new) -> assigned -> pending (customer) -> in_progress (resumed) -> resolved, in wall-clock steps. */
function typicalTimeline(rng: Rng): { facts: TimelineFact[]; now: Date } {
  let t = FROM + rng.next() * (TO - FROM - 30 * 86_400_000);
  const at = (minutesLo: number, minutesHi: number) => new Date((t += Math.round(logUniform(rng, minutesLo, minutesHi)) * MIN));
  const created = new Date(t);
  const facts: TimelineFact[] = [
    { at: created, kind: 'created', state: 'new', priority: rng.int(1, 4) },
    { at: at(2, 60), kind: 'state', from: 'new', to: 'assigned', pendingReason: null, byProvider: true },
    { at: at(15, 480), kind: 'state', from: 'assigned', to: 'pending', pendingReason: 'customer', byProvider: true },
    { at: at(30, 2880), kind: 'state', from: 'pending', to: 'in_progress', pendingReason: null, byProvider: false },
    { at: at(30, 2880), kind: 'state', from: 'in_progress', to: 'resolved', pendingReason: null, byProvider: true },
  ];
  return { facts, now: new Date(t + 60 * MIN) };
}

type Case = { id: string; op: string; calendar: string; cal: BusinessCalendar; call: (i: number) => number };

function timeRound(c: Case, calls: number): { ms: number; acc: number } {
  let acc = 0;
  const t0 = performance.now();
  for (let k = 0; k < calls; k++) acc += c.call(k % INPUTS);
  return { ms: performance.now() - t0, acc };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export function runBusinessTime(log: (msg: string) => void): BusinessTimeResult {
  const before = os.loadavg().map((v) => round(v));
  const office = cnStatutoryCalendar([
    { start: hm(9), end: hm(12) },
    { start: hm(13, 30), end: hm(18) },
  ]);
  const allDay: BusinessCalendar = { timeZone: 'Asia/Shanghai', ...PRESET_7X24 };
  const rules: SlaRules = slaRulesSchema.parse({ calendarId: 1, targets: BENCH_TARGETS });

  const rng = createRng(20250101);
  const starts = Array.from({ length: INPUTS }, () => new Date(Math.round(FROM + rng.next() * (TO - FROM))));
  const targets = Array.from({ length: INPUTS }, () => Math.round(logUniform(rng, 15, 5 * 1440)));
  const spanEnds = starts.map((s) => new Date(s.getTime() + Math.round(logUniform(rng, 1, 14 * 1440) * MIN)));
  const timelines = Array.from({ length: INPUTS }, () => typicalTimeline(rng));

  const cases: Case[] = [];
  for (const [calendar, cal] of [
    ['cn-5x8', office],
    ['7x24', allDay],
  ] as const) {
    cases.push(
      {
        id: `add_${calendar}`,
        op: 'addBusinessMinutes',
        calendar,
        cal,
        call: (i) => (addBusinessMinutes(cal, starts[i] as Date, targets[i] as number).getTime() - (starts[i] as Date).getTime()) / MIN,
      },
      { id: `between_${calendar}`, op: 'businessMinutesBetween', calendar, cal, call: (i) => businessMinutesBetween(cal, starts[i] as Date, spanEnds[i] as Date) },
      ...(['resolution', 'response'] as const).map((metric) => ({
        id: `derive_${metric}_${calendar}`,
        op: `deriveClock (${metric})`,
        calendar,
        cal,
        call: (i: number) => {
          const tl = timelines[i] as { facts: TimelineFact[]; now: Date };
          const c = deriveClock(metric, rules, cal, tl.facts, tl.now);
          if (!c) return 0;
          return c.elapsedBase + c.events.length + (c.breached ? 1 : 0) + (c.dueAt ? (c.dueAt.getTime() % 86_400_000) / MIN : 0);
        },
      })),
    );
  }

  // 7x24 has no DST in Asia/Shanghai: adding n minutes is plain arithmetic, and so is the span.
  let verified = true;
  for (let i = 0; i < INPUTS; i++) {
    const s = starts[i] as Date;
    if (addBusinessMinutes(allDay, s, targets[i] as number).getTime() !== s.getTime() + (targets[i] as number) * MIN) verified = false;
    const span = ((spanEnds[i] as Date).getTime() - s.getTime()) / MIN;
    if (Math.abs(businessMinutesBetween(allDay, s, spanEnds[i] as Date) - span) > 1e-6) verified = false;
  }

  let sink = 0;
  const ops: BusinessTimeOp[] = [];
  for (const c of cases) {
    let checksum = 0;
    for (let i = 0; i < INPUTS; i++) checksum += c.call(i);
    // Warm-up (JIT, Intl formatter caches), and calibration of the round size.
    let calls = 0;
    const w0 = performance.now();
    while (performance.now() - w0 < WARMUP_MS) {
      sink += timeRound(c, 512).acc;
      calls += 512;
    }
    const estimate = calls / ((performance.now() - w0) / 1000);
    const callsPerRound = Math.max(INPUTS, Math.round((estimate * ROUND_MS) / 1000 / INPUTS) * INPUTS);
    const perRound: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const { ms, acc } = timeRound(c, callsPerRound);
      sink += acc;
      perRound.push(callsPerRound / (ms / 1000));
    }
    const med = median(perRound);
    const op: BusinessTimeOp = {
      id: c.id,
      op: c.op,
      calendar: c.calendar,
      inputs: INPUTS,
      rounds: ROUNDS,
      callsPerRound,
      opsPerSec: { median: Math.round(med), min: Math.round(Math.min(...perRound)), max: Math.round(Math.max(...perRound)) },
      usPerOp: round(1e6 / med, 2),
      checksum: round(checksum, 3),
    };
    ops.push(op);
    log(
      `  ${`${c.op} [${c.calendar}]`.padEnd(42)} ${String(op.opsPerSec.median).padStart(8)}/s (${op.usPerOp} µs/op, rounds ${op.opsPerSec.min}..${op.opsPerSec.max})` +
        `${op.opsPerSec.median >= BUSINESS_TIME_TARGET ? '' : '  below target'}`,
    );
  }

  // The conversion underneath: Intl.DateTimeFormat#formatToParts per call.
  const zc = 200_000;
  for (let k = 0; k < zc; k++) sink += zonedParts((starts[k % INPUTS] as Date).getTime(), 'Asia/Shanghai').minute;
  const z0 = performance.now();
  for (let k = 0; k < zc; k++) sink += zonedParts((starts[k % INPUTS] as Date).getTime(), 'Asia/Shanghai').minute;
  const zonedPartsOpsPerSec = Math.round(zc / ((performance.now() - z0) / 1000));
  log(`  ${'zonedParts (Intl formatToParts) alone'.padEnd(42)} ${String(zonedPartsOpsPerSec).padStart(8)}/s`);

  return {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: { before, after: os.loadavg().map((v) => round(v)) },
    targetOpsPerSec: BUSINESS_TIME_TARGET,
    calendars: [
      { id: 'cn-5x8', description: 'cnStatutoryCalendar: Mon-Fri 09:00-12:00 / 13:30-18:00 Asia/Shanghai, Chinese statutory holidays and make-up workdays 2025-2026' },
      { id: '7x24', description: 'PRESET_7X24, Asia/Shanghai' },
    ],
    inputs: {
      starts: `${INPUTS} instants uniform over 2025-01-01..2026-12-31 (Asia/Shanghai), seeded`,
      targets: 'addBusinessMinutes: log-uniform 15 .. 7200 business minutes (15 min .. 5 × 24 h)',
      spans: 'businessMinutesBetween: from the same starts, wall-clock spans log-uniform 1 min .. 14 days',
      timeline:
        'deriveClock: created (new, P1-P4) -> assigned (+2 min..1 h) -> pending customer (+15 min..8 h) -> in_progress (+30 min..2 days) -> resolved (+30 min..2 days), now = resolved + 1 h; targets P1 15/240, P2 30/480, P3 120/1440, P4 480/2400 min',
    },
    ops,
    zonedPartsOpsPerSec,
    sink: round(sink, 3),
    verified,
  };
}
