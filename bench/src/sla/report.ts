import { NOISE_CORES } from '../tickets/tickets.bench.ts';
import { BUSINESS_TIME_TARGET, type BusinessTimeResult } from './business-time.bench.ts';
import { SCAN_TARGET_MS, type SlaBenchResult, type SweepPass } from './sla.bench.ts';

const thousands = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const ms = (v: number) => fmt(v, v < 10 ? 2 : 1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** CPU shares from /proc tick counts mean little over a few milliseconds: only passes of 200 ms or more are judged. */
const cpuJudged = (p: SweepPass) => p.cpu !== null && p.wallMs >= 200;
const disturbedPass = (p: SweepPass) => cpuJudged(p) && (p.cpu?.other ?? 0) > NOISE_CORES;

/** Full sweep passes (100 due tickets each): the last, partial one is left out of the per-pass figures when there are full ones. */
function fullPasses(r: SlaBenchResult): SweepPass[] {
  const full = r.sweep.passes.filter((p) => p.handled >= r.sweep.batch);
  return full.length ? full : r.sweep.passes;
}

export function passSummary(r: SlaBenchResult) {
  const passes = fullPasses(r);
  const handled = passes.reduce((s, p) => s + p.handled, 0);
  return {
    passes: passes.length,
    medianWallMs: median(passes.map((p) => p.wallMs)),
    maxWallMs: Math.max(...passes.map((p) => p.wallMs)),
    msPerTicket: median(passes.map((p) => p.msPerTicket ?? Number.NaN)),
    statementsPerTicket: handled ? passes.reduce((s, p) => s + p.statements, 0) / handled : Number.NaN,
    notificationsPerTicket: handled ? passes.reduce((s, p) => s + p.notifications, 0) / handled : Number.NaN,
    deliveriesPerTicket: handled ? passes.reduce((s, p) => s + p.deliveries, 0) / handled : Number.NaN,
    eventsPerTicket: handled ? passes.reduce((s, p) => s + p.slaEvents, 0) / handled : Number.NaN,
    disturbed: r.sweep.passes.some(disturbedPass),
  };
}

export function scanTargetMet(r: SlaBenchResult): boolean {
  return r.sweep.passes.length > 0 && passSummary(r).maxWallMs <= SCAN_TARGET_MS && r.queries.due.max <= SCAN_TARGET_MS;
}

/** Business-time table: one column per distinct measurement (normally one per run, shared by both files). */
export function businessTimeTable(results: SlaBenchResult[]): string {
  const runs = [...new Map(results.map((r) => [r.businessTime.measuredAt, r.businessTime])).values()];
  if (runs.length === 0) return '';
  const head = ['operation', 'calendar'];
  const rule = ['---', '---'];
  for (const b of runs) {
    const suffix = runs.length > 1 ? ` (${when(b.measuredAt)})` : '';
    head.push(`ops/s median${suffix}`, 'µs/op', 'rounds min–max');
    rule.push('--:', '--:', '--:');
  }
  head.push(`target ≥ ${thousands(BUSINESS_TIME_TARGET)}/s`);
  rule.push('---');
  const lines = [`| ${head.join(' | ')} |`, `| ${rule.join(' | ')} |`];
  const first = runs[0] as BusinessTimeResult;
  for (const op of first.ops) {
    const per = runs.map((b) => b.ops.find((o) => o.id === op.id));
    const met = per.every((o) => o !== undefined && o.opsPerSec.median >= BUSINESS_TIME_TARGET);
    lines.push(
      `| ${[
        op.op,
        op.calendar,
        ...per.flatMap((o) => (o ? [thousands(o.opsPerSec.median), fmt(o.usPerOp, 2), `${thousands(o.opsPerSec.min)}–${thousands(o.opsPerSec.max)}`] : ['–', '–', '–'])),
        met ? 'met' : '**not met**',
      ].join(' | ')} |`,
    );
  }
  lines.push(`| ${['zonedParts alone (Intl formatToParts; several per call above)', 'Asia/Shanghai', ...runs.flatMap((b) => [thousands(b.zonedPartsOpsPerSec), fmt(1e6 / b.zonedPartsOpsPerSec, 2), '']), 'diagnostic'].join(' | ')} |`);
  return lines.join('\n');
}

export function businessTimeNotes(results: SlaBenchResult[]): string {
  const runs = [...new Map(results.map((r) => [r.businessTime.measuredAt, r.businessTime])).values()];
  const out: string[] = [];
  for (const b of runs) {
    out.push(
      `- Measured ${when(b.measuredAt)}, Node ${b.node}, ${b.cpuModel}; load average ${b.loadAverage.before.join(' / ')} before, ${b.loadAverage.after.join(' / ')} after ` +
        `(1/5/15 min; the machine has ${results[0]?.machine.cpuCount ?? '?'} cores and is shared). 7x24 results checked against plain arithmetic: ${b.verified ? 'ok' : 'MISMATCH'}.`,
    );
    out.push(`- Checksums over one pass of the inputs: ${b.ops.map((o) => `${o.id} ${o.checksum}`).join(', ')}; sink ${b.sink}.`);
  }
  const b = runs[0];
  if (b) {
    out.push(`- Calendars: ${b.calendars.map((c) => `${c.id} = ${c.description}`).join('; ')}.`);
    out.push(`- Inputs: ${Object.values(b.inputs).join('; ')}.`);
    out.push('- Method: per operation, 1 s warm-up, then 7 rounds of ~0.3 s over 4,096 seeded inputs; the median round is reported.');
  }
  return out.join('\n');
}

type Row = { label: string; cell: (r: SlaBenchResult) => string; target?: string };

const ROWS: Row[] = [
  { label: 'open tickets / running clocks', cell: (r) => `${thousands(r.seed.tickets)} / ${thousands(r.seed.clocks)}` },
  {
    label: 'tickets due at the scan instant (of which reach a breach)',
    cell: (r) => `${thousands(r.seed.dueTickets)} (${fmt((r.seed.dueTickets / Math.max(1, r.seed.tickets)) * 100, 2)} %; ${thousands(r.seed.dueBreaches)})`,
  },
  { label: 'due selection `dueTicketIds` p50 / p95 / max ms', cell: (r) => `${ms(r.queries.due.p50)} / ${ms(r.queries.due.p95)} / ${ms(r.queries.due.max)}`, target: `≤ ${SCAN_TARGET_MS} ms` },
  {
    label: 'due selection after a day without sweeps: due tickets, p50 / max ms',
    cell: (r) => `${thousands(r.queries.dueBacklog.dueTickets)}: ${ms(r.queries.dueBacklog.p50)} / ${ms(r.queries.dueBacklog.max)}`,
  },
  { label: 'orphan repair `unclockedRecentTickets` p50 / p95 / max ms', cell: (r) => `${ms(r.queries.orphans.p50)} / ${ms(r.queries.orphans.p95)} / ${ms(r.queries.orphans.max)}` },
  {
    label: 'sweep pass `sweepClocks(db, now, 100)`: passes, median / max wall ms',
    cell: (r) => {
      const s = passSummary(r);
      return `${s.passes}: ${ms(s.medianWallMs)} / ${ms(s.maxWallMs)}${s.disturbed ? ' *' : ''}`;
    },
    target: `≤ ${SCAN_TARGET_MS} ms per scan (PostgreSQL)`,
  },
  { label: 'per due ticket: ms (median pass)', cell: (r) => ms(passSummary(r).msPerTicket) },
  {
    label: 'whole job run (passes until one handles nothing): s, due tickets/s',
    cell: (r) => {
      const total = r.sweep.passes.reduce((s, p) => s + p.wallMs, 0) + r.sweep.idle.wallMs;
      const handled = r.sweep.passes.reduce((s, p) => s + p.handled, 0);
      return `${fmt(total / 1000, 2)} s, ${fmt(handled / (total / 1000), 0)}/s`;
    },
  },
  { label: 'per due ticket: SQL statements', cell: (r) => fmt(passSummary(r).statementsPerTicket, 1) },
  {
    label: 'per due ticket: notifications / e-mail outbox rows / timeline events',
    cell: (r) => {
      const s = passSummary(r);
      return `${fmt(s.notificationsPerTicket, 2)} / ${fmt(s.deliveriesPerTicket, 2)} / ${fmt(s.eventsPerTicket, 2)}`;
    },
  },
  { label: 'idle pass (nothing due) wall ms', cell: (r) => ms(r.sweep.idle.wallMs) },
  {
    label: 'CPU during the passes: bench process / PostgreSQL / other (cores)',
    cell: (r) => (r.sweep.cpu ? `${fmt(r.sweep.cpu.bench, 2)} / ${r.db === 'postgres' ? fmt(r.sweep.cpu.postgres, 2) : 'in process'} / ${fmt(r.sweep.cpu.other, 2)}` : '–'),
  },
  { label: 'scan target (pass and due selection ≤ 1 s)', cell: (r) => (scanTargetMet(r) ? 'met' : '**not met**') },
];

export function sweepTable(results: SlaBenchResult[]): string {
  const head = ['measure', ...results.map((r) => `${r.dbLabel}`), 'target'];
  const lines = [`| ${head.join(' | ')} |`, `| ${['---', ...results.map(() => '--:'), '---'].join(' | ')} |`];
  for (const row of ROWS) lines.push(`| ${[row.label, ...results.map((r) => row.cell(r)), row.target ?? ''].join(' | ')} |`);
  return lines.join('\n');
}

export function passesTable(results: SlaBenchResult[]): string {
  const head = ['pass'];
  const rule = ['--:'];
  for (const r of results) {
    head.push(`${r.dbLabel}: due before`, 'handled', 'wall ms', 'ms/ticket', 'statements', 'other cores');
    rule.push('--:', '--:', '--:', '--:', '--:', '--:');
  }
  const lines = [`| ${head.join(' | ')} |`, `| ${rule.join(' | ')} |`];
  const n = Math.max(0, ...results.map((r) => r.sweep.passes.length));
  const cells = (p: SweepPass | undefined) =>
    p ? [String(p.dueBefore), String(p.handled), ms(p.wallMs), ms(p.msPerTicket ?? Number.NaN), String(p.statements), cpuJudged(p) ? fmt(p.cpu?.other, 2) : '–'] : ['–', '–', '–', '–', '–', '–'];
  for (let i = 0; i < n; i++) lines.push(`| ${[String(i + 1), ...results.flatMap((r) => cells(r.sweep.passes[i]))].join(' | ')} |`);
  lines.push(`| ${['idle', ...results.flatMap((r) => cells(r.sweep.idle))].join(' | ')} |`);
  return lines.join('\n');
}

/** How the plan reaches its table: the scan nodes, and the index condition of the first index scan. */
function keyLine(p: { scans: string[]; plan: string[] }): string {
  const i = p.plan.findIndex((l) => /Index (Only )?Scan/.test(l));
  const cond = i >= 0 ? (p.plan[i + 1] ?? '').trim() : '';
  return [p.scans.join(' → '), /Index Cond/.test(cond) ? cond : ''].filter(Boolean).join('; ');
}

export function plansTable(results: SlaBenchResult[]): string {
  const names = [...new Set(results.flatMap((r) => r.plans.map((p) => p.name)))];
  const head = ['query (as sent by sla.queries.ts)', ...results.map((r) => `${r.dbLabel} exec ms`), 'key plan line (last database)'];
  const lines = [`| ${head.join(' | ')} |`, `| ${['---', ...results.map(() => '--:'), '---'].join(' | ')} |`];
  for (const name of names) {
    const per = results.map((r) => r.plans.find((p) => p.name === name));
    const last = per.filter((p) => p !== undefined).at(-1);
    lines.push(`| ${[name, ...per.map((p) => (p?.executionMs == null ? '–' : ms(p.executionMs))), `\`${last ? keyLine(last).replace(/\|/g, '\\|') : ''}\``].join(' | ')} |`);
  }
  return lines.join('\n');
}

export function sweepNotes(results: SlaBenchResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(
      `- ${r.dbLabel}, ${when(r.machine.date)}, commit ${r.machine.git?.commit ?? '?'}` +
        `${r.machine.git?.serverDirty ? ' + uncommitted server changes' : r.codeChangedDuringRun ? ' (server code changed during the run!)' : ''}: load ${thousands(r.seed.loadTicketsPerSec)} tickets/s with their clocks, ` +
        `database ${r.seed.databaseSizeMb ?? '?'} MB, ${thousands(r.seed.ticketEvents)} timeline events; load average ${r.loadAverage.beforeMeasure.join(' / ')} before measuring, ` +
        `${r.loadAverage.end.join(' / ')} at the end; machine busy ${r.machineBusyBefore ?? '?'} cores before measuring. ` +
        `${r.sweep.remainingDue === 0 ? 'Every due ticket was handled.' : `${r.sweep.remainingDue} tickets still due after the passes!`}`,
    );
  }
  if (results.some((r) => passSummary(r).disturbed)) out.push(`- \\* other processes used more than ${NOISE_CORES} cores during a pass: the figure is disturbed.`);
  const r = results[0];
  if (r) {
    out.push(
      `- Scan instant ${r.seed.scanInstant} (Wednesday 10:30 in Shanghai); tickets created over the 10 days before it; calendar ${r.seed.calendar}; ` +
        `targets P1 15/240, P2 30/480, P3 120/1440, P4 480/2400 business minutes (response/resolution), warnings at ${r.seed.rules.thresholds.join('/')} %, ` +
        'resolution breach escalates to the group lead and the managers.',
    );
    out.push(`- Machine: ${r.machine.cpuCount} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB RAM, Node ${r.machine.node}; the bench, PGlite (in process) and PostgreSQL share it.`);
  }
  return out.join('\n');
}
