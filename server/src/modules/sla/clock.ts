import type { SlaMetric, SlaRules } from '@tianshu/contracts';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from '../calendars/business-time.ts';

/**
 * SLA clocks derived from a ticket's timeline: a pure function of (events, rules, calendar, now),
 * so a clock can be replayed at any time (after a calendar fix, a definition change, a dispute)
 * and always gives the same answer for the same inputs.
 */

/** The facts of a ticket timeline a clock depends on, in time order. */
export type TimelineFact =
  | { at: Date; kind: 'created'; state: string; priority: number; groupId?: number | null; assigned?: boolean }
  /** The assignment changed: the group now, and whether a group or a person holds the ticket. */
  | { at: Date; kind: 'group'; groupId: number | null; assigned: boolean }
  | { at: Date; kind: 'state'; from: string; to: string; pendingReason: string | null; byProvider: boolean }
  | { at: Date; kind: 'priority'; priority: number }
  /** A public comment by a provider-side worker: a response and a periodic update. */
  | { at: Date; kind: 'provider_reply' };

export type ClockEventKind = 'start' | 'pause' | 'resume' | 'stop' | 'breach' | 'cancel' | 'retarget' | 'restart' | 'update';
export type ClockEvent = { at: Date; event: ClockEventKind; reason?: string; from?: number; to?: number };

export type DerivedClock = {
  metric: SlaMetric;
  state: 'running' | 'paused' | 'stopped' | 'cancelled';
  targetMinutes: number;
  startedAt: Date;
  /** Business minutes used before runningSince (running) or in all (paused, stopped, cancelled). */
  elapsedBase: number;
  runningSince: Date | null;
  pausedSince: Date | null;
  pauseReason: string | null;
  stoppedAt: Date | null;
  /** When the target is (running) or was (stopped) reached; null while paused or cancelled. */
  dueAt: Date | null;
  breached: boolean;
  breachedAt: Date | null;
  events: ClockEvent[];
};

const OPEN = new Set(['new', 'assigned', 'in_progress', 'pending']);
/** Actions by a provider worker that count as the first response (besides a public reply). */
const RESPONSE_STATES = new Set(['in_progress', 'pending', 'resolved']);

export function targetFor(rules: SlaRules, metric: SlaMetric, priority: number): number | null {
  const t = rules.targets.find((x) => x.priority === priority);
  if (!t) return null;
  const v = metric === 'response' ? t.responseMinutes : metric === 'resolution' ? t.resolutionMinutes : t.updateMinutes;
  return v && v > 0 ? v : null;
}

/** Business minutes used at `at` by a clock in the given state. */
export function elapsedAt(c: Pick<DerivedClock, 'elapsedBase' | 'runningSince'>, cal: BusinessCalendar, at: Date): number {
  if (!c.runningSince || at <= c.runningSince) return c.elapsedBase;
  return c.elapsedBase + businessMinutesBetween(cal, c.runningSince, at);
}

/** The instant a running clock reaches `minutes` of elapsed business time. */
export function instantOf(c: Pick<DerivedClock, 'elapsedBase' | 'runningSince'>, cal: BusinessCalendar, minutes: number): Date | null {
  if (!c.runningSince) return null;
  return addBusinessMinutes(cal, c.runningSince, Math.max(0, minutes - c.elapsedBase));
}

/**
 * Derives one metric's clock; null when the ticket never had a target for it. `now` bounds the
 * derivation: nothing after it is assumed (a breach is recorded only once its instant has passed).
 */
export function deriveClock(metric: SlaMetric, rules: SlaRules, cal: BusinessCalendar, facts: readonly TimelineFact[], now: Date): DerivedClock | null {
  const first = facts[0];
  if (!first || first.kind !== 'created') return null;
  // Start condition: the creation, or the first assignment (to one of the definition's groups).
  const groups = rules.match.groupIds;
  let group = first.groupId ?? null;
  let assigned = first.assigned ?? false;
  const startOk = () => rules.start === 'created' || (groups.length ? group !== null && groups.includes(group) : assigned);
  let startIndex = -1;
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i];
    if (!f || f.at > now) break;
    if (f.kind === 'group') {
      group = f.groupId;
      assigned = f.assigned;
    }
    if (startOk()) {
      startIndex = i;
      break;
    }
  }
  const startFact = facts[startIndex];
  if (!startFact) return null;
  // The ticket as it stood when the clock started.
  let priority = first.priority;
  let state = first.state;
  let pendingReason: string | null = null;
  for (const f of facts.slice(1, startIndex + 1)) {
    if (f.kind === 'priority') priority = f.priority;
    else if (f.kind === 'state') {
      state = f.to;
      pendingReason = f.to === 'pending' ? f.pendingReason : null;
    }
  }
  if (state === 'resolved' || state === 'closed' || state === 'cancelled') return null;
  // A ticket raised later into a priority with a target is measured from its start (retroactive
  // start); one that never had a target has no clock.
  let target = targetFor(rules, metric, priority);
  for (const f of facts.slice(startIndex)) {
    if (target !== null || f.at > now) break;
    if (f.kind === 'priority') target = targetFor(rules, metric, f.priority);
  }
  if (target === null) return null;
  const pauseOn = new Set(rules.pauseOn);
  const noPause = new Set(rules.noPausePriorities);
  const startedAt = startFact.at;
  const c: DerivedClock = {
    metric,
    state: 'running',
    targetMinutes: target,
    startedAt,
    elapsedBase: 0,
    runningSince: startedAt,
    pausedSince: null,
    pauseReason: null,
    stoppedAt: null,
    dueAt: null,
    breached: false,
    breachedAt: null,
    events: [{ at: startedAt, event: 'start' }],
  };
  /** A span is the measured stretch since the start or a restart; each span breaches at most once. */
  let spanBreached = false;
  const event = (at: Date, e: ClockEventKind, extra: Partial<ClockEvent> = {}) => c.events.push({ at, event: e, ...extra });

  /** Records a breach whose instant has come by `until` (running clocks only). */
  const checkBreach = (until: Date) => {
    if (spanBreached || c.state !== 'running' || !c.runningSince) return;
    const at = instantOf(c, cal, c.targetMinutes);
    if (at && at <= until) {
      spanBreached = true;
      c.breached = true;
      c.breachedAt ??= at;
      event(at, 'breach');
    }
  };
  const pause = (at: Date, reason: string) => {
    c.elapsedBase = elapsedAt(c, cal, at);
    c.runningSince = null;
    c.state = 'paused';
    c.pausedSince = at;
    c.pauseReason = reason;
    event(at, 'pause', { reason });
  };
  const resume = (at: Date) => {
    c.state = 'running';
    c.runningSince = at;
    c.pausedSince = null;
    c.pauseReason = null;
    event(at, 'resume');
  };
  const stop = (at: Date, kind: 'stop' | 'cancel', reason?: string) => {
    c.elapsedBase = elapsedAt(c, cal, at);
    c.runningSince = null;
    c.state = kind === 'stop' ? 'stopped' : 'cancelled';
    c.stoppedAt = at;
    c.pausedSince = null;
    c.pauseReason = null;
    event(at, kind, reason ? { reason } : {});
  };
  /** Restarts the measured span at `at` (periodic update after a reply; resolution after reopen when configured). */
  const restart = (at: Date, kind: 'restart' | 'update') => {
    c.elapsedBase = 0;
    c.runningSince = at;
    c.state = 'running';
    c.stoppedAt = null;
    c.pausedSince = null;
    c.pauseReason = null;
    spanBreached = false;
    event(at, kind);
  };
  const shouldPause = () => metric !== 'response' && state === 'pending' && pendingReason !== null && pauseOn.has(pendingReason) && !noPause.has(priority);

  // Started while pending on a pausing reason: paused from the start.
  if (shouldPause()) pause(startedAt, pendingReason ?? '');

  for (const f of facts.slice(startIndex + 1)) {
    if (f.at > now) break;
    if (c.state === 'running') checkBreach(f.at);
    switch (f.kind) {
      case 'priority': {
        if (f.priority === priority) break;
        const from = priority;
        priority = f.priority;
        const next = targetFor(rules, metric, priority);
        if (next === null && targetFor(rules, metric, from) === null) break;
        if (next === null) {
          if (c.state === 'running' || c.state === 'paused') stop(f.at, 'cancel', 'priority');
          break;
        }
        if (c.state === 'cancelled') break;
        if (!rules.retroactivePriority && (c.state === 'running' || c.state === 'paused')) {
          // Measured from the change instead of the original start.
          c.elapsedBase = 0;
          if (c.state === 'running') c.runningSince = f.at;
          spanBreached = false;
        }
        target = next;
        c.targetMinutes = next;
        event(f.at, 'retarget', { from, to: priority });
        if (c.state === 'running') checkBreach(f.at);
        else if (c.state === 'paused' && !spanBreached && c.elapsedBase >= c.targetMinutes) {
          // Paused past the new, shorter target: breached as of the change.
          spanBreached = true;
          c.breached = true;
          c.breachedAt ??= f.at;
          event(f.at, 'breach');
        }
        // A priority that may not pause ends a running pause.
        if (c.state === 'paused' && !shouldPause()) resume(f.at);
        break;
      }
      case 'group':
        break;
      case 'provider_reply': {
        if (c.state === 'cancelled' || c.state === 'stopped') break;
        if (metric === 'response') {
          if (rules.responseStop !== 'accept') stop(f.at, 'stop', 'reply');
        }
        else if (metric === 'update' && c.state === 'running') restart(f.at, 'update');
        break;
      }
      case 'state': {
        const prev = state;
        state = f.to;
        pendingReason = f.to === 'pending' ? f.pendingReason : null;
        if (c.state === 'cancelled') break;
        if (f.to === 'cancelled') {
          if (c.state !== 'stopped') stop(f.at, 'cancel', 'ticket_cancelled');
          break;
        }
        if (metric === 'response') {
          const accepts = rules.responseStop !== 'reply' || f.to === 'resolved';
          if (c.state !== 'stopped' && f.byProvider && accepts && RESPONSE_STATES.has(f.to)) stop(f.at, 'stop', f.to === 'resolved' ? 'resolved' : 'accepted');
          break;
        }
        // Resolution stops at resolved (service restored) unless configured to run until closed;
        // the periodic-update clock always stops at resolved.
        const stopsHere = f.to === 'closed' || (f.to === 'resolved' && (metric === 'update' || rules.resolutionStop === 'resolved'));
        if (stopsHere) {
          if (c.state === 'running' || c.state === 'paused') stop(f.at, 'stop', f.to);
          break;
        }
        if (prev === 'resolved' && OPEN.has(f.to) && c.state === 'stopped') {
          // Reopen.
          if (metric === 'resolution' && rules.reopenResumes) resume(f.at);
          else restart(f.at, 'restart');
          c.stoppedAt = null;
        }
        if (c.state === 'running' && shouldPause()) pause(f.at, pendingReason ?? '');
        else if (c.state === 'paused' && !shouldPause()) resume(f.at);
        break;
      }
      case 'created':
        break;
    }
  }
  if (c.state === 'running') checkBreach(now);
  // Due instant: where the target falls on the current (running) or last (stopped) span.
  if (c.state === 'running') c.dueAt = instantOf(c, cal, c.targetMinutes);
  else if (c.state === 'stopped') c.dueAt = c.breachedAt;
  return c;
}
