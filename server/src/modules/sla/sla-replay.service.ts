import type { SlaReplayResult, slaReplayRequestSchema } from '@tianshu/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/db.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import * as tq from '../tickets/tickets.queries.ts';
import { syncTicketClocks } from './sla-clocks.service.ts';
import { activeDefinitions } from './sla.service.ts';
import * as qs from './sla.queries.ts';
import { kick } from '../../platform/jobs/queue.ts';

type Snapshot = NonNullable<SlaReplayResult['changes'][number]['before']>;
type VersionInfo = Map<number, { version: number; calendarId: number }>;
const snap = (c: qs.ClockRow, versions: VersionInfo): Snapshot => ({
  targetMinutes: c.targetMinutes,
  dueAt: c.dueAt?.toISOString() ?? null,
  breached: c.breached,
  elapsedMinutes: Math.round(c.elapsedMinutes * 100) / 100,
  state: c.state,
  calendarId: versions.get(c.versionId)?.calendarId ?? 0,
  version: versions.get(c.versionId)?.version ?? 0,
});
const same = (a: Snapshot, b: Snapshot) => JSON.stringify(a) === JSON.stringify(b);

/** Thrown to roll a preview back: the replay runs for real inside the transaction, then is undone. */
class Preview extends Error {}

/**
 * Recomputes chosen tickets' clocks from their timelines with the current calendars (and, on
 * request, the definitions' current versions), closed tickets included. A dry run reports what
 * would change and writes nothing; a real run writes the clocks, one 'replay' timeline event per
 * ticket and an audit row. Past clock events stay on the timeline as they were recorded.
 */
export async function replayClocks(db: Db, actor: Actor, input: z.output<typeof slaReplayRequestSchema>): Promise<SlaReplayResult> {
  const ids = input.ticketIds ?? (input.definitionId ? await qs.ticketIdsWithDefinition(db, input.definitionId, 500) : []);
  const repin = new Map<number, number>();
  if (input.useCurrentVersion) {
    for (const d of await activeDefinitions(db)) if (!input.definitionId || d.definitionId === input.definitionId) repin.set(d.definitionId, d.versionId);
  }
  const changes: SlaReplayResult['changes'] = [];
  const now = new Date();
  let earliest: Date | null = null;
  for (const id of ids) {
    const found: SlaReplayResult['changes'] = [];
    try {
      await db.transaction(async (tx) => {
        const t = await tq.lockTicket(tx, id);
        if (!t) return;
        const before = await qs.clocksOf(tx, id);
        const sync = await syncTicketClocks(db, tx, t, now, { repin, recordEvents: false });
        const names = await qs.definitionNames(tx, [...new Set([...before, ...sync.clocks].map((c) => c.definitionId))]);
        const versions: VersionInfo = new Map(
          (await qs.findVersions(tx, [...new Set([...before, ...sync.clocks].map((c) => c.versionId))])).map((v) => [v.id, { version: v.version, calendarId: v.calendarId }]),
        );
        const keys = new Set([...before, ...sync.clocks].map((c) => `${c.definitionId}:${c.metric}`));
        for (const key of keys) {
          const b = before.find((c) => `${c.definitionId}:${c.metric}` === key);
          const a = sync.clocks.find((c) => `${c.definitionId}:${c.metric}` === key);
          const ref = a ?? b;
          if (!ref) continue;
          if (input.definitionId && ref.definitionId !== input.definitionId) continue;
          const bs = b ? snap(b, versions) : null;
          const as = a ? snap(a, versions) : null;
          found.push({
            ticketId: id,
            number: t.number,
            metric: ref.metric,
            definitionName: names.get(ref.definitionId)?.name ?? '',
            change: !bs ? 'added' : !as ? 'removed' : same(bs, as) ? 'unchanged' : 'changed',
            before: bs,
            after: as,
          });
        }
        if (input.dryRun) throw new Preview();
        const changed = found.filter((c) => c.change !== 'unchanged');
        if (changed.length) {
          await tq.insertEvents(tx, [
            {
              ticketId: id,
              kind: 'sla',
              internal: true,
              actorId: actor.userId > 0 ? actor.userId : null,
              data: { event: 'replay', changes: changed.map((c) => ({ metric: c.metric, definition: c.definitionName, before: c.before, after: c.after })) },
            },
          ]);
        }
        await recordAudit(tx, { actor, action: 'sla.replay', objectType: 'ticket', objectId: id, result: 'success', details: { changed: changed.length, repinned: repin.size > 0 } });
        if (sync.nextCheckAt && (!earliest || sync.nextCheckAt < earliest)) earliest = sync.nextCheckAt;
      });
    } catch (err) {
      if (!(err instanceof Preview)) throw err;
    }
    changes.push(...found);
  }
  if (!input.dryRun) kick(db, 'sla.sweep', earliest);
  return { dryRun: input.dryRun, tickets: ids.length, changes };
}
