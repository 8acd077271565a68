import { IMPACT_TARGET_MS, type CmdbBenchResult, type ScenarioResult } from './cmdb.bench.ts';

const thousands = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const ms = (v: number) => fmt(v, v < 10 ? 2 : 1);
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Scenarios the issue's target applies to ("impact of a business service", both readings). */
const TARGETED = new Set(['bs-up-5', 'bs-down-5']);

export function targetVerdict(r: CmdbBenchResult, s: ScenarioResult): string {
  if (!TARGETED.has(s.id)) return '';
  const met = s.ms.p99 <= IMPACT_TARGET_MS;
  return `${met ? 'met' : '**not met**'}${r.db === 'postgres' ? '' : ' (target is for PostgreSQL)'}`;
}

export function scenarioTable(results: CmdbBenchResult[]): string {
  const head = ['scenario (50 roots, cycled)', 'call'];
  const rule = ['---', '---'];
  for (const r of results) {
    head.push(`${r.dbLabel}: p50 / p95 / p99 / max ms`, 'nodes median (max)', 'truncated', 'reach a service', `p99 ≤ ${IMPACT_TARGET_MS} ms`);
    rule.push('--:', '--:', '--:', '--:', '---');
  }
  const lines = [`| ${head.join(' | ')} |`, `| ${rule.join(' | ')} |`];
  const first = results[0];
  if (!first) return '';
  for (const s of first.scenarios) {
    const cells = [s.label, `\`${s.call}\``];
    for (const r of results) {
      const x = r.scenarios.find((y) => y.id === s.id);
      if (!x) {
        cells.push('–', '–', '–', '–', '–');
        continue;
      }
      cells.push(
        `${ms(x.ms.p50)} / ${ms(x.ms.p95)} / **${ms(x.ms.p99)}** / ${ms(x.ms.max)}`,
        `${thousands(x.nodes.median)} (${thousands(x.nodes.max)})`,
        `${x.truncated}/${x.runs}`,
        x.id.startsWith('bs-up') ? '–' : `${x.reachServices}/${x.runs}`,
        targetVerdict(r, x),
      );
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function seedTable(results: CmdbBenchResult[]): string {
  const head = ['data set', ...results.map((r) => r.dbLabel)];
  const lines = [`| ${head.join(' | ')} |`, `| ${['---', ...results.map(() => '--:')].join(' | ')} |`];
  const row = (label: string, f: (r: CmdbBenchResult) => string) => lines.push(`| ${[label, ...results.map(f)].join(' | ')} |`);
  row('CIs / relations', (r) => `${thousands(r.seed.cis)} / ${thousands(r.seed.relations)}`);
  row('CIs by class', (r) => r.seed.classes.map((c) => `${c.key} ${thousands(c.count)}`).join(', '));
  row('relations by type', (r) => r.seed.relationsByType.map((c) => `${c.key} ${thousands(c.count)}`).join(', '));
  row('mutual pairs (cycles)', (r) => String(r.seed.cyclePairs));
  row('bulk load / VACUUM ANALYZE s', (r) => `${fmt(r.seed.loadMs / 1000, 1)} / ${fmt(r.seed.finishMs / 1000, 1)}`);
  row('database size MB', (r) => String(r.seed.databaseSizeMb ?? '–'));
  row('load average 1/5/15 min: start / before measuring / end', (r) => `${r.loadAverage.start.join(' ')} / ${r.loadAverage.beforeMeasure.join(' ')} / ${r.loadAverage.end.join(' ')}`);
  row('busy cores before measuring', (r) => fmt(r.machineBusyBefore, 2));
  return lines.join('\n');
}

/** The plan's scan nodes and the rows the statement returned, plus the execution time. */
function keyLine(p: { scans: string[]; plan: string[]; executionMs: number | null }): string {
  const top = p.plan[0]?.trim();
  const rowsOut = top ? /actual time=[0-9.]+\.\.[0-9.]+ rows=(\d+)/.exec(top)?.[1] : undefined;
  return [p.scans.join(' → '), rowsOut ? `rows=${rowsOut}` : ''].filter(Boolean).join('; ');
}

export function plansTable(results: CmdbBenchResult[]): string {
  const names = [...new Set(results.flatMap((r) => r.plans.map((p) => p.name)))];
  const head = ['statement (as sent by cmdb-relations.service.ts)', ...results.map((r) => `${r.dbLabel} exec ms`), 'key plan line (last database)'];
  const lines = [`| ${head.join(' | ')} |`, `| ${['---', ...results.map(() => '--:'), '---'].join(' | ')} |`];
  for (const name of names) {
    const per = results.map((r) => r.plans.find((p) => p.name === name));
    const last = [...per].reverse().find((p) => p !== undefined);
    lines.push(`| ${[name, ...per.map((p) => fmt(p?.executionMs ?? null, 2)), last ? keyLine(last).replace(/\|/g, '\\|') : ''].join(' | ')} |`);
  }
  return lines.join('\n');
}

export function notes(results: CmdbBenchResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(
      `- ${r.dbLabel}: measured ${when(r.machine.date)}, Node ${r.machine.node}, ${r.machine.cpuCount} × ${r.machine.cpuModel}, commit ${r.machine.git.commit ?? '?'}` +
        `${r.machine.git.serverDirty ? ' (server/ had uncommitted changes)' : ''}; load average ${r.loadAverage.beforeMeasure.join(' / ')} before measuring, ${r.loadAverage.end.join(' / ')} after.`,
    );
  }
  const pg = results.find((r) => r.db === 'postgres');
  if (pg) {
    const up = pg.scenarios.find((s) => s.id === 'bs-up-5');
    const down = pg.scenarios.find((s) => s.id === 'bs-down-5');
    if (up && down) {
      out.push(
        `- Target (issue): "on PostgreSQL with 100,000 CIs and 300,000 relations, impact of a business service p99 ≤ ${IMPACT_TARGET_MS} ms". ` +
          `Read as what the service depends on (\`upstream\`): p99 ${ms(up.ms.p99)} ms, ${up.ms.p99 <= IMPACT_TARGET_MS ? 'met' : '**not met**'}; ` +
          `read literally as \`downstream\` (what depends on the service — nothing above a business service in this topology): p99 ${ms(down.ms.p99)} ms, ` +
          `${down.ms.p99 <= IMPACT_TARGET_MS ? 'met' : '**not met**'}` +
          `${pg.seed.cis === 100_000 && pg.seed.relations === 300_000 ? '' : ` (this run: ${thousands(pg.seed.cis)} CIs / ${thousands(pg.seed.relations)} relations, not the target's size)`}.`,
      );
    }
  }
  return out.join('\n');
}
