import fs from 'node:fs';
import path from 'node:path';
import type { DbKind } from '../lib/targets.ts';
import { TRANSITIONS_TARGET_PER_S, runTransitionsOn, type TransitionsBenchOptions, type TransitionsBenchResult } from './transitions.bench.ts';

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

export const transitionsJsonName = (kind: DbKind) => `workflow-${kind}.json`;

export function readTransitionsResults(outDir: string): TransitionsBenchResult[] {
  return (['pglite', 'postgres'] as const)
    .map((k) => path.join(outDir, transitionsJsonName(k)))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as TransitionsBenchResult);
}

export function transitionsTable(results: TransitionsBenchResult[]): string {
  if (!results.length) return '_No transition results yet: run `npm run bench -- workflow --part transitions`._';
  const lines = [`| ${['', ...results.map((r) => r.dbLabel)].join(' | ')} |`, `| ${['---', ...results.map(() => '--:')].join(' | ')} |`];
  const row = (label: string, f: (r: TransitionsBenchResult) => string) => lines.push(`| ${[label, ...results.map(f)].join(' | ')} |`);
  row('concurrency / measured s', (r) => `${r.concurrency} / ${fmt(r.durationS)}`);
  row('**moves/s** (transitions + approval decisions)', (r) => `**${fmt(r.movesPerSecond)}**`);
  row(`target ≥ ${TRANSITIONS_TARGET_PER_S}/s (PostgreSQL)`, (r) => (r.db === 'postgres' ? (r.movesPerSecond >= TRANSITIONS_TARGET_PER_S ? 'met' : '**not met**') : 'n/a'));
  row('state changes/s (incl. the system transition on approval)', (r) => fmt(r.stateChangesPerSecond));
  row('changes driven to closed', (r) => String(r.changesCompleted));
  const ops = [...new Set(results.flatMap((r) => Object.keys(r.ops)))];
  for (const op of ops) {
    row(`\`${op}\` p50 / p90 / p99 ms (calls, errors)`, (r) => {
      const o = r.ops[op];
      return o ? `${fmt(o.latency.p50)} / ${fmt(o.latency.p90)} / ${fmt(o.latency.p99)} (${o.calls}, ${o.errors})` : '–';
    });
  }
  row('CPU cores: server / PostgreSQL / bench client / other', (r) =>
    r.cpu ? `${fmt(r.cpu.server, 2)} / ${fmt(r.cpu.postgres, 2)} / ${fmt(r.cpu.bench, 2)} / ${fmt(r.cpu.other, 2)}` : '–',
  );
  row('busy cores before measuring', (r) => fmt(r.machineBusyBefore, 2));
  return lines.join('\n');
}

export function transitionsSection(outDir: string): string {
  const all = readTransitionsResults(outDir);
  const samples = all.flatMap((r) => r.errorSamples.map((e) => `- ${r.dbLabel}: ${e}`));
  return [
    '## Transitions through the API',
    '',
    'A real server process (`node server/src/main.ts`, jobs off) over HTTP with keep-alive; closed-loop workers each drive normal changes through ' +
      'their lifecycle: submit and request approval (guards: the rollback-plan and planned-window checks; the second starts the CAB approval), ' +
      'two CAB approvals (会签: the second ends the run and the engine takes the system transition to `scheduled` in the same transaction), ' +
      'implement (guard: approval granted), verify, complete, review, close. A move is one API call that moves a ticket (7 transitions and 2 decisions per change); ' +
      'creating the change and reading its approval tasks are timed but not counted. ' +
      `Target: ≥ ${TRANSITIONS_TARGET_PER_S} moves/s on PostgreSQL at concurrency 16. Command: \`npm run bench -- workflow --part transitions\`.`,
    '',
    transitionsTable(all),
    '',
    ...(samples.length ? ['Error samples:', '', ...samples, ''] : []),
  ].join('\n');
}

export async function runTransitionsPart(kinds: DbKind[], outDir: string, opts: TransitionsBenchOptions): Promise<string> {
  for (const kind of kinds) {
    const r = await runTransitionsOn(kind, opts);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, transitionsJsonName(kind)), `${JSON.stringify(r, null, 2)}\n`);
  }
  return transitionsSection(outDir);
}
