import { and, eq, inArray, sql } from 'drizzle-orm';
import { slaRulesSchema, type SlaMetric, type SlaRules, type TicketClock, type TicketSlaBadge } from '@tianshu/contracts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { loadBusinessCalendar } from '../calendars/calendars.service.ts';
import type { BusinessCalendar } from '../calendars/business-time.ts';
import { businessMinutesBetween } from '../calendars/business-time.ts';
import { groupMembers, groups, organizations, users } from '../directory/directory.tables.ts';
import { notify, type NotificationEvent } from '../notifications/notifications.service.ts';
import * as tq from '../tickets/tickets.queries.ts';
import type { NewClock } from '../tickets/tickets.queries.ts';
import { tickets, type ticketEvents } from '../tickets/tickets.tables.ts';
import { deriveClock, elapsedAt, instantOf, type DerivedClock, type TimelineFact } from './clock.ts';
import { activeDefinitions } from './sla.service.ts';
import * as qs from './sla.queries.ts';

type TicketFacts = Pick<
  typeof tickets.$inferSelect,
  'id' | 'type' | 'orgId' | 'priority' | 'service' | 'category' | 'state' | 'number' | 'title' | 'assignmentGroupId'
>;
type NewEvent = typeof ticketEvents.$inferInsert;
type Plan = { definitionId: number; versionId: number; name: string; rules: SlaRules };

const METRICS: readonly SlaMetric[] = ['response', 'resolution', 'update'];
const RISK_PCT = 75;

/* ----------------------------- caches ----------------------------- */

// Versions are immutable: cached for the life of the handle. Calendars are checked by version.
const versionCache = new WeakMap<object, Map<number, { rules: SlaRules; version: number }>>();
const calendarCache = new WeakMap<object, Map<number, { version: number; name: string; cal: BusinessCalendar }>>();
const calendarCheckedAt = new WeakMap<object, { at: number }>();
const CALENDAR_TTL_MS = 5000;


/** Rules and version number of definition versions, by version id. */
async function versionsById(db: Db, q: Queryable, ids: number[]): Promise<Map<number, { rules: SlaRules; version: number }>> {
  let cache = versionCache.get(db);
  if (!cache) versionCache.set(db, (cache = new Map()));
  const missing = ids.filter((id) => !cache.has(id));
  for (const v of await qs.findVersions(q, missing)) cache.set(v.id, { rules: slaRulesSchema.parse(v.body), version: v.version });
  return cache;
}


async function calendarsFor(db: Db, q: Queryable, ids: number[]): Promise<Map<number, BusinessCalendar>> {
  let cache = calendarCache.get(db);
  if (!cache) calendarCache.set(db, (cache = new Map()));
  const out = new Map<number, BusinessCalendar>();
  const wanted = [...new Set(ids)];
  // Versions are re-read at most every few seconds: an edit shows up on every instance within CALENDAR_TTL_MS.
  const fresh = calendarCheckedAt.get(db);
  const now = Date.now();
  if (fresh && now - fresh.at < CALENDAR_TTL_MS && wanted.every((id) => cache.has(id))) {
    for (const id of wanted) {
      const hit = cache.get(id);
      if (hit) out.set(id, hit.cal);
    }
    return out;
  }
  const versions = await qs.calendarVersions(q, wanted);
  calendarCheckedAt.set(db, { at: now });
  for (const [id, { version, name }] of versions) {
    const hit = cache.get(id);
    if (hit && hit.version === version) {
      hit.name = name;
      out.set(id, hit.cal);
      continue;
    }
    const cal = await loadBusinessCalendar(q, id);
    cache.set(id, { version, name, cal });
    out.set(id, cal);
  }
  return out;
}

/* ----------------------------- matching ----------------------------- */

type MatchFacts = Pick<TicketFacts, 'type' | 'orgId' | 'priority' | 'service' | 'category' | 'assignmentGroupId'>;

export function matches(rules: SlaRules, t: MatchFacts): boolean {
  const m = rules.match;
  if (m.types.length && !m.types.includes(t.type as never)) return false;
  if (m.priorities.length && !m.priorities.includes(t.priority)) return false;
  if (m.orgIds.length && !m.orgIds.includes(t.orgId)) return false;
  if (m.services.length && !(t.service && m.services.includes(t.service))) return false;
  if (m.categories.length && !(t.category && m.categories.includes(t.category))) return false;
  if (m.groupIds.length && !(t.assignmentGroupId && m.groupIds.includes(t.assignmentGroupId))) return false;
  return true;
}

/** Targets restricted to the priorities the definition matches: leaving them cancels the clock. */
function effectiveRules(rules: SlaRules): SlaRules {
  const only = rules.match.priorities;
  return only.length ? { ...rules, targets: rules.targets.filter((t) => only.includes(t.priority)) } : rules;
}

/* ----------------------------- timeline ----------------------------- */

const idOrNull = (v: unknown) => (typeof v === 'number' ? v : null);

export function factsFromTimeline(rows: Awaited<ReturnType<typeof qs.timelineOf>>): TimelineFact[] {
  const out: TimelineFact[] = [];
  let group: number | null = null;
  let assignee: number | null = null;
  for (const r of rows) {
    const at = new Date(r.at);
    const d = r.data ?? {};
    if (r.kind === 'created') {
      group = idOrNull(d.assignmentGroupId);
      assignee = idOrNull(d.assigneeId);
      out.push({ at, kind: 'created', state: String(d.state ?? 'new'), priority: Number(d.priority ?? 3), groupId: group, assigned: group !== null || assignee !== null });
    } else if (r.kind === 'assignment') {
      const changes = Array.isArray(d.changes) ? (d.changes as { field?: unknown; to?: unknown }[]) : [];
      for (const c of changes) {
        if (c.field === 'assignmentGroupId') group = idOrNull(c.to);
        if (c.field === 'assigneeId') assignee = idOrNull(c.to);
      }
      out.push({ at, kind: 'group', groupId: group, assigned: group !== null || assignee !== null });
    } else if (r.kind === 'transition')
      out.push({
        at,
        kind: 'state',
        from: String(d.from ?? ''),
        to: String(d.to ?? ''),
        pendingReason: typeof d.pendingReason === 'string' ? d.pendingReason : null,
        byProvider: r.provider_worker === true,
      });
    else if (r.kind === 'field_change') {
      const changes = Array.isArray(d.changes) ? (d.changes as { field?: unknown; to?: unknown }[]) : [];
      const p = changes.find((c) => c.field === 'priority');
      if (p && typeof p.to === 'number') out.push({ at, kind: 'priority', priority: p.to });
    } else if (r.kind === 'comment' && !r.internal && r.provider_worker === true) out.push({ at, kind: 'provider_reply' });
  }
  return out;
}

/* ----------------------------- derivation -> rows ----------------------------- */

/** Percent points at which a clock must be looked at: warnings, escalation steps, the breach. */
function firePoints(rules: SlaRules, metric: SlaMetric): number[] {
  const pts = new Set<number>([100]);
  if (metric !== 'update') for (const p of rules.thresholds) pts.add(p);
  for (const s of rules.escalations) if (s.metrics.includes(metric)) pts.add(s.atPct);
  return [...pts].sort((a, b) => a - b);
}

function nextCheck(c: DerivedClock, cal: BusinessCalendar, rules: SlaRules, firedPct: number): Date | null {
  if (c.state !== 'running') return null;
  const p = firePoints(rules, c.metric).find((x) => x > firedPct);
  return p === undefined ? null : instantOf(c, cal, (c.targetMinutes * p) / 100);
}

function riskAt(c: DerivedClock, cal: BusinessCalendar): Date | null {
  if (c.breached && c.metric !== 'update') return null;
  const risk = (c.targetMinutes * RISK_PCT) / 100;
  if (c.state === 'running') return instantOf(c, cal, risk);
  if (c.state === 'paused' && c.elapsedBase >= risk) return c.pausedSince;
  return null;
}

export type SyncOptions = {
  /** The timeline when the caller already has it (a ticket just created). */
  facts?: TimelineFact[];
  /** A ticket just created has no clocks yet: skip looking. */
  isNew?: boolean;
  /** Replay: pin these definitions to these versions. */
  repin?: Map<number, number>;
  /** Replay: recompute without appending the derived events again (the replay is one event). */
  recordEvents?: boolean;
};

type SyncResult = {
  clocks: qs.ClockRow[];
  rules: Map<number, SlaRules>;
  names: Map<number, string>;
  calendars: Map<number, BusinessCalendar>;
  nextCheckAt: Date | null;
};

/**
 * Recomputes every clock of a ticket from its timeline and appends the clock events not yet on
 * the timeline. Runs in the caller's transaction, after the ticket's own change was written.
 */
export async function syncTicketClocks(db: Db, tx: Tx, ticket: TicketFacts, now = new Date(), opts: SyncOptions = {}): Promise<SyncResult> {
  const active = await activeDefinitions(db, tx);
  const existing = opts.isNew ? [] : await qs.clocksOf(tx, ticket.id);
  if (!existing.length && !active.some((d) => matches(d.rules, ticket))) return { clocks: [], rules: new Map(), names: new Map(), calendars: new Map(), nextCheckAt: null };
  const versionOf = (c: qs.ClockRow) => opts.repin?.get(c.definitionId) ?? c.versionId;
  const pinned = await versionsById(db, tx, [...new Set(existing.map(versionOf))]);
  const plans = new Map<number, Plan>();
  const activeNames = new Map(active.map((d) => [d.definitionId, { name: d.name }]));
  const unnamed = [...new Set(existing.map((c) => c.definitionId))].filter((id) => !activeNames.has(id));
  const names = unnamed.length ? new Map([...activeNames, ...(await qs.definitionNames(tx, unnamed))]) : activeNames;
  for (const c of existing) {
    const rules = pinned.get(versionOf(c))?.rules;
    if (rules && !plans.has(c.definitionId)) plans.set(c.definitionId, { definitionId: c.definitionId, versionId: versionOf(c), name: names.get(c.definitionId)?.name ?? '', rules });
  }
  for (const d of active) {
    if (!plans.has(d.definitionId) && matches(d.rules, ticket)) plans.set(d.definitionId, { definitionId: d.definitionId, versionId: d.versionId, name: d.name, rules: d.rules });
  }
  const cals = await calendarsFor(db, tx, [...plans.values()].map((p) => p.rules.calendarId));
  const timeline = opts.facts ?? factsFromTimeline(await qs.timelineOf(tx, ticket.id));
  const recordEvents = opts.recordEvents !== false;
  const out: qs.ClockRow[] = [];
  const rulesByDef = new Map<number, SlaRules>();
  const events: NewEvent[] = [];
  let next: Date | null = null;
  for (const plan of plans.values()) {
    const cal = cals.get(plan.rules.calendarId);
    if (!cal) continue;
    rulesByDef.set(plan.definitionId, plan.rules);
    for (const metric of METRICS) {
      const d = deriveClock(metric, effectiveRules(plan.rules), cal, timeline, now);
      const row = existing.find((c) => c.definitionId === plan.definitionId && c.metric === metric);
      if (!d) {
        if (row && row.state !== 'cancelled') {
          await qs.updateClock(tx, row.id, { state: 'cancelled', runningSince: null, nextCheckAt: null, riskAt: null, computedAt: now });
          out.push({ ...row, state: 'cancelled', runningSince: null, nextCheckAt: null, riskAt: null });
        } else if (row) out.push(row);
        continue;
      }
      const fresh = recordEvents ? d.events.slice(row?.eventsRecorded ?? 0) : [];
      // A new span of a periodic-update clock (or a restarted resolution) warns afresh.
      const firedPct = row && !fresh.some((e) => e.event === 'update' || e.event === 'restart') ? row.firedPct : 0;
      const values = {
        versionId: plan.versionId,
        state: d.state,
        targetMinutes: d.targetMinutes,
        startedAt: d.startedAt,
        dueAt: d.dueAt,
        riskAt: riskAt(d, cal),
        stoppedAt: d.stoppedAt,
        elapsedMinutes: d.elapsedBase,
        runningSince: d.runningSince,
        pausedSince: d.pausedSince,
        pauseReason: d.pauseReason,
        breached: d.breached,
        breachedAt: d.breachedAt,
        firedPct,
        nextCheckAt: nextCheck(d, cal, plan.rules, firedPct),
        eventsRecorded: recordEvents ? Math.max(d.events.length, row?.eventsRecorded ?? 0) : d.events.length,
        computedAt: now,
      };
      let saved: qs.ClockRow;
      if (row) {
        saved = { ...row, ...values };
        if (!sameClock(row, saved)) await qs.updateClock(tx, row.id, values);
      } else {
        saved = await qs.insertClock(tx, { ticketId: ticket.id, definitionId: plan.definitionId, metric, ...values });
      }
      out.push(saved);
      if (saved.nextCheckAt && (!next || saved.nextCheckAt < next)) next = saved.nextCheckAt;
      for (const e of fresh) {
        events.push({
          ticketId: ticket.id,
          kind: 'sla',
          internal: true,
          at: e.at,
          actorId: null,
          data: {
            clockId: saved.id,
            definitionId: plan.definitionId,
            definition: plan.name,
            metric,
            event: e.event,
            ...(e.reason ? { reason: e.reason } : {}),
            ...(e.from !== undefined ? { from: e.from, to: e.to } : {}),
            ...(e.event === 'start' ? { targetMinutes: d.targetMinutes, dueAt: d.dueAt?.toISOString() ?? null } : {}),
          },
        });
      }
    }
  }
  await tq.insertEvents(tx, events);
  const planNames = new Map([...plans.values()].map((p) => [p.definitionId, p.name]));
  return { clocks: out, rules: rulesByDef, names: planNames, calendars: cals, nextCheckAt: next };
}

const CLOCK_FIELDS = [
  'versionId', 'state', 'targetMinutes', 'startedAt', 'dueAt', 'riskAt', 'stoppedAt', 'elapsedMinutes', 'runningSince',
  'pausedSince', 'pauseReason', 'breached', 'breachedAt', 'firedPct', 'nextCheckAt', 'eventsRecorded',
] as const;

/** True when nothing but computed_at would change. */
function sameClock(a: qs.ClockRow, b: qs.ClockRow): boolean {
  return CLOCK_FIELDS.every((k) => {
    const x = a[k];
    const y = b[k];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}

/**
 * The clocks a ticket about to be created starts with, for the create statement to insert in the
 * same round trip (no second transaction on the hot path). Empty when no definition applies.
 */
export async function plannedClocks(db: Db, t: MatchFacts & { state: string; assigneeId: number | null }, at: Date): Promise<NewClock[]> {
  const hits = (await activeDefinitions(db)).filter((d) => matches(d.rules, t));
  if (!hits.length) return [];
  const cals = await calendarsFor(db, db, hits.map((h) => h.rules.calendarId));
  const facts: TimelineFact[] = [
    { at, kind: 'created', state: t.state, priority: t.priority, groupId: t.assignmentGroupId, assigned: t.assignmentGroupId !== null || t.assigneeId !== null },
  ];
  const out: NewClock[] = [];
  for (const h of hits) {
    const cal = cals.get(h.rules.calendarId);
    if (!cal) continue;
    for (const metric of METRICS) {
      const d = deriveClock(metric, effectiveRules(h.rules), cal, facts, at);
      // Only a clock running from the creation fits the statement; anything else attaches on the next sync.
      if (!d || d.state !== 'running' || d.events.length !== 1) continue;
      out.push({
        definition_id: h.definitionId,
        version_id: h.versionId,
        metric,
        target_minutes: d.targetMinutes,
        due_at: d.dueAt?.toISOString() ?? null,
        risk_at: riskAt(d, cal)?.toISOString() ?? null,
        next_check_at: nextCheck(d, cal, h.rules, 0)?.toISOString() ?? null,
      });
    }
  }
  return out;
}

/* ----------------------------- firing ----------------------------- */

async function groupLead(q: Queryable, groupId: number | null): Promise<number[]> {
  if (!groupId) return [];
  const [g] = await q.select({ lead: groups.leadUserId }).from(groups).where(eq(groups.id, groupId));
  return g?.lead ? [g.lead] : [];
}

async function managers(q: Queryable): Promise<number[]> {
  const r = await q
    .select({ id: users.id })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(users.status, 'active'), eq(organizations.kind, 'provider'), sql`${users.roles} @> ARRAY['manager']::text[]`));
  return r.map((x) => x.id);
}

async function membersOf(q: Queryable, groupIds: number[]): Promise<number[]> {
  if (!groupIds.length) return [];
  const r = await q.select({ id: groupMembers.userId }).from(groupMembers).where(inArray(groupMembers.groupId, groupIds));
  return r.map((x) => x.id);
}

/**
 * Fires what a ticket's clocks have reached since the last look: warnings, the breach notice and
 * escalation steps, each once (fired_pct moves forward in the same transaction). Returns true
 * when an escalation changed the ticket, so the caller re-syncs its clocks.
 */
async function fireReached(tx: Tx, t: typeof tickets.$inferSelect, sync: SyncResult, now: Date): Promise<boolean> {
  const ticketId = t.id;
  let changed = false;
  let lead: number[] | undefined;
  const leadOf = async () => (lead ??= await groupLead(tx, t.assignmentGroupId));
  for (const c of sync.clocks) {
    if (c.state !== 'running' && c.state !== 'paused') continue;
    const rules = sync.rules.get(c.definitionId);
    const cal = rules ? sync.calendars.get(rules.calendarId) : undefined;
    if (!rules || !cal) continue;
    // A millisecond of slack: the instant a point is due rounds to the millisecond.
    const elapsed = elapsedAt(clockAsDerived(c), cal, now) + 1e-4;
    const reached = firePoints(rules, c.metric).filter((p) => p > c.firedPct && (c.targetMinutes * p) / 100 <= elapsed);
    if (!reached.length) continue;
    const base = { number: t.number, title: t.title, metric: c.metric, priority: `P${t.priority}`, sla: sync.names.get(c.definitionId) ?? '', due: c.dueAt?.toISOString() ?? '' };
    const link = `/incidents/${t.id}`;
    const send = async (event: NotificationEvent, userIds: number[], params: Record<string, string | number>, urgent = false) => {
      if (userIds.length) await notify(tx, { event, userIds, params: { ...base, ...params }, ticketId: t.id, orgId: t.orgId, link, urgent });
    };
    const slaEvents: NewEvent[] = [];
    for (const p of reached) {
      const owner = t.assigneeId ? [t.assigneeId] : await leadOf();
      if (p < 100 && rules.thresholds.includes(p) && c.metric !== 'update') {
        await send('sla.warning', owner, { pct: p });
        slaEvents.push({ ticketId, kind: 'sla', internal: true, at: now, data: { clockId: c.id, definitionId: c.definitionId, definition: sync.names.get(c.definitionId) ?? '', metric: c.metric, event: 'warning', pct: p } });
      }
      if (p === 100) {
        const to = [...new Set([...owner, ...(await leadOf())])];
        await send('sla.breached', to, { pct: p }, t.priority === 1);
      }
      for (const step of rules.escalations.filter((s) => s.atPct === p && s.metrics.includes(c.metric))) {
        const done: string[] = [];
        for (const a of step.actions) {
          if (a.type === 'notify') {
            const ids = [
              ...(a.to.includes('assignee') && t.assigneeId ? [t.assigneeId] : []),
              ...(a.to.includes('group_lead') ? await leadOf() : []),
              ...(a.to.includes('managers') ? await managers(tx) : []),
              ...a.userIds,
              ...(await membersOf(tx, a.groupIds)),
            ];
            await send('sla.escalated', [...new Set(ids)], { pct: p, level: `${p}%` }, t.priority === 1);
            done.push('notify');
          } else if (a.type === 'reassign') {
            const fresh = await tq.lockTicket(tx, ticketId);
            if (!fresh || fresh.assignmentGroupId === a.groupId) continue;
            const state = fresh.state === 'new' ? 'assigned' : fresh.state;
            await tq.updateTicketVersioned(tx, ticketId, fresh.version, { assignmentGroupId: a.groupId, assigneeId: null, state });
            const changes = [
              { field: 'assignmentGroupId', from: fresh.assignmentGroupId, to: a.groupId },
              ...(fresh.assigneeId ? [{ field: 'assigneeId', from: fresh.assigneeId, to: null }] : []),
            ];
            await tq.insertEvents(tx, [{ ticketId, kind: 'assignment', actorId: null, data: { changes, escalation: true } }]);
            await recordAudit(tx, { actor: systemActor(), action: 'ticket.escalate', objectType: 'ticket', objectId: ticketId, result: 'success', details: { reassign: changes, pct: p } });
            changed = true;
            done.push('reassign');
          } else {
            const fresh = await tq.lockTicket(tx, ticketId);
            if (!fresh || fresh.priority <= 1) continue;
            await tq.updateTicketVersioned(tx, ticketId, fresh.version, { priority: fresh.priority - 1 });
            await tq.insertEvents(tx, [
              { ticketId, kind: 'field_change', actorId: null, data: { changes: [{ field: 'priority', from: fresh.priority, to: fresh.priority - 1 }], escalation: true } },
            ]);
            await recordAudit(tx, {
              actor: systemActor(),
              action: 'ticket.escalate',
              objectType: 'ticket',
              objectId: ticketId,
              result: 'success',
              details: { priority: { from: fresh.priority, to: fresh.priority - 1 }, pct: p },
            });
            changed = true;
            done.push('raise_priority');
          }
        }
        slaEvents.push({ ticketId, kind: 'sla', internal: true, at: now, data: { clockId: c.id, definitionId: c.definitionId, definition: sync.names.get(c.definitionId) ?? '', metric: c.metric, event: 'escalation', pct: p, actions: done } });
      }
    }
    const fired = Math.max(...reached);
    await qs.updateClock(tx, c.id, { firedPct: fired, nextCheckAt: nextCheck(clockAsDerived(c), cal, rules, fired) });
    await tq.insertEvents(tx, slaEvents);
  }
  return changed;
}

function clockAsDerived(c: qs.ClockRow): DerivedClock {
  return {
    metric: c.metric,
    state: c.state,
    targetMinutes: c.targetMinutes,
    startedAt: c.startedAt,
    elapsedBase: c.elapsedMinutes,
    runningSince: c.runningSince,
    pausedSince: c.pausedSince,
    pauseReason: c.pauseReason,
    stoppedAt: c.stoppedAt,
    dueAt: c.dueAt,
    breached: c.breached,
    breachedAt: c.breachedAt,
    events: [],
  };
}

/**
 * The clock sweep: tickets whose clocks reached a warning, breach or escalation point. Each ticket
 * is handled in its own transaction under its row lock (SKIP LOCKED: another instance or a writer
 * has it), so two instances never fire the same step twice.
 */
const SWEEP_CONCURRENCY = 4;

export async function sweepClocks(db: Db, now = new Date(), batch = 100): Promise<number> {
  const ids = await qs.dueTicketIds(db, now, batch);
  let handled = 0;
  const one = async (id: number) => {
    const done = await db.transaction(async (tx) => {
      // Another instance or a writer holds it: they will look at it (or the next sweep will).
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, id)).for('update', { skipLocked: true });
      if (!ticket) return false;
      const sync = await syncTicketClocks(db, tx, ticket, now);
      if (await fireReached(tx, ticket, sync, now)) {
        const after = await tq.lockTicket(tx, id);
        if (after) await syncTicketClocks(db, tx, after, now);
      }
      // Never spin on a clock whose point is due but not reached (rounding): look again in a minute.
      await tx.execute(
        sql`UPDATE ticket_slas SET next_check_at = ${new Date(now.getTime() + 60_000).toISOString()}::timestamptz
            WHERE ticket_id = ${id} AND next_check_at <= ${now.toISOString()}::timestamptz`,
      );
      return true;
    });
    if (done) handled++;
  };
  // Tickets are independent (each under its own row lock): a few at a time use the pool on PostgreSQL.
  for (let i = 0; i < ids.length; i += SWEEP_CONCURRENCY) await Promise.all(ids.slice(i, i + SWEEP_CONCURRENCY).map(one));
  // Tickets whose clock attach after create did not happen (a crash between the two): attach now.
  const orphans = await qs.unclockedRecentTickets(db, new Date(now.getTime() - 15 * 60_000), 50);
  for (const id of orphans) {
    const attached = await db.transaction(async (tx) => {
      const ticket = await tq.lockTicket(tx, id);
      if (!ticket) return 0;
      return (await syncTicketClocks(db, tx, ticket, now)).clocks.length;
    });
    if (attached) handled++;
  }
  return handled;
}

/* ----------------------------- reading ----------------------------- */

export async function clocksForTicket(db: Db, ticketId: number, now = new Date()): Promise<TicketClock[]> {
  const rows = await qs.clocksOf(db, ticketId);
  return clockDtos(db, rows, now);
}

export async function clockDtos(db: Db, rows: qs.ClockRow[], now = new Date()): Promise<TicketClock[]> {
  if (!rows.length) return [];
  const versions = await versionsById(db, db, [...new Set(rows.map((r) => r.versionId))]);
  const cals = await calendarsFor(db, db, [...new Set(rows.flatMap((r) => versions.get(r.versionId)?.rules.calendarId ?? []))]);
  const calNames = calendarCache.get(db);
  const names = await qs.definitionNames(db, [...new Set(rows.map((r) => r.definitionId))]);
  const out: TicketClock[] = [];
  for (const r of rows) {
    const ru = versions.get(r.versionId)?.rules;
    const cal = ru ? cals.get(ru.calendarId) : undefined;
    if (!ru || !cal) continue;
    const elapsed = r.state === 'running' ? elapsedAt(clockAsDerived(r), cal, now) : r.elapsedMinutes;
    // Running: business time from now to the due instant (negative once overdue).
    const remaining = r.state === 'running' && r.dueAt ? businessMinutesBetween(cal, now, r.dueAt) : r.targetMinutes - elapsed;
    const def = names.get(r.definitionId);
    out.push({
      id: r.id,
      definitionId: r.definitionId,
      definitionName: def?.name ?? '',
      kind: (def?.kind ?? 'sla') as TicketClock['kind'],
      version: versions.get(r.versionId)?.version ?? 1,
      metric: r.metric,
      state: r.state,
      targetMinutes: r.targetMinutes,
      elapsedMinutes: Math.round(elapsed * 100) / 100,
      remainingMinutes: Math.round(remaining * 100) / 100,
      percent: Math.round((elapsed / r.targetMinutes) * 1000) / 10,
      startedAt: r.startedAt.toISOString(),
      dueAt: r.dueAt?.toISOString() ?? null,
      stoppedAt: r.stoppedAt?.toISOString() ?? null,
      pausedSince: r.pausedSince?.toISOString() ?? null,
      pauseReason: r.pauseReason,
      breached: r.breached,
      breachedAt: r.breachedAt?.toISOString() ?? null,
      calendarName: calNames?.get(ru.calendarId)?.name ?? '',
    });
  }
  return out;
}

/** Rank for a list badge: breached and running first, then the soonest due, then paused, then done. */
function badgeRank(c: TicketClock): number {
  const live = c.state === 'running' || c.state === 'paused';
  if (c.breached && live) return 0;
  if (c.state === 'running') return 1;
  if (c.state === 'paused') return 2;
  if (c.breached) return 3;
  return c.state === 'stopped' ? 4 : 5;
}

/** The most telling clock per ticket, for list rows. */
export async function slaBadges(db: Db, ticketIds: number[], now = new Date()): Promise<Map<number, TicketSlaBadge>> {
  const rows = await qs.clocksOfTickets(db, ticketIds);
  const dtos = await clockDtos(db, rows, now);
  const byId = new Map<number, number>(rows.map((r) => [r.id, r.ticketId]));
  const out = new Map<number, TicketSlaBadge>();
  const best = new Map<number, TicketClock>();
  for (const c of dtos) {
    const tid = byId.get(c.id);
    if (tid === undefined) continue;
    const cur = best.get(tid);
    const better = !cur || badgeRank(c) < badgeRank(cur) || (badgeRank(c) === badgeRank(cur) && c.remainingMinutes < cur.remainingMinutes);
    if (better) best.set(tid, c);
  }
  for (const [tid, c] of best) {
    out.set(tid, { metric: c.metric, state: c.state, dueAt: c.dueAt, remainingMinutes: c.remainingMinutes, percent: c.percent, breached: c.breached, pauseReason: c.pauseReason });
  }
  return out;
}
