import { summarise, type LatencySummary } from './stats.ts';

/** What one operation reports: its latency and whether the reply was the expected one. */
export type OpOutcome = { ms: number; ok: boolean; status: number; detail?: string };

export type LoadOptions = {
  concurrency: number;
  /** Stop issuing new operations after this many ms (fixed duration)... */
  durationMs?: number;
  /** ...or after this many operations (fixed count). */
  count?: number;
  op: (i: number, worker: number) => Promise<OpOutcome>;
};

export type LoadResult = {
  concurrency: number;
  requests: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  elapsedMs: number;
  /** Successful operations per second of wall time. */
  throughput: number;
  latency: LatencySummary;
};

/** Runs `concurrency` closed-loop workers; latency is taken over successful operations only. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (opts.durationMs === undefined && opts.count === undefined) throw new Error('runLoad needs durationMs or count');
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = opts.durationMs === undefined ? Number.POSITIVE_INFINITY : started + opts.durationMs;
  const more = () => (opts.count === undefined || issued < opts.count) && performance.now() < deadline;
  const worker = async (w: number) => {
    while (more()) {
      const i = issued++;
      let out: OpOutcome;
      try {
        out = await opts.op(i, w);
      } catch (err) {
        out = { ms: 0, ok: false, status: 0, detail: err instanceof Error ? err.message : String(err) };
      }
      if (out.ok) latencies.push(out.ms);
      else {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push(`HTTP ${out.status}: ${(out.detail ?? '').slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - started;
  return {
    concurrency: opts.concurrency,
    requests: issued,
    ok: latencies.length,
    errors,
    errorSamples,
    elapsedMs,
    throughput: latencies.length / (elapsedMs / 1000),
    latency: summarise(latencies),
  };
}
