import type { FastifyBaseLogger } from 'fastify';

type Task = { name: string; everyMs: number; run: () => Promise<unknown> };

/**
 * A small in-process loop for idempotent housekeeping (audit sealing, auto-close, purges). Each
 * task is safe to run on several instances at once (advisory locks, SKIP LOCKED). Deadline-driven
 * work (SLA timers, notifications) moves to pg-boss with the SLA issue.
 */
export function startScheduler(tasks: Task[], log: FastifyBaseLogger) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const task of tasks) {
    let busy = false;
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const p = task
        .run()
        .catch((err: unknown) => log.error({ err, task: task.name }, 'background task failed'))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    const t = setInterval(tick, task.everyMs);
    t.unref();
    timers.push(t);
  }
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
