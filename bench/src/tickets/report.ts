import { NOISE_CORES, type ScenarioResult, type TicketsBenchResult } from './tickets.bench.ts';

type Row = { id: string; scenario: string; concurrency: number; unit: string; target: string };

/** Table rows in a fixed order; a DB without the scenario shows a dash. */
const ROWS: Row[] = [
  { id: 'create_c1', scenario: 'POST /api/tickets (create)', concurrency: 1, unit: 'tickets/s', target: '' },
  { id: 'create_c16', scenario: 'POST /api/tickets (create)', concurrency: 16, unit: 'tickets/s', target: '≥ 500 tickets/s on PostgreSQL' },
  { id: 'list_c1', scenario: 'GET /api/tickets page 1, 20 rows', concurrency: 1, unit: 'req/s', target: 'p99 ≤ 20 ms' },
  { id: 'list_c4', scenario: 'GET /api/tickets page 1, 20 rows', concurrency: 4, unit: 'req/s', target: '' },
  { id: 'list_filtered_c1', scenario: 'GET /api/tickets?state=in_progress&priority=1,2', concurrency: 1, unit: 'req/s', target: 'p99 ≤ 20 ms' },
  { id: 'search_宕机_c1', scenario: 'GET /api/tickets?q=宕机', concurrency: 1, unit: 'req/s', target: 'p99 ≤ 50 ms' },
  { id: 'search_登录_c1', scenario: 'GET /api/tickets?q=登录', concurrency: 1, unit: 'req/s', target: 'p99 ≤ 50 ms' },
  { id: 'search_磁盘_c1', scenario: 'GET /api/tickets?q=磁盘', concurrency: 1, unit: 'req/s', target: 'p99 ≤ 50 ms' },
  { id: 'search_mixed_c4', scenario: 'GET /api/tickets?q=宕机/登录/磁盘 rotating', concurrency: 4, unit: 'req/s', target: '' },
  { id: 'raw_insert_c16', scenario: 'raw INSERT + COMMIT via pg.Pool (ceiling)', concurrency: 16, unit: 'rows/s', target: 'PostgreSQL only' },
];

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const thousands = (v: number) => v.toLocaleString('en-US');

const disturbed = (s: ScenarioResult) => (s.cpu?.other ?? 0) > NOISE_CORES;

function cells(s: ScenarioResult | undefined): string[] {
  if (!s) return ['–', '–', '–'];
  return [`${fmt(s.throughput, s.throughput >= 100 ? 0 : 1)}${disturbed(s) ? ' *' : ''}`, fmt(s.latency.p50), fmt(s.latency.p99)];
}

export function ticketsTable(results: TicketsBenchResult[]): string {
  const head = ['scenario', 'c'];
  const rule = ['---', '--:'];
  for (const r of results) {
    const name = `${r.dbLabel} (${thousands(r.tickets)})`;
    head.push(`${name} /s`, 'p50 ms', 'p99 ms');
    rule.push('--:', '--:', '--:');
  }
  head.push('target');
  rule.push('---');
  const lines = [`| ${head.join(' | ')} |`, `| ${rule.join(' | ')} |`];
  for (const row of ROWS) {
    const per = results.map((r) => r.scenarios.find((s) => s.id === row.id));
    if (per.every((s) => s === undefined)) continue;
    lines.push(`| ${[row.scenario, String(row.concurrency), ...per.flatMap(cells), row.target].join(' | ')} |`);
  }
  return lines.join('\n');
}

export function ticketsNotes(results: TicketsBenchResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const httpScenarios = r.scenarios.filter((x) => x.method !== 'SQL');
    const requests = httpScenarios.reduce((s, x) => s + x.requests, 0);
    const errors = httpScenarios.reduce((s, x) => s + x.errors, 0);
    const short: Record<string, string> = { list_c1: 'all', list_filtered_c1: 'in_progress & P1/P2' };
    const hits = r.scenarios
      .filter((s) => s.total !== undefined && s.id.endsWith('_c1'))
      .map((s) => `${short[s.id] ?? s.label.replace(/^.*q=/, 'q=')} ${thousands(s.total ?? 0)}${s.totalCapped ? '+ (count capped)' : ''}`);
    out.push(
      `- ${r.dbLabel}, ${thousands(r.tickets)} tickets, ${r.machine.date.slice(0, 16).replace('T', ' ')} UTC, commit ${r.machine.git?.commit ?? '?'}` +
        `${r.codeChangedDuringRun ? ' (server code changed during the run!)' : ''}: ${errors} errors in ${thousands(requests)} measured HTTP requests; ` +
        `bulk load ${thousands(Math.round(r.seed.loadRowsPerSec))} tickets/s, database ${r.seed.databaseSizeMb ?? '?'} MB; ` +
        `server peak RSS ${r.server.peakRssMb ?? '?'} MB, SIGTERM exit code ${r.server.shutdown.code} after ${fmt(r.server.shutdown.ms / 1000)} s. ` +
        `matching tickets: ${hits.join(', ')}.`,
    );
  }
  if (results.some((r) => r.scenarios.some(disturbed))) {
    out.push(`- \\* other processes on the machine used more than ${NOISE_CORES} cores during that measurement: the figure is disturbed.`);
  }
  const m = results[0]?.machine;
  if (m) out.push(`- Machine: ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Node ${m.node}; load generator, server and PostgreSQL share the machine.`);
  out.push('- Peer reference: Request Tracker 5.0.3 on this kind of machine creates ~5 tickets/s through REST2 (8 clients, p50 1.6 s).');
  return out.join('\n');
}

/** Server-side SQL of the read scenarios, timed by EXPLAIN ANALYZE on the freshly loaded database. */
export function plansTable(results: TicketsBenchResult[]): string {
  const names = [...new Set(results.flatMap((r) => (r.seed.plans ?? []).map((p) => p.name)))];
  if (names.length === 0) return '';
  const head = ['query (as built by tickets.queries.ts)', ...results.map((r) => `${r.dbLabel} exec ms`), 'plan (scan nodes, last database)'];
  const lines = [`| ${head.join(' | ')} |`, `| ${['---', ...results.map(() => '--:'), '---'].join(' | ')} |`];
  for (const name of names) {
    const per = results.map((r) => (r.seed.plans ?? []).find((p) => p.name === name));
    const last = per.filter((p) => p !== undefined).at(-1);
    lines.push(`| ${[name, ...per.map((p) => (p?.executionMs == null ? '–' : fmt(p.executionMs, p.executionMs < 1 ? 2 : 1))), last?.scans.join(', ') ?? ''].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** CPU milliseconds per successful operation, by process, from /proc accounting. */
export function cpuTable(results: TicketsBenchResult[]): string {
  const head = ['scenario', 'c'];
  const rule = ['---', '--:'];
  for (const r of results) {
    head.push(`${r.dbLabel}: server ms/op`, 'database ms/op', 'other cores');
    rule.push('--:', '--:', '--:');
  }
  const lines = [`| ${head.join(' | ')} |`, `| ${rule.join(' | ')} |`];
  for (const row of ROWS) {
    const per = results.map((r) => r.scenarios.find((s) => s.id === row.id));
    if (per.every((s) => s?.cpu == null)) continue;
    const c = per.flatMap((s) => {
      if (!s?.cpu || !(s.throughput > 0)) return ['–', '–', '–'];
      const msPerOp = (cores: number) => fmt((cores * 1000) / s.throughput, 2);
      const server = s.method === 'SQL' ? '–' : msPerOp(s.cpu.server);
      const db = results.find((r) => r.scenarios.includes(s))?.db === 'postgres' ? msPerOp(s.cpu.postgres) : 'in server';
      return [server, db, fmt(s.cpu.other, 2)];
    });
    lines.push(`| ${[row.scenario, String(row.concurrency), ...c].join(' | ')} |`);
  }
  return lines.join('\n');
}
