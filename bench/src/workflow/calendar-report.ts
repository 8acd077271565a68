import fs from 'node:fs';
import path from 'node:path';
import { CALENDAR_TARGET_MS, runCalendarOn, type CalendarBenchOptions, type CalendarBenchResult } from './calendar.bench.ts';
import type { DbKind } from '../lib/targets.ts';

const thousands = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const ms = (v: number) => fmt(v, v < 10 ? 2 : 1);

/** The results file of one database (kept apart from the transitions part's `workflow-<db>.json`). */
export const calendarJsonName = (kind: DbKind) => `workflow-calendar-${kind}.json`;

export function calendarTable(results: CalendarBenchResult[]): string {
  const first = results[0];
  if (!first) return '_No calendar results yet: run `npm run bench -- workflow --part calendar`._';
  const head = ['scenario', 'call'];
  const rule = ['---', '---'];
  for (const r of results) {
    head.push(`${r.dbLabel}: p50 / p95 / p99 / max ms`, 'CPU ms per call (other load, cores)', 'conflicts median (max), calls with any', `p99 ≤ ${CALENDAR_TARGET_MS} ms`);
    rule.push('--:', '--:', '--:', '---');
  }
  const lines = [`| ${head.join(' | ')} |`, `| ${rule.join(' | ')} |`];
  for (const s of first.scenarios) {
    const cells = [`${s.label} (${s.runs} runs)`, `\`${s.call}\``];
    for (const r of results) {
      const x = r.scenarios.find((y) => y.id === s.id);
      if (!x) {
        cells.push('–', '–', '–', '–');
        continue;
      }
      const targeted = x.id === 'check' || x.id === 'route';
      cells.push(
        `${ms(x.ms.p50)} / ${ms(x.ms.p95)} / **${ms(x.ms.p99)}** / ${ms(x.ms.max)}`,
        x.cpuMsPerCall === null || x.cpuMsPerCall === undefined ? '–' : `${ms(x.cpuMsPerCall)} (${fmt(x.cpu?.other, 2)})`,
        `${x.conflicts.median} (${x.conflicts.max}), ${x.conflicts.callsWithAny}/${x.runs}`,
        targeted ? `${x.ms.p99 <= CALENDAR_TARGET_MS ? 'met' : '**not met**'}${r.db === 'postgres' ? '' : ' (target is for PostgreSQL)'}` : '',
      );
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function calendarSeedTable(results: CalendarBenchResult[]): string {
  if (!results.length) return '';
  const lines = [`| ${['data set', ...results.map((r) => r.dbLabel)].join(' | ')} |`, `| ${['---', ...results.map(() => '--:')].join(' | ')} |`];
  const row = (label: string, f: (r: CalendarBenchResult) => string) => lines.push(`| ${[label, ...results.map(f)].join(' | ')} |`);
  row('active changes (by state)', (r) => `${thousands(r.seed.changes)} (${Object.entries(r.seed.activeStates).map(([k, v]) => `${k} ${thousands(v)}`).join(', ')})`);
  row('planned over', (r) => `${r.seed.spanDays} days, 1-8 h each, mostly nights`);
  row('CIs / business services', (r) => `${thousands(r.seed.cis)} / ${r.seed.services}`);
  row('change → CI / change → service links', (r) => `${thousands(r.seed.ciLinks)} / ${thousands(r.seed.serviceLinks)}`);
  row('blackouts / weekly maintenance windows', (r) => `${r.seed.blackouts} / ${r.seed.maintenanceWindows}`);
  row('migrate / bulk load / VACUUM ANALYZE s', (r) => `${fmt(r.seed.migrateMs / 1000)} / ${fmt(r.seed.loadMs / 1000)} / ${fmt(r.seed.finishMs / 1000)}`);
  row('database size MB', (r) => String(r.seed.databaseSizeMb ?? '–'));
  row('load average 1/5/15 min: start / before / end', (r) => `${r.loadAverage.start.join(' ')} / ${r.loadAverage.beforeMeasure.join(' ')} / ${r.loadAverage.end.join(' ')}`);
  row('busy cores before measuring', (r) => fmt(r.machineBusyBefore, 2));
  return lines.join('\n');
}

export function calendarPlansTable(results: CalendarBenchResult[]): string {
  const lines = ['| database | statement | execution ms | scans |', '| --- | --- | --: | --- |'];
  for (const r of results) for (const p of r.plans) lines.push(`| ${r.dbLabel} | ${p.name} | ${fmt(p.executionMs, 3)} | ${p.scans.join(', ') || '–'} |`);
  return lines.join('\n');
}

/** The markdown section the workflow report includes (from every workflow-calendar-*.json in `outDir`). */
export function calendarSection(outDir: string): string {
  const all = readCalendarResults(outDir);
  return [
    '## Change calendar: conflict check against scheduled changes',
    '',
    'In process (no HTTP): the server\'s own `conflictsOf` (the check), `getConflicts` (everything GET /api/changes/:id/conflicts does: visibility, ' +
      'the change\'s CIs and services, the check) and `calendar` (one week, each change with its conflicts) on a freshly loaded, VACUUM ANALYZEd ' +
      'database. A check is one prepared statement: per change (LATERAL), the other active changes on the same CIs (change_cis by ci_id) or ' +
      'impacted services (change_services by service_ci_id, or the GiST index on the generated planned tstzrange) whose planned range overlaps, ' +
      'and the blackout / maintenance windows; the calendar checks every change of the week in the same single statement. ' +
      'CPU ms per call = CPU of the bench process and PostgreSQL over the timed runs / runs: what a call costs without other work ' +
      'competing for the cores (the latencies include waiting for a core when the machine is busy; see "other load"). ' +
      `The machine's load during the run is in the data set table. Target: p99 ≤ ${CALENDAR_TARGET_MS} ms on PostgreSQL against 10,000 scheduled changes. Command: \`npm run bench -- workflow --part calendar\`.`,
    '',
    calendarTable(all),
    '',
    '### Data set',
    '',
    calendarSeedTable(all),
    '',
    '### Query plans',
    '',
    'EXPLAIN (ANALYZE, BUFFERS), second run, of the statement one check sends. Full plans in the JSON (`plans`).',
    '',
    calendarPlansTable(all),
    '',
  ].join('\n');
}

export function readCalendarResults(outDir: string): CalendarBenchResult[] {
  return (['pglite', 'postgres'] as const)
    .map((k) => path.join(outDir, calendarJsonName(k)))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as CalendarBenchResult);
}

/** Runs the calendar part on each database and writes its JSON files; returns the markdown section. */
export async function runCalendarPart(kinds: DbKind[], outDir: string, opts: CalendarBenchOptions): Promise<string> {
  for (const kind of kinds) {
    const r = await runCalendarOn(kind, opts);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, calendarJsonName(kind)), `${JSON.stringify(r, null, 2)}\n`);
  }
  return calendarSection(outDir);
}
